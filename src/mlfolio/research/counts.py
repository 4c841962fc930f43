"""Citation counts of the site's papers (`publications.citations: openalex|semanticscholar`), fetched by DOI
and arXiv id through the remote-source machinery: the HTTP cache with ETags, `fetch.ttl`, `--offline`, the
fallback to the last good data with a warning, `--strict`, and the `data/remote.json` snapshot.

Requests are batched (50 works per OpenAlex request, 500 per Semantic Scholar request). Base URLs follow
MLFOLIO_OPENALEX_API_URL and MLFOLIO_SEMANTICSCHOLAR_API_URL (tests point them at 127.0.0.1); OpenAlex's
polite pool gets MLFOLIO_OPENALEX_MAILTO, Semantic Scholar an API key from MLFOLIO_SEMANTICSCHOLAR_API_KEY.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..errors import Problems
from ..projects import SourceView, Stat, number
from ..remote import snapshot
from ..sources.base import Credentials, Source

SERVICES = {
    "openalex": ("OpenAlex", "https://api.openalex.org", "MLFOLIO_OPENALEX_API_URL"),
    "semanticscholar": ("Semantic Scholar", "https://api.semanticscholar.org", "MLFOLIO_SEMANTICSCHOLAR_API_URL"),
}
OPENALEX_BATCH = 50
S2_BATCH = 500
_ARXIV_VERSION = re.compile(r"v\d+$")


@dataclass
class CitationQuery:
    """What to ask: the service and the works of the site's .bib files ('doi:10.1/x', 'arxiv:2401.01234')."""

    service: str
    works: tuple[str, ...]
    api_url: str
    mailto: str = ""


def work_id(doi: str, arxiv: str) -> str:
    """The key a paper's count is stored under: its DOI, else its arXiv id without version."""
    if doi:
        return f"doi:{doi.lower()}"
    return f"arxiv:{_ARXIV_VERSION.sub('', arxiv).lower()}" if arxiv else ""


class CitationsSource(Source):
    name = "citations"
    label = "Citation counts"
    identity = "service"
    config_key = "publications.citations"

    def settings_in(self, config, site_dir):
        from .feature import bib_files, read_bib, settings_of
        from .publications import _arxiv, _doi

        service = settings_of(config).citations
        if not service:
            return None
        label, default_url, env = SERVICES[service]
        works = set()
        quiet = Problems()                     # the build reports the files' problems once, in prepare

        def ignore(*_):
            return None
        for path in bib_files(Path(site_dir), config):
            parsed = read_bib(path, quiet) if path.is_file() else None
            for entry in parsed.entries if parsed else ():
                wid = work_id(_doi(entry, "", ignore), _arxiv(entry, "", ignore))
                if wid and entry.key not in parsed.containers:
                    works.add(wid)
        return CitationQuery(service, tuple(sorted(works)), os.environ.get(env) or default_url,
                             os.environ.get("MLFOLIO_OPENALEX_MAILTO", ""))

    def user(self, settings) -> str:
        return settings.service

    def credentials(self, env) -> Credentials | None:
        key = env.get("MLFOLIO_SEMANTICSCHOLAR_API_KEY", "")
        return Credentials({"x-api-key": key}, "MLFOLIO_SEMANTICSCHOLAR_API_KEY", (key,)) if key else None

    def fetch(self, http, settings: CitationQuery, user: str, credentials) -> dict:
        ask = openalex if settings.service == "openalex" else semantic_scholar
        counts = ask(http, settings, credentials) if settings.works else {}
        return {"user": settings.service, "counts": counts, "asked": list(settings.works),
                "fetched_at": snapshot.now_iso()}

    def fresh_enough(self, data: dict, settings: CitationQuery) -> bool:
        """A paper added to the .bib is asked for even inside the TTL."""
        return set(settings.works) <= set(data.get("asked") or data.get("counts") or {})

    def explain(self, exc, credentials) -> tuple[str, str]:
        if exc.status == 429:
            return "rate limited", "try again later; the counts of the last fetch are shown meanwhile"
        return exc.reason, "check the network, or build with --offline"

    def view(self, data: dict, settings: CitationQuery, user: str, status) -> SourceView:
        counts = data.get("counts") or {}
        total = sum(counts.get(w, 0) for w in settings.works) if counts else None
        totals = [Stat("citations", total, number(total), f"Citations ({SERVICES[user][0]})", "scholar")] \
            if total else []
        return SourceView(self.name, SERVICES[user][0], user, status, totals=totals, data=data)

    def summary(self, data: dict, view: SourceView) -> str:
        counts = data.get("counts") or {}
        return f"{len(counts)} papers, {sum(counts.values()):,} citations"


def openalex(http, q: CitationQuery, credentials) -> dict[str, int]:
    """GET /works?filter=doi:a|b|…: arXiv papers by their DataCite DOI (10.48550/arXiv.ID)."""
    doi_of = {}
    for w in q.works:
        kind, value = w.split(":", 1)
        doi_of[value if kind == "doi" else f"10.48550/arxiv.{value}"] = w
    counts: dict[str, int] = {}
    dois = sorted(doi_of)
    for i in range(0, len(dois), OPENALEX_BATCH):
        batch = dois[i:i + OPENALEX_BATCH]
        url = (f"{q.api_url.rstrip('/')}/works?filter=doi:{quote('|'.join(batch), safe='/|:')}"
               f"&per-page={OPENALEX_BATCH}&select=doi,cited_by_count")
        if q.mailto:
            url += f"&mailto={quote(q.mailto)}"
        for work in http.get_json(url).data["results"]:
            doi = str(work.get("doi") or "").lower().removeprefix("https://doi.org/")
            if doi in doi_of and isinstance(work.get("cited_by_count"), int):
                counts[doi_of[doi]] = work["cited_by_count"]
    return counts


def semantic_scholar(http, q: CitationQuery, credentials) -> dict[str, int]:
    """POST /graph/v1/paper/batch with 'DOI:…' and 'ARXIV:…' ids; the answer lists papers in the same order."""
    counts: dict[str, int] = {}
    works = list(q.works)
    headers = credentials.headers if credentials else None
    for i in range(0, len(works), S2_BATCH):
        batch = works[i:i + S2_BATCH]
        ids = [("DOI:" if w.startswith("doi:") else "ARXIV:") + w.split(":", 1)[1] for w in batch]
        answer = http.post_json(f"{q.api_url.rstrip('/')}/graph/v1/paper/batch?fields=citationCount",
                                {"ids": ids}, headers=headers).data
        for w, paper in zip(batch, answer):
            if isinstance(paper, dict) and isinstance(paper.get("citationCount"), int):
                counts[w] = paper["citationCount"]
    return counts


SOURCE = CitationsSource()

__all__ = ["CitationQuery", "CitationsSource", "SOURCE", "SERVICES", "work_id"]
