"""What every importer shares: the source tree, the new site, the report, the map of where things went, and
the parts that do not depend on the old generator (talks and teaching, the bibliography, projects)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import bibtex
from .biblinks import import_bib
from .files import SourceTree
from .links import SiteMap
from .output import NewSite
from .report import Report


@dataclass
class ListItem:
    """A talk or a course, as profile.yml's `talks:` or `teaching:` holds it."""

    source: str                   # the file it came from, for notes
    date: dt.date | None
    title: str
    fields: dict                  # talks: event, kind, location, url, slides …; teaching: organisation, url
    description: str = ""


@dataclass
class ProjectItem:
    title: str
    description: str = ""
    url: str = ""                 # a full URL, or the page written for it ('pages/project/x.md')
    tags: tuple[str, ...] = ()
    image: str = ""
    featured: bool = False
    date: dt.date | None = None
    order: float = 1_000_000


class Importer:
    kind = ""

    def __init__(self, tree: SourceTree, site: NewSite, report: Report):
        self.tree, self.site, self.report = tree, site, report
        self.map = SiteMap()
        self.bib: list[str] = []               # BibTeX texts, in order
        self.bib_keys: set[str] = set()
        self.project_items: list[ProjectItem] = []

    def run(self) -> None:
        raise NotImplementedError

    def owner_name(self) -> str:
        return str(self.site.profile.get("name") or "")

    # -- publications ---------------------------------------------------------------------------------------

    def add_bib_file(self, rel: str, text: str) -> None:
        """A .bib file of the source, its link fields checked (biblinks.py), into publications.bib."""
        text, keys = import_bib(rel, text, self.tree, self.site, self.report)
        self.report.count("publications", count_entries(text))
        self.bib_keys.update(keys)
        self.bib.append(f"% from {rel}\n{text.rstrip()}\n")

    def add_bib_entry(self, kind: str, authors: list[str], year: str, title: str, fields: dict) -> str:
        key = bibtex.cite_key(authors, year, title, self.bib_keys)
        self.bib.append(bibtex.entry(kind, key, {"title": title, "author": " and ".join(authors), "year": year,
                                                 **fields}))
        self.report.count("publications")
        return key

    def write_bibliography(self) -> None:
        if self.bib:
            self.site.add_text("publications.bib", "\n".join(self.bib))

    # -- talks and teaching ---------------------------------------------------------------------------------

    def profile_list(self, name: str, items: list[ListItem]) -> None:
        """profile.yml's `talks:` or `teaching:`, newest first: mlfolio makes the /talks/ or /teaching/ page."""
        entries = []
        for item in sorted(items, key=lambda i: (i.date or dt.date.min, i.title), reverse=True):
            if item.date is None:
                self.report.note(item.source, None, f"{name[:-1] if name == 'talks' else 'course'} without a date; "
                                 "not imported", f"add it to profile.yml's {name}: with its date")
                continue
            when = {"date": item.date} if name == "talks" else {"start": f"{item.date.year}-{item.date.month:02d}"}
            entry = {"title": item.title, **when, **item.fields, "description": item.description.strip()}
            entries.append({k: v for k, v in entry.items() if v})
            self.report.count(name)
        if entries:
            self.site.profile[name] = entries

    # -- projects -------------------------------------------------------------------------------------------

    def write_projects(self) -> None:
        entries = []
        for p in sorted(self.project_items, key=lambda p: (p.order, p.title.lower())):
            entry = {"title": p.title, "description": p.description, "url": p.url, "tags": list(p.tags),
                     "image": p.image, "featured": p.featured, "date": p.date}
            entries.append({k: v for k, v in entry.items() if v not in ("", [], None, False)})
            self.report.count("projects")
        if entries:
            self.site.profile["projects"] = entries


def count_entries(text: str) -> int:
    return len([m for m in re.finditer(r"^\s*@(\w+)\s*[{(]", text, re.M)
                if m.group(1).lower() not in ("string", "comment", "preamble")])


def plain(text) -> str:
    """Text without HTML tags, on one line (descriptions and summaries)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", str(text or ""))).strip()


def words(value) -> list[str]:
    """Tags and categories: a list, or one string of space-separated words (Jekyll)."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    return []


def merge_tags(*groups: list[str]) -> list[str]:
    """Tags and categories as one list of tags, the first spelling of each kept ('ML' and 'ml' are one tag)."""
    out: list[str] = []
    for tag in (t for group in groups for t in group):
        if tag.lower() not in {x.lower() for x in out}:
            out.append(tag)
    return out


def yamlable(value) -> bool:
    """Whether a front matter value can be written back as plain YAML (extra: keeps only those)."""
    if isinstance(value, (str, int, float, bool, dt.date)) or value is None:
        return True
    if isinstance(value, list):
        return all(yamlable(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and yamlable(v) for k, v in value.items())
    return False
