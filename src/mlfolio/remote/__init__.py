"""The fetch stage: GitHub and Kaggle data for project cards, fetched concurrently, never breaking a build.

Where data comes from, in order:
1. `offline`: no request at all; the last good fetch (`.mlfolio-cache/remote.json`) or the committed
   snapshot (`data/remote.json`), whichever is newer.
2. `use_ttl` (serve) and that data is younger than `fetch.ttl`: used as is, no request.
3. The network, every GitHub request conditional (a warm build gets only 304s).
4. Any failure (timeout, rate limit, 5xx, bad JSON, 401, …): the last good data, with one warning line per
   source saying what failed and how old the data is (`--strict` makes that an error).
A GitHub user that does not exist is an error at the `github.user` line of mlfolio.yml.
"""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problems
from ..projects import RemoteData, SourceStatus
from . import github as gh
from . import kaggle as kg
from . import snapshot
from .http import HttpClient, RateLimited, RemoteError, Stats, Unauthorized

CACHE_DIR = ".mlfolio-cache"
SNAPSHOT = Path("data") / "remote.json"
LABELS = {"github": "GitHub", "kaggle": "Kaggle"}


@dataclass
class Outcome:
    """What happened to one source."""

    name: str
    user: str
    data: dict | None = None       # the data used (fresh or fallback), snapshot format
    origin: str = ""               # 'network', 'fresh cache' (TTL), 'cache', 'snapshot' or '' (none)
    fresh: bool = False            # fetched (or confirmed by 304) during this run
    failure: str = ""              # why the network gave nothing usable
    hint: str = ""
    not_found: bool = False        # the user does not exist: an error, not a fallback
    no_credentials: bool = False   # Kaggle without credentials: skipped, not failed


@dataclass
class FetchRun:
    remote: RemoteData
    outcomes: dict[str, Outcome]
    stats: Stats = field(default_factory=Stats)
    seconds: float = 0.0


def fetch_remote(config, site_dir: Path, *, marks: dict[str, tuple[int | None, int | None]],
                 problems: Problems, offline: bool, use_ttl: bool) -> RemoteData:
    """build.py's entry point: RemoteData for the site, problems reported into `problems`."""
    run = run_fetch(config, Path(site_dir), offline=offline, use_ttl=use_ttl)
    report(run, config, Path(site_dir), marks, problems)
    return run.remote


# --- the run ------------------------------------------------------------------------------------------

def run_fetch(config, site_dir: Path, *, offline: bool, use_ttl: bool, env=None) -> FetchRun:
    env = os.environ if env is None else env
    t0 = time.perf_counter()
    cache_file = site_dir / CACHE_DIR / "remote.json"
    snap_file = site_dir / SNAPSHOT
    gh_user = (config.github.user or "").strip() if config.github else ""
    kg_user = (config.kaggle.user or "").strip() if config.kaggle else ""
    github_token = (env.get("GITHUB_TOKEN") or "").strip() or None
    kaggle_creds = kg.find_credentials(env) if kg_user and not offline else None
    secrets = tuple(s for s in (github_token, kaggle_creds and kaggle_creds.secret,
                                kaggle_creds and kaggle_creds.authorization.split(" ", 1)[-1]) if s)
    http = HttpClient(site_dir / CACHE_DIR / "http", timeout=config.fetch.timeout, offline=offline,
                      ttl=config.fetch.ttl if use_ttl else None, secrets=secrets)

    def last_good(name: str, user: str) -> tuple[dict | None, str]:
        found = [(d, origin) for d, origin in ((snapshot.source(cache_file, name, user), "cache"),
                                               (snapshot.source(snap_file, name, user), "snapshot")) if d]
        if not found:
            return None, ""
        oldest = snapshot.parse_time("1970-01-01T00:00:00Z")
        return max(found, key=lambda pair: snapshot.parse_time(pair[0].get("fetched_at")) or oldest)

    def fresh_enough(name: str, data: dict | None) -> bool:
        age = snapshot.age_seconds(data)
        if not use_ttl or data is None or age is None or age >= config.fetch.ttl:
            return False
        if name == "github":                     # a newly featured repo needs its language breakdown
            wanted = {f.lower() for f in config.github.featured}
            return all("languages" in r for r in data.get("repos", []) if r.get("name", "").lower() in wanted)
        return True

    def start(name: str, user: str) -> tuple[Outcome, dict | None, str, bool]:
        """The last good data of a source, and whether it is all this build needs (offline, or inside TTL)."""
        out = Outcome(name, user)
        prev, origin = last_good(name, user)
        done = offline or fresh_enough(name, prev)
        if done:
            out.data, out.origin = prev, ("fresh cache" if not offline and prev else origin)
        return out, prev, origin, done

    def do_github() -> Outcome:
        out, prev, origin, done = start("github", gh_user)
        if done:
            return out
        client = gh.GitHubClient(http, api_url=config.github.api_url, token=github_token)
        try:
            out.data, out.origin, out.fresh = client.fetch(gh_user, config.github.featured), "network", True
            return out
        except gh.UserNotFound as exc:
            out.not_found, out.failure = True, exc.reason
            return out
        except RemoteError as exc:
            out.failure, out.hint = _github_reason(exc, github_token)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            out.failure, out.hint = f"unexpected answer ({type(exc).__name__})", ""
        out.data, out.origin = prev, origin
        return out

    def do_kaggle() -> Outcome:
        out, prev, origin, done = start("kaggle", kg_user)
        if done:
            return out
        if kaggle_creds is None:
            out.no_credentials = True
            out.failure = "no Kaggle credentials"
            out.hint = ("set KAGGLE_API_TOKEN, or KAGGLE_USERNAME and KAGGLE_KEY, or put kaggle.json in "
                        "~/.kaggle/ (or KAGGLE_CONFIG_DIR)")
            out.data, out.origin = prev, origin
            return out
        settings = config.kaggle
        client = kg.KaggleClient(http, api_url=settings.api_url, credentials=kaggle_creds)
        try:
            out.data = client.fetch(kg_user, datasets=settings.datasets, notebooks=settings.notebooks,
                                    competitions=settings.competitions)
            out.origin, out.fresh = "network", True
            return out
        except RemoteError as exc:
            out.failure, out.hint = _kaggle_reason(exc, kaggle_creds)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            out.failure = f"unexpected answer ({type(exc).__name__})"
        out.data, out.origin = prev, origin
        return out

    outcomes: dict[str, Outcome] = {}
    try:
        with ThreadPoolExecutor(2, thread_name_prefix="mlfolio-fetch") as pool:
            jobs = {}
            if gh_user:
                jobs["github"] = pool.submit(do_github)
            if kg_user:
                jobs["kaggle"] = pool.submit(do_kaggle)
            for name, job in jobs.items():
                outcomes[name] = job.result()
    finally:
        http.close()
    fresh = {name: o.data for name, o in outcomes.items() if o.fresh and o.data}
    if fresh:
        try:
            snapshot.update(cache_file, fresh)          # the last good data, for the next fallback
        except OSError:
            pass
    for o in outcomes.values():                         # no token may hide in a message
        o.failure, o.hint = http.redact(o.failure), http.redact(o.hint)
    remote = assemble(config, outcomes)
    http.stats.seconds = round(http.stats.seconds, 4)
    return FetchRun(remote, outcomes, http.stats, time.perf_counter() - t0)


def assemble(config, outcomes: dict[str, Outcome]) -> RemoteData:
    remote = RemoteData()
    o = outcomes.get("github")
    if o is not None:
        data = o.data or {}
        remote.github_profile_url = data.get("profile_url") or f"https://github.com/{o.user}"
        if o.data:
            remote.repos = gh.to_projects(data, config.github)
            remote.totals.stars = gh.total_stars(data)
            remote.totals.followers = int(data.get("followers") or 0)
            remote.totals.public_repos = int(data.get("public_repos") or 0)
        remote.status.append(_status(o))
    o = outcomes.get("kaggle")
    if o is not None:
        data = o.data or {}
        remote.kaggle_profile_url = data.get("profile_url") or f"https://www.kaggle.com/{o.user}"
        if o.data:
            remote.datasets, remote.notebooks, remote.competitions = kg.to_projects(data, config.kaggle)
            remote.totals.kaggle_votes = kg.total_votes(data)
        remote.status.append(_status(o))
    return remote


def _status(o: Outcome) -> SourceStatus:
    fetched = snapshot.parse_time((o.data or {}).get("fetched_at"))
    if o.fresh or (o.data and not o.failure):
        return SourceStatus(o.name, True, "", fetched)
    if o.no_credentials and o.data:                  # a committed snapshot, by design: not "stale" on the page
        return SourceStatus(o.name, True, f"no Kaggle credentials; using data {_age(o.data)}", fetched)
    if not o.data:
        why = o.failure or "offline"
        return SourceStatus(o.name, False, f"no {LABELS[o.name]} data yet ({why})", None)
    return SourceStatus(o.name, False, f"{o.failure}; showing data {_age(o.data)}", fetched)


def _age(data: dict | None) -> str:
    return snapshot.describe_age(snapshot.age_seconds(data))


def _github_reason(exc: RemoteError, token: str | None) -> tuple[str, str]:
    if isinstance(exc, RateLimited):
        when = ""
        if exc.reset:
            left = max(0, int(exc.reset - time.time()))
            when = f", resets at {time.strftime('%H:%M UTC', time.gmtime(exc.reset))} (in {left // 60 + 1} min)"
        hint = ("the limit of this GITHUB_TOKEN is used up; wait for the reset or build with --offline" if token
                else "set GITHUB_TOKEN to raise the limit from 60 to 5,000 requests an hour, or build with --offline")
        return f"GitHub API rate limit exceeded{when}", hint
    if isinstance(exc, Unauthorized):
        if token:
            return ("GitHub rejected the token from GITHUB_TOKEN (401 Bad credentials)",
                    "create a new token, or unset GITHUB_TOKEN to fetch public data without one")
        return "GitHub answered 401 Unauthorized", "check github.api_url"
    return exc.reason, "check the network, or build with --offline"


def _kaggle_reason(exc: RemoteError, creds) -> tuple[str, str]:
    if isinstance(exc, Unauthorized) or exc.status == 403:
        return (f"Kaggle rejected the credentials from {creds.source} ({exc.status})",
                "create a new API token on kaggle.com (Settings → API) and update it there")
    if isinstance(exc, RateLimited):
        return "Kaggle API rate limit exceeded", "wait a while, or build with --offline"
    return exc.reason, "check the network, or build with --offline"


# --- problems for the build ---------------------------------------------------------------------------

def report(run: FetchRun, config, site_dir: Path, marks: dict, problems: Problems) -> None:
    cfg = site_dir / "mlfolio.yml"
    for name, o in run.outcomes.items():
        line, col = marks.get(f"{name}.user", (None, None))
        label = LABELS[name]
        if o.not_found:
            problems.error(cfg, line, col, f"GitHub user '{o.user}' not found",
                           "check the spelling of github.user (the handle in your github.com URL)")
            continue
        if o.no_credentials:
            if not o.data:
                problems.warn(cfg, line, col, "Kaggle skipped: no Kaggle credentials and no earlier data", o.hint)
            continue
        if o.failure:
            if o.data:
                where = ".mlfolio-cache" if o.origin == "cache" else "data/remote.json"
                problems.warn(cfg, line, col, f"{label} data not refreshed: {o.failure}; using {where} data "
                              f"{_age(o.data)}", o.hint)
            else:
                problems.warn(cfg, line, col, f"{label} data not refreshed: {o.failure}; no earlier data, so no "
                              f"{label} cards", "run 'mlfolio fetch' once online and commit data/remote.json")
        elif not o.data:
            problems.warn(cfg, line, col, f"no {label} data: offline, and neither .mlfolio-cache nor "
                          "data/remote.json has any", "run 'mlfolio fetch' once online and commit data/remote.json")
    o = run.outcomes.get("github")
    if o is not None and o.data and config.github.featured:
        names = {r.get("name", "").lower() for r in o.data.get("repos", [])}
        line, col = marks.get("github.featured", (None, None))
        for f in config.github.featured:
            if f.lower() not in names:
                problems.warn(cfg, line, col, f"featured repository '{f}' is not a public repository of '{o.user}'",
                              "check the name in github.featured")


__all__ = ["fetch_remote", "run_fetch", "FetchRun", "Outcome"]
