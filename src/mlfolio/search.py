"""Site search (`search: true`): after rendering, the Pagefind binary indexes the output into `pagefind/`.

Only what templates mark `data-pagefind-body` (posts, pages, projects, publications) is indexed. The binary
comes from the `pagefind[bin]` wheels (`pip install 'mlfolio[search]'`); without it the build warns and goes
on, since search is an extra, never a reason to lose a site (an error under --strict).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import Problems
from .output import output_lock

FOLDER = "pagefind"                      # output sub-folder of the index, fetched by assets/search.js
BINARY_ENV = "PAGEFIND_BINARY_PATH"      # Pagefind's own variable: use this binary (a path that is not one: none)
TIMEOUT = 600
INSTALL_HINT = "pip install 'mlfolio[search]' (or set search: false)"


def find_binary() -> str | None:
    """The Pagefind executable: $PAGEFIND_BINARY_PATH when set, else the `pagefind_bin_extended` or
    `pagefind_bin` wheel's, else `pagefind_extended` or `pagefind` on PATH."""
    chosen = os.environ.get(BINARY_ENV)
    if chosen is not None:
        return chosen if os.path.isfile(chosen) and os.access(chosen, os.X_OK) else None
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found = __import__(module).get_executable()
        except (ImportError, FileNotFoundError, OSError, AttributeError):
            continue
        if os.access(found, os.X_OK):
            return str(found)
    return shutil.which("pagefind_extended") or shutil.which("pagefind")


def index_site(folder: Path, problems: Problems, where: tuple = ("", None, None),
               running: list | None = None, nice: int = 0) -> bool:
    """Indexes the built site in `folder` into `folder/pagefind/`, replacing any previous index whole (a failed
    run leaves the previous one, or none). Problems are warnings at `where` (the `search:` line); False then.
    `running` receives the Pagefind process while it runs, for a caller that may have to stop it, and `nice`
    lowers its priority (serve: the next rebuild comes first)."""
    path, line, col = where
    target = folder / FOLDER
    if target.exists() and not (target / "pagefind-entry.json").is_file():
        problems.warn(path, line, col, f"search: the site has a '{FOLDER}/' of its own (in static/ or a page's "
                      "URL), where the search index goes; the site is built without search",
                      f"rename or move {FOLDER}/, or set search: false")
        return False
    binary = find_binary()
    if binary is None:
        why = f"{BINARY_ENV} is not an executable file" if os.environ.get(BINARY_ENV) is not None else \
            "it is not installed"
        problems.warn(path, line, col, f"search: true needs the pagefind binary, and {why}"
                      f"{'' if problems.strict else '; the site is built without search'}", INSTALL_HINT)
        return False
    fresh = folder.parent / f".{folder.name}.{FOLDER}-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        with subprocess.Popen([binary, "--site", str(folder), "--output-path", str(fresh), "--silent"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
                              stdin=subprocess.DEVNULL) as run:
            if running is not None:
                running.append(run)
            if nice and hasattr(os, "setpriority"):
                try:
                    os.setpriority(os.PRIO_PROCESS, run.pid, nice)
                except OSError:
                    pass
            try:
                out, err = run.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                run.kill()
                raise
            finally:
                if running is not None:
                    running.remove(run)
        failure = "" if run.returncode == 0 else _last_lines(err or out) or f"exit code {run.returncode}"
    except (OSError, subprocess.SubprocessError) as exc:
        failure = f"{type(exc).__name__}: {exc}"
    if failure or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        problems.warn(path, line, col, f"search index not built: pagefind ({binary}) failed: "
                      f"{failure or 'it wrote no pagefind.js'}", "fix what pagefind reports, or set search: false to "
                      "build without search")
        return False
    try:
        placed = _swap(fresh, target)
    except OSError as exc:
        placed = False
        problems.warn(path, line, col, f"search index not built: cannot put it in {target}: {exc}",
                      "check the output folder's permissions and free space")
    if not placed:
        shutil.rmtree(fresh, ignore_errors=True)
    return placed


def _swap(fresh: Path, target: Path) -> bool:
    """Puts the new index in place of the old one, under the output's lock: serve indexes its output while the
    next build may swap in a whole new folder (False then: that build asks for an index of its own)."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    with output_lock(target.parent):
        if not target.parent.is_dir():
            return False
        if target.exists():
            os.replace(target, old)
        os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)
    return True


def keep_index(old: Path, new: Path) -> None:
    """serve: the new folder of a full rebuild starts with the last index (hard links, not in its manifest), so
    the search box keeps working until the indexer thread has indexed the new pages."""
    source, target = old / FOLDER, new / FOLDER
    with output_lock(old):
        if not (source / "pagefind-entry.json").is_file() or target.exists():
            return
        try:
            shutil.copytree(source, target, copy_function=_link_or_copy)
        except (OSError, shutil.Error):
            shutil.rmtree(target, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _last_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " / ".join(lines[-count:])


__all__ = ["FOLDER", "BINARY_ENV", "find_binary", "index_site", "keep_index"]
