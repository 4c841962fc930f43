"""The `publications:` section of mlfolio.yml: which .bib files, whose name to highlight, how to list them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..schema import opt

DEFAULT_FILE = "publications.bib"
# al-folio's `filtered_bibtex_keywords`: fields that drive the page, never shown in an entry's BibTeX
HIDDEN_FIELDS = ("abbr", "abstract", "additional_info", "altmetric", "annotation", "award", "award_name",
                 "bibtex_show", "blog", "code", "dimensions", "google_scholar_id", "hal", "html", "inspirehep_id",
                 "pdf", "pmid", "poster", "preview", "selected", "slides", "supp", "video", "website", "file",
                 "owner", "timestamp", "keywords")


@dataclass
class PublicationsSettings:
    files: list[str] = opt([], "BibTeX files, relative to the site folder; empty: `publications.bib` when it exists.")
    my_names: list[str] = opt([], "Other spellings of your name in author lists (`A. Lovelace`, `Lovelace-Ng, Ada`); "
                              "`profile.name` and initials forms always match.")
    group_by: str = opt("year", "Sections of the page: `year` (newest first) or `type` (journal, conference …).",
                        choices=("year", "type"))
    max_authors: int = opt(10, "Authors shown before '+N more' (the rest expand on click).", min=1)
    hidden_fields: list[str] = opt([], "More fields to leave out of the BibTeX shown and downloaded (al-folio's "
                                   "page fields such as `pdf`, `selected`, `abbr` are always left out).")
    selected_on_home: int = opt(5, "How many `selected = {true}` entries the home page lists (0: none).", min=0)
    title: str = opt("Publications", "Title of the page and its menu entry.")
    pages: bool = opt(False, "Also a page per entry at /publications/KEY/, with Google Scholar's `citation_*` meta tags.")
    citations: str = opt("", "Show citation counts from `openalex` or `semanticscholar` (by DOI or arXiv id, cached "
                         "and in data/remote.json like GitHub data); empty: none.",
                         choices=("", "openalex", "semanticscholar"))
    citation_style: str = opt("numbered", "How `[@key]` citations in posts look: `numbered` ([1]) or `author-year` "
                              "((Lovelace-Ng et al., 2024)).", choices=("numbered", "author-year"))


@dataclass
class Talk:
    title: str = opt(doc="Title of the talk.")
    date: dt.date = opt(doc="YYYY-MM-DD: on or after the build's date it is listed as upcoming.")
    event: str = opt("", "Conference, workshop or seminar.")
    kind: str = opt("", "'Invited talk', 'Keynote', 'Poster', 'Tutorial' …")
    location: str = opt("", "City, or 'Online'.")
    url: str = opt("", "The event's page.", url=True)
    slides: str = opt("", "Slides: a path under static/ or an address.", url=True)
    video: str = opt("", "Recording.", url=True)
    poster: str = opt("", "Poster.", url=True)
    description: str = opt("", "Markdown.")


@dataclass
class Course:
    title: str = opt(doc="Course name.", aliases=("course",))
    start: str = opt(doc="When: '2023' or '2023-09'; groups the page by year.")
    end: str = opt("", "Last term, if several.")
    role: str = opt("", "'Lecturer', 'Teaching assistant' …")
    organisation: str = opt("", "University or school.", aliases=("organization", "institution", "university", "school"))
    url: str = opt("", "The course page.", url=True)
    description: str = opt("", "Markdown.")
