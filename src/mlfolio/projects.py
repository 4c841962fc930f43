"""Project cards: one dataclass for hand-written projects, GitHub repos and Kaggle work, so themes need one card."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class LanguageShare:
    name: str
    percent: float
    color: str = ""


@dataclass
class Project:
    """A card. `kind` is 'manual', 'repo', 'dataset', 'notebook' or 'competition'; unused stats stay None."""

    kind: str
    title: str
    url: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    image: str = ""
    featured: bool = False
    date: dt.date | None = None
    # GitHub
    full_name: str = ""
    homepage: str = ""
    language: str = ""
    language_color: str = ""
    languages: list[LanguageShare] = field(default_factory=list)
    stars: int | None = None
    forks: int | None = None
    pushed_at: dt.datetime | None = None
    # Kaggle
    votes: int | None = None
    downloads: int | None = None
    usability: float | None = None
    rank: int | None = None
    team_count: int | None = None
    updated: dt.datetime | None = None

    @property
    def top_percent(self) -> float | None:
        """Competition standing as a percentage of teams (rank 37 of 2,000 → 1.85)."""
        if self.rank and self.team_count:
            return 100.0 * self.rank / self.team_count
        return None


@dataclass
class SourceStatus:
    """What happened when a source was fetched, for the build's warning lines and the page."""

    name: str                      # 'github' or 'kaggle'
    ok: bool = True
    message: str = ""              # why it fell back, empty when fresh
    fetched_at: dt.datetime | None = None


@dataclass
class Totals:
    stars: int = 0
    followers: int = 0
    public_repos: int = 0
    kaggle_votes: int = 0


@dataclass
class RemoteData:
    """Everything the fetch stage hands to the site model; empty when no source is configured."""

    repos: list[Project] = field(default_factory=list)
    datasets: list[Project] = field(default_factory=list)
    notebooks: list[Project] = field(default_factory=list)
    competitions: list[Project] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    github_profile_url: str = ""
    kaggle_profile_url: str = ""
    status: list[SourceStatus] = field(default_factory=list)

    def fingerprint(self) -> str:
        """Stable text of the data, so an unchanged fetch lets a rebuild skip rendering.

        Of `status` only (name, ok) counts: fetch times and ages in messages change every build, but a source
        going stale or fresh again must re-render the page's note about it."""
        import hashlib
        import json
        from dataclasses import asdict
        data = asdict(self)
        data["status"] = [(s.name, s.ok) for s in self.status]
        blob = json.dumps(data, default=str, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()
