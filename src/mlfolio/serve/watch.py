"""Watching the sources: which file events count, and the quiet period that makes a burst of saves one rebuild."""
from __future__ import annotations

import fnmatch
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer

from ..paths import DEFAULT_OUTPUT, IGNORED_DIRS, IGNORED_NAMES, MANIFEST

DEBOUNCE = 0.1                       # seconds of quiet after the last file event before a rebuild ...
SETTLE = 0.03                        # ... or after a write is complete (file closed, renamed into place, deleted)

# opened / closed_no_write / attrib events are left out: they are reads, e.g. by the build itself
EVENT_KINDS = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent,
               DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
WRITE_DONE = ("closed", "moved", "deleted")
SWAP_SIBLING = re.compile(r"\..+\.(tmp|old)-\d+")   # an output's temporary and backup folders (output.py)


class Debouncer:
    """Collects changed paths until the events stop for a quiet period, so a burst of saves is one rebuild."""

    def __init__(self, debounce: float = DEBOUNCE, settle: float = SETTLE):
        self.debounce, self.settle = debounce, min(settle, debounce)
        self._changed = threading.Condition()
        self._pending: set[Path] = set()
        self._requested = False              # add() was called, perhaps with no paths (a full build is due)
        self._due = 0.0
        self._closed = False

    def add(self, paths: Iterable[Path], write_done: bool) -> None:
        """Every event restarts the quiet period: `settle` s when it ended a write, else `debounce` s. With no
        paths, take() still returns (an empty set): a rebuild for another reason."""
        with self._changed:
            self._pending.update(paths)
            self._requested = True
            self._due = time.monotonic() + (self.settle if write_done else self.debounce)
            self._changed.notify_all()

    def take(self) -> set[Path] | None:
        """Blocks until paths changed and then went quiet, and returns them; None once closed."""
        with self._changed:
            while not self._closed:
                left = self._due - time.monotonic() if self._requested else None
                if left is not None and left <= 0:
                    changed, self._pending, self._requested = self._pending, set(), False
                    return changed
                self._changed.wait(left)
            return None

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


class SourceWatcher:
    """watchdog on the site folder, and on the folders outside it that a build reads (the theme, plugins).

    The site's top level is watched on its own and each of its folders recursively, except the output,
    caches and VCS folders: a recursive watch on the site would follow every folder each build writes.
    That includes what `mlfolio build` writes meanwhile (_site/, or any folder holding a build manifest).
    Changed paths that are not ignored go to on_change(paths, write_done).
    """

    def __init__(self, site_dir: Path, output: Callable[[], Path],
                 on_change: Callable[[list[Path], bool], None], warn: Callable[[str], None]):
        self.site_dir = Path(site_dir).resolve()
        self._output = output
        self._on_change = on_change
        self._warn = warn
        self._observer: Observer | None = None
        self._handler = _Events(self)
        self._watches: dict[Path, object] = {}     # folder → watchdog ObservedWatch
        self._extra: set[Path] = set()             # folders watched because a build reads them
        self._build_outputs: set[str] = set()      # top-level folders seen holding a build manifest
        self._lock = threading.Lock()

    def start(self) -> None:
        # watchdog logs a harmless race at stop ("queue_events() called when the thread is inactive")
        logging.getLogger("watchdog.observers.inotify").addFilter(_drop_inactive_notice)
        self._observer = Observer()
        self._observer.daemon = True
        self.watch(self.site_dir, recursive=False)
        for entry in sorted(self.site_dir.iterdir()):
            if entry.is_dir() and not self.ignored(entry):
                self.watch(entry)
        self._observer.start()

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            try:
                observer.stop()
                observer.join(5)
            except Exception:  # noqa: BLE001 - stopping must not fail
                pass

    def watch(self, root: Path, recursive: bool = True) -> None:
        with self._lock:
            if self._observer is None or root in self._watches:
                return
            try:
                self._watches[root] = self._observer.schedule(self._handler, str(root), recursive=recursive,
                                                              event_filter=EVENT_KINDS)
            except OSError as exc:  # e.g. the inotify watch limit; say so rather than miss edits silently
                self._warn(f"warning: cannot watch {root}: {exc}")

    def unwatch(self, root: Path) -> None:
        with self._lock:
            watch = self._watches.pop(root, None)
            if watch is not None and self._observer is not None:
                try:
                    self._observer.unschedule(watch)
                except (KeyError, OSError):
                    pass

    def watch_extra(self, folders: Iterable[Path]) -> None:
        """Watches these folders too, unless a watch covers them already; stops watching earlier ones no longer
        listed (mlfolio.yml may name another theme)."""
        wanted = {Path(f).resolve() for f in folders if Path(f).is_dir()}
        for gone in self._extra - wanted:
            self.unwatch(gone)
        self._extra &= wanted
        for folder in sorted(wanted - self._extra):
            with self._lock:
                covered = any(folder.is_relative_to(w) for w in self._watches if w != self.site_dir)
            if not covered:
                self.watch(folder)
                self._extra.add(folder)

    def ignored(self, path: str | Path) -> bool:
        """True for files whose change must not rebuild: output, caches, VCS, editor swap and temp files."""
        p = Path(os.path.abspath(path))
        if any(fnmatch.fnmatch(p.name, pattern) for pattern in IGNORED_NAMES):
            return True
        out = Path(os.path.abspath(self._output()))
        if p == out or out in p.parents:
            return True
        with self._lock:
            roots = [self.site_dir, *self._watches]
        for root in roots:
            try:
                rel = p.relative_to(root).parts
            except ValueError:
                continue
            if rel and out.parent == root and rel[0].startswith((out.name, "." + out.name)):
                return True          # the output's temporary and backup siblings during an atomic swap
            if rel and root == self.site_dir and self._build_output(rel[0]):
                return True
            return any(part in IGNORED_DIRS for part in rel)
        return False

    def _build_output(self, name: str) -> bool:
        """Whether a top-level folder is the output of `mlfolio build` or one of its swap siblings. Once seen
        with a manifest, a folder stays ignored: `rm -rf` may delete the manifest before the other files."""
        if name == DEFAULT_OUTPUT or name in self._build_outputs or SWAP_SIBLING.fullmatch(name):
            return True
        if os.path.isfile(os.path.join(self.site_dir, name, MANIFEST)):
            self._build_outputs.add(name)
            return True
        return False

    def on_event(self, event: FileSystemEvent) -> None:
        if type(event) not in EVENT_KINDS:       # whatever event_filter let through (it varies by platform)
            return
        src = os.fsdecode(event.src_path)
        dest = os.fsdecode(getattr(event, "dest_path", "") or "")
        if event.is_directory:       # a folder added to or taken from the site's top level
            if event.event_type in ("deleted", "moved") and Path(src).parent == self.site_dir:
                self.unwatch(Path(src))
            new = dest or (src if event.event_type == "created" else "")
            if new and Path(new).parent == self.site_dir and not self.ignored(new):
                self.watch(Path(new))
        changed = [Path(p) for p in (src, dest) if p and not self.ignored(p)]
        if changed:
            self._on_change(changed, event.event_type in WRITE_DONE)


class _Events(FileSystemEventHandler):
    def __init__(self, watcher: SourceWatcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.watcher.on_event(event)


def _drop_inactive_notice(record: logging.LogRecord) -> bool:
    return "thread is inactive" not in record.getMessage()
