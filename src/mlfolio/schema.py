"""Typed YAML: dataclasses are the schema, and every value keeps the file position it came from.

Validation walks `yaml.compose()` nodes rather than loaded dicts so each problem can say path:line:col.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
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


def opt(default: Any = MISSING, doc: str = "", *, choices: tuple | None = None,
        aliases: tuple[str, ...] = ()) -> Any:
    """A documented schema field; `doc` feeds README's reference tables and its test."""
    meta = {"doc": doc, "choices": choices, "aliases": aliases}
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
        if node is None:
            obj = cls()
            if sections:
                obj.sections.update({k: d() if callable(d) else d for k, (_, d) in sections.items()})
            return obj
        return self.dataclass(cls, node, where, sections) if sections else self.value(cls, node, where)

    def value(self, tp: Any, node: yaml.Node, name: str, choices=None) -> Any:
        if tp is Any:
            return _construct(node)
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if _is_null(node):
                return None
            return self.value(args[0], node, name, choices)
        if dataclasses.is_dataclass(tp):
            return self.dataclass(tp, node, name)
        if origin is list:
            (item,) = typing.get_args(tp)
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
                out.append(self.value(item, child, f"{name}[{i}]"))
            return [v for v in out if v is not None]
        if origin is dict:
            _, vt = typing.get_args(tp)
            if _is_null(node):
                return {}
            if not isinstance(node, yaml.MappingNode):
                self.err(node, f"'{name}' must be a mapping of names to values, got {_show(node)}",
                         f"write it as indented 'key: value' lines under '{name}:'")
                return {}
            out = {}
            for knode, vnode in node.value:
                key = str(_construct(knode))
                self.marks[f"{name}.{key}"] = self.pos(knode)
                v = self.value(vt, vnode, f"{name}.{key}")
                if v is not None:
                    out[key] = v
            return out
        return self.scalar(tp, node, name, choices)

    def scalar(self, tp: type, node: yaml.Node, name: str, choices=None) -> Any:
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
        if choices and value not in choices:
            self.err(node, f"'{name}' must be one of {', '.join(map(str, choices))}; got '{value}'",
                     _did_you_mean(str(value), [str(c) for c in choices]) or "pick one of the listed values")
            return None
        return value

    def dataclass(self, cls: type, node: yaml.Node, name: str, sections: dict | None = None):
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
            v = self.value(hints[fname], vnode, full, fields[fname].metadata.get("choices"))
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


def _construct(node: yaml.Node) -> Any:
    return _CONSTRUCTOR.construct_object(node, deep=True)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


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
        problems.error(path, None, None, f"cannot read file: {exc.strerror}", "check its permissions")
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


def compose(text: str, path: Path | str, problems: Problems, line_offset: int = 0) -> yaml.Node | None:
    """Parse YAML into nodes; a syntax error becomes one problem at the position PyYAML found."""
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        what = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            what += f" ({exc.context} at line {exc.context_mark.line + 1 + line_offset})"
        problems.error(path, line, col, f"YAML syntax error: {what}",
                       "check indentation and quote values that contain ':' or '#'")
    except yaml.YAMLError as exc:
        problems.error(path, None, None, f"YAML error: {exc}", "check the file's syntax")
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
