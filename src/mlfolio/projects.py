"""Project cards and what sources hand to the site: one card type for hand-written projects and every remote
source (GitHub repositories, Kaggle datasets, a plugin's records), so a theme needs one card template."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .schema import opt


@dataclass
class LanguageShare:
    name: str = opt("", "Language name ('Python').")
    percent: float = opt(0.0, "Share of the repository's code, in percent (one decimal).")
    color: str = opt("", "GitHub's colour of the language (`#3572A5`), or empty.")


@dataclass
class Stat:
    """One number on a card or the home page: `text` is shown, `label` names it (tooltip, screen readers)."""

    name: str = opt("", "Stable name for templates that pick one: 'stars', 'downloads', 'rank' …")
    value: Any = opt(None, "The raw value (a number, or text such as a licence).")
    text: str = opt("", "What is shown: '1,234', '1.2k downloads', 'Rank 37 / 2,000'.")
    label: str = opt("", "What it is: 'Stars', 'Downloads' (tooltip, screen readers).")
    icon: str = opt("", "An icon name of the theme's icon set ('star', 'download' …), or empty.")


@dataclass
class CardItem:
    """One line listed on a card: a merged pull request on a contribution card, for instance."""

    title: str = opt("", "Text of the line (plain text from an API: escaped).")
    url: str = opt("", "Where it links, or empty.")
    date: dt.date | None = opt(None, "Its date, or None.")
    label: str = opt("", "A short prefix such as '#123'.")


@dataclass
class Project:
    """A card. `kind` is 'manual' (profile.yml) or the source's kind ('repo', 'dataset', 'notebook',
    'competition', or a plugin's); `stats` are the numbers the card shows, in order."""

    kind: str = opt("manual", "'manual', 'repo', 'dataset', 'notebook', 'competition', 'contribution', 'hf-model', 'hf-dataset', 'hf-space', or a plugin's kind.")
    title: str = opt("", "Card title.")
    url: str = opt("", "Where the title links, or empty.")
    description: str = opt("", "Plain-text description (API text: escaped).")
    tags: list[str] = opt([], "Topics or tags shown as chips.")
    image: str = opt("", "Image URL of a hand-written project.")
    image_srcset: str = opt("", "`srcset` of the image's WebP variants (a local raster image wider than 480 px), or ''.")
    featured: bool = opt(False, "Shown first and on the home page.")
    date: dt.date | None = opt(None, "A date to show when there is no `updated`.")
    source: str = opt("profile", "'profile', 'github', 'kaggle', 'huggingface', or a plugin source's name.")
    kind_label: str = opt("Project", "'Repository', 'Dataset', 'Model' … shown above the title.")
    icon: str = opt("project", "Icon name of the kind.")
    homepage: str = opt("", "A project website, or empty.")
    language: str = opt("", "Main language or library ('Python', 'transformers', 'Gradio').")
    language_color: str = opt("", "Colour of `language`, or empty.")
    languages: list[LanguageShare] = opt([], "Language breakdown (featured GitHub repositories).")
    stats: list[Stat] = opt([], "Numbers the card shows, in order.")
    items: list[CardItem] = opt([], "Lines listed on the card (merged pull requests of a contribution).")
    badge: str = opt("", "A short highlight ('Top 2%', 'Gated').")
    updated: dt.datetime | None = opt(None, "Last update, or None.")
    extra: dict[str, Any] = opt({}, "The source's own fields (full_name, stars …).")
    description_html: Markup = opt(Markup(""), "A hand-written description's Markdown as HTML; API text stays text.")

    def stat(self, name: str):
        """The value of the stat called `name`, or None."""
        return next((s.value for s in self.stats if s.name == name), None)


@dataclass
class CardSection:
    """A group of cards on /projects/ ('Open source', 'Datasets' …). A configured source with no data yet still
    has its section, so the page can say 'Nothing here yet' instead of silently dropping it."""

    id: str = opt("", "Anchor id of the section ('repositories').")
    title: str = opt("", "Heading ('Open source').")
    cards: list[Project] = opt([], "The cards, in order.")
    icon: str = opt("", "Icon name of the section.")


@dataclass
class SourceStatus:
    """What happened when a source was fetched, for the build's warning lines and the page."""

    name: str = opt("", "The source's name ('github').")
    ok: bool = opt(True, "False when the data could not be refreshed (or there is none).")
    message: str = opt("", "Why it fell back; empty when fresh.")
    fetched_at: dt.datetime | None = opt(None, "When the shown data was fetched.")
    label: str = opt("", "'GitHub'.")


@dataclass
class ExternalPost:
    """A post published elsewhere (an `external_posts` feed): listed in the blog and on tag pages, linking out.
    It has the attributes post lists use, so `partials/post_item.html` shows both kinds."""

    title: str = opt("", "Title (plain text from the feed: escaped).")
    url: str = opt("", "The article on the other site.")
    date: dt.date = opt(dt.date(1970, 1, 1), "Publication date.")
    source: str = opt("", "Where it was published: the feed's `name` ('Medium').")
    description: str = opt("", "The feed's summary as plain text, at most 300 characters.")
    tag_names: list[str] = opt([], "Its tags as written (the feed's categories and the feed's `tags`).")
    tags: list = opt([], "Its tags (see `Tag`), set when the site is assembled.")
    external: bool = opt(True, "Always true (a local `Post` has `external` false).")
    draft: bool = opt(False, "Always false.")
    updated: dt.date | None = opt(None, "Always None.")
    reading_minutes: int = opt(0, "Always 0 (unknown).")
    rel: str = opt("", "Its URL, which breaks ties when sorting.")

    def dependency_key(self) -> str:
        """How a page that lists it counts it (incremental builds): everything a template can show of it."""
        return f"ext:{self.url}:{self.title}:{self.date}:{self.source}:{self.description}:{self.tag_names}"


@dataclass
class SourceView:
    """One remote source as the site shows it: status, link to the profile, sections of cards for /projects/,
    featured cards for home, totals for the home page's stats, and the normalised data for custom templates."""

    name: str = opt("", "The source's name ('github').")
    label: str = opt("", "Its display name ('GitHub').")
    user: str = opt("", "Whose data it is.")
    status: SourceStatus = opt(SourceStatus, "How the fetch went.")
    profile_url: str = opt("", "The user's page on the source.")
    sections: list[CardSection] = opt([], "Sections of cards for /projects/.")
    featured: list[Project] = opt([], "Cards for the home page.")
    totals: list[Stat] = opt([], "Numbers for the home page ('2,470 GitHub stars').")
    posts: list[ExternalPost] = opt([], "Posts published elsewhere (the `external_posts` source).")
    data: dict = opt({}, "The normalised snapshot data, for custom templates.")

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
