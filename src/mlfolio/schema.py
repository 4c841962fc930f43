"""Typed YAML: dataclasses are the schema, and every value keeps the file position it came from.

Validation walks `yaml.compose()` nodes rather than loaded dicts so each problem can say path:line:col.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import errno
import functools
import math
import re
import types
import typing
from dataclasses import MISSING, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problems

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HUMAN = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
          dt.date: "a date (YYYY-MM-DD)"}


MAX_NODES = 100_000           # values a file may hold once its aliases are expanded (a few hundred bytes of
                              # nested aliases otherwise expand to gigabytes: the "billion laughs")


def opt(default: Any = MISSING, doc: str = "", *, choices: tuple | None = None, aliases: tuple[str, ...] = (),
        min: float | None = None, max: float | None = None, url: bool = False) -> Any:
    """A documented schema field; `doc` feeds README's reference tables and its test; `min`/`max` bound numbers;
    `url` accepts only a path of the site, a web address or an email (never `javascript:` or `data:`)."""
    meta = {"doc": doc, "choices": choices, "aliases": aliases, "min": min, "max": max, "url": url}
    if callable(default) and not isinstance(default, type):
        return field(default_factory=default, metadata=meta)
    if isinstance(default, (list, dict)):
        value = default
        return field(default_factory=lambda: type(value)(value), metadata=meta)
    if dataclasses.is_dataclass(default) and isinstance(default, type):
        return field(default_factory=default, metadata=meta)
    return field(default=default, metadata=meta)


def node_pos(node: yaml.Node | None, line_offset: int = 0) -> tuple[int | None, int | None]:
    if node is None:
        return None, None
    return node.start_mark.line + 1 + line_offset, node.start_mark.column + 1


class Reader:
    """Turns a composed YAML node into a dataclass instance, recording problems instead of raising."""

    def __init__(self, path: Path | str, problems: Problems, line_offset: int = 0):
        self.path = path
        self.problems = problems
        self.line_offset = line_offset
        self.marks: dict[str, tuple[int | None, int | None]] = {}

    def pos(self, node):
        return node_pos(node, self.line_offset)

    def err(self, node, message, hint=""):
        line, col = self.pos(node)
        self.problems.error(self.path, line, col, message, hint)

    def read(self, cls: type, node: yaml.Node | None, where: str = "", sections: dict | None = None):
        """`sections` ({key: (dataclass, default)}) are top-level keys known only at run time (sources, plugin
        settings, theme options): validated like the rest and stored in the instance's `sections` dict."""
        if not sections:
            return cls() if node is None else self.value(cls, node, where)
        obj = self.dataclass(cls, node, where, sections) if node is not None else cls()
        if obj is not None:              # a broken file still gets every section, at its default
            for key, (_, default) in sections.items():
                obj.sections.setdefault(key, default() if callable(default) else default)
        return obj

    def value(self, tp: Any, node: yaml.Node, name: str, meta: dict | None = None) -> Any:
        """`meta` is the field's metadata (choices, bounds, url): it applies to the items of lists and mappings
        too."""
        if tp is Any:
            try:
                return _construct(node)
            except (ValueError, yaml.YAMLError) as exc:
                self.err(node, f"'{name}' cannot be read: {getattr(exc, 'problem', None) or exc}",
                         "use plain YAML values (text, numbers, lists, mappings)")
                return None
        origin, inner = _kind(tp)
        if origin == "optional":
            if _is_null(node):
                return None
            return self.value(inner, node, name, meta)
        if origin == "dataclass":
            return self.dataclass(tp, node, name)
        if origin is list:
            item = inner
            if isinstance(node, yaml.ScalarNode) and item is str and isinstance(_construct(node), str):
                return [part.strip() for part in node.value.split(",") if part.strip()]   # tags: ml, dl
            if _is_null(node):
                return []
            if not isinstance(node, yaml.SequenceNode):
                self.err(node, f"'{name}' must be a list, got {_show(node)}",
                         f"write it as a list, e.g. {name}: [first, second]")
                return []
            out = []
            for i, child in enumerate(node.value):
                self.marks[f"{name}[{i}]"] = self.pos(child)
                out.append(self.value(item, child, f"{name}[{i}]", meta))
            return [v for v in out if v is not None]
        if origin is dict:
            vt = inner
            if _is_null(node):
                return {}
            if not isinstance(node, yaml.MappingNode):
                self.err(node, f"'{name}' must be a mapping of names to values, got {_show(node)}",
                         f"write it as indented 'key: value' lines under '{name}:'")
                return {}
            out = {}
            for knode, vnode in node.value:
                key = str(_construct(knode))
                if f"{name}.{key}" in self.marks and key in out:
                    self.err(knode, f"key '{name}.{key}' appears twice", "keep one of them")
                    continue
                self.marks[f"{name}.{key}"] = self.pos(knode)
                v = self.value(vt, vnode, f"{name}.{key}", meta)
                if v is not None:
                    out[key] = v
            return out
        return self.scalar(tp, node, name, meta or {})

    def scalar(self, tp: type, node: yaml.Node, name: str, meta: dict) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.err(node, f"'{name}' must be {_HUMAN.get(tp, tp.__name__)}, got {_show(node)}",
                     "remove the nested list or mapping")
            return None
        try:
            raw = _construct(node)
        except (ValueError, yaml.YAMLError):
            raw = node.value
            if tp is dt.date:
                self.err(node, f"'{name}' must be a date YYYY-MM-DD, got '{raw}'",
                         "use a real calendar date, e.g. 2024-05-01")
                return None
        if raw is None:
            return None
        value: Any = _NO
        if tp is str:
            if isinstance(raw, (str, int, float, dt.date)) and not isinstance(raw, bool):
                value = str(raw)
        elif tp is bool:
            if isinstance(raw, bool):
                value = raw
        elif tp is int:
            if isinstance(raw, int) and not isinstance(raw, bool):
                value = raw
        elif tp is float:
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                value = float(raw)
        elif tp is dt.date:
            if isinstance(raw, dt.date):
                value = raw
            elif isinstance(raw, str) and _DATE_RE.match(raw.strip()):
                try:
                    value = dt.date.fromisoformat(raw.strip())
                except ValueError:
                    pass
            if value is _NO:
                self.err(node, f"'{name}' must be a date YYYY-MM-DD, got '{node.value}'",
                         "use a real calendar date, e.g. 2024-05-01")
                return None
        if value is _NO:
            self.err(node, f"'{name}' must be {_HUMAN.get(tp, tp.__name__)}, got {_show(node)}",
                     _type_hint(tp, name))
            return None
        low, high, choices = meta.get("min"), meta.get("max"), meta.get("choices")
        if tp in (int, float) and not _in_bounds(value, low, high):
            example = low if low is not None and low > 0 else (high if high is not None and high < 1 else 1)
            self.err(node, f"'{name}' must be {_HUMAN[tp]}{_range(low, high)}, got {_show(node)}",
                     f"e.g. {name.rsplit('.', 1)[-1]}: {example:g}")
            return None
        if meta.get("url") and isinstance(value, str) and not safe_link(value):
            self.err(node, f"'{name}' must be a web address (https://…), an email (mailto:…) or a path on this "
                     f"site, got '{value}'", "links with other schemes (javascript:, data:, file:) are not allowed")
            return None
        if choices and value not in choices:
            shown = ", ".join(str(c) for c in choices if c != "") + (", or empty" if "" in choices else "")
            self.err(node, f"'{name}' must be one of {shown}; got '{value}'",
                     _did_you_mean(str(value), [str(c) for c in choices]) or "pick one of the listed values")
            return None
        return value

    def dataclass(self, cls: type, node: yaml.Node, name: str, sections: dict | None = None):
        short = getattr(cls, "__list_field__", "")
        if short and isinstance(node, yaml.SequenceNode):     # `external_posts: [...]` for `{feeds: [...]}`
            hints, _, _ = _shape(cls)
            self.marks[f"{name}.{short}"] = self.pos(node)
            return cls(**{short: self.value(hints[short], node, f"{name}.{short}")})
        if not isinstance(node, yaml.MappingNode):
            label = f"'{name}'" if name else "this file"
            self.err(node, f"{label} must be a mapping of 'key: value' lines, got {_show(node)}",
                     "see README's reference for the expected keys")
            return None if name else _defaults_or_none(cls)
        hints, fields, aliases = _shape(cls)
        sections = sections or {}
        values: dict[str, Any] = {}
        found: dict[str, Any] = {}
        seen_nodes: dict[str, yaml.Node] = {}
        for knode, vnode in node.value:
            key = str(_construct(knode))
            fname = aliases.get(key, key)
            full = f"{name}.{key}" if name else key
            if key in sections and fname not in fields:
                if key in seen_nodes:
                    self.err(knode, f"key '{full}' appears twice", "keep one of them")
                    continue
                seen_nodes[key] = knode
                self.marks[full] = self.pos(vnode)
                section_cls, default = sections[key]
                found[key] = None if _is_null(vnode) else self.value(section_cls, vnode, full)
                continue
            if fname not in fields:
                hint = _did_you_mean(key, list(fields) + list(aliases) + list(sections))
                self.err(knode, f"unknown key '{full}'",
                         hint or f"known keys here: {', '.join(sorted(fields))}")
                continue
            if fname in seen_nodes:
                self.err(knode, f"key '{full}' appears twice", "keep one of them")
                continue
            seen_nodes[fname] = knode
            self.marks[f"{name}.{fname}" if name else fname] = self.pos(vnode)
            meta = fields[fname].metadata
            required = fields[fname].default is MISSING and fields[fname].default_factory is MISSING
            if required and (_is_null(vnode) or (isinstance(vnode, yaml.ScalarNode) and not vnode.value.strip())):
                self.err(vnode if not _is_null(vnode) or vnode.value else knode, f"'{full}' is empty",
                         f"write a value after '{key}:'; it is required")
                continue
            v = self.value(hints[fname], vnode, full, meta)
            if v is not None:
                values[fname] = v
        missing = [f for f in fields.values() if f.name not in values and f.default is MISSING
                   and f.default_factory is MISSING]
        for f in missing:
            full = f"{name}.{f.name}" if name else f.name
            if f.name in seen_nodes:
                continue
            self.err(node, f"missing required key '{full}'", f"add '{f.name}: ...' here")
        if missing:
            return None
        obj = cls(**values)
        for key, (_, default) in sections.items():
            value = found.get(key)
            obj.sections[key] = value if value is not None else (default() if callable(default) else default)
        return obj


_NO = object()


@functools.lru_cache(maxsize=None)
def _shape(cls):
    """Type hints, fields and aliases of a schema class; computing hints is slow, and done once per class."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_")
              and not f.metadata.get("internal")}
    aliases = {a: f.name for f in fields.values() for a in f.metadata.get("aliases", ())}
    return hints, fields, aliases
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _defaults_or_none(cls):
    try:
        return cls()
    except TypeError:
        return None


_STR = "tag:yaml.org,2002:str"


def _construct(node: yaml.Node) -> Any:
    """The Python value of a node. A fresh constructor each time: a shared one keeps every object it ever
    built (serve re-reads mlfolio.yml on each edit, and its memory grew without end). Plain text, most values,
    needs none."""
    if node.tag == _STR and type(node) is yaml.ScalarNode:
        return node.value
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


@functools.lru_cache(maxsize=None)
def _kind(tp) -> tuple:
    """How Reader.value treats a type: ('optional', T), ('dataclass', None), (list, item), (dict, value type)
    or (None, None) for a scalar; typing's introspection is slow, and the same few types recur."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return "optional", next(a for a in typing.get_args(tp) if a is not type(None))
    if dataclasses.is_dataclass(tp):
        return "dataclass", None
    if origin is list:
        return list, typing.get_args(tp)[0]
    if origin is dict:
        return dict, typing.get_args(tp)[1]
    return None, None


_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_link(value: str) -> bool:
    """A path, an http(s) address or mailto: — what a link written in YAML may be."""
    m = _SCHEME.match(value)
    if m is None:
        return not any(c in value for c in "\x00\n\r<>\"")
    return m.group(1).lower() in ("http", "https", "mailto") and not any(c in value for c in "\x00\n\r<>\"")


def _in_bounds(value, low, high) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f" from {low:g} to {high:g}"
    if low is not None:
        return f" of at least {low:g}"
    if high is not None:
        return f" of at most {high:g}"
    return " (a finite one)"


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _show(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return repr(node.value) if node.style else node.value


def _type_hint(tp, name: str) -> str:
    short = name.rsplit(".", 1)[-1]
    if tp is bool:
        return f"write {short}: true or {short}: false"
    if tp is int:
        return f"write a number without quotes, e.g. {short}: 10"
    return f"put the value in quotes, e.g. {short}: \"...\""


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def read_text(path: Path, problems: Problems) -> str | None:
    """Reads UTF-8 text; a file in another encoding is one clear problem, not a UnicodeDecodeError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(path, None, None, f"cannot read file: {exc.strerror or exc}", _unreadable_hint(exc))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(path, line, col, "file is not UTF-8 text",
                       "re-save it as UTF-8 in your editor")
        return None
    return text.replace("\r\n", "\n")


def _unreadable_hint(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link that leads back to itself: replace it with the file"
    if exc.errno == errno.ENOENT:
        return "it is a symbolic link to a file that does not exist: fix or remove the link"
    if exc.errno == errno.EISDIR:
        return "it is a folder: rename it, or move it out of the way"
    return "check its permissions"


def compose(text: str, path: Path | str, problems: Problems, line_offset: int = 0) -> yaml.Node | None:
    """Parse YAML into nodes; a syntax error becomes one problem at the position PyYAML found."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        what = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            what += f" ({exc.context} at line {exc.context_mark.line + 1 + line_offset})"
        problems.error(path, line, col, f"YAML syntax error: {what}",
                       "check indentation and quote values that contain ':' or '#'")
        return None
    except yaml.YAMLError as exc:
        problems.error(path, None, None, f"YAML error: {exc}", "check the file's syntax")
        return None
    if node is None:
        return None
    problem = _check_graph(node)
    if problem:
        at, message, hint = problem
        line, col = node_pos(at, line_offset)
        problems.error(path, line, col, message, hint)
        return None
    return node


def _check_graph(root: yaml.Node):
    """One pass over a composed document, before anything reads it: merge keys (`<<: *base`) are applied,
    keys must be plain values, aliases may not refer to themselves, and the document, aliases expanded, may
    hold at most MAX_NODES values. Returns (node, message, hint) of the first problem, or None."""
    stack, seen, shared = [root], set(), False
    while stack:                     # a plain walk first: most documents have no alias at all
        node = stack.pop()
        if id(node) in seen:
            shared = True
            continue
        seen.add(id(node))
        if type(node) is yaml.MappingNode:
            problem = _merge(node)
            if problem:
                return problem
            for knode, vnode in node.value:
                if type(knode) is not yaml.ScalarNode:
                    return knode, "a key must be plain text, not a list or mapping", \
                        "write the key as text ('name: value')"
                stack.append(vnode)
        elif type(node) is yaml.SequenceNode:
            stack.extend(node.value)
    return _expanded_size(root) if shared else None


def _expanded_size(root: yaml.Node):
    """With aliases, the size of the document once they are expanded, without expanding them: each node's
    size is computed once, bottom-up."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            size = 1 + sum(sizes[id(c)] for c in _children(node))
            if size > MAX_NODES:
                return node, f"this YAML expands to more than {MAX_NODES:,} values through aliases", \
                    "write the values out, or use fewer nested aliases (&name / *name)"
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return node, "an alias refers to the value it is part of", "remove the *alias inside its own &anchor"
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return None


def _children(node: yaml.Node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


_MERGE = "tag:yaml.org,2002:merge"


def _merge(node: yaml.MappingNode, depth: int = 0):
    """Applies `<<` merge keys in place: merged pairs first, keys written in the mapping itself win, and of
    several merged mappings the first."""
    if not any(k.tag == _MERGE for k, _ in node.value):
        return None
    if depth > 50:
        return node, "merge keys ('<<') nest too deep or refer to themselves", "simplify the merges"
    own = [(k, v) for k, v in node.value if k.tag != _MERGE]
    own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
    merged = []
    for knode, vnode in node.value:
        if knode.tag != _MERGE:
            continue
        sources = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
        for src in sources:
            if not isinstance(src, yaml.MappingNode):
                return src, "'<<' merges a mapping (or a list of mappings) into this one", \
                    "write '<<: *name' where &name is a mapping"
            problem = _merge(src, depth + 1)
            if problem:
                return problem
            for k, v in src.value:
                if not (isinstance(k, yaml.ScalarNode) and k.value in own_keys):
                    merged.append((k, v))
                    if isinstance(k, yaml.ScalarNode):
                        own_keys.add(k.value)
    node.value = merged + own
    return None



def describe(cls: type, prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(key, type, default, doc) rows for README's reference, recursing into nested sections."""
    rows = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if not f.init or f.name.startswith("_") or f.metadata.get("internal"):
            continue
        key = f"{prefix}{f.name}"
        tp = hints[f.name]
        inner = [a for a in typing.get_args(tp) if a is not type(None)] or [tp]
        sub = inner[0]
        if f.default is not MISSING:
            default = repr(f.default) if f.default not in (None, "") else "—"
        elif f.default_factory is not MISSING:
            d = f.default_factory()
            default = "—" if dataclasses.is_dataclass(d) else repr(d)
        else:
            default = "required"
        rows.append((key, _type_name(tp), default, f.metadata.get("doc", "")))
        if typing.get_origin(tp) is list and dataclasses.is_dataclass(typing.get_args(tp)[0]):
            rows.extend(describe(typing.get_args(tp)[0], key + "[]."))
        elif dataclasses.is_dataclass(sub):
            rows.extend(describe(sub, key + "."))
    return rows


def _type_name(tp) -> str:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _type_name(args[0])
    if origin is list:
        item = typing.get_args(tp)[0]
        return "list of entries" if dataclasses.is_dataclass(item) else f"list of {_type_name(item)}"
    if origin is dict:
        return f"mapping to {_type_name(typing.get_args(tp)[1])}"
    if dataclasses.is_dataclass(tp):
        return "section"
    if tp is Any:
        return "any YAML"
    return {str: "text", int: "integer", float: "number", bool: "boolean", dt.date: "date"}.get(tp, str(tp))
