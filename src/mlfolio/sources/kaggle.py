"""Kaggle, called the way the current `kaggle` client (kagglesdk) does: `POST {base}/v1/{service}/{method}`
with a camelCase JSON body, paged with `pageToken` / `nextPageToken`.

Credentials are found as the kaggle client finds them: `KAGGLE_API_TOKEN` (Bearer), else `KAGGLE_USERNAME`
+ `KAGGLE_KEY` (HTTP basic), else `kaggle.json` in `KAGGLE_CONFIG_DIR` or `~/.kaggle/`.
"""
from __future__ import annotations

import base64
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..projects import CardSection, Project, SourceView, Stat, compact, number
from ..remote.errors import RateLimited, RemoteError, Unauthorized
from ..remote.snapshot import now_iso, parse_time, safe_url
from ..schema import opt
from .base import ApiClient, Credentials, Source

DEFAULT_API = "https://api.kaggle.com"
PAGE_SIZE = 100
MAX_PAGES = 20
SITE = "https://www.kaggle.com"

DATASETS = ("datasets.DatasetApiService", "ListDatasets", "datasets")
KERNELS = ("kernels.KernelsApiService", "ListKernels", "kernels")
COMPETITIONS = ("competitions.CompetitionApiService", "ListCompetitions", "competitions")


@dataclass
class KaggleSettings:
    user: str = opt("", "Kaggle user whose datasets, notebooks and competitions become cards; empty disables Kaggle.")
    api_url: str = opt("", "API base URL; env `MLFOLIO_KAGGLE_API_URL` wins.")
    datasets: bool = opt(True, "Show the user's datasets.")
    notebooks: bool = opt(True, "Show the user's notebooks.")
    competitions: bool = opt(True, "Show entered competitions with rank (\"Rank 37 / 2,000\", \"Top 2%\"); Kaggle tells only the signed-in account, so this needs *your own* credentials.")
    limit: int = opt(24, "At most this many cards of each kind.", min=0)


class KaggleSource(Source):
    name = "kaggle"
    label = "Kaggle"
    settings = KaggleSettings
    api_env = "MLFOLIO_KAGGLE_API_URL"
    link_kind = "kaggle"
    needs_credentials = True
    credentials_hint = ("set KAGGLE_API_TOKEN, or KAGGLE_USERNAME and KAGGLE_KEY, or put kaggle.json in "
                        "~/.kaggle/ (or KAGGLE_CONFIG_DIR)")

    def credentials(self, env) -> Credentials | None:
        return find_credentials(env)

    def fetch(self, http, settings, user, credentials) -> dict:
        client = KaggleClient(http, api_url=settings.api_url, credentials=credentials)
        return client.fetch(user, datasets=settings.datasets, notebooks=settings.notebooks,
                            competitions=settings.competitions)

    def explain(self, exc, credentials) -> tuple[str, str]:
        if isinstance(exc, Unauthorized) or exc.status == 403:
            return (f"Kaggle rejected the credentials from {credentials.source} ({exc.status})",
                    "create a new API token on kaggle.com (Settings → API) and update it there")
        if isinstance(exc, RateLimited):
            return "Kaggle API rate limit exceeded", "wait a while, or build with --offline"
        return super().explain(exc, credentials)

    def view(self, data, settings, user, status) -> SourceView:
        datasets, notebooks, competitions = to_projects(data, settings) if data else ([], [], [])
        sections = []
        if settings.competitions or competitions:
            sections.append(CardSection("competitions", "Competitions", competitions, "trophy"))
        if settings.datasets or datasets:
            sections.append(CardSection("datasets", "Datasets", datasets, "dataset"))
        if settings.notebooks or notebooks:
            sections.append(CardSection("notebooks", "Notebooks", notebooks, "notebook"))
        votes = total_votes(data)
        return SourceView(self.name, self.label, user, status,
                          profile_url=data.get("profile_url") or f"{SITE}/{user}", sections=sections,
                          totals=[Stat("votes", votes, number(votes), "Kaggle votes", "vote")] if data else [],
                          data=data)

    def summary(self, data, view) -> str:
        return (f"{len(data.get('datasets', []))} datasets, {len(data.get('notebooks', []))} notebooks, "
                f"{len(data.get('competitions', []))} competitions")


def find_credentials(env: os._Environ | dict | None = None) -> Credentials | None:
    env = os.environ if env is None else env
    token = (env.get("KAGGLE_API_TOKEN") or "").strip()
    if token:
        return Credentials({"Authorization": f"Bearer {token}"}, "KAGGLE_API_TOKEN", (token,))
    user, key = (env.get("KAGGLE_USERNAME") or "").strip(), (env.get("KAGGLE_KEY") or "").strip()
    if user and key:
        return _basic(user, key, "KAGGLE_USERNAME/KAGGLE_KEY")
    dirs = [Path(env["KAGGLE_CONFIG_DIR"]).expanduser()] if env.get("KAGGLE_CONFIG_DIR") else []
    dirs.append(Path("~/.kaggle").expanduser())
    for d in dirs:
        path = d / "kaggle.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("username") and data.get("key"):
            return _basic(str(data["username"]), str(data["key"]), str(path))
    return None


def _basic(user: str, key: str, where: str) -> Credentials:
    encoded = base64.b64encode(f"{user}:{key}".encode()).decode()
    return Credentials({"Authorization": f"Basic {encoded}"}, where, (key, encoded), user)


class KaggleClient(ApiClient):
    default_api = DEFAULT_API

    def call(self, service: str, method: str, body: dict):
        return self.http.post_json(f"{self.api}/v1/{service}/{method}", body, headers=self.headers())

    def list_all(self, what: tuple[str, str, str], body: dict) -> list[dict]:
        service, method, key = what
        items: list[dict] = []
        token = ""
        for _ in range(MAX_PAGES):
            page_body = {**body, "pageSize": PAGE_SIZE}
            if token:
                page_body["pageToken"] = token
            data = self.call(service, method, page_body).data
            if not isinstance(data, dict):
                raise RemoteError(f"unexpected answer from {method} (not an object)")
            code = data.get("code")
            if isinstance(code, int) and code >= 400:      # kagglesdk also treats these as errors
                cls = Unauthorized if code == 401 else RemoteError
                raise cls(f"Kaggle error {code} from {method}", status=code)
            items.extend(x for x in data.get(key) or [] if isinstance(x, dict))
            token = data.get("nextPageToken") or ""
            if not token:
                break
        return items

    def fetch(self, user: str, *, datasets: bool = True, notebooks: bool = True,
              competitions: bool = True) -> dict:
        """The snapshot's 'kaggle' section for `user` (lists the site turns off stay empty)."""
        # Entered competitions are those of the signed-in account: only ask when that is `user`.
        own = self.credentials is not None and (not self.credentials.username
                                                or self.credentials.username.lower() == user.lower())
        jobs = {}
        with ThreadPoolExecutor(3, thread_name_prefix="mlfolio-kaggle") as pool:
            if datasets:
                jobs["datasets"] = pool.submit(self.list_all, DATASETS, {"user": user})
            if notebooks:
                jobs["notebooks"] = pool.submit(self.list_all, KERNELS, {"user": user})
            if competitions and own:
                jobs["competitions"] = pool.submit(self.list_all, COMPETITIONS,
                                                   {"group": "COMPETITION_LIST_TAB_ENTERED"})
            raw = {k: f.result() for k, f in jobs.items()}
        return {
            "user": user,
            "profile_url": f"{SITE}/{user}",
            "fetched_at": now_iso(),
            "datasets": [normalise_dataset(d) for d in raw.get("datasets", []) if d.get("ref")],
            "notebooks": [normalise_notebook(k) for k in raw.get("notebooks", []) if k.get("ref")],
            "competitions": [normalise_competition(c) for c in raw.get("competitions", []) if c.get("ref")],
        }


# --- normalised records ------------------------------------------------------------------------------

def _int(v) -> int:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0


def _str(v) -> str:
    return v.strip() if isinstance(v, str) else ""


def _tags(v) -> list[str]:
    out = []
    for t in v or []:
        name = t.get("name") if isinstance(t, dict) else t
        if isinstance(name, str) and name.strip():
            out.append(name.strip())
    return sorted(set(out))


def normalise_dataset(d: dict) -> dict:
    ref = _str(d.get("ref"))
    usability = d.get("usabilityRating")
    return {
        "ref": ref, "title": _str(d.get("title")) or ref, "subtitle": _str(d.get("subtitle")),
        "url": safe_url(d.get("url")) or f"{SITE}/datasets/{ref}", "votes": _int(d.get("voteCount")),
        "downloads": _int(d.get("downloadCount")),
        "usability": float(usability) if isinstance(usability, (int, float)) and not isinstance(usability, bool)
        else None,
        "updated": _str(d.get("lastUpdated")), "tags": _tags(d.get("tags")),
    }


def normalise_notebook(k: dict) -> dict:
    ref = _str(k.get("ref"))
    return {
        "ref": ref, "title": _str(k.get("title")) or ref, "url": safe_url(k.get("url")) or f"{SITE}/code/{ref}",
        "votes": _int(k.get("totalVotes")), "language": _str(k.get("language")),
        "updated": _str(k.get("lastRunTime")),
    }


def normalise_competition(c: dict) -> dict:
    ref = _str(c.get("ref"))
    slug = ref.rstrip("/").rsplit("/", 1)[-1] if ref.startswith("http") else ref
    rank = c.get("userRank")
    return {
        "ref": slug, "title": _str(c.get("title")) or slug,
        "url": safe_url(c.get("url")) or safe_url(ref) or f"{SITE}/competitions/{slug}",
        "rank": _int(rank) or None, "team_count": _int(c.get("teamCount")) or None,
        "deadline": _str(c.get("deadline")), "category": _str(c.get("category")),
    }


# --- cards --------------------------------------------------------------------------------------------

def to_projects(data: dict, settings) -> tuple[list[Project], list[Project], list[Project]]:
    """(datasets, notebooks, competitions) cards, most voted first (competitions: newest first)."""
    limit = max(settings.limit, 0)
    datasets, notebooks, competitions = [], [], []
    if settings.datasets:
        for d in sorted(data.get("datasets") or [], key=lambda d: (-(d.get("votes") or 0), d.get("title", ""))):
            updated = parse_time(d.get("updated"))
            votes, downloads, usability = d.get("votes") or 0, d.get("downloads") or 0, d.get("usability")
            stats = [Stat("votes", votes, f"{number(votes)} votes", "Votes", "vote"),
                     Stat("downloads", downloads, f"{compact(downloads)} downloads", "Downloads", "download")]
            if usability is not None:
                score = usability * 10 if usability <= 1 else usability
                stats.append(Stat("usability", usability, f"Usability {score:.1f}", "Kaggle usability rating"))
            datasets.append(Project(
                kind="dataset", title=d.get("title") or d["ref"], url=safe_url(d.get("url")),
                description=d.get("subtitle") or "", tags=list(d.get("tags") or []), source="kaggle",
                kind_label="Dataset", icon="dataset", stats=stats, updated=updated,
                date=updated.date() if updated else None, extra={"ref": d["ref"], "votes": votes,
                                                                  "downloads": downloads, "usability": usability}))
    if settings.notebooks:
        for k in sorted(data.get("notebooks") or [], key=lambda k: (-(k.get("votes") or 0), k.get("title", ""))):
            updated = parse_time(k.get("updated"))
            votes = k.get("votes") or 0
            notebooks.append(Project(
                kind="notebook", title=k.get("title") or k["ref"], url=safe_url(k.get("url")),
                language=k.get("language") or "", source="kaggle", kind_label="Notebook", icon="notebook",
                stats=[Stat("votes", votes, f"{number(votes)} votes", "Votes", "vote")], updated=updated,
                date=updated.date() if updated else None, extra={"ref": k["ref"], "votes": votes}))
    if settings.competitions:
        for c in sorted(data.get("competitions") or [], key=lambda c: (c.get("deadline") or "", c.get("ref", "")),
                        reverse=True):
            deadline = parse_time(c.get("deadline"))
            rank, teams = c.get("rank"), c.get("team_count")
            stats, badge = [], ""
            if rank and teams:
                stats.append(Stat("rank", rank, f"Rank {number(rank)} / {number(teams)}", "Final leaderboard rank",
                                  "trophy"))
                badge = f"Top {max(1, -(-100 * rank // teams))}%"
            competitions.append(Project(
                kind="competition", title=c.get("title") or c["ref"], url=safe_url(c.get("url")),
                description=c.get("category") or "", source="kaggle", kind_label="Competition", icon="trophy",
                stats=stats, badge=badge, date=deadline.date() if deadline else None,
                extra={"ref": c["ref"], "rank": rank, "team_count": teams}))
    return datasets[:limit], notebooks[:limit], competitions[:limit]


def total_votes(data: dict) -> int:
    return sum(x.get("votes") or 0 for key in ("datasets", "notebooks") for x in data.get(key) or []
               if isinstance(x, dict))
