"""Project cards and what sources hand to the site: one card type for hand-written projects and every remote
source (GitHub repositories, Kaggle datasets, a plugin's records), so a theme needs one card template."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass
class LanguageShare:
    name: str
    percent: float
    color: str = ""


@dataclass
class Stat:
    """One number on a card or the home page: `text` is shown, `label` names it (tooltip, screen readers)."""

    name: str            # 'stars', 'downloads', 'rank' …: stable, for templates that pick one
    value: Any           # the raw number
    text: str            # '1,234', '1.2k downloads', 'Rank 37 / 2,000'
    label: str           # 'Stars', 'Downloads', 'Final leaderboard rank'
    icon: str = ""       # an icon name of the theme's icon set ('star', 'fork', 'download', …)


@dataclass
class Project:
    """A card. `kind` is 'manual' (profile.yml) or the source's kind ('repo', 'dataset', 'notebook',
    'competition', or a plugin's); `stats` are the numbers the card shows, in order."""

    kind: str
    title: str
    url: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    image: str = ""
    featured: bool = False
    date: dt.date | None = None
    source: str = "profile"          # 'profile', 'github', 'kaggle', or a plugin source's name
    kind_label: str = "Project"      # 'Repository', 'Dataset' …
    icon: str = "project"            # icon name of the kind
    homepage: str = ""
    language: str = ""
    language_color: str = ""
    languages: list[LanguageShare] = field(default_factory=list)
    stats: list[Stat] = field(default_factory=list)
    badge: str = ""                  # a short highlight ('Top 2%')
    updated: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)   # the source's own fields (full_name, stars, …)
    description_html: Markup = Markup("")   # a hand-written description's Markdown as HTML; API text stays text

    def stat(self, name: str):
        """The value of the stat called `name`, or None."""
        return next((s.value for s in self.stats if s.name == name), None)


@dataclass
class CardSection:
    """A group of cards on /projects/ ('Open source', 'Datasets' …). A configured source with no data yet still
    has its section, so the page can say 'Nothing here yet' instead of silently dropping it."""

    id: str
    title: str
    cards: list[Project]
    icon: str = ""


@dataclass
class SourceStatus:
    """What happened when a source was fetched, for the build's warning lines and the page."""

    name: str                      # the source's name ('github')
    ok: bool = True
    message: str = ""              # why it fell back, empty when fresh
    fetched_at: dt.datetime | None = None
    label: str = ""                # 'GitHub'


@dataclass
class SourceView:
    """One remote source as the site shows it: status, link to the profile, sections of cards for /projects/,
    featured cards for home, totals for the home page's stats, and the normalised data for custom templates."""

    name: str
    label: str
    user: str
    status: SourceStatus
    profile_url: str = ""
    sections: list[CardSection] = field(default_factory=list)
    featured: list[Project] = field(default_factory=list)
    totals: list[Stat] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def section(self, id: str) -> list[Project]:
        return next((s.cards for s in self.sections if s.id == id), [])

    def total(self, name: str):
        return next((s.value for s in self.totals if s.name == name), None)


def number(n) -> str:
    """1234 → '1,234'."""
    return "" if n is None else f"{n:,}"


def compact(n) -> str:
    """1234 → '1.2k', 2500000 → '2.5M'."""
    if n is None:
        return ""
    n = float(n)
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if abs(n) >= size:
            text = f"{n / size:.1f}".rstrip("0").rstrip(".")
            return f"{text}{unit}"
    return f"{int(n)}"
