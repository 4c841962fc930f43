"""The CV: profile.yml as résumé sections, the /cv/ page and its tailored variants (/cv/NAME/).

Every section is a `CvSection` of `CvItem`s, whatever it holds, so a plugin (or the publications feature) adds
one without touching the template (`Plugin.cv_sections`), and a variant filters and orders every section the
same way: by the items' tags.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Callable

from markupsafe import Markup

from .contexts import CvContext
from .errors import Problems
from .routes import Output, Route, page_info
from .schema import opt

CV_PATH = "cv/"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PRESENT = frozenset({"present", "now", "current", "today", "ongoing"})
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
ITEM_TEMPLATE = "partials/cv_item.html"


@dataclass
class CvItem:
    """One line of a CV section: a job, a degree, a project, an award, a skill group …"""

    title: str = opt(doc="Role, degree, project or award name.")
    subtitle: str = opt("", "Organisation, school, issuer.")
    location: str = opt("", "City.")
    when: str = opt("", "Dates as shown: 'Mar 2021 – Present', '2024'.")
    url: str = opt("", "Absolute link of the title, or ''.")
    html: Markup = opt(Markup(""), "Description as HTML.")
    highlights: list[Markup] = opt([], "Bullet points as HTML.")
    detail: str = opt("", "One line of plain text after the title (a skill list, a fluency).")
    keywords: list[str] = opt([], "Keywords shown with the item (a project's tags).")
    tags: list[str] = opt([], "What tailored CVs select on.")
    sort_date: str = opt("", "'YYYY-MM' of its end ('9999-12' when ongoing), for ordering by relevance.")


@dataclass
class CvSection:
    """A heading and its items. `order` places it: experience 10, education 20, projects 30, publications 40,
    talks 50, teaching 60, awards 70, certifications 80, service 90, skills 100, languages 110."""

    id: str = opt(doc="Anchor and CSS class: `experience`, `skills` …")
    title: str = opt(doc="Heading.")
    items: list[CvItem] = opt([], "The items (see `CvItem`).")
    order: int = opt(100, "Where it goes among the sections, lowest first.")
    layout: str = opt("entries", "'entries' (dated blocks) or 'list' (one line per item: skills, languages).")
    item_template: str = opt(ITEM_TEMPLATE, "Template that renders one item (gets `item` and `section`).")


@dataclass
class CvData:
    """`site.cv`: the header and every section of the full CV."""

    name: str = opt(doc="Your name.")
    headline: str = opt("", "The profile's headline.")
    location: str = opt("", "Where you are.")
    email: str = opt("", "Contact address.")
    links: list = opt([], "Profile links (see `ProfileLink`).")
    summary_html: Markup = opt(Markup(""), "`cv.summary` as HTML.")
    sections: list[CvSection] = opt([], "Every section with items, in order (see `CvSection`).")
    resume: dict = opt({}, "The profile as a JSON Resume: what resume.json holds.")


def when(start, end="", single: bool = False) -> str:
    """'2021-03', '' → 'Mar 2021 – Present'; a lone date (an award) is just itself; free text stays as written."""
    start, end = _show(start), _show(end)
    if single or (start and end and start == end):
        return start or end
    if not start:
        return end
    return f"{start} – {end or 'Present'}"


def _show(value) -> str:
    text = str(value or "").strip()
    if text.lower() in PRESENT:
        return "Present"
    m = _DATE.match(text)
    if m and m.group(2) and 1 <= int(m.group(2)) <= 12:
        return f"{MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    return text


def sort_date(start, end="", single: bool = False) -> str:
    """'YYYY-MM' of when an item ends, ongoing ones last of all ('9999-12'); '' when no date can be read."""
    end_text = str(end or "").strip()
    if not single and start and (not end_text or end_text.lower() in PRESENT):
        return "9999-12"
    for value in (end_text, str(start or "").strip()):
        m = _DATE.match(value)
        if m:
            return f"{m.group(1)}-{int(m.group(2) or 0):02d}"
    return ""


def iso_date(value) -> str:
    """A date as JSON Resume writes it ('2021', '2021-03', '2021-03-04'), or '' (present, free text)."""
    m = _DATE.match(str(value or "").strip())
    if not m:
        return ""
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
        return ""
    return "-".join([year] + [f"{int(p):02d}" for p in (month, day) if p])


def build_cv(site, profile, problems: Problems) -> CvData:
    """The full CV of the site's profile, plus the sections plugins add."""
    from .resume import to_resume          # resume.py imports this module (for its dates)

    md = site.registry.readers[".md"]
    link = _linker(site)

    def absolute(url: str) -> str:       # the PDF is printed from a local copy: links must name the public site
        return site.absolute(url) if url and not url.startswith(("mailto:", "//")) else url

    def entry(title, subtitle, start, end, location="", url="", description="", highlights=(), tags=(),
              keywords=(), single=False, inline=False):
        html = (md.inline(description, link) if inline else md.html(description, link)) if description else Markup("")
        return CvItem(title=title, subtitle=subtitle, location=location, when=when(start, end, single),
                      url=absolute(url), html=html, highlights=[md.inline(h, link) for h in highlights],
                      keywords=list(keywords), tags=list(tags), sort_date=sort_date(start, end, single))

    p = profile
    sections = [
        CvSection("experience", "Experience", [
            entry(e.role, e.organisation, e.start, e.end, e.location, e.url, e.description, e.highlights, e.tags)
            for e in p.experience], 10),
        CvSection("education", "Education", [
            entry(e.degree, e.organisation, e.start, e.end, e.location, e.url, e.description, tags=e.tags)
            for e in p.education], 20),
        CvSection("projects", "Projects", [
            replace(entry(pr.title, "", pr.date.isoformat()[:7] if pr.date else "", "", url=pr.url, tags=pr.tags,
                          keywords=pr.tags, single=True), html=view.description_html, url=site.full_url(view.url))
            for pr, view in zip(p.projects, site.manual_projects)], 30),
        CvSection("awards", "Awards", [
            entry(a.title, a.awarder, a.date, "", url=a.url, description=a.description, tags=a.tags, single=True,
                  inline=True) for a in p.awards], 70),
        CvSection("certifications", "Certifications", [
            entry(c.name, c.issuer, c.date, "", url=c.url, tags=c.tags, single=True) for c in p.certifications], 80),
        CvSection("service", "Service", [
            entry(s.role, s.organisation, s.start, s.end, url=s.url, description=s.description, tags=s.tags,
                  single=not s.start) for s in p.service], 90),
        CvSection("skills", "Skills", [CvItem(title=name, detail=", ".join(items))
                                       for name, items in p.skills.items()], 100, "list"),
        CvSection("languages", "Languages", [CvItem(title=lang.language, detail=lang.fluency)
                                             for lang in p.languages], 110, "list"),
    ]
    for provider in site.registry.cv_sections:
        sections += _provided(provider, site, problems)
    sections = sorted((s for s in sections if s.items), key=lambda s: s.order)
    summary = md.html(site.config.cv.summary, link)
    return CvData(name=p.name, headline=p.headline, location=p.location, email=p.email,
                  links=site.profile.links, summary_html=summary, sections=sections, resume=to_resume(p, site))


def _linker(site) -> Callable[[str], str]:
    """Maps a link in profile Markdown: '/blog/x/' is the site's page, as an absolute URL so that the printed
    PDF links to the public site; other links stay as written."""
    return lambda url: site.absolute(url) if url.startswith("/") and not url.startswith("//") else url


def _provided(provider: Callable, site, problems: Problems) -> list[CvSection]:
    """A plugin's sections; its bug is one problem line, never a traceback."""
    try:
        return [s for s in provider(site) if isinstance(s, CvSection)]
    except Exception as exc:  # noqa: BLE001 - a plugin's bug is reported
        problems.error("", None, None, f"CV section provider {getattr(provider, '__name__', provider)} failed: "
                       f"{type(exc).__name__}: {exc}", "fix the plugin, or remove it from 'plugins:'")
        return []


def tailor(sections: list[CvSection], variant) -> list[CvSection]:
    """The sections of a variant: items with one of its tags, most matching tags first, then newest; items
    without tags stay (in their order) when `keep_untagged`. Sections left empty are dropped."""
    wanted = {t.lower() for t in variant.include_tags}
    out = []
    for section in sections:
        kept = []
        for i, item in enumerate(section.items):
            tags = {t.lower() for t in item.tags}
            if tags & wanted:
                kept.append(((1, len(tags & wanted), item.sort_date, -i), item))
            elif not tags and variant.keep_untagged:
                kept.append(((0, 0, "", -i), item))
        tagged = sorted((k for k in kept if k[0][0]), key=lambda k: k[0], reverse=True)
        untagged = [k for k in kept if not k[0][0]]
        items = [item for _, item in tagged + untagged]
        if items:
            out.append(replace(section, items=items))
    return out


def pdf_name(variant: str = "") -> str:
    """The PDF of the CV (`cv.pdf`) or of a variant (`cv-NAME.pdf`), at the root of the output."""
    return f"cv-{variant}.pdf" if variant else "cv.pdf"


def cv_paths(site) -> dict[str, str]:
    """Variant name ('' for the full CV) → site path, leaving out paths a page from pages/ takes."""
    taken = {page.slug.strip("/") + "/" for page in site.pages if page.url}
    paths = {"": CV_PATH, **{name: f"{CV_PATH}{name}/" for name in site.config.cv.variants}}
    return {name: path for name, path in paths.items() if path not in taken}


def _cv_outputs(site):
    settings = site.config.cv
    cv = site.cv
    for name, path in cv_paths(site).items():
        variant = settings.variants.get(name)
        pdf = pdf_name(name)
        pdf_url = site.path(pdf) if settings.pdf or pdf in site.static_files else ""
        if variant is None:
            title, headline, summary, sections, noindex = f"CV — {cv.name}", cv.headline, cv.summary_html, \
                cv.sections, False
        else:
            title = variant.title or f"CV — {cv.name}"
            headline = variant.headline or cv.headline
            summary = site.registry.readers[".md"].html(variant.summary, _linker(site)) if variant.summary \
                else cv.summary_html
            sections, noindex = tailor(cv.sections, variant), not variant.index
        description = f"Curriculum vitae of {cv.name}" + (f", {headline}" if headline else "") + "."
        yield Output(path, CvContext(
            page=page_info(site, "cv", title, path, description, noindex=noindex),
            cv=cv, headline=headline, summary_html=summary, sections=sections, variant=name, pdf_url=pdf_url,
            paper=settings.paper), sitemap=not noindex)


def _resume_outputs(site):
    if site.config.cv.resume_json:
        yield Output("resume.json", None)


def _make_resume(site, context) -> bytes:
    from .resume import resume_json
    return resume_json(site)


CV_ROUTES = [
    Route("cv", "/cv/, /cv/{variant}/", "cv.html", _cv_outputs, CvContext, menu=("CV", 40), pages_win=True,
          doc="The CV from profile.yml, and each of `cv.variants` (noindex unless `index: true`)."),
    Route("resume", "/resume.json", None, _resume_outputs, None, sitemap=False, make=_make_resume,
          doc="The profile as a JSON Resume (`cv.resume_json`)."),
]

__all__ = ["CvItem", "CvSection", "CvData", "CV_ROUTES", "build_cv", "tailor", "when", "sort_date", "iso_date",
           "pdf_name", "cv_paths"]
