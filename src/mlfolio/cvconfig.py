"""The CV's part of the schema: the `cv:` section of mlfolio.yml and the profile.yml sections only a résumé
shows (awards, certifications, languages, service). Kept apart from config.py so the CV is one concern."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Problems
from .schema import opt

VARIANT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class Award:
    title: str = opt(doc="Name of the award, prize or scholarship.")
    awarder: str = opt("", "Who gave it.", aliases=("issuer", "organisation", "organization"))
    date: str = opt("", "When (`2024` or `2024-05`).")
    url: str = opt("", "Link to it.", url=True)
    description: str = opt("", "Markdown, one line.")
    tags: list[str] = opt([], "Keywords that tailored CVs select on (`cv.variants`).")


@dataclass
class Certification:
    name: str = opt(doc="Name of the certificate.", aliases=("title",))
    issuer: str = opt("", "Who issued it.", aliases=("organisation", "organization"))
    date: str = opt("", "When (`2024` or `2024-05`).")
    url: str = opt("", "Where it can be checked.", url=True)
    tags: list[str] = opt([], "Keywords that tailored CVs select on (`cv.variants`).")


@dataclass
class SpokenLanguage:
    language: str = opt(doc="The language ('French').", aliases=("name",))
    fluency: str = opt("", "'Native', 'Fluent', 'B2' …", aliases=("level",))


@dataclass
class Service:
    role: str = opt(doc="What you did ('Reviewer', 'Organiser').", aliases=("position",))
    organisation: str = opt(doc="Conference, journal, community.", aliases=("organization", "org", "venue"))
    start: str = opt("", "When it started (`2022`).")
    end: str = opt("", "When it ended; empty means present (or a one-off when `start` is empty too).")
    url: str = opt("", "Link.", url=True)
    description: str = opt("", "Markdown.")
    tags: list[str] = opt([], "Keywords that tailored CVs select on (`cv.variants`).")


@dataclass
class CvVariant:
    include_tags: list[str] = opt([], "Keep the items with one of these tags, most matching tags first.")
    keep_untagged: bool = opt(True, "Also keep items that have no tags (degrees, languages …).")
    headline: str = opt("", "Headline of this CV instead of the profile's.")
    summary: str = opt("", "Summary (Markdown) of this CV instead of `cv.summary`.")
    title: str = opt("", "Page title; default: 'CV — NAME'.")
    index: bool = opt(False, "Let search engines index it and list it in the sitemap (variants are noindex).")


@dataclass
class CvSettings:
    summary: str = opt("", "A short summary (Markdown) under the CV's header.")
    pdf: bool = opt(False, "Show 'Download PDF' (cv.pdf, made by `mlfolio cv --pdf` or the Actions workflow); "
                    "on by itself when static/cv.pdf exists.")
    paper: str = opt("A4", "Paper size of the printed CV.", choices=("A4", "Letter"))
    resume_json: bool = opt(True, "Write resume.json (JSON Resume) at the root of the output.")
    variants: dict[str, CvVariant] = opt({}, "Tailored CVs: `NAME: {include_tags: [...]}` makes /cv/NAME/.")


def check_cv_settings(cv: CvSettings, marks: dict, problems: Problems, path) -> None:
    """Variant names become URL folders and PDF names: plain lowercase words only."""
    for name, variant in cv.variants.items():
        line, col = marks.get(f"cv.variants.{name}", (None, None))
        if not VARIANT_NAME.match(name):
            problems.error(path, line, col, f"'cv.variants.{name}': a variant name becomes /cv/NAME/ and must be "
                           "lowercase letters, digits and '-'", "e.g. 'nlp' or 'computer-vision'")
        elif not variant.include_tags:
            problems.error(path, line, col, f"'cv.variants.{name}' selects nothing",
                           "add include_tags: [tag, …] naming the tags of the items it keeps")


__all__ = ["Award", "Certification", "SpokenLanguage", "Service", "CvVariant", "CvSettings", "check_cv_settings"]
