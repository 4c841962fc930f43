"""What every importer shares: the source tree, the new site, the report, the map of where things went, and
the parts that do not depend on the old generator (the talks/teaching list pages, the bibliography, projects)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import bibtex
from .files import SourceTree
from .links import SiteMap
from .output import NewSite, document
from .report import Report


@dataclass
class ListItem:
    """A talk or a course: one line of its list page, and its Markdown body under it."""

    date: dt.date | None
    title: str
    details: list[str]
    link: str
    body: str


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
        self.report.count("publications", count_entries(text))
        self.bib_keys.update(m.group(1) for m in re.finditer(r"^\s*@\w+\s*[{(]\s*([^,\s]+)\s*,", text, re.M))
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
            self.report.carry(f"publications.bib ({self.report.counts['publications']} entries): the "
                              "/publications/ page, once the publications feature is enabled")

    # -- talks and teaching ---------------------------------------------------------------------------------

    def list_page(self, name: str, items: list[ListItem]) -> None:
        """pages/talks.md or pages/teaching.md: newest first, one line each, the item's text under it."""
        lines = []
        for item in sorted(items, key=lambda i: (i.date or dt.date.min, i.title), reverse=True):
            head = f"[{escape(item.title)}]({item.link})" if item.link else f"**{escape(item.title)}**"
            when = f"{item.date.isoformat()} — " if item.date else ""
            details = f", {escape(', '.join(item.details))}" if item.details else ""
            lines.append(f"- {when}{head}{details}")
            if item.body.strip():
                lines.append("\n".join("  " + ln if ln else "" for ln in item.body.strip().split("\n")))
            self.report.count(name)
        meta = {"title": name.capitalize(), "menu": 40 if name == "talks" else 45}
        self.site.add_text(f"pages/{name}.md", document(meta, "\n".join(lines)))
        self.report.count("pages")
        self.report.carry(f"{name}: written as pages/{name}.md; move them to the {name} collection once the "
                          "publications feature (talks and teaching) is enabled")

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


def escape(text: str) -> str:
    """Text shown as it is in Markdown (titles and venues in lists)."""
    return re.sub(r"([\[\]*_`<>\\])", r"\\\1", text)


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
