"""Publications, talks and teaching as CV sections (`Plugin.cv_sections`): the CV lists them when the site has
them, and tailored CVs select them by tags (a .bib entry's `keywords`, a talk's or course's `tags`)."""
from __future__ import annotations

from ..cv import CvItem, CvSection, sort_date, when


def research_sections(site) -> list[CvSection]:
    sections = []
    pubs = site.publications
    if pubs:
        sections.append(CvSection("publications", "Publications", [
            CvItem(title=p.title, subtitle=_authors(p), when=p.year, detail=", ".join(x for x in (p.venue, p.details) if x),
                   url=site.full_url(p.url) if p.url else "", tags=list(p.keywords), keywords=list(p.keywords),
                   sort_date=f"{p.year or '0000'}-{p.month or 1:02d}") for p in pubs.entries], 40))
    research = site.research
    if research and research.talks:
        sections.append(CvSection("talks", "Talks", [
            CvItem(title=t.title, subtitle=", ".join(x for x in (t.kind, t.event) if x), location=t.location,
                   when=when(t.date.isoformat()[:7], "", True), tags=list(t.tags),
                   sort_date=sort_date(t.date.isoformat()[:7], "", True)) for t in research.talks], 50))
    if research and research.teaching:
        sections.append(CvSection("teaching", "Teaching", [
            CvItem(title=c.title, subtitle=", ".join(x for x in (c.role, c.organisation) if x),
                   when=when(c.start, c.end, not c.end), tags=list(c.tags),
                   url=site.full_url(c.url) if c.url else "", sort_date=sort_date(c.start, c.end, not c.end))
            for c in research.teaching], 60))
    return sections


def _authors(p) -> str:
    names = [a.name for a in p.authors]
    extra = p.more_authors + (1 if p.others else 0)
    return ", ".join(names) + (f" and {extra} more" if extra else "")
