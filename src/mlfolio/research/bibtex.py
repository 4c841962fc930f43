"""BibTeX files → entries with their file positions: @string macros, concatenation (`#`), month macros, crossref
and duplicate keys resolved; every problem a (line, message, hint) naming the entry's key.

Splitting the file into entries is bibtexparser's (v2): it records the line of every entry and every field,
recovers after a broken entry (unbalanced braces, a missing '='), and keeps duplicate keys apart, which is what
warnings at file:line need; pybtex keeps no positions and parsed a 500-entry file three times slower. Its
middlewares are left out: values are resolved here, and LaTeX is decoded by latex.py.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from .latex import MONTHS, month_number

PARSER_VERSION = "1"
TYPES = frozenset({
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings", "manual",
    "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    # biblatex
    "online", "report", "thesis", "dataset", "software", "patent", "electronic", "www", "collection",
    "mvbook", "periodical", "reference", "suppbook", "suppcollection", "mvcollection", "mvproceedings",
    "misc", "talk", "presentation", "lecture", "artwork", "audio", "video", "movie", "music", "image",
    "standard", "letter", "commentary", "jurisdiction", "legislation", "review", "set", "xdata",
})
MONTH_MACROS = {name[:3].lower(): name for name in MONTHS}
# biblatex's inheritance: a child of these types takes the parent's title as its booktitle
BOOKTITLE_FROM_TITLE = {"inproceedings", "incollection", "inbook", "suppbook", "suppcollection", "conference"}
_NUMBER = re.compile(r"^\d+$")
_IDENT = re.compile(r"^[^\s\"#%'(),={}]+$")
_DELIMITERS = re.compile(r'[{}"#]')
_BLOCK_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]*)")


@dataclass
class BibEntry:
    """One entry: field names lowercased, values with macros resolved and LaTeX as written."""

    key: str
    type: str                                   # lowercased: 'inproceedings'
    fields: dict[str, str]
    line: int                                   # 1-based line of the '@'
    lines: dict[str, int] = field(default_factory=dict)   # field -> line
    inherited: tuple[str, ...] = ()             # fields that came from its crossref parent

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class BibFile:
    """What one .bib file holds; `problems` are (line, message, hint) warnings, in file order."""

    entries: list[BibEntry] = field(default_factory=list)
    problems: list[tuple[int | None, str, str]] = field(default_factory=list)
    containers: frozenset[str] = frozenset()    # keys only other entries' crossref points to (proceedings)


def parse(text: str) -> BibFile:
    """Every entry of a .bib file's text; nothing raises, every problem is kept with its line."""
    import bibtexparser
    from bibtexparser import model

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)   # its problems are reported here, once
    out = BibFile()
    library = bibtexparser.parse_string(text, parse_stack=[])
    macros = dict(MONTH_MACROS)
    by_key: dict[str, BibEntry] = {}
    first_line: dict[str, int] = {}
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, model.String):
            block = block.ignore_error_block             # a @string defined again: the later one wins, as in BibTeX
        if isinstance(block, model.String):
            macros[block.key.lower()] = _resolve(block.value, macros, out, line, f"@string '{block.key}'")
        elif isinstance(block, model.DuplicateBlockKeyBlock):
            key = getattr(block, "key", "") or _head(block.raw)[1]
            earlier = first_line.get(key.lower())
            where = f" (first at line {earlier})" if earlier else ""
            out.problems.append((line, f"entry '{key}': the key is used twice{where}; this one is left out",
                                 "give each entry its own key"))
        elif isinstance(block, model.DuplicateFieldKeyBlock):   # reported field by field in _entry
            block = block.ignore_error_block
        elif isinstance(block, model.ParsingFailedBlock):
            out.problems.append(_failure(block, text, line))
        if isinstance(block, model.Entry):
            entry = _entry(block, macros, out, line)
            if entry is None:
                continue
            if entry.key.lower() in by_key:           # bibtexparser compares keys with their case
                earlier = first_line[entry.key.lower()]
                out.problems.append((line, f"entry '{entry.key}': the key is used twice (first at line "
                                     f"{earlier}, as '{by_key[entry.key.lower()].key}'); this one is left out",
                                     "give each entry its own key"))
                continue
            by_key[entry.key.lower()] = entry
            first_line[entry.key.lower()] = line
            out.entries.append(entry)
    out.containers = _crossrefs(out, by_key)
    return out


def _entry(block, macros: dict, out: BibFile, line: int) -> BibEntry | None:
    key = (block.key or "").strip()
    etype = (block.entry_type or "").lower()
    if not key:
        out.problems.append((line, f"an @{etype} entry has no key; it is left out",
                             "write a key after the brace: @article{smith2024, …"))
        return None
    if etype not in TYPES:
        out.problems.append((line, f"entry '{key}': unknown entry type '@{etype}'; shown as @misc",
                             "use a BibTeX type such as @article, @inproceedings, @misc"))
        etype = "misc"
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    for f in block.fields:
        name = f.key.strip().lower()
        fline = (f.start_line or 0) + 1
        if name in fields:
            out.problems.append((fline, f"entry '{key}': field '{name}' is given twice; the first is kept",
                                 "remove one of them"))
            continue
        fields[name] = _resolve(f.value, macros, out, fline, f"entry '{key}'")
        lines[name] = fline
    return BibEntry(key, etype, fields, line, lines)


def _resolve(value: str, macros: dict, out: BibFile, line: int, owner: str) -> str:
    """A field's value: `{…}`, `"…"`, a number or a @string macro, joined by `#`."""
    parts = []
    for piece in _pieces(value):
        piece = piece.strip()
        if not piece:
            continue
        if piece[0] == "{" and piece[-1] == "}" or piece[0] == '"' and piece[-1] == '"' and len(piece) > 1:
            parts.append(piece[1:-1])
        elif _NUMBER.match(piece):
            parts.append(piece)
        elif _IDENT.match(piece):
            name = piece.lower()
            if name in macros:
                parts.append(macros[name])
            else:
                out.problems.append((line, f"{owner}: '{piece}' is not a defined @string; left empty",
                                     "define it with @string{" + piece + " = {…}}, or put the value in braces"))
        else:
            parts.append(piece)
    return "".join(parts)


def _pieces(value: str) -> list[str]:
    """Splits a value on '#' outside braces and quotes."""
    if "#" not in value:
        return [value]
    out, depth, quoted, start = [], 0, False, 0
    for m in _DELIMITERS.finditer(value):
        i, c = m.start(), m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0:
            quoted = not quoted
        elif c == "#" and depth == 0 and not quoted:
            out.append(value[start:i])
            start = i + 1
    out.append(value[start:])
    return out


def _head(raw: str | None) -> tuple[str, str]:
    m = _BLOCK_HEAD.search(raw or "")
    return (m.group(1).lower(), m.group(2)) if m else ("", "")


def _failure(block, text: str, line: int) -> tuple[int, str, str]:
    """A block bibtexparser gave up on, in plain words."""
    etype, key = _head(block.raw)
    who = f"entry '{key}'" if key else (f"an @{etype} entry" if etype else "an entry")
    reason = str(getattr(block.error, "abort_reason", "") or block.error)
    end = getattr(block.error, "end_index", None)
    end_line = text.count("\n", 0, end) + 1 if isinstance(end, int) else None
    if "closing" in reason and "Unexpected block start" in reason:
        return (line, f"{who}: its braces {{ }} or quotes do not balance, so it runs into the next entry "
                f"(line {end_line}); it is left out", "close every '{' with '}' in this entry")
    if "end of file" in reason:
        return (line, f"{who}: it never ends (a '}}' is missing before the end of the file); it is left out",
                "close the entry with '}'")
    if "Expected a `=`" in reason:
        return (line, f"{who}: a field has no '= value' (or there is a stray comma); it is left out",
                "write each field as name = {value}, separated by single commas")
    return (line, f"{who} cannot be read: {reason.strip()}; it is left out", "check the entry's syntax")


def _crossrefs(out: BibFile, by_key: dict[str, BibEntry]) -> frozenset[str]:
    """Children take the fields they lack from the entry their `crossref` names (and the parent's title as
    their booktitle); parents that exist only to be inherited from are returned (not listed as papers)."""
    parents = set()
    for entry in out.entries:
        target = entry.fields.get("crossref", "").strip()
        if not target:
            continue
        parent = by_key.get(target.lower())
        if parent is None:
            out.problems.append((entry.line_of("crossref"), f"entry '{entry.key}': crossref '{target}' names no "
                                 "entry of this file", "add that entry, or remove the crossref field"))
            continue
        if parent is entry:
            continue
        parents.add(parent.key)
        inherited = []
        for name, value in parent.fields.items():
            if name in ("crossref", "key", "ids"):
                continue
            if name == "title" and entry.type in BOOKTITLE_FROM_TITLE:
                name = "booktitle"
            if name not in entry.fields:
                entry.fields[name] = value
                entry.lines[name] = parent.line_of(name)
                inherited.append(name)
        entry.inherited = tuple(inherited)
    children_of = {e.fields.get("crossref", "").strip().lower() for e in out.entries}
    return frozenset(k for k in parents if k.lower() in children_of)


def to_bibtex(entry: BibEntry, skip: frozenset[str] | set[str] = frozenset(), clean_names: bool = True) -> str:
    """The entry re-serialised: one field a line, values in braces, without the `skip` fields (a site's private
    ones) and without `crossref` (inherited fields are written out, so the entry stands alone)."""
    lines = [f"@{entry.type}{{{entry.key},"]
    for name, value in entry.fields.items():
        if name in skip or name == "crossref":
            continue
        if name in ("author", "editor") and clean_names:
            value = re.sub(r"[*∗†‡§¶‖^]+(?=\s*(,|\s+and\s+|$))|(?<=(\{|\s|,))[*∗†‡§¶‖^]+|^[*∗†‡§¶‖^]+", "", value)
        if name == "month" and month_number(value) and value.strip().lower() in {m.lower() for m in MONTHS}:
            lines.append(f"  {name} = {value.strip()[:3].lower()},")
            continue
        value = " ".join(value.split())                  # a value written over several lines: one line
        if value.count("{") != value.count("}"):
            value = value.replace("{", "").replace("}", "")
        lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


__all__ = ["BibEntry", "BibFile", "PARSER_VERSION", "TYPES", "parse", "to_bibtex"]
