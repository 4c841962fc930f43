"""Talks and teaching from profile.yml (`talks:`, `teaching:`): their pages, grouped by year, talks split into
upcoming and past by the build's date, and the next (or latest) talks on the home page."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from ..schema import opt
from .publications import PubLink
from .settings import Course, Talk  # noqa: F401 - the profile.yml schema, re-exported

TALK_LINKS = (("slides", "Slides"), ("video", "Video"), ("poster", "Poster"), ("url", "Event"))


@dataclass
class TalkView:
    """One talk as pages show it."""

    title: str = opt(doc="Title.")
    date: dt.date = opt(doc="When.")
    event: str = opt("", "Conference, workshop or seminar.")
    kind: str = opt("", "'Invited talk' …")
    location: str = opt("", "Where.")
    links: list[PubLink] = opt([], "Buttons: slides, video, poster, event page (see `PubLink`).")
    description_html: Markup = opt(Markup(""), "The description as HTML.")
    upcoming: bool = opt(False, "On or after the build's date.")


@dataclass
class CourseView:
    """One course as pages show it."""

    title: str = opt(doc="Course name.")
    start: str = opt(doc="As written ('2023-09').")
    end: str = opt("", "As written.")
    role: str = opt("", "Your role.")
    organisation: str = opt("", "University or school.")
    url: str = opt("", "Course page (base path included), or ''.")
    description_html: Markup = opt(Markup(""), "The description as HTML.")


@dataclass
class YearGroup:
    title: str = opt(doc="'2025', or 'Upcoming'.")
    id: str = opt(doc="`id` of its heading.")
    items: list = opt([], "Its talks or courses, newest first.")


@dataclass
class Research:
    """`site.research`: talks and teaching of profile.yml."""

    talks: list[TalkView] = opt([], "Every talk, newest first (see `TalkView`).")
    upcoming: list[TalkView] = opt([], "Talks on or after the build's date, soonest first.")
    talk_groups: list[YearGroup] = opt([], "Upcoming, then past talks by year (see `YearGroup`).")
    teaching: list[CourseView] = opt([], "Every course, newest first (see `CourseView`).")
    teaching_groups: list[YearGroup] = opt([], "Courses by the year they started.")

    def home_talks(self, n: int = 3) -> list[TalkView]:
        """The next talks, or the latest when none is coming."""
        return self.upcoming[:n] or self.talks[:n]


def build_research(profile, site) -> Research:
    md = site.registry.readers[".md"]
    today = site.build_time.date()

    def link(url: str) -> str:
        return site.path(url) if url.startswith("/") and not url.startswith("//") else url
    talks = [TalkView(t.title, t.date, t.event, t.kind, t.location,
                      [PubLink(name, label, link(getattr(t, name))) for name, label in TALK_LINKS if getattr(t, name)],
                      md.html(t.description, link), t.date >= today)
             for t in sorted(profile.talks, key=lambda t: t.date, reverse=True)]
    courses = [CourseView(c.title, c.start, c.end, c.role, c.organisation, link(c.url) if c.url else "",
                          md.html(c.description, link))
               for c in sorted(profile.teaching, key=lambda c: str(c.start), reverse=True)]
    upcoming = sorted((t for t in talks if t.upcoming), key=lambda t: t.date)
    groups = [YearGroup("Upcoming", "upcoming", upcoming)] if upcoming else []
    groups += _by_year([t for t in talks if not t.upcoming], lambda t: str(t.date.year))
    return Research(talks, upcoming, groups, courses, _by_year(courses, lambda c: str(c.start)[:4]))


def _by_year(items: list, year_of) -> list[YearGroup]:
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(year_of(item), []).append(item)
    return [YearGroup(year, f"year-{year}", members) for year, members in groups.items()]


__all__ = ["Course", "CourseView", "Research", "Talk", "TalkView", "YearGroup", "build_research"]
