"""The fetch stage: every configured remote source (GitHub, Kaggle, plugins' sources), fetched concurrently,
never breaking a build.

Where a source's data comes from, in order:
1. `offline`: no request at all; the last good fetch (`.mlfolio-cache/remote.json`) or the committed
   snapshot (`data/remote.json`), whichever is newer.
2. `use_ttl` (serve) and that data is younger than `fetch.ttl`: used as is, no request.
3. The network, through one shared HTTP client (conditional requests: a warm build gets only 304s).
4. Any failure (timeout, rate limit, 5xx, bad JSON, 401, …): the last good data, with one warning line per
   source saying what failed and how old the data is (`--strict` makes that an error).
An account that does not exist is an error at its line in mlfolio.yml.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, Problems
from .paths import CACHE_DIR, CONFIG, SNAPSHOT
from .progress import Progress, terminal
from .projects import SourceStatus, SourceView
from .remote import snapshot
from .remote.errors import RemoteError
from .sources.base import SourceNotFound


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
    not_found: SourceNotFound | None = None   # the account does not exist: an error, not a fallback
    no_credentials: bool = False   # a source that needs credentials and has none: skipped, not failed


@dataclass
class FetchRun:
    views: dict[str, SourceView]
    outcomes: dict[str, Outcome]
    stats: Any = None              # remote.http.Stats of the requests made; None offline (no client at all)
    seconds: float = 0.0


def enabled_sources(config, registry, site_dir: Path) -> list[tuple]:
    """(source, settings, user) of every source mlfolio.yml turns on, in registry order."""
    out = []
    for source in registry.sources.values():
        settings = source.settings_in(config, site_dir)
        if settings is not None and source.user(settings):
            out.append((source, settings, source.user(settings)))
    return out


def fetch_sources(config, registry, site_dir: Path, *, marks: dict, problems: Problems, offline: bool,
                  use_ttl: bool, progress: bool = False) -> dict[str, SourceView]:
    """build.py's entry point: a view per configured source, problems reported into `problems`."""
    if not enabled_sources(config, registry, Path(site_dir)):
        return {}
    run = run_fetch(config, registry, Path(site_dir), offline=offline, use_ttl=use_ttl, progress=progress)
    report(run, config, registry, Path(site_dir), marks, problems)
    return run.views


def run_fetch(config, registry, site_dir: Path, *, offline: bool, use_ttl: bool, env=None,
              progress: bool = False) -> FetchRun:
    env = os.environ if env is None else env
    t0 = time.perf_counter()
    cache_file = site_dir / CACHE_DIR / "remote.json"
    snap_file = site_dir / SNAPSHOT
    active = enabled_sources(config, registry, site_dir)
    creds = {src.name: src.credentials(env) for src, _, _ in active if not offline}
    secrets = tuple(s for c in creds.values() if c for s in c.secrets)
    http = None
    if not offline:                  # offline, no client: the HTTP stack is not even imported
        from .remote.http import HttpClient
        http = HttpClient(site_dir / CACHE_DIR / "http", timeout=config.fetch.timeout, offline=offline,
                          ttl=config.fetch.ttl if use_ttl else None, secrets=secrets)

    def last_good(name: str, user: str) -> tuple[dict | None, str]:
        found = [(d, origin) for d, origin in ((snapshot.source(cache_file, name, user), "cache"),
                                               (snapshot.source(snap_file, name, user), "snapshot")) if d]
        if not found:
            return None, ""
        oldest = snapshot.parse_time("1970-01-01T00:00:00Z")
        return max(found, key=lambda pair: snapshot.parse_time(pair[0].get("fetched_at")) or oldest)

    def fetch_one(source, settings, user) -> Outcome:
        out = Outcome(source.name, user)
        prev, origin = last_good(source.name, user)
        age = snapshot.age_seconds(prev)
        inside_ttl = (use_ttl and prev is not None and age is not None and age < config.fetch.ttl
                      and source.fresh_enough(prev, settings))
        if offline or inside_ttl:
            out.data, out.origin = prev, ("fresh cache" if not offline and prev else origin)
            return out
        credentials = creds.get(source.name)
        if source.needs_credentials and credentials is None:
            out.no_credentials, out.failure = True, f"no {source.label} credentials"
            out.hint = source.credentials_hint
            out.data, out.origin = prev, origin
            return out
        try:
            out.data, out.origin, out.fresh = source.fetch(http, settings, user, credentials), "network", True
            return out
        except SourceNotFound as exc:
            out.not_found, out.failure = exc, exc.message
            return out
        except RemoteError as exc:
            out.failure, out.hint = source.explain(exc, credentials)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            out.failure, out.hint = f"unexpected answer ({type(exc).__name__})", ""
        out.data, out.origin = prev, origin
        return out

    outcomes: dict[str, Outcome] = {}
    try:
        if active:
            from concurrent.futures import ThreadPoolExecutor, wait
            bar = Progress(f"Fetching {', '.join(src.label for src, _, _ in active)}", len(active), progress)
            with ThreadPoolExecutor(len(active), thread_name_prefix="mlfolio-fetch") as pool:
                jobs = {src.name: pool.submit(fetch_one, src, settings, user) for src, settings, user in active}
                while wait(jobs.values(), timeout=0.1).not_done:
                    bar.show(sum(job.done() for job in jobs.values()))
                bar.close()
                outcomes = {name: job.result() for name, job in jobs.items()}
    finally:
        if http is not None:
            http.close()
    fresh = {name: o.data for name, o in outcomes.items() if o.fresh and o.data}
    if fresh:
        try:
            snapshot.update(cache_file, fresh)          # the last good data, for the next fallback
        except OSError:
            pass
    for o in outcomes.values():                         # no secret may hide in a message
        if http is not None:
            o.failure, o.hint = http.redact(o.failure), http.redact(o.hint)
    views = {src.name: src.view(outcomes[src.name].data or {}, settings, user, _status(src, outcomes[src.name]))
             for src, settings, user in active}
    if http is not None:
        http.stats.seconds = round(http.stats.seconds, 4)
    return FetchRun(views, outcomes, http.stats if http is not None else None, time.perf_counter() - t0)


def _status(source, o: Outcome) -> SourceStatus:
    fetched = snapshot.parse_time((o.data or {}).get("fetched_at"))
    if o.fresh or (o.data and not o.failure):
        return SourceStatus(o.name, True, "", fetched, source.label)
    if o.no_credentials and o.data:                  # a committed snapshot, by design: not "stale" on the page
        return SourceStatus(o.name, True, f"{o.failure}; using data {_age(o.data)}", fetched, source.label)
    if not o.data:
        return SourceStatus(o.name, False, f"no {source.label} data yet ({o.failure or 'offline'})", None,
                            source.label)
    return SourceStatus(o.name, False, f"{o.failure}; showing data {_age(o.data)}", fetched, source.label)


def _age(data: dict | None) -> str:
    return snapshot.describe_age(snapshot.age_seconds(data))


def fingerprint(views: dict[str, SourceView]) -> str:
    """Stable text of the data, so an unchanged fetch lets a rebuild skip rendering. A view follows from its
    data and its settings (mlfolio.yml, which the build fingerprints itself), so the data is what counts.

    Of a status only (name, ok) counts, and the data's `fetched_at` not at all: fetch times and ages in
    messages change every build, but a source going stale or fresh again must re-render the page's note."""
    data = [(name, view.user, view.status.name, view.status.ok,
             {k: v for k, v in view.data.items() if k != "fetched_at"}) for name, view in views.items()]
    blob = json.dumps(data, default=str, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


# --- problems for the build ---------------------------------------------------------------------------

def report(run: FetchRun, config, registry, site_dir: Path, marks: dict, problems: Problems) -> None:
    cfg = site_dir / CONFIG
    for name, o in run.outcomes.items():
        source = registry.sources[name]
        line, col = marks.get(source.config_key or f"{name}.{source.identity}") or marks.get(name, (None, None))
        label = source.label
        if o.not_found is not None:
            line, col = marks.get(f"{name}.{o.not_found.key}", (line, col))
            problems.error(cfg, line, col, o.not_found.message, o.not_found.hint)
            continue
        if o.no_credentials:
            if not o.data:
                problems.warn(cfg, line, col, f"{label} skipped: {o.failure} and no earlier data", o.hint)
            continue
        if o.failure:
            if o.data:
                where = CACHE_DIR if o.origin == "cache" else SNAPSHOT.as_posix()
                problems.warn(cfg, line, col, f"{label} data not refreshed: {o.failure}; using {where} data "
                              f"{_age(o.data)}", o.hint)
            else:
                problems.warn(cfg, line, col, f"{label} data not refreshed: {o.failure}; no earlier data, so no "
                              f"{label} cards", f"run 'mlfolio fetch' once online and commit {SNAPSHOT.as_posix()}")
        elif not o.data:
            problems.warn(cfg, line, col, f"no {label} data: offline, and neither {CACHE_DIR} nor "
                          f"{SNAPSHOT.as_posix()} has any",
                          f"run 'mlfolio fetch' once online and commit {SNAPSHOT.as_posix()}")
        if o.data:
            settings = source.settings_in(config, site_dir)
            for key, message, hint in source.check(o.data, settings):
                kline, kcol = marks.get(f"{name}.{key}", (line, col))
                problems.warn(cfg, kline, kcol, message, hint)


# --- mlfolio fetch ------------------------------------------------------------------------------------

@dataclass
class RefreshResult:
    lines: list[str] = field(default_factory=list)      # one per source, then totals: for stdout
    notes: list[str] = field(default_factory=list)      # what was not written: for stderr
    warnings: list[Problem] = field(default_factory=list)
    exit_code: int = 0


def refresh(site_dir: Path) -> RefreshResult:
    """`mlfolio fetch`: every source fetched (no TTL, no offline); data/remote.json updated with what was
    refreshed. Exit code 1 when a source could not be refreshed (a source without credentials is skipped)."""
    from .config import load_config

    problems = Problems(root=site_dir)
    loaded = load_config(site_dir, problems)
    problems.raise_if_errors()
    config, registry = loaded.config, loaded.registry
    out = RefreshResult()
    if not enabled_sources(config, registry, site_dir):
        return out
    run = run_fetch(config, registry, site_dir, offline=False, use_ttl=False, progress=terminal())
    report(run, config, registry, site_dir, loaded.marks, problems)
    problems.raise_if_errors()
    out.warnings = problems.warnings
    width = max([7] + [len(name) for name in run.outcomes])
    for name, o in run.outcomes.items():
        state = "" if o.fresh else f"  (not refreshed: {o.failure or 'offline'})"
        out.lines.append(f"{name:<{width}} {o.user}: {registry.sources[name].summary(o.data or {}, run.views[name])}{state}")
    out.lines.append(f"{run.stats.summary()} in {run.seconds:.2f} s")
    fresh = {name: o.data for name, o in run.outcomes.items() if o.fresh and o.data}
    if fresh:
        changed = snapshot.update(site_dir / SNAPSHOT, fresh)
        out.lines.append(f"{'Wrote' if changed else 'Unchanged:'} {SNAPSHOT.as_posix()} ({', '.join(sorted(fresh))})")
    else:
        out.notes.append(f"{SNAPSHOT.as_posix()} not written: nothing was refreshed")
    failed = [o for o in run.outcomes.values() if not o.fresh and not o.no_credentials]
    out.exit_code = 1 if failed else 0
    return out


__all__ = ["FetchRun", "Outcome", "enabled_sources", "fetch_sources", "fingerprint", "refresh", "report",
           "run_fetch"]
