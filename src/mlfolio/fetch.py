"""`mlfolio fetch` as a library call: refresh every configured source and write the committed snapshot."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import load_config
from .errors import Problem, Problems
from .paths import SNAPSHOT


@dataclass
class RefreshResult:
    lines: list[str] = field(default_factory=list)      # one per source, for stdout
    notes: list[str] = field(default_factory=list)      # what was (not) written, for stderr
    warnings: list[Problem] = field(default_factory=list)
    exit_code: int = 0


def refresh(site_dir: Path) -> RefreshResult:
    """Fetches every source (no TTL, no offline) and updates data/remote.json with what was refreshed."""
    from .remote import report, run_fetch, snapshot

    problems = Problems(root=site_dir)
    loaded = load_config(site_dir, problems)
    problems.raise_if_errors()
    config = loaded.config
    out = RefreshResult()
    if not ((config.github and config.github.user) or (config.kaggle and config.kaggle.user)):
        return out
    run = run_fetch(config, site_dir, offline=False, use_ttl=False)
    report(run, config, site_dir, loaded.marks, problems)
    problems.raise_if_errors()
    out.warnings = problems.warnings
    r = run.remote
    for name, o in run.outcomes.items():
        state = "" if o.fresh else f"  (not refreshed: {o.failure or 'offline'})"
        data = o.data or {}
        if name == "github":
            out.lines.append(f"github  {o.user}: {len(data.get('repos', []))} repositories ({len(r.repos)} shown), "
                             f"{r.totals.stars:,} stars, {r.totals.followers:,} followers{state}")
        else:
            out.lines.append(f"kaggle  {o.user}: {len(data.get('datasets', []))} datasets, "
                             f"{len(data.get('notebooks', []))} notebooks, "
                             f"{len(data.get('competitions', []))} competitions{state}")
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
