"""People in BibTeX `author` and `editor` fields: split by ' and ', each read by BibTeX's rules ('First von Last',
'von Last, First', 'von Last, Jr, First'), and matched against the site owner's names, initials included.

al-folio marks equal contribution and corresponding authors with symbols after a name (`Einstein*, Albert`,
`∗Pang, Ce`): they are taken off the name and kept as `marks`, so the name still matches and the page can
show them as superscripts.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from . import latex

MARKS = "*∗†‡§¶‖&^"
MARK_LABELS = {"*": "Equal contribution", "∗": "Equal contribution", "†": "Corresponding author",
               "‡": "Equal advising", "§": "Work done elsewhere", "¶": "Equal contribution",
               "‖": "Equal contribution", "&": "Equal contribution", "^": "Equal contribution"}
_AND = re.compile(r"\s+and\s+", re.I)


@dataclass
class Name:
    """One person of an author or editor list."""

    first: str = ""
    von: str = ""
    last: str = ""
    jr: str = ""
    marks: list[str] = field(default_factory=list)   # al-folio's symbols after the name: ['*'], ['†']
    raw: str = ""                                      # as written in the .bib, LaTeX and marks included

    @property
    def full(self) -> str:
        """'Ada B. Lovelace-Ng', 'Ludwig van Beethoven, Jr.'."""
        text = " ".join(p for p in (self.first, self.von, self.last) if p)
        return f"{text}, {self.jr}" if self.jr else text

    @property
    def family(self) -> str:
        """'van Beethoven': what author-year citations show."""
        return " ".join(p for p in (self.von, self.last) if p)

    @property
    def initials(self) -> str:
        """'A. B.' of 'Ada Bea'; hyphenated first names keep the hyphen ('J.-P.')."""
        parts = []
        for word in self.first.split():
            pieces = [p for p in word.split("-") if p]
            parts.append("-".join(p[0] + "." for p in pieces if p[0].isalpha()) or word)
        return " ".join(p for p in parts if p)


def split_names(value: str) -> tuple[list[str], bool]:
    """The names of a field as written, split on ' and ' outside braces; (names, whether 'others' ended it)."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(value):
        c = value[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and c in " \t\n":
            m = _AND.match(value, i)
            if m:
                names.append(value[start:i])
                start = i = m.end()
                continue
        i += 1
    names.append(value[start:])
    names = [n.strip() for n in names if n.strip()]
    others = bool(names) and names[-1].lower() == "others"
    return (names[:-1] if others else names), others


@functools.lru_cache(maxsize=16384)
def parse_name(raw: str) -> Name:
    """One name by BibTeX's rules, LaTeX decoded, al-folio marks taken off (cached: co-authors repeat across a
    file; callers never change the result)."""
    parts = [p.strip() for p in _split_top(raw, ",")]
    marks: list[str] = []
    if len(parts) == 1:
        words = _words(parts[0])
        if len(words) == 1:
            first, von, last, jr = [], [], words, []
        else:
            lower = [i for i, w in enumerate(words[:-1]) if _starts_lower(w)]
            if lower:
                first, von, last = words[:lower[0]], words[lower[0]:lower[-1] + 1], words[lower[-1] + 1:]
            else:
                first, von, last = words[:-1], [], words[-1:]
            jr = []
    else:
        head = _words(parts[0])
        lower = [i for i, w in enumerate(head[:-1]) if _starts_lower(w)]
        von, last = (head[:lower[-1] + 1], head[lower[-1] + 1:]) if lower else ([], head)
        jr = _words(parts[1]) if len(parts) > 2 else []
        first = _words(", ".join(parts[2:]) if len(parts) > 2 else parts[1])
    text = {k: _text(v, marks) for k, v in (("first", first), ("von", von), ("last", last), ("jr", jr))}
    return Name(text["first"], text["von"], text["last"], text["jr"], sorted(set(marks), key=raw.find), raw)


def _text(words: list[str], marks: list[str]) -> str:
    out = []
    for w in words:
        t = latex.to_text(w)
        while t and t[-1] in MARKS:
            marks.append(t[-1])
            t = t[:-1]
        while t and t[0] in MARKS:
            marks.append(t[0])
            t = t[1:]
        if t:
            out.append(t)
    return " ".join(out)


def _split_top(text: str, sep: str) -> list[str]:
    out, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif c == sep and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _words(text: str) -> list[str]:
    """Words outside braces ('{Barnes and Noble}' is one word); a hyphen or tilde does not split."""
    words, depth, current = [], 0, []
    for c in text.strip():
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        if depth == 0 and c in " \t\n~" and not (c == "~" and current and current[-1] == "\\"):
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(c)
    if current:
        words.append("".join(current))
    return words


def _starts_lower(word: str) -> bool:
    """BibTeX's von test: the first letter at brace depth 0 is lowercase ('{\\'e}mile' counts by its letter)."""
    if word.startswith("{\\"):
        word = latex.to_text(word)
    elif word.startswith("{"):
        return False
    for c in word:
        if c.isalpha():
            return c.islower()
    return False


# --- the site owner -------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Lowercase ASCII without accents or punctuation: 'Lovelace-Ng' and 'lovelace ng' compare equal."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass
class Owner:
    """The names the site owner publishes under (profile.name and `publications.my_names`)."""

    forms: list[tuple[str, list[str]]]     # (folded family name, folded given names)
    seen: dict[str, bool] = field(default_factory=dict)   # raw name -> matches

    @classmethod
    def of(cls, names: list[str]) -> Owner:
        forms = []
        for n in names:
            if not n.strip():
                continue
            name = parse_name(n)
            forms.append((_fold(name.family), _fold(name.first).split()))
        return cls(forms)

    def matches(self, name: Name) -> bool:
        """Same family name, and given names that agree word by word, where an initial matches a word:
        'A. Lovelace-Ng', 'Ada Lovelace-Ng', 'Lovelace-Ng, A. B.' are all Ada Lovelace-Ng."""
        if name.raw not in self.seen:
            self.seen[name.raw] = self._matches(name)
        return self.seen[name.raw]

    def _matches(self, name: Name) -> bool:
        family, given = _fold(name.family), _fold(name.first).split()
        for own_family, own_given in self.forms:
            if family != own_family:
                continue
            if not given or not own_given:
                return True
            if all(_agree(a, b) for a, b in zip(given, own_given)):
                return True
        return False


def _agree(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


__all__ = ["Name", "Owner", "MARKS", "MARK_LABELS", "parse_name", "split_names"]
