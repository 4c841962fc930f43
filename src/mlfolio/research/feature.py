"""The research record as a built-in part of the build, on the seams a plugin uses: the .bib files enter the
change fingerprint (`inputs`); once the site is assembled, `prepare` reads them (warnings at file:line), applies
citation counts, builds talks and teaching, adds menu entries and resolves citations in posts; the routes write
/publications/ (and a page per paper), the all-entries .bib, /talks/ and /teaching/."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..contexts import PageInfo
from ..routes import Output, Route, page_info
from ..paths import CONFIG
from ..schema import opt, read_text
from . import citations
from .bibtex import BibFile, parse
from .counts import SOURCE, work_id
from .publications import Publication, Publications, build_publications
from .settings import DEFAULT_FILE, PublicationsSettings
from .talks import Research, build_research

_PARSED: dict[tuple[str, int, int], BibFile] = {}     # by (path, size, mtime): serve re-reads only an edited file


@dataclass
class PublicationsContext:
    page: PageInfo = opt(doc="See `page`.")
    publications: Publications = opt(doc="Every entry, grouped (see `Publications`); also `site.publications`.")


@dataclass
class PublicationContext:
    page: PageInfo = opt(doc="See `page`.")
    publication: Publication = opt(doc="The entry (see `Publication`).")
    meta: list[tuple[str, str]] = opt([], "Google Scholar's `citation_*` meta tags as (name, content).")


def settings_of(config) -> PublicationsSettings:
    return getattr(config, "publications", None) or PublicationsSettings()


def bib_files(site_dir: Path, config) -> list[Path]:
    """The site's BibTeX files: `publications.files`, or publications.bib when it exists."""
    names = settings_of(config).files
    if names:
        return [site_dir / name for name in names]
    default = site_dir / DEFAULT_FILE
    return [default] if os.path.lexists(default) else []


def read_bib(path: Path, problems) -> BibFile | None:
    """A parsed file, cached while its size and modification time stay the same."""
    try:
        st = path.stat()
    except OSError:
        st = None
    key = (str(path), st.st_size, st.st_mtime_ns) if st else None
    if key and key in _PARSED:
        return _PARSED[key]
    text = read_text(path, problems)
    if text is None:
        return None
    parsed = parse(text)
    if key:
        for old in [k for k in _PARSED if k[0] == key[0]]:
            del _PARSED[old]
        _PARSED[key] = parsed
    return parsed


def prepare(site, loaded, problems) -> None:
    """Reads the bibliography into `site.publications` and adds its menu entry; every problem of a .bib file is
    a warning at its line (an error under --strict), and the rest of the file still builds."""
    settings = settings_of(site.config)
    files = bib_files(site.site_dir, site.config)
    entries = []
    seen: dict[str, str] = {}
    for i, path in enumerate(files):
        rel = problems.rel(path)
        if not os.path.lexists(path):
            line, col = loaded.marks.get(f"publications.files[{i}]", (None, None))
            problems.error(site.site_dir / CONFIG, line, col, f"publications file '{rel}' not found",
                           "give its path relative to the site folder, e.g. publications.bib")
            continue
        parsed = read_bib(path, problems)
        if parsed is None:
            continue
        for at, message, hint in parsed.problems:
            problems.warn(path, at, None, message, hint)
        for entry in parsed.entries:
            if entry.key in parsed.containers:
                continue
            if entry.key.lower() in seen:
                problems.warn(path, entry.line, None, f"entry '{entry.key}' is also in {seen[entry.key.lower()]}; "
                              "this one is left out", "keep the entry in one file")
                continue
            seen[entry.key.lower()] = rel
            entries.append((rel, entry))

    def warn(path, at, message, hint):
        problems.warn(path, at, None, message, hint)
    site.publications = build_publications(entries, site, settings, warn)
    counted = site.sources.get(SOURCE.name)
    if counted is not None:
        got = counted.data.get("counts") or {}
        for pub in site.publications.entries:
            pub.citations = got.get(work_id(pub.doi, pub.arxiv))
    site.research = build_research(loaded.profile, site)
    if not site.config.menu:
        _add_menu_entries(site, [(title, path, weight) for shown, title, path, weight in (
            (site.publications, settings.title, "publications/", 25), (site.research.talks, "Talks", "talks/", 26),
            (site.research.teaching, "Teaching", "teaching/", 27)) if shown])
    for doc in [*site._posts, *site._pages]:
        if citations.PLACEHOLDER in doc.html:
            citations.resolve(doc, site.publications.by_key, _local_entries(doc, site, settings, problems),
                              settings.citation_style, warn)


def _local_entries(doc, site, settings, problems) -> dict:
    """The entries of a document's own `bibliography:` file, by key (they have no page of their own)."""
    name = doc.meta.bibliography
    if not name:
        return {}
    path = (site.site_dir / name.lstrip("/")) if name.startswith("/") else doc.source.parent / name
    if not path.is_file():
        problems.warn(doc.rel, None, None, f"bibliography '{name}' not found",
                      "give the .bib file's path relative to this file")
        return {}
    parsed = read_bib(path, problems)
    if parsed is None:
        return {}
    for at, message, hint in parsed.problems:
        problems.warn(path, at, None, message, hint)
    local = build_publications([(path, e) for e in parsed.entries if e.key not in parsed.containers], site,
                               settings, lambda p, at, m, h: problems.warn(p, at, None, m, h))
    for pub in local.entries:
        pub.url = ""
    return local.by_key


def _add_menu_entries(site, entries: list[tuple[str, str, int]]) -> None:
    """Into the default menu by weight (ascending) among the routes' entries: About 10, Projects 20, Blog 30."""
    from ..site import MenuLink
    weights = [r.menu[1] for r in site.registry.routes if r.menu]
    for i, (title, path, weight) in enumerate(entries):
        site._menu.insert(sum(1 for w in weights if w < weight) + i, MenuLink(title, site.path(path)))


def _page(site):
    pubs = getattr(site, "publications", None)
    if not pubs:
        return
    jsonld = {"@context": "https://schema.org", "@graph": [scholarly_article(site, p) for p in pubs.entries]}
    features = ["math"] if "<math" in "".join(p.title_html + p.abstract_html for p in pubs.entries) else []
    yield Output("publications/", PublicationsContext(
        page_info(site, "publications", pubs.title, "publications/", f"{pubs.title} of {site.profile.name}",
                  jsonld=jsonld, features=["publications", *features]), pubs))


def _papers(site):
    pubs = getattr(site, "publications", None)
    if not pubs or not settings_of(site.config).pages:
        return
    for pub in pubs.entries:
        path = f"publications/{pub.anchor}/"
        jsonld = {"@context": "https://schema.org", **scholarly_article(site, pub)}
        math = ["math"] if "<math" in pub.title_html + pub.abstract_html else []
        yield Output(path, PublicationContext(
            page_info(site, "publication", pub.title, path, _description(pub), og_type="article", jsonld=jsonld,
                      features=["publications", "scholar", *math]), pub, scholar_meta(site, pub)))


def _description(pub) -> str:
    names = ", ".join(a.name for a in pub.authors[:3]) + (" et al." if len(pub.authors) > 3 or pub.others else "")
    return " · ".join(p for p in (names, pub.venue, pub.year) if p)


def scholar_meta(site, pub) -> list[tuple[str, str]]:
    """Google Scholar's inclusion tags (Highwire Press names): what its crawler reads from a paper's page."""
    meta = [("citation_title", pub.title)]
    meta += [("citation_author", a.name) for a in pub.authors]
    if pub.year:
        meta.append(("citation_publication_date", f"{pub.year}/{pub.month:02d}" if pub.month else pub.year))
    venue_tag = {"article": "citation_journal_title", "phdthesis": "citation_dissertation_institution",
                 "mastersthesis": "citation_dissertation_institution", "techreport":
                 "citation_technical_report_institution"}.get(pub.type, "citation_conference_title")
    if pub.venue and not pub.venue.startswith("arXiv preprint"):
        venue = pub.venue.split(", ", 1)[1] if venue_tag == "citation_dissertation_institution" and ", " in \
            pub.venue else pub.venue
        meta.append((venue_tag, venue))
    for name, field in (("citation_volume", "vol. "), ("citation_issue", "no. ")):
        part = next((p for p in pub.details.split(", ") if p.startswith(field)), "")
        if part:
            meta.append((name, part[len(field):]))
    pages = next((p for p in pub.details.split(", ") if p.startswith(("pp. ", "p. "))), "")
    if pages:
        first, _, last = pages.split(" ", 1)[1].partition("–")
        meta.append(("citation_firstpage", first))
        if last:
            meta.append(("citation_lastpage", last))
    if pub.doi:
        meta.append(("citation_doi", pub.doi))
    if pub.arxiv:
        meta.append(("citation_arxiv_id", pub.arxiv))
    pdf = next((link.url for link in pub.links if link.kind == "pdf"), "") or \
        (f"https://arxiv.org/pdf/{pub.arxiv}" if pub.arxiv else "")
    if pdf:
        meta.append(("citation_pdf_url", site.full_url(pdf)))
    meta.append(("citation_abstract_html_url", site.full_url(pub.page_url)))
    return meta


@dataclass
class TalksContext:
    page: PageInfo = opt(doc="See `page`.")
    research: Research = opt(doc="Talks in `research.talk_groups` (see `Research`); also `site.research`.")


def _talks(site):
    research = getattr(site, "research", None)
    if research and research.talks:
        yield Output("talks/", TalksContext(page_info(site, "talks", "Talks", "talks/", f"Talks by {site.profile.name}",
                                                      features=["publications"]), research))


def _teaching(site):
    research = getattr(site, "research", None)
    if research and research.teaching:
        yield Output("teaching/", TalksContext(page_info(site, "teaching", "Teaching", "teaching/",
                                                         f"Teaching by {site.profile.name}",
                                                         features=["publications"]), research))


def _bib(site):
    if getattr(site, "publications", None):
        yield Output("publications/publications.bib", None)


def _make_bib(site, context) -> bytes:
    return site.publications.bibtex.encode("utf-8")


def scholarly_article(site, pub) -> dict:
    """schema.org's description of one paper."""
    data = {"@type": "ScholarlyArticle", "@id": site.full_url(pub.url), "headline": pub.title[:110],
            "name": pub.title, "url": site.full_url(pub.url),
            "author": [{"@type": "Person", "name": a.name} for a in pub.authors]}
    if pub.date:
        data["datePublished"] = pub.date
    if pub.venue:
        data["isPartOf"] = {"@type": "PublicationIssue" if pub.type == "article" else "CreativeWork",
                            "name": pub.venue}
    same = [link.url for link in pub.links if link.kind in ("doi", "arxiv")]
    if same:
        data["sameAs"] = same
    if pub.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": pub.doi}
    return data

ROUTES = [
    Route("publications", "/publications/", "publications.html", _page, PublicationsContext,
          reserves=False, doc="Every entry of the site's BibTeX files, grouped by year or type (when there are any)."),
    Route("publication", "/publications/{key}/", "publication.html", _papers, PublicationContext,
          reserves=False, doc="One entry, with Google Scholar's meta tags (with `publications.pages: true`)."),
    Route("talks", "/talks/", "talks.html", _talks, TalksContext, reserves=False,
          doc="Talks of profile.yml: upcoming, then past ones by year (when there are any)."),
    Route("teaching", "/teaching/", "teaching.html", _teaching, TalksContext, reserves=False,
          doc="Courses of profile.yml by year (when there are any)."),
    Route("publications_bib", "/publications/publications.bib", None, _bib, None, sitemap=False,
          make=_make_bib, reserves=False, doc="Every entry's BibTeX as one file, without the site's private fields."),
]

__all__ = ["ROUTES", "PublicationsContext", "bib_files", "prepare", "settings_of"]
