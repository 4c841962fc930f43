"""BibTeX entries → the publications templates show: LaTeX decoded, the owner's name marked, links resolved to
the site's files or checked web addresses, newest first and grouped; a bad field is a warning at its line.

Field names follow BibTeX and al-folio (`abbr`, `selected`, `bibtex_show`, `pdf`, `code`, `html`, `preview`,
`arxiv`, `award`), so an al-folio `papers.bib` works unchanged: its bare file names are looked up where al-folio
keeps them (`assets/pdf/`, `assets/img/publication_preview/`) and then under static/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from markupsafe import Markup, escape

from .. import deps
from ..schema import opt
from . import latex
from .bibtex import BibEntry, to_bibtex
from .names import MARK_LABELS, Owner, parse_name, split_names
from .settings import HIDDEN_FIELDS

# (field, button label, where al-folio keeps a bare file name)
LINK_FIELDS = (
    ("pdf", "PDF", "assets/pdf/"), ("supp", "Supp", "assets/pdf/"), ("arxiv", "arXiv", ""), ("doi", "DOI", ""),
    ("html", "HTML", ""), ("url", "Link", ""), ("code", "Code", ""), ("slides", "Slides", "assets/pdf/"),
    ("poster", "Poster", "assets/pdf/"), ("video", "Video", ""), ("website", "Website", ""), ("blog", "Blog", ""),
)
TYPE_GROUPS = (
    ("Journal articles", {"article", "periodical"}),
    ("Conference papers", {"inproceedings", "conference", "proceedings"}),
    ("Books and chapters", {"book", "inbook", "incollection", "collection", "mvbook", "suppbook"}),
    ("Theses", {"phdthesis", "mastersthesis", "thesis"}),
    ("Reports", {"techreport", "report", "manual"}),
    ("Preprints", set()),                   # @misc/@online/@unpublished with an arXiv id
    ("Other", set()),
)
TRUE = frozenset({"true", "yes", "1", "on"})
_ARXIV = re.compile(r"^(\d{4}\.\d{4,5}|[a-z][a-z.-]*(\.[A-Z]{2})?/\d{7})(v\d+)?$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ANCHOR = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class Author:
    """One person of an entry's author list."""

    name: str = opt(doc="As shown: 'Ada Lovelace-Ng' (LaTeX decoded, marks taken off).")
    family: str = opt("", "Family name with its 'von' part: 'van der Berg'.")
    me: bool = opt(False, "The site owner (`profile.name` or `publications.my_names`, initials included).")
    marks: list[tuple[str, str]] = opt([], "al-folio's marks after the name as (symbol, meaning): "
                                       "[('*', 'Equal contribution')].")


@dataclass
class PubLink:
    """One button of an entry that leads somewhere."""

    kind: str = opt(doc="The field it comes from: `pdf`, `code`, `arxiv`, `doi`, `html`, `url`, `slides` …")
    label: str = opt(doc="'PDF', 'Code', 'arXiv' …")
    url: str = opt(doc="A file of the site (base path included), a post's URL, or an http(s) address.")


@dataclass
class Publication:
    """One BibTeX entry as pages show it: texts are plain (templates escape them); `*_html` fields were made
    here from escaped text."""

    key: str = opt(doc="The BibTeX key.")
    type: str = opt(doc="Entry type, lowercase: `article`, `inproceedings` …")
    anchor: str = opt(doc="`id` of the entry on the publications page.")
    url: str = opt(doc="`/publications/#anchor`.")
    title: str = opt(doc="Plain-text title (meta tags, JSON-LD).")
    title_html: Markup = opt(doc="The title as HTML: math typeset, `\\emph` as <em>.")
    authors: list[Author] = opt([], "Every author (see `Author`); the editors when there are none.")
    more_authors: int = opt(0, "How many authors are behind '+N more' (`publications.max_authors`).")
    others: bool = opt(False, "The list ended with 'and others' (shown as 'et al.').")
    venue: str = opt("", "Journal, proceedings, school or publisher; 'arXiv preprint arXiv:…' for preprints.")
    details: str = opt("", "'vol. 24, no. 117, pp. 1–45'.")
    abbr: str = opt("", "al-folio's `abbr` badge: 'NeurIPS'.")
    year: str = opt("", "As written ('' when missing).")
    month: int | None = opt(None, "1–12, or None.")
    links: list[PubLink] = opt([], "Buttons for the link fields present (see `PubLink`).")
    abstract_html: Markup = opt(Markup(""), "The abstract as HTML, or ''.")
    bibtex: str = opt("", "The entry re-serialised, without the page's fields (`pdf`, `selected` …).")
    bibtex_show: bool = opt(True, "Show the BibTeX button (al-folio's `bibtex_show`; on unless false).")
    selected: bool = opt(False, "al-folio's `selected`: listed on the home page.")
    award: str = opt("", "The award's name (`award_name`, or 'Award' when only `award` is given).")
    award_html: Markup = opt(Markup(""), "`award` as HTML, or ''.")
    preview: str = opt("", "URL of the `preview` image, or ''.")
    preview_srcset: str = opt("", "`srcset` of the preview's WebP variants (a local raster image wider than 480 px), or ''.")
    note: str = opt("", "The `note` field.")
    doi: str = opt("", "The DOI, without `https://doi.org/`.")
    arxiv: str = opt("", "The arXiv identifier (`arxiv`, or `eprint` with `archiveprefix = {arXiv}`).")
    citations: int | None = opt(None, "Citation count, when a citation source gave one.")
    source: str = opt("", "The .bib file it comes from.")
    keywords: list[str] = opt([], "The `keywords` field, split at commas and semicolons: tailored CVs select on them.")
    line: int = opt(0, "Its line there.")
    page_url: str = opt("", "`/publications/KEY/` when `publications.pages` is on, else ''.")

    @property
    def shown_authors(self) -> list[Author]:
        """The authors before '+N more'."""
        return self.authors[:len(self.authors) - self.more_authors]

    @property
    def hidden_authors(self) -> list[Author]:
        """The authors behind '+N more'."""
        return self.authors[len(self.authors) - self.more_authors:]

    @property
    def date(self) -> str:
        """'2024-05' or '2024' (ISO 8601, for JSON-LD and meta tags)."""
        return f"{self.year}-{self.month:02d}" if self.year and self.month else self.year


@dataclass
class PubGroup:
    """A section of the publications page."""

    title: str = opt(doc="'2024', 'Conference papers', 'Undated'.")
    id: str = opt(doc="`id` of its heading.")
    entries: list[Publication] = opt([], "Its entries, newest first.")


@dataclass
class Publications:
    """`site.publications`: every entry of the site's BibTeX files (false when there are none)."""

    entries: list[Publication] = opt([], "Every entry, newest first (see `Publication`).")
    groups: list[PubGroup] = opt([], "Sections by year or type (`publications.group_by`; see `PubGroup`).")
    selected: list[Publication] = opt([], "Entries with `selected = {true}`, newest first.")
    title: str = opt("Publications", "`publications.title`.")
    url: str = opt("", "URL of the publications page.")
    bib_url: str = opt("", "URL of every entry as one .bib file.")
    bibtex: str = opt("", "That file's text.")
    marks: list[tuple[str, str]] = opt([], "The author marks used, as (symbol, meaning), for a legend.")
    by_key: dict[str, Publication] = opt({}, "Entries by BibTeX key.")

    def __bool__(self) -> bool:
        return bool(self.entries)

    def dependency_key(self) -> str:
        return "publications:" + deps.digest(self.bibtex, self.url, *(p.url for p in self.entries))


def build_publications(entries: list[tuple[str, BibEntry]], site, settings, warn) -> Publications:
    """The page's model from (file, entry) pairs; `warn(file, line, message, hint)` reports a bad field."""
    md = site.registry.readers[".md"]
    owner = Owner.of([site.profile.name, *settings.my_names])
    skip = frozenset(HIDDEN_FIELDS) | {f.lower() for f in settings.hidden_fields}
    page_url = site.path("publications/")
    out = Publications(title=settings.title, url=page_url, bib_url=site.path("publications/publications.bib"))
    anchors: set[str] = set()
    order: list[tuple[tuple, Publication]] = []
    for index, (source, entry) in enumerate(entries):
        pub = _publication(entry, source, md, owner, skip, settings, site, warn)
        if pub is None:
            continue
        anchor = pub.anchor
        n = 2
        while anchor in anchors:
            anchor, n = f"{pub.anchor}-{n}", n + 1
        anchors.add(anchor)
        pub.anchor, pub.url = anchor, f"{page_url}#{anchor}"
        pub.page_url = f"{page_url}{anchor}/" if settings.pages else ""
        year = int(pub.year) if pub.year.isdigit() else -1
        order.append(((-year, -(pub.month or 0), index), pub))
    out.entries = [p for _, p in sorted(order, key=lambda t: t[0])]
    out.by_key = {p.key: p for p in out.entries}
    out.selected = [p for p in out.entries if p.selected]
    out.groups = _groups(out.entries, settings.group_by)
    out.bibtex = "\n\n".join(p.bibtex for p in out.entries) + "\n" if out.entries else ""
    used = {mark for p in out.entries for a in p.authors for mark in a.marks}
    out.marks = sorted(used)
    return out


def _publication(entry: BibEntry, source: str, md, owner: Owner, skip, settings, site, warn) -> Publication | None:
    f = entry.fields
    title_raw = f.get("title", "").strip()
    if not title_raw:
        warn(source, entry.line, f"entry '{entry.key}' has no title; it is left out", "add title = {…}")
        return None
    year = latex.to_text(f.get("year", "")).strip()
    if not year:
        date = latex.to_text(f.get("date", "")).strip()         # biblatex: date = {2024-05-01}
        year = date[:4] if date[:4].isdigit() else ""
    if not year:
        warn(source, entry.line, f"entry '{entry.key}' has no year; it is listed last",
             "add year = {2024}")
    elif not year.isdigit():
        warn(source, entry.line_of("year"), f"entry '{entry.key}': year '{year}' is not a number",
             "write the year as four digits: year = {2024}")
    month = latex.month_number(latex.to_text(f["month"])) if f.get("month") else None
    authors, others = _authors(f.get("author", "") or f.get("editor", ""), owner)
    cut = len(authors) - settings.max_authors if len(authors) > settings.max_authors + 1 else 0
    arxiv = _arxiv(entry, source, warn)
    doi = _doi(entry, source, warn)
    links = []
    for name, label, folder in LINK_FIELDS:
        if name == "arxiv":
            url = f"https://arxiv.org/abs/{arxiv}" if arxiv else ""
        elif name == "doi":
            url = f"https://doi.org/{quote(doi, safe='/:;()._-<>[]')}" if doi else ""
        elif name == "url" and (f.get("html") or _is_arxiv_or_doi(f.get("url", ""), arxiv, doi)):
            url = ""
        else:
            url = _link(f.get(name, ""), folder, entry, name, source, site, warn)
        if url:
            links.append(PubLink(name, label, url))
    preview = _link(f.get("preview", ""), "assets/img/publication_preview/", entry, "preview", source, site, warn)
    preview_srcset = _srcset(preview, site, lambda message, hint: warn(source, entry.line_of("preview"),
                                                                       f"entry '{entry.key}': {message}", hint))
    abstract = f.get("abstract", "").strip()
    title_html = _inline(title_raw, md)
    award_text = f.get("award", "").strip()
    return Publication(
        key=entry.key, type=entry.type, anchor=_ANCHOR.sub("-", entry.key).strip("-") or "entry", url="", page_url="",
        title=latex.to_text(title_raw), title_html=title_html, authors=authors, more_authors=max(cut, 0),
        others=others, venue=_venue(entry, arxiv), details=_details(f), abbr=latex.to_text(f.get("abbr", "")),
        year=year, month=month, links=links,
        abstract_html=Markup(f"<p>{_inline(abstract, md)}</p>") if abstract else Markup(""),
        bibtex=to_bibtex(entry, skip), bibtex_show=f.get("bibtex_show", "true").strip().lower() in TRUE,
        selected=f.get("selected", "").strip().lower() in TRUE,
        award=latex.to_text(f.get("award_name", "")) or ("Award" if award_text else ""),
        award_html=_inline(award_text, md) if award_text else Markup(""),
        preview=preview, preview_srcset=preview_srcset, note=latex.to_text(f.get("note", "")), doi=doi, arxiv=arxiv,
        source=source,
        keywords=[k.strip() for k in re.split(r"[,;]", latex.to_text(f.get("keywords", ""))) if k.strip()],
        line=entry.line)


def _inline(value: str, md) -> Markup:
    """A field as HTML: through the Markdown renderer (for math and \\emph) only when it has markup."""
    if latex.has_markup(value):
        return md.inline(latex.to_markdown(value))
    return Markup(escape(latex.to_text(value)))


def _authors(value: str, owner: Owner) -> tuple[list[Author], bool]:
    names, others = split_names(value)
    out = []
    for raw in names:
        name = parse_name(raw)
        out.append(Author(name.full, name.family or name.full, owner.matches(name),
                          [(m, MARK_LABELS.get(m, "")) for m in name.marks]))
    return out, others


def _venue(entry: BibEntry, arxiv: str) -> str:
    f = entry.fields
    for name in ("journal", "journaltitle", "booktitle", "eventtitle"):
        if f.get(name):
            return latex.to_text(f[name])
    if entry.type in ("phdthesis", "mastersthesis", "thesis"):
        kind = "PhD thesis" if entry.type == "phdthesis" else "Master's thesis" if entry.type == "mastersthesis" \
            else "Thesis"
        school = latex.to_text(f.get("school", "") or f.get("institution", ""))
        return f"{kind}, {school}" if school else kind
    for name in ("institution", "publisher", "organization", "howpublished"):
        if f.get(name):
            text = latex.to_text(f[name])
            if not text.startswith(("http://", "https://", "\\url")):
                return text
    return f"arXiv preprint arXiv:{arxiv}" if arxiv else ""


def _details(f: dict[str, str]) -> str:
    parts = []
    if f.get("volume"):
        parts.append(f"vol. {latex.to_text(f['volume'])}")
    if f.get("number"):
        parts.append(f"no. {latex.to_text(f['number'])}")
    if f.get("pages"):
        pages = latex.to_text(f["pages"]).replace("-", "–").replace("––", "–")
        parts.append(f"pp. {pages}" if "–" in pages else f"p. {pages}")
    return ", ".join(parts)


def _arxiv(entry: BibEntry, source: str, warn) -> str:
    f = entry.fields
    value, name = f.get("arxiv", ""), "arxiv"
    if not value and f.get("eprint") and f.get("archiveprefix", f.get("eprinttype", "")).lower() == "arxiv":
        value, name = f["eprint"], "eprint"
    if not value:
        url = f.get("url", "")
        m = re.match(r"https?://arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?$", url.strip())
        return m.group(1) if m and _ARXIV.match(m.group(1)) else ""
    value = latex.to_text(value).strip()
    value = re.sub(r"^(arxiv:|https?://arxiv\.org/(abs|pdf)/)", "", value, flags=re.I).removesuffix(".pdf")
    if not _ARXIV.match(value):
        warn(source, entry.line_of(name), f"entry '{entry.key}': '{value}' is not an arXiv identifier; no arXiv "
             "button", "write the identifier alone: arxiv = {2401.01234}")
        return ""
    return value


def _doi(entry: BibEntry, source: str, warn) -> str:
    value = latex.to_text(entry.fields.get("doi", "")).strip()
    if not value:
        return ""
    value = re.sub(r"^(doi:\s*|https?://(dx\.)?doi\.org/)", "", value, flags=re.I)
    if not _DOI.match(value):
        warn(source, entry.line_of("doi"), f"entry '{entry.key}': '{value}' is not a DOI; no DOI button",
             "write it as doi = {10.1234/abcd}")
        return ""
    return value


def _is_arxiv_or_doi(url: str, arxiv: str, doi: str) -> bool:
    """A `url` that only repeats the arXiv or DOI link gets no button of its own."""
    return bool(url) and ((arxiv and "arxiv.org/" in url) or (doi and "doi.org/" in url))


def _srcset(url: str, site, warn) -> str:
    """The preview's `srcset` when it is one of the site's raster images (see site.static_srcset)."""
    from ..site import static_srcset

    if not url.startswith(site.base_path):
        return ""
    return static_srcset(site, unquote(url[len(site.base_path):]), warn)


def _link(value: str, folder: str, entry: BibEntry, name: str, source: str, site, warn) -> str:
    """A link field → a URL: web addresses as written (only http and https), a post's file → its URL, a file
    name → the static file it names (al-folio's folder first). Anything else is a warning and no button."""
    value = latex.to_text(value).strip() if "\\" in value or "{" in value else value.strip()
    if not value:
        return ""
    line = entry.line_of(name)
    scheme = urlsplit(value).scheme.lower() if ":" in value else ""
    if scheme in ("http", "https"):
        if any(c in value for c in ' <>"'):
            warn(source, line, f"entry '{entry.key}': {name} '{value}' is not a valid address; left out",
                 "write the full address without spaces")
            return ""
        return value
    if scheme or value.startswith("//"):
        warn(source, line, f"entry '{entry.key}': {name} '{value}' is not a web address or a file of the site; "
             "left out", "use an https:// address or a file under static/")
        return ""
    rel = value.lstrip("/")
    if rel in site.urls:                                   # posts/2024-05-01-x.md
        return site.urls[rel]
    candidates = [rel] if value.startswith("/") or not folder else [folder + rel, rel]
    for candidate in candidates:
        if candidate in site.static_files:
            return site.path(candidate)
    where = " or ".join(f"static/{c}" for c in candidates)
    warn(source, line, f"entry '{entry.key}': {name} '{value}' is not a file of the site ({where}); left out",
         "put the file under static/, give a post's path (posts/x.md) or a full https:// address")
    return ""


def _groups(entries: list[Publication], by: str) -> list[PubGroup]:
    if by == "type":
        buckets: dict[str, list[Publication]] = {title: [] for title, _ in TYPE_GROUPS}
        for p in entries:
            buckets[_type_group(p)].append(p)
        return [PubGroup(t, "type-" + _ANCHOR.sub("-", t.lower()), items) for t, items in buckets.items() if items]
    groups: dict[str, list[Publication]] = {}
    for p in entries:
        groups.setdefault(p.year if p.year.isdigit() else "", []).append(p)
    return [PubGroup(year or "Undated", f"year-{year or 'undated'}", items) for year, items in groups.items()]


def _type_group(p: Publication) -> str:
    for title, types in TYPE_GROUPS:
        if p.type in types:
            return title
    return "Preprints" if p.arxiv and p.type in ("misc", "online", "unpublished", "article") else "Other"


__all__ = ["Author", "PubGroup", "PubLink", "Publication", "Publications", "build_publications"]
