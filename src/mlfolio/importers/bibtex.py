"""BibTeX entries made from front matter (academicpages' `_publications/`, Hugo's `content/publication/`), for
sites whose papers live in Markdown files rather than a .bib."""
from __future__ import annotations

import re
import unicodedata

TYPES = {"article-journal": "article", "article": "article", "2": "article", "paper-conference": "inproceedings",
         "1": "inproceedings", "conference": "inproceedings", "inproceedings": "inproceedings",
         "thesis": "phdthesis", "7": "phdthesis", "book": "book", "5": "book", "chapter": "incollection",
         "6": "incollection", "report": "techreport", "4": "techreport", "manuscript": "unpublished",
         "3": "unpublished", "preprint": "misc", "manuscripts": "article", "conferences": "inproceedings",
         "books": "book"}
VENUE_FIELD = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle",
               "techreport": "institution", "phdthesis": "school"}


def field_text(value) -> str:
    """A value made safe inside `{…}`: LaTeX specials escaped, braces kept only when balanced."""
    text = re.sub(r"<[^>]+>", "", str(value)).replace("&quot;", '"').replace("&amp;", "&").strip()
    text = re.sub(r"(?<!\\)([&%#])", r"\\\1", text)
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            break
    return text if depth == 0 else text.replace("{", "").replace("}", "")


def cite_key(authors: list[str], year: str, title: str, used: set[str]) -> str:
    """'lovelace2024notes': first author's family name, year, first long word of the title; unique in `used`."""
    first = authors[0] if authors else ""
    family = first.split(",")[0] if "," in first else (first.split() or [""])[-1]
    word = next((w for w in re.findall(r"[A-Za-z]+", _ascii(title)) if len(w) > 3), "paper")
    base = re.sub(r"[^a-z0-9]", "", _ascii(family).lower() + year + word.lower()) or "entry"
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2) if n <= 27 else n}"
    used.add(key)
    return key


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def entry(kind: str, key: str, fields: dict[str, object]) -> str:
    lines = [f"@{kind}{{{key},"]
    for name, value in fields.items():
        if value not in (None, "", []):
            lines.append(f"  {name} = {{{field_text(value)}}},")
    return "\n".join(lines) + "\n}\n"
