"""Serve's search index, rebuilt in a thread of its own after a build has written its pages and the browser has
reloaded: Pagefind takes about 9 s on 1,000 posts, and a save must not wait for it. Requests that arrive while
it runs become one more run, of the newest output."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from ..errors import Problems
from ..search import index_site

NICENESS = 10                                   # below the builder's (5): a save's rebuild comes first


class SearchIndexer:
    """request(folder, where) after each build that changed pages; stop() ends a running Pagefind at once."""

    def __init__(self, log: Callable[[str], None], report: Callable[[list[str]], None]):
        self._log = log                          # one line for the terminal
        self._report = report                    # warning lines (a missing or failing binary)
        self._wanted: tuple | None = None
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._running: list = []                 # the Pagefind process, while one runs
        self._stopping = False
        self._said: set[str] = set()             # warnings printed after the last run: not repeated on each save
        self.busy = False                        # a run is under way

    def request(self, folder: Path, where: tuple) -> None:
        with self._cond:
            if self._stopping:
                return
            self._wanted = (Path(folder), where)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="mlfolio-serve-search", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """True once nothing is asked or running (tests)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._wanted is not None or self.busy:
                left = deadline - time.monotonic()
                if left <= 0 or not self._cond.wait(left):
                    return False
        return True

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        for process in list(self._running):
            process.kill()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(10)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._wanted is None and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                (folder, where), self._wanted = self._wanted, None
                self.busy = True
            problems = Problems(root=Path(where[0]).parent if where and where[0] else None)
            t0 = time.perf_counter()
            try:
                ok = index_site(folder, problems, where, running=self._running, nice=NICENESS)
            except Exception as exc:  # noqa: BLE001 - a bug here must not end the indexing for the session
                ok = False
                problems.warn(*where, f"search index not built: internal error: {type(exc).__name__}: {exc}",
                              "this is a bug in mlfolio; the next save tries again")
            finally:
                with self._cond:
                    self.busy = False
                    self._cond.notify_all()
            if self._stopping:
                return
            if ok:
                self._log(f"search index rebuilt in {(time.perf_counter() - t0) * 1000:.0f} ms")
            lines = [p.text() for p in problems.items]
            if set(lines) - self._said:
                self._report(lines)
            self._said = set(lines)
