"""DevServer: build, serve, watch, rebuild, reload; the one place that ties the other serve modules together."""
from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..build import BuildOptions
from ..errors import MlfolioError, Problem
from ..paths import MANIFEST, SERVE_OUTPUT
from .builder import BuildCrashed, BuilderProcess
from .connections import Limits
from .http import PreviewServer, bind_problem, make_server, url_host
from .livereload import EVENTS_PATH, ReloadChannel
from .searchindex import SearchIndexer
from .watch import DEBOUNCE, SETTLE, Debouncer, SourceWatcher

REPAIR_SECONDS = 30.0                # how long a request waits for the output folder to be rebuilt


class DevServer:
    """Build, serve, watch, rebuild. start() returns the URL; stop() ends every thread and process it started.

    Threads: HTTP (http.py), watchdog (watch.py) and one rebuild thread, which takes the changed paths once
    they go quiet and rebuilds, one rebuild at a time; after each, open tabs get an event (livereload.py).
    make_builder(base_url) returns an object like mlfolio.build.Builder: build() and rebuild(changed) returning
    a BuildResult or raising MlfolioError, and the attributes output, theme_dir and optionally watch_dirs;
    a successful build leaves its manifest (paths.MANIFEST) in the output folder.
    The default is a BuilderProcess (builder.py), which runs the Builder in a child process.

    The site is built into `output`, by default SITE/.mlfolio-cache/serve: never into _site/, which holds
    what `mlfolio build` writes for deployment (no drafts, the real URL), and which it may write meanwhile.
    """

    def __init__(self, site_dir: Path | str, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = True,
                 offline: bool = False, strict: bool = False, base_url: str | None = None,
                 output: Path | str | None = None, limits: Limits = Limits(),
                 debounce: float = DEBOUNCE, settle: float = SETTLE, out=None, err=None,
                 make_builder: Callable[[str], object] | None = None):
        self.site_dir = Path(site_dir)
        self.host, self.port = host, port
        self.drafts, self.offline, self.strict = drafts, offline, strict
        self.base_url_override = base_url
        self.limits = limits
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._make_builder = make_builder or self._default_builder
        self.builder = None
        self.url = ""
        self.base_url = ""
        self.base_path = "/"
        self.output = Path(output or self.site_dir / SERVE_OUTPUT).resolve()   # then the builder's, once built
        self.builds = 0                      # finished build attempts (success or failure), for tests
        self.last_result = None
        self.building = False
        self._ok_once = False
        self._repair_pending = False         # a request found the output deleted: the next build is a full one
        self._retry: set[Path] = set()       # paths of a failed rebuild, retried with the next one
        self._warned: set[str] = set()
        self._watch_dirs: list[Path] = []    # folders outside the site that the builder reads
        self._built = threading.Condition()  # notified after each build attempt
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: PreviewServer | None = None
        self._channel = ReloadChannel()
        self._debouncer = Debouncer(debounce, settle)
        self._say_lock = threading.Lock()
        self._watcher = SourceWatcher(self.site_dir, lambda: self.output, self._debouncer.add, self._warn)
        self.indexer = SearchIndexer(self.log, lambda lines: self._warn("\n".join(lines)))

    @property
    def debounce(self) -> float:
        return self._debouncer.debounce

    @debounce.setter
    def debounce(self, seconds: float) -> None:
        self._debouncer.debounce = seconds

    @property
    def settle(self) -> float:
        return self._debouncer.settle

    @settle.setter
    def settle(self, seconds: float) -> None:
        self._debouncer.settle = seconds

    @property
    def last_error(self) -> list[str] | None:
        """The problem lines of the last build when it failed, else None."""
        return self._channel.last_error

    # -- lifecycle -----------------------------------------------------------------------------------

    def _default_builder(self, base_url: str) -> BuilderProcess:
        return BuilderProcess(BuildOptions(self.site_dir, output=self.output, drafts=self.drafts,
                                           offline=self.offline, strict=self.strict, base_url=base_url,
                                           remote_ttl=True, quiet=True, preview=True))

    def bind(self) -> str:
        """Binds the port (so --port 0 knows its number before the build needs base_url)."""
        try:
            self._server = make_server(self.host, self.port, root=lambda: self.output, inject=self._channel.inject,
                                       streams={EVENTS_PATH: self._channel.stream},
                                       root_swapping=lambda: self.building, repair=self._repair_output,
                                       limits=self.limits)
        except OSError as exc:
            raise MlfolioError(bind_problem(self.host, self.port, exc)) from None
        self.port = self._server.server_address[1]
        self.url = f"http://{url_host(self.host)}:{self.port}"
        self.base_url = (self.base_url_override or self.url).rstrip("/")
        self.base_path = (urlsplit(self.base_url).path.rstrip("/") or "") + "/"
        self._server.base_path = self.base_path
        return self.url + self.base_path

    def start(self) -> str:
        """Binds, builds once, then serves and watches in background threads. Returns the site's URL."""
        url = self.bind() if self._server is None else self.url + self.base_path
        try:
            # The builder first, while this process has only its main thread: BuilderProcess forks its child
            # here, and a fork while other threads run can deadlock. Every thread starts after this line.
            self.builder = self._make_builder(self.base_url)
            self._watcher.start()                # before the first build: edits made during it count
            self._build(set(), first=True)
            self._start_thread(self._server.serve_forever, "mlfolio-serve-http", kwargs={"poll_interval": 0.2})
            self._start_thread(self._rebuild_loop, "mlfolio-serve-rebuild")
        except BaseException:
            self.stop()
            raise
        return url

    def _start_thread(self, target, name, kwargs=None):
        t = threading.Thread(target=target, name=name, kwargs=kwargs or {}, daemon=True)
        t.start()
        self._threads.append(t)

    def stop(self) -> None:
        """Stops watching, serving and rebuilding; ends the builder's process; joins the threads. Safe to call
        twice."""
        self._stopping.set()
        with self._built:
            self._built.notify_all()             # requests waiting for a repair
        self._debouncer.close()
        self._channel.close()
        self._watcher.stop()
        if self._server is not None:
            if any(t.name == "mlfolio-serve-http" for t in self._threads):
                self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
        stop_builder = getattr(self.builder, "stop", None)
        if stop_builder is not None:
            stop_builder()
        self.indexer.stop()
        for t in self._threads:
            if t is not threading.current_thread():
                t.join(10)
        self._threads.clear()

    def serve_forever(self) -> None:
        """For the CLI: blocks until Ctrl-C (or SIGTERM), then stops cleanly."""
        try:
            while not self._stopping.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def ignored(self, path: str | Path) -> bool:
        """True for files whose change must not rebuild: output, caches, VCS, editor swap and temp files."""
        return self._watcher.ignored(path)

    # -- building ------------------------------------------------------------------------------------

    def _rebuild_loop(self) -> None:
        """Rebuilds until stopped: a bug outside the build itself (following the builder's folders, say) is
        printed and the next save rebuilds; it must not end the thread, or every later save would be ignored."""
        while (changed := self._debouncer.take()) is not None:
            try:
                self._build(changed)
            except Exception:  # noqa: BLE001
                self._warn(traceback.format_exc())
                self._failed(["error: internal error while rebuilding (this is a bug in mlfolio; the traceback is "
                              "in the terminal)"])

    def _build(self, changed: set[Path], first: bool = False) -> None:
        with self._built:
            repairing = self._repair_pending
        self.building = True
        try:
            self._build_once(changed, first)
        finally:
            self.building = False
            self._follow_builder()
            if repairing:
                with self._built:
                    self._repair_pending = False
                    self._built.notify_all()

    def _output_missing(self) -> bool:
        """True when the output folder or its manifest is gone, e.g. deleted by hand while serve runs: an
        incremental rebuild would then write only the changed files into an empty folder."""
        return not (self.output / MANIFEST).is_file()

    def _repair_output(self) -> None:
        """Called by the HTTP server when a request finds the output missing: has it rebuilt in full and waits
        for that (at most REPAIR_SECONDS). Not when the last build failed: that one's problems are shown, and
        the next save rebuilds in full."""
        with self._built:
            if not self._ok_once or self.last_error is not None or self._stopping.is_set():
                return
            if not self._output_missing():
                return
            if not self._repair_pending:
                self._repair_pending = True
                self._debouncer.add([], write_done=True)
            self._built.wait_for(lambda: not self._repair_pending or self._stopping.is_set(), REPAIR_SECONDS)

    def _follow_builder(self) -> None:
        """Serves and ignores the builder's output, and watches the folders it reads outside the site; both are
        known once mlfolio.yml has been read, and may change with it."""
        output = getattr(self.builder, "output", None)
        if output:
            self.output = Path(output)
            self._watcher.unwatch(self.output)      # in case mlfolio.yml names another output
        folders = getattr(self.builder, "watch_dirs", None)
        if folders is None:
            theme = getattr(self.builder, "theme_dir", None)
            folders = [theme] if theme else []
        self._watch_dirs = [Path(f).resolve() for f in folders]
        self._watcher.watch_extra(self._watch_dirs)

    def _build_once(self, changed: set[Path], first: bool) -> None:
        t0 = time.perf_counter()
        missing = self._ok_once and self._output_missing()
        try:
            if first or not self._ok_once or missing:
                result = self.builder.build()
            else:
                result = self.builder.rebuild(changed | self._retry)
        except MlfolioError as exc:
            if self._stopping.is_set():
                return                   # the build was abandoned by stop()
            ms = (time.perf_counter() - t0) * 1000
            self._retry |= changed
            lines = [p.text() for p in exc.problems]
            if first:
                self.log(f"build failed in {ms:.0f} ms; fix the problems below (open pages show them too)")
            else:
                self.log(f"rebuild failed in {ms:.0f} ms: {self.describe(changed)}; "
                         "the last good site is still served")
            self._warn("\n".join(lines))            # one message: the indexer's lines cannot come between
            self._failed(lines)
            return
        except Exception as exc:  # noqa: BLE001 - a bug in a stage must not stop the preview
            if self._stopping.is_set():
                return
            self._retry |= changed
            if isinstance(exc, BuildCrashed):        # raised in the builder's process: its traceback
                summary, details = exc.summary, exc.details
            else:
                summary, details = f"{type(exc).__name__}: {exc}", traceback.format_exc()
            self._warn(details)
            self._failed([f"error: internal error while building: {summary}",
                          "(this is a bug in mlfolio; the traceback is in the terminal)"])
            return
        ms = (time.perf_counter() - t0) * 1000
        self._retry = set()
        self._ok_once = True
        self.last_result = result
        if getattr(result, "index_later", ()):
            self.indexer.request(*result.index_later)     # its thread starts before the build is announced
        self._print_warnings(result.warnings)
        n = result.written
        what = self.describe(changed) if changed else ""
        if missing:
            what = f"{what} (the output folder was deleted)" if what else "the output folder was deleted"
        if first:
            self.log(result.summary())
        else:
            self.log(f"rebuilt in {ms:.0f} ms: {what} → {n} file{'s' if n != 1 else ''} changed")
        self._channel.built([self.base_path + p for p in result.changed])
        self._count_build()

    def _failed(self, lines: list[str]) -> None:
        self._channel.failed(lines)
        self._count_build()

    def _count_build(self) -> None:
        with self._built:
            self.builds += 1
            self._built.notify_all()

    def wait_for_rebuild(self, after: int, timeout: float = 10.0) -> bool:
        """Blocks until more than `after` builds have finished; False on timeout."""
        with self._built:
            return self._built.wait_for(lambda: self.builds > after, timeout)

    def _print_warnings(self, warnings: list[Problem]) -> None:
        """Warnings not printed after the previous build (a stale-data warning need not repeat on each save)."""
        new = [w for w in warnings if str(w) not in self._warned]
        self._warned = {str(w) for w in warnings}
        if new:
            self._warn("\n".join(w.text() for w in new))

    def describe(self, changed: set[Path]) -> str:
        """The changed files as the terminal line names them: relative to the site, or to a watched folder."""
        site = self.site_dir.resolve()
        names = []
        for p in sorted(changed):
            a = Path(os.path.abspath(p)).resolve()
            if a.is_relative_to(site):
                names.append(a.relative_to(site).as_posix())
                continue
            outside = next((f for f in self._watch_dirs if a.is_relative_to(f)), None)
            if outside is not None:
                names.append(f"{outside.parent.name}/{outside.name}/{a.relative_to(outside).as_posix()}")
            else:
                names.append(str(p))
        if len(names) > 3:
            return ", ".join(names[:3]) + f" and {len(names) - 3} more"
        return ", ".join(names) or "nothing"

    def log(self, line: str) -> None:
        """A line for the terminal (stdout), never run together with another thread's."""
        self._say(self.out, line)

    def _warn(self, text: str) -> None:
        self._say(self.err, text)

    def _say(self, stream, text: str) -> None:
        """One write per message, one message at a time: the rebuild and search threads both print, and a
        print() is two writes (text, then newline), so their lines could run together."""
        with self._say_lock:
            stream.write(text if text.endswith("\n") else text + "\n")
            stream.flush()
