"""profile.yml as a JSON Resume (https://jsonresume.org/schema), written to resume.json: the format al-folio and
many résumé tools read. Only what the schema has a place for is written; dates it cannot read ('present',
free text) are left out, which the schema reads as 'ongoing'."""
from __future__ import annotations

import json

from .cv import iso_date

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


def to_resume(profile, site) -> dict:
    """The JSON Resume of a profile; site links become absolute URLs."""
    p = profile

    def url(value: str) -> str:
        return site.absolute(value) if value and not value.startswith(("mailto:", "//")) else ""

    basics = _clean({
        "name": p.name, "label": p.headline, "image": url(p.avatar) if p.avatar else "", "email": p.email,
        "url": site.absolute(""), "summary": p.bio.strip(),
        "location": _clean({"city": p.location}),
        "profiles": [_clean({"network": link.label, "username": _username(link.kind, p.links), "url": link.url})
                     for link in site.profile.links if link.kind != "email"],
    })
    resume = {
        "$schema": SCHEMA_URL,
        "basics": basics,
        "work": [_clean({"name": e.organisation, "position": e.role, "location": e.location, "url": url(e.url),
                         "startDate": iso_date(e.start), "endDate": iso_date(e.end), "summary": e.description.strip(),
                         "highlights": e.highlights}) for e in p.experience],
        "education": [_clean({"institution": e.organisation, "studyType": _study_type(e.degree),
                              "area": _area(e.degree), "url": url(e.url), "startDate": iso_date(e.start),
                              "endDate": iso_date(e.end)}) for e in p.education],
        "volunteer": [_clean({"organization": s.organisation, "position": s.role, "url": url(s.url),
                              "startDate": iso_date(s.start), "endDate": iso_date(s.end),
                              "summary": s.description.strip()}) for s in p.service],
        "awards": [_clean({"title": a.title, "awarder": a.awarder, "date": iso_date(a.date),
                           "summary": a.description.strip()}) for a in p.awards],
        "certificates": [_clean({"name": c.name, "issuer": c.issuer, "date": iso_date(c.date), "url": url(c.url)})
                         for c in p.certifications],
        "skills": [{"name": name, "keywords": list(items)} for name, items in p.skills.items()],
        "languages": [_clean({"language": lang.language, "fluency": lang.fluency}) for lang in p.languages],
        "projects": [_clean({"name": pr.title, "description": pr.description.strip(),
                             "url": site.full_url(view.url) if view.url else "", "keywords": pr.tags,
                             "startDate": pr.date.isoformat() if pr.date else ""})
                     for pr, view in zip(p.projects, site.manual_projects)],
        "meta": {"canonical": site.absolute("resume.json"), "version": "v1.0.0"},
    }
    return {key: value for key, value in resume.items() if value}


def resume_json(site) -> bytes:
    return (json.dumps(site.cv.resume, ensure_ascii=False, indent=2) + "\n").encode()


def _clean(data: dict) -> dict:
    """Leaves out empty values: the schema wants a URL to be a URL and a date to be a date, never ''."""
    return {k: v for k, v in data.items() if v not in ("", None, [], {})}


def _username(kind: str, links: dict) -> str:
    value = links.get(kind, "")
    return "" if value.startswith(("http://", "https://", "mailto:")) else value.lstrip("@")


_TYPES = ("PhD", "DPhil", "MSc", "MA", "MEng", "MBA", "MRes", "MPhil", "BSc", "BA", "BEng", "Bachelor", "Master")


def _study_type(degree: str) -> str:
    """'MSc Artificial Intelligence' → 'MSc'; a degree without a known prefix is all study type."""
    first = degree.split(" ", 1)[0].rstrip(",.")
    return first if first in _TYPES else degree


def _area(degree: str) -> str:
    first, _, rest = degree.partition(" ")
    return rest.strip() if first.rstrip(",.") in _TYPES else ""


__all__ = ["to_resume", "resume_json", "SCHEMA_URL"]
