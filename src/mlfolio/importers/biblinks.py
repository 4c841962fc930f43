"""The link fields of an imported .bib file, checked against the source site: al-folio names a PDF or a preview
by its bare file name (kept in assets/pdf/ and assets/img/publication_preview/). A file that exists is copied to
where mlfolio's publications look for it; a field that names no file is left out, with a note at its line."""
from __future__ import annotations

import re

from ..research import latex
from ..research.bibtex import parse
from .files import SourceTree
from .output import NewSite
from .report import Report

# field -> the folder al-folio looks in for a bare file name ('' : the site's top folder)
FOLDERS = {"pdf": "assets/pdf/", "supp": "assets/pdf/", "slides": "assets/pdf/", "poster": "assets/pdf/",
           "preview": "assets/img/publication_preview/", "html": "", "url": "", "code": "", "video": "",
           "website": "", "blog": ""}


def import_bib(rel: str, text: str, tree: SourceTree, site: NewSite, report: Report) -> tuple[str, set[str]]:
    """The .bib text with every field that names a missing file taken out, and the keys of its entries; the
    files its fields name are copied under static/."""
    parsed = parse(text)
    missing: list[tuple[int, str]] = []
    for entry in parsed.entries:
        for name, folder in FOLDERS.items():
            raw = entry.fields.get(name, "")
            value = (latex.to_text(raw) if "\\" in raw or "{" in raw else raw).strip()
            if not value or value.startswith("//") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
                continue                                          # empty, or an address (https:, doi: …)
            path = value.split("#")[0].split("?")[0].lstrip("/")
            candidates = [path] if value.startswith("/") or not folder else [folder + path, path]
            found = next((c for c in candidates if ".." not in c.split("/") and tree.exists(c)
                          and (tree.root / c).is_file() and tree.copyable(tree.root / c)), None)
            if found:
                site.add_copy(f"static/{found}", tree.root / found)
                continue
            line = entry.line_of(name)
            where = f"put it in {folder} and import again, or " if folder else ""
            report.note(rel, line, f"{name} '{value}' is no file of the site",
                        f"left out; {where}give an https:// address")
            missing.append((line, name))
    return drop_fields(text, missing), {e.key for e in parsed.entries}


def drop_fields(text: str, fields: list[tuple[int, str]]) -> str:
    """The text without the fields named by (line, field name), each with its value and its comma."""
    for line, name in sorted(fields, reverse=True):
        start = sum(len(ln) for ln in text.splitlines(keepends=True)[:line - 1])
        m = re.compile(rf"[ \t]*\b{re.escape(name)}\s*=\s*", re.I).search(text, start)
        if m is None:
            continue
        end = _value_end(text, m.end())
        tail = re.match(r"\s*,[ \t]*\n?|[ \t]*\n?", text[end:])
        text = text[:m.start()] + text[end + (tail.end() if tail else 0):]
    return text


def _value_end(text: str, i: int) -> int:
    """Where the value starting at `i` ends: a {…} group, a "…" string or a bare word."""
    if i < len(text) and text[i] in "{\"":
        close, depth = ("}" if text[i] == "{" else '"'), 0
        for j in range(i, len(text)):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
            if (close == "}" and depth == 0) or (close == '"' and j > i and text[j] == '"' and depth == 0):
                return j + 1
        return len(text)
    m = re.compile(r"[^,}\s]*").match(text, i)
    return m.end()
