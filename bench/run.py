#!/usr/bin/env python3
"""Times mlfolio against Hugo and Pelican on the same generated corpus, in one run.

    python bench/run.py [--posts 1000] [--repeat 3]

Generates N posts into bench/.work/site (see generate.py), then measures:

    mlfolio  clean build           output folder and .mlfolio-cache deleted first
    mlfolio  no-change rebuild     the same command again, nothing edited
    mlfolio  one post edited       one post's body changed, then rebuilt
    hugo     clean build           if `hugo` is on PATH (public/ and resources/ deleted first)
    pelican  clean build           if pelican and markdown are importable (output/ deleted first)

Each scenario runs --repeat times; the table shows the best wall-clock time, the peak resident
memory of the largest single process (ru_maxrss from wait4, like /usr/bin/time), and the peak
memory of the whole process tree (sum of PSS, sampled every 50 ms on the last repetition only: the
sampling costs CPU), so a build that forks
workers is not flattered. mlfolio runs as `python -m mlfolio build SITE -q` from this checkout.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (bench/generate.py, next to this file)


@dataclass
class Run:
    seconds: float
    cpu_seconds: float         # user + system time of the command and its reaped children
    max_rss_mb: float          # largest single process (ru_maxrss)
    tree_mb: float | None      # peak sum of PSS over the process tree (None if /proc is unavailable)


@dataclass
class Result:
    tool: str
    scenario: str
    runs: list[Run] = field(default_factory=list)
    pages: int = 0
    error: str = ""

    @property
    def best(self) -> Run | None:
        return min(self.runs, key=lambda r: r.seconds) if self.runs else None


# ---------------------------------------------------------------------------------------------
# Measuring one command
# ---------------------------------------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and all its descendants; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.stop = threading.Event()
        self.available = os.path.isdir("/proc/self")

    def run(self) -> None:
        while self.available and not self.stop.is_set():
            kids = _children_map()
            todo, total = [self.pid], 0
            while todo:
                pid = todo.pop()
                total += _pss_kb(pid)
                todo.extend(kids.get(pid, ()))
            self.peak_kb = max(self.peak_kb, total)
            self.stop.wait(self.interval)


def measure(cmd: list[str], cwd: Path, env: dict[str, str], sample: bool = True) -> Run:
    """Runs cmd, returns wall time and memory; raises RuntimeError with its output on failure.

    The process-tree sampler scans /proc every 50 ms and so takes CPU from the command it measures: callers
    sample only the last repetition, and the best time comes from the others."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = TreeSampler(proc.pid)
    sampler.available = sampler.available and sample
    sampler.start()
    output = proc.stdout.read()                      # until the child closes it (i.e. exits)
    _, status, usage = os.wait4(proc.pid, 0)         # rusage of this child and its reaped children
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n"
                           f"{output.decode('utf-8', 'replace')[-3000:]}")
    rss_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    return Run(round(seconds, 3), round(usage.ru_utime + usage.ru_stime, 3), round(rss_kb / 1024, 1),
               round(sampler.peak_kb / 1024, 1) if sampler.available else None)


def count_html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


def rm(*paths: Path) -> None:
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


# ---------------------------------------------------------------------------------------------
# The scenarios
# ---------------------------------------------------------------------------------------------

@dataclass
class Scenario:
    """One command to time: run() measures it once, after `before(i)`."""

    result: Result
    cmd: list[str]
    cwd: Path
    env: dict[str, str]
    output: Path
    before: Callable[[int], None] = lambda i: None

    def run(self, i: int, last: bool, log) -> None:
        self.before(i)
        self.result.runs.append(measure(self.cmd, self.cwd, self.env, sample=last))
        log(f"{self.result.tool} {self.result.scenario} #{i + 1}: {self.result.runs[-1].seconds:.2f} s")
        self.result.pages = count_html(self.output)


def run_all(clean: list[Scenario], others: list[Scenario], repeat: int, log) -> None:
    """Clean builds of every tool take turns (mlfolio #1, Hugo #1, Pelican #1, mlfolio #2 …), so a slow spell
    of a shared machine hits all tools alike; then mlfolio's other scenarios, each `repeat` times."""
    for i in range(repeat):
        for s in clean:
            _guarded(s, i, repeat, log)
    for s in others:
        for i in range(repeat):
            _guarded(s, i, repeat, log)


def _guarded(s: Scenario, i: int, repeat: int, log) -> None:
    if s.result.error:
        return
    try:
        s.run(i, i == repeat - 1, log)
    except RuntimeError as exc:
        s.result.error = str(exc).splitlines()[0]
        log(str(exc))


def mlfolio_scenarios(site: Path) -> tuple[Scenario, list[Scenario]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "mlfolio", "build", str(site), "-q"]
    out = site / "_site"
    posts = sorted((site / "posts").glob("*.md"))
    victim = posts[len(posts) // 2]

    def edit(i: int) -> None:
        with victim.open("a", encoding="utf-8") as fh:
            fh.write(f"\nEdited for benchmark run {i + 1}: one more sentence about the results.\n")

    clean = Scenario(Result("mlfolio", "clean build"), cmd, REPO, env, out,
                     before=lambda i: rm(out, site / ".mlfolio-cache"))
    # the no-change build first rebuilds what the other tools' turns left (the last clean build stands)
    return clean, [Scenario(Result("mlfolio", "no-change rebuild"), cmd, REPO, env, out),
                   Scenario(Result("mlfolio", "one post edited"), cmd, REPO, env, out, before=edit)]


def hugo_scenario(site: Path) -> Scenario:
    hugo = shutil.which("hugo")
    root = site / "hugo"
    s = Scenario(Result("hugo", "clean build"), [hugo or "hugo", "--quiet", "--destination", "public"], root,
                 dict(os.environ), root / "public",
                 before=lambda i: rm(root / "public", root / "resources", root / ".hugo_build.lock"))
    if not hugo:
        s.result.error = "hugo not on PATH"
    return s


def pelican_scenario(site: Path) -> Scenario:
    root = site / "pelican"
    cmd = [sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    s = Scenario(Result("pelican", "clean build"), cmd, root, dict(os.environ), root / "output",
                 before=lambda i: rm(root / "output", root / "cache", root / "__pycache__"))
    if importlib.util.find_spec("pelican") is None:
        s.result.error = "pelican not installed (pip install 'pelican[markdown]')"
    elif importlib.util.find_spec("markdown") is None:
        s.result.error = ("the 'markdown' package is missing, so Pelican would skip every .md file "
                          "(pip install 'pelican[markdown]')")
    return s


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    try:
        sys.path.insert(0, str(REPO / "src"))
        import mlfolio
        out["mlfolio"] = mlfolio.__version__
    except Exception:  # noqa: BLE001 — a report line, not a failure
        out["mlfolio"] = "?"
    if shutil.which("hugo"):
        line = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()
        out["hugo"] = line[1] if len(line) > 1 else "?"
    try:
        from importlib.metadata import version
        out["pelican"] = version("pelican")
        out["markdown"] = version("markdown")
    except Exception:  # noqa: BLE001
        pass
    return out


def table(results: list[Result], repeat: int) -> str:
    hugo = next((r.best for r in results if r.tool == "hugo" and r.best), None)
    lines = [f"| Tool | Scenario | Seconds (best of {repeat}) | CPU seconds | Peak MB (largest process) "
             f"| Peak MB (all processes) | HTML pages | vs Hugo clean |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        b = r.best
        if b is None:
            lines.append(f"| {r.tool} | {r.scenario} | — | — | — | — | — | {r.error or 'not run'} |")
            continue
        ratio = f"{b.seconds / hugo.seconds:.2f}×" if hugo else "—"
        peak_rss = max(x.max_rss_mb for x in r.runs)
        peak_tree = max((x.tree_mb for x in r.runs if x.tree_mb is not None), default=None)
        tree = f"{peak_tree:.0f}" if peak_tree is not None else "—"
        lines.append(f"| {r.tool} | {r.scenario} | {b.seconds:.2f} | {b.cpu_seconds:.2f} | {peak_rss:.0f} | {tree} "
                     f"| {r.pages:,} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time mlfolio, Hugo and Pelican on one generated corpus.",
                                 epilog="example:\n  python bench/run.py --posts 1000 --repeat 3",
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=1000, help="number of generated posts (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per scenario; the best counts (default 3)")
    ap.add_argument("--seed", type=int, default=42, help="corpus seed (default 42)")
    ap.add_argument("--workdir", type=Path, default=HERE / ".work", help="where the corpus goes (default bench/.work)")
    ap.add_argument("--no-hugo", action="store_true", help="skip Hugo")
    ap.add_argument("--no-pelican", action="store_true", help="skip Pelican")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every run as JSON")
    args = ap.parse_args(argv)
    if args.posts < 1 or args.repeat < 1:
        ap.error("--posts and --repeat must be at least 1")

    def log(msg: str) -> None:
        print(f"  {msg}", file=sys.stderr, flush=True)

    site = args.workdir / "site"
    t0 = time.perf_counter()
    posts = generate.generate(args.posts, site, args.seed)
    words = sum(generate._prose_words(p.body) for p in posts)
    log(f"generated {len(posts):,} posts ({words:,} words) in {site} in {time.perf_counter() - t0:.1f} s")
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None

    clean, others = mlfolio_scenarios(site)
    tools = [clean] + ([] if args.no_hugo else [hugo_scenario(site)]) + \
        ([] if args.no_pelican else [pelican_scenario(site)])
    run_all(tools, others, args.repeat, log)
    results = [clean, *others, *tools[1:]]
    results = [s.result for s in results]

    info = versions()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\n{args.posts:,} posts, {words:,} words; {cpus} CPUs; "
          + ", ".join(f"{k} {v}" for k, v in info.items())
          + (f"; load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after" if load_before else "")
          + "\n")
    print(table(results, args.repeat))
    if args.json:
        args.json.write_text(json.dumps({
            "posts": args.posts, "words": words, "repeat": args.repeat, "cpus": cpus, "versions": info,
            "results": [dict(asdict(r), best=asdict(r.best) if r.best else None) for r in results],
        }, indent=2), encoding="utf-8")
    return 1 if any(r.error and r.tool == "mlfolio" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
