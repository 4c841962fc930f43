"""`mlfolio serve`: build, serve the output folder, watch the sources, rebuild on change, reload the browser.

Four parts, each a thread, tied together by DevServer:
  HTTP      ThreadingHTTPServer serving only the output folder; injects the reload script into HTML responses
            (so files on disk never contain it) and answers the Server-Sent Events stream /__mlfolio/events.
  watcher   watchdog Observer on the site folder and the theme; ignores the output, caches and editor files.
  debounce  one worker thread: collects changed paths and rebuilds once they go quiet (DEBOUNCE s after the last
            event, SETTLE s when that event ended a write), one rebuild at a time; a burst of saves is one rebuild.
  channel   after a rebuild: `reload`, `css` (only stylesheets changed: swap them in place) or `build-error`
            (the problem lines, shown as an overlay; the last good site stays served).
"""
from __future__ import annotations

import errno
import fnmatch
import json
import logging
import mimetypes
import os
import queue
import socket
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from .errors import MlfolioError, Problem

DEBOUNCE = 0.1                       # seconds of quiet after the last file event before a rebuild ...
SETTLE = 0.03                        # ... or after a write is complete (file closed, renamed into place, deleted)
EVENTS_PATH = "/__mlfolio/events"    # the Server-Sent Events stream
PING_SECONDS = 15.0                  # keep-alive comment on idle event streams (also notices closed tabs)

IGNORED_DIRS = {".git", ".hg", ".svn", ".mlfolio-cache", "__pycache__", "node_modules", ".idea", ".vscode"}
IGNORED_NAMES = ("*.swp", "*.swx", "*.swo", "*~", ".#*", "#*#", "4913", "*.tmp", ".DS_Store", "*.pyc",
                 ".mlfolio-output")

MIME_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".css": "text/css", ".js": "text/javascript",
    ".mjs": "text/javascript", ".json": "application/json", ".map": "application/json",
    ".webmanifest": "application/manifest+json", ".xml": "application/xml", ".svg": "image/svg+xml",
    ".txt": "text/plain", ".md": "text/plain", ".ico": "image/x-icon", ".png": "image/png",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".avif": "image/avif", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf",
    ".otf": "font/otf", ".wasm": "application/wasm", ".pdf": "application/pdf", ".ipynb": "application/json",
}
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/manifest+json", "image/svg+xml")

# The browser side of live reload. %(build)s and %(events)s are filled in per response.
# Problem text reaches the page only through textContent (never innerHTML).
LIVERELOAD_JS = r"""
(function () {
  if (!window.EventSource || window.__mlfolioLiveReload) return;
  window.__mlfolioLiveReload = true;
  var build = %(build)s, overlay = null;
  function hideOverlay() { if (overlay) { overlay.remove(); overlay = null; } }
  function showOverlay(lines) {
    hideOverlay();
    overlay = document.createElement("div");
    overlay.id = "mlfolio-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
      "background:rgba(20,20,24,.94);color:#f4f4f5;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;";
    var box = document.createElement("div");
    box.style.cssText = "max-width:60rem;margin:0 auto;";
    var h = document.createElement("h2");
    h.style.cssText = "margin:0 0 1rem;font:bold 20px/1.3 system-ui,sans-serif;color:#fca5a5;";
    h.textContent = "mlfolio: the site did not build";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;word-break:break-word;margin:0 0 1rem;padding:1rem;" +
      "background:#000;border-left:4px solid #ef4444;color:#fecaca;";
    pre.textContent = lines.join("\n");
    var p = document.createElement("p");
    p.style.cssText = "margin:0;color:#d4d4d8;font-family:system-ui,sans-serif;";
    p.textContent = "The last good build is still served. Fix the file and save: this page reloads by itself.";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "margin-top:1rem;padding:.3rem .9rem;font:inherit;cursor:pointer;";
    close.onclick = hideOverlay;
    box.appendChild(h); box.appendChild(pre); box.appendChild(p); box.appendChild(close);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }
  function swapStyles(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]'), swapped = 0, stamp = Date.now();
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.origin !== location.origin || paths.indexOf(url.pathname) < 0) continue;
      url.searchParams.set("mlfolio-reload", stamp);
      links[i].href = url.href;
      swapped++;
    }
    return swapped > 0;
  }
  var source = new EventSource(%(events)s);
  function data(e) { try { return JSON.parse(e.data); } catch (err) { return {}; } }
  source.addEventListener("hello", function (e) {
    var d = data(e);
    if (d.build !== build) location.reload(); else hideOverlay();
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function (e) {
    var d = data(e);
    hideOverlay();
    if (swapStyles(d.paths || [])) build = d.build; else location.reload();
  });
  source.addEventListener("build-error", function (e) { showOverlay(data(e).problems || []); });
  window.__mlfolioEvents = source;
})();
"""


def problem_lines(problems: list[Problem]) -> list[str]:
    """The exact lines `mlfolio build` prints for these problems."""
    return [p.text() for p in problems]


def url_host(host: str) -> str:
    """The host part of a URL that reaches a server bound to `host` from this machine."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host in ("::", "::0"):
        return "[::1]"
    return f"[{host}]" if ":" in host else host


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False           # stop() closes open connections itself, then joins their threads

    def __init__(self, address, handler, dev: "DevServer"):
        self.dev = dev
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        t = threading.Thread(target=self._run, args=(request, client_address), daemon=True,
                             name="mlfolio-serve-request")
        with self._lock:
            self._connections[request] = t
        t.start()

    def _run(self, request, client_address):
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._connections.pop(request, None)

    def close_connections(self, timeout: float = 2.0) -> None:
        with self._lock:
            items = list(self._connections.items())
        for sock, _ in items:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for _, t in items:
            if t is not threading.current_thread():
                t.join(max(0.0, deadline - time.monotonic()))

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return                   # a tab closed mid-response: not worth a traceback
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True   # headers and body go out as separate writes: no 40 ms delayed-ACK stall
    server_version = "mlfolio-serve"

    def log_message(self, format, *args):  # noqa: A002 - quiet: one line per rebuild is the terminal's job
        pass

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        dev = self.server.dev
        raw = self.path.split("#", 1)[0]
        raw_path, _, query = raw.partition("?")
        if raw_path == EVENTS_PATH:
            return self._events()
        prefix = dev.base_path.rstrip("/")
        if prefix and not (raw_path == prefix or raw_path.startswith(prefix + "/")):
            if raw_path == "/":
                return self._redirect(prefix + "/")
            return self._not_found(head)
        target = self._resolve(raw_path[len(prefix):] or "/")
        if target is None:
            return self._not_found(head)
        if target.is_dir():
            if not raw_path.endswith("/"):
                return self._redirect(raw_path + "/" + (f"?{query}" if query else ""))
            target = self._resolve((raw_path[len(prefix):] or "/") + "index.html")
            if target is None or not target.is_file():
                return self._not_found(head)
        if not target.is_file():
            return self._not_found(head)
        try:
            body = target.read_bytes()
        except OSError:
            return self._not_found(head)
        self._send(HTTPStatus.OK, content_type(target.name), body, head)

    # -- paths ---------------------------------------------------------------------------------------

    def _resolve(self, url_path: str) -> Path | None:
        """The file under the output folder for a URL path, or None for anything that could leave it."""
        output = self.server.dev.output
        for _ in range(50):          # a full build swaps the output folder in: it is missing for an instant
            if os.path.isdir(output) or not self.server.dev.building:
                break
            time.sleep(0.01)
        root = os.path.realpath(output)
        try:
            path = unquote(url_path, errors="strict") if "%" in url_path else url_path
        except UnicodeDecodeError:
            return None
        if (not path.startswith("/") or path.startswith("//") or "\\" in path or "\x00" in path
                or any(ord(c) < 32 for c in path)):
            return None
        parts = path.split("/")
        if any(p in ("..", ".") or (p[1:2] == ":" and p[:1].isalpha()) for p in parts):
            return None
        rel = [p for p in parts if p]
        if rel and rel[-1] == ".mlfolio-output":
            return None              # the build manifest is not part of the site
        candidate = os.path.join(root, *rel) if rel else root
        real = os.path.realpath(candidate)
        if real != root and not real.startswith(root + os.sep):
            return None              # a symlink that leaves the output folder
        return Path(real)

    # -- responses -----------------------------------------------------------------------------------

    def _send(self, status: int, ctype: str, body: bytes, head: bool = False):
        if ctype.startswith("text/html"):
            body = self.server.dev.inject(body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, location: str):
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _not_found(self, head: bool = False):
        page = self.server.dev.output / "404.html"
        try:
            body = page.read_bytes() if page.is_file() else None
        except OSError:
            body = None
        if body is None:
            body = (b"<!doctype html><html><head><meta charset=utf-8><title>404 Not Found</title></head>"
                    b"<body><h1>404 Not Found</h1></body></html>")
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, head)

    def _events(self):
        dev = self.server.dev
        client: queue.Queue = queue.Queue()
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        first = dev.subscribe(client)
        try:
            self.wfile.write(b"retry: 500\n\n" + first)
            self.wfile.flush()
            while True:
                try:
                    msg = client.get(timeout=PING_SECONDS)
                except queue.Empty:
                    msg = b": ping\n\n"
                if msg is None:          # the server is stopping
                    return
                self.wfile.write(msg)
                self.wfile.flush()
        except (ConnectionError, OSError, ValueError):
            return
        finally:
            dev.unsubscribe(client)


def _drop_inactive_notice(record: logging.LogRecord) -> bool:
    return "thread is inactive" not in record.getMessage()


def content_type(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    ctype = MIME_TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if ctype.startswith(TEXT_TYPES) or ctype == "text/javascript":
        ctype += "; charset=utf-8"
    return ctype


def sse(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


class DevServer:
    """Build, serve, watch, rebuild. start() returns the URL; stop() joins every thread it started.

    make_builder(base_url) returns an object like mlfolio.build.Builder (the default): build() and
    rebuild(changed) returning a BuildResult or raising MlfolioError, and the attributes output and theme_dir.
    """

    def __init__(self, site_dir: Path | str, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = True,
                 offline: bool = False, strict: bool = False, base_url: str | None = None,
                 debounce: float = DEBOUNCE, settle: float = SETTLE, out=None, err=None,
                 make_builder: Callable[[str], object] | None = None):
        self.site_dir = Path(site_dir)
        self.host, self.port = host, port
        self.drafts, self.offline, self.strict = drafts, offline, strict
        self.base_url_override = base_url
        self.debounce, self.settle = debounce, min(settle, debounce)
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._make_builder = make_builder or self._default_builder
        self.builder = None
        self.url = ""
        self.base_url = ""
        self.base_path = "/"
        self.output = self.site_dir.resolve() / "_site"     # the builder's, once it has read mlfolio.yml
        # build state, shared with request threads
        self._lock = threading.Condition()
        self._clients: set[queue.Queue] = set()
        self._generation = 0
        self._token = f"{os.getpid():x}{int(time.time() * 1000) % 10**8:x}"
        self.builds = 0                      # finished build attempts (success or failure), for tests
        self.last_error: list[str] | None = None
        self.last_result = None
        self._ok_once = False
        self.building = False
        self._retry: set[Path] = set()       # paths of a failed rebuild, retried with the next one
        self._warned: set[str] = set()
        # watcher → worker
        self._pending: set[Path] = set()
        self._due = 0.0
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._observer = None
        self._handler = None
        self._watches: dict[Path, object] = {}   # folder → watchdog ObservedWatch

    # -- lifecycle -----------------------------------------------------------------------------------

    def _default_builder(self, base_url: str):
        from .build import BuildOptions, Builder

        return Builder(BuildOptions(self.site_dir, drafts=self.drafts, offline=self.offline, strict=self.strict,
                                    base_url=base_url, remote_ttl=True, quiet=True))

    def bind(self) -> str:
        """Binds the port (so --port 0 knows its number before the build needs base_url)."""
        server_cls = _Server
        if ":" in self.host:
            server_cls = type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
        try:
            self._server = server_cls((self.host, self.port), _Handler, self)
        except OSError as exc:
            raise MlfolioError(bind_problem(self.host, self.port, exc)) from None
        self.port = self._server.server_address[1]
        self.url = f"http://{url_host(self.host)}:{self.port}"
        self.base_url = (self.base_url_override or self.url).rstrip("/")
        self.base_path = (urlsplit(self.base_url).path.rstrip("/") or "") + "/"
        return self.url + self.base_path

    def start(self) -> str:
        """Binds, builds once, then serves and watches in background threads. Returns the site's URL."""
        url = self.bind() if self._server is None else self.url + self.base_path
        try:
            self.builder = self._make_builder(self.base_url)
            self._start_observer()               # before the first build: edits made during it count
            self._build(set(), first=True)
            self._start_thread(self._server.serve_forever, "mlfolio-serve-http", kwargs={"poll_interval": 0.2})
            self._start_thread(self._worker, "mlfolio-serve-rebuild")
        except BaseException:
            self.stop()
            raise
        return url

    def _start_thread(self, target, name, kwargs=None):
        t = threading.Thread(target=target, name=name, kwargs=kwargs or {}, daemon=True)
        t.start()
        self._threads.append(t)

    def stop(self) -> None:
        """Stops watching, serving and rebuilding; joins the threads. Safe to call twice."""
        self._stopping.set()
        with self._lock:
            self._lock.notify_all()
            for client in list(self._clients):
                client.put(None)
        if self._observer is not None:
            try:
                self._observer.stop()
                self._observer.join(5)
            except Exception:  # noqa: BLE001 - stopping must not fail
                pass
            self._observer = None
        if self._server is not None:
            if any(t.name == "mlfolio-serve-http" for t in self._threads):
                self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
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

    # -- watching ------------------------------------------------------------------------------------

    def _start_observer(self) -> None:
        """Watches the site folder now; the theme folder once a build has found it (see _watch_theme).

        The site's top level is watched on its own and each of its folders recursively, except the output,
        caches and VCS folders: a recursive watch on the site would follow every folder each build writes.
        """
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        dev = self
        site = self.site_dir.resolve()

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.event_type not in ("created", "deleted", "modified", "moved", "closed"):
                    return               # opened / closed_no_write / attrib: reads, e.g. by the build itself
                if event.is_directory and event.event_type == "modified":
                    return
                src = os.fsdecode(event.src_path)
                dest = os.fsdecode(getattr(event, "dest_path", "") or "")
                if event.is_directory:   # a folder added to or taken from the site's top level
                    if event.event_type in ("deleted", "moved") and Path(src).parent == site:
                        dev._unwatch(Path(src))
                    new = dest or (src if event.event_type == "created" else "")
                    if new and Path(new).parent == site and not dev.ignored(new):
                        dev._watch(Path(new))
                done = event.event_type in ("closed", "moved", "deleted")
                dev._on_paths([src, dest] if dest else [src], dev.settle if done else dev.debounce)

        # watchdog logs a harmless race at stop ("queue_events() called when the thread is inactive")
        logging.getLogger("watchdog.observers.inotify").addFilter(_drop_inactive_notice)
        self._handler = Handler()
        self._observer = Observer()
        self._observer.daemon = True
        self._watch(site, recursive=False)
        for entry in sorted(site.iterdir()):
            if entry.is_dir() and not self.ignored(entry):
                self._watch(entry)
        self._observer.start()

    def _watch(self, root: Path, recursive: bool = True) -> None:
        from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent,
                                     FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent)

        kinds = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent,
                 DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
        if self._observer is None or root in self._watches:
            return
        try:
            self._watches[root] = self._observer.schedule(self._handler, str(root), recursive=recursive,
                                                          event_filter=kinds)
        except OSError as exc:      # e.g. the inotify watch limit; say so rather than miss edits silently
            print(f"warning: cannot watch {root}: {exc}", file=self.err, flush=True)

    def _unwatch(self, root: Path) -> None:
        watch = self._watches.pop(root, None)
        if watch is not None and self._observer is not None:
            try:
                self._observer.unschedule(watch)
            except (KeyError, OSError):
                pass

    def _watch_theme(self) -> None:
        theme = getattr(self.builder, "theme_dir", None)
        if not theme or not Path(theme).is_dir():
            return
        theme = Path(theme).resolve()
        if not any(theme == w or theme.is_relative_to(w) for w in self._watches if w != self.site_dir.resolve()):
            self._watch(theme)

    def ignored(self, path: str | Path) -> bool:
        """True for files whose change must not rebuild: output, caches, VCS, editor swap and temp files."""
        p = Path(os.path.abspath(path))
        if any(fnmatch.fnmatch(p.name, pat) for pat in IGNORED_NAMES):
            return True
        out = Path(os.path.abspath(self.output))
        if p == out or out in p.parents:
            return True
        for root in (self.site_dir.resolve(), *self._watches):
            try:
                rel = p.relative_to(root).parts
            except ValueError:
                continue
            if rel and out.parent == root and rel[0].startswith((out.name, "." + out.name)):
                return True          # the output's temporary and backup siblings during an atomic swap
            return any(part in IGNORED_DIRS for part in rel)
        return False

    def _on_paths(self, paths: list[str], delay: float) -> None:
        keep = [Path(p) for p in paths if not self.ignored(p)]
        if not keep:
            return
        with self._lock:
            self._pending.update(keep)
            self._due = time.monotonic() + delay     # every event restarts the quiet period
            self._lock.notify_all()

    def _worker(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                while not self._pending and not self._stopping.is_set():
                    self._lock.wait()
                while not self._stopping.is_set():   # debounce: wait for a quiet period
                    left = self._due - time.monotonic()
                    if left <= 0:
                        break
                    self._lock.wait(left)
                if self._stopping.is_set():
                    return
                changed, self._pending = self._pending, set()
            self._build(changed)

    # -- building ------------------------------------------------------------------------------------

    def _build(self, changed: set[Path], first: bool = False) -> None:
        self.building = True
        try:
            self._build_once(changed, first)
        finally:
            self.building = False
            if getattr(self.builder, "output", None):      # known once mlfolio.yml has been read
                self.output = Path(self.builder.output)
                self._unwatch(self.output)                  # in case mlfolio.yml names another output
            self._watch_theme()                             # likewise the theme (mlfolio.yml may change it)

    def _build_once(self, changed: set[Path], first: bool) -> None:
        t0 = time.perf_counter()
        try:
            if first or not self._ok_once:
                result = self.builder.build()
            else:
                result = self.builder.rebuild(changed | self._retry)
        except MlfolioError as exc:
            ms = (time.perf_counter() - t0) * 1000
            self._retry |= changed
            lines = problem_lines(exc.problems)
            if first:
                self._log(f"build failed in {ms:.0f} ms; fix the problems below (open pages show them too)")
            else:
                self._log(f"rebuild failed in {ms:.0f} ms: {self.describe(changed)}; "
                          "the last good site is still served")
            for line in lines:
                print(line, file=self.err, flush=True)
            self._failed(lines)
            return
        except Exception as exc:  # noqa: BLE001 - a bug in a stage must not stop the preview
            ms = (time.perf_counter() - t0) * 1000
            self._retry |= changed
            traceback.print_exc(file=self.err)
            lines = [f"error: internal error while building: {type(exc).__name__}: {exc}",
                     "(this is a bug in mlfolio; the traceback is in the terminal)"]
            self._failed(lines)
            return
        ms = (time.perf_counter() - t0) * 1000
        self._retry = set()
        self._ok_once = True
        self.last_result = result
        self._print_warnings(result.warnings)
        n = result.written
        if first:
            self._log(result.summary())
        else:
            self._log(f"rebuilt in {ms:.0f} ms: {self.describe(changed)} → {n} file{'s' if n != 1 else ''} changed")
        self._succeeded(list(result.changed))

    def _print_warnings(self, warnings: list[Problem]) -> None:
        """Warnings not printed after the previous build (a stale-data warning need not repeat on each save)."""
        new = [w for w in warnings if str(w) not in self._warned]
        self._warned = {str(w) for w in warnings}
        if new:
            print("\n".join(w.text() for w in new), file=self.err, flush=True)

    def describe(self, changed: set[Path]) -> str:
        site = self.site_dir.resolve()
        theme = getattr(self.builder, "theme_dir", None)
        theme = Path(theme).resolve() if theme else None
        names = []
        for p in sorted(changed):
            a = Path(os.path.abspath(p)).resolve()
            if a.is_relative_to(site):
                names.append(a.relative_to(site).as_posix())
            elif theme is not None and a.is_relative_to(theme):
                names.append(f"themes/{theme.name}/{a.relative_to(theme).as_posix()}")
            else:
                names.append(str(p))
        if len(names) > 3:
            return ", ".join(names[:3]) + f" and {len(names) - 3} more"
        return ", ".join(names) or "nothing"

    def _log(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def _failed(self, lines: list[str]) -> None:
        with self._lock:
            self.last_error = lines
            self.builds += 1
            self._broadcast(sse("build-error", {"build": self.build_id, "problems": lines}))
            self._lock.notify_all()

    def _succeeded(self, written: list[str]) -> None:
        with self._lock:
            was_broken = self.last_error is not None
            self.last_error = None
            self.builds += 1
            if written or was_broken or self._generation == 0:
                self._generation += 1
                css = [self.base_path + p for p in written if p.endswith(".css")]
                if written and len(css) == len(written) and not was_broken:
                    self._broadcast(sse("css", {"build": self.build_id, "paths": css}))
                else:
                    self._broadcast(sse("reload", {"build": self.build_id}))
            self._lock.notify_all()

    @property
    def build_id(self) -> str:
        return f"{self._token}-{self._generation}"

    def wait_for_rebuild(self, after: int, timeout: float = 10.0) -> bool:
        """Blocks until more than `after` builds have finished; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.builds <= after:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    # -- reload channel ------------------------------------------------------------------------------

    def _broadcast(self, msg: bytes) -> None:
        for client in list(self._clients):
            client.put(msg)

    def subscribe(self, client: queue.Queue) -> bytes:
        """Adds an event stream; returns the current state for it (so a page opened while broken shows why)."""
        with self._lock:
            self._clients.add(client)
            if self.last_error is not None:
                return sse("build-error", {"build": self.build_id, "problems": self.last_error})
            return sse("hello", {"build": self.build_id})

    def unsubscribe(self, client: queue.Queue) -> None:
        with self._lock:
            self._clients.discard(client)

    def inject(self, html: bytes) -> bytes:
        """The HTML with the reload script before its last </body> (only in responses, never on disk)."""
        with self._lock:
            build = self.build_id
        script = LIVERELOAD_JS % {"build": json.dumps(build), "events": json.dumps(EVENTS_PATH)}
        tag = b'<script data-mlfolio-livereload>' + script.encode() + b"</script>\n"
        i = html.lower().rfind(b"</body>")
        return html[:i] + tag + html[i:] if i >= 0 else html + tag


def bind_problem(host: str, port: int, exc: OSError) -> Problem:
    if exc.errno == errno.EADDRINUSE:
        return Problem("", None, None, f"port {port} on {host} is already in use",
                       f"stop the other server, or pick another port: --port {port + 1}, or --port 0 for any free one")
    if exc.errno == errno.EACCES:
        return Problem("", None, None, f"not allowed to listen on port {port}",
                       "ports below 1024 need root; try --port 8000 or --port 0")
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return Problem("", None, None, f"cannot listen on host {host!r}: {exc.strerror or exc}",
                       "use an address of this machine, e.g. --host 127.0.0.1")
    return Problem("", None, None, f"cannot listen on {host}:{port}: {exc.strerror or exc}", "try --port 0")
