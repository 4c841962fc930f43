"""The preview's HTTP server: files from one folder only, never outside it, with live reload added to HTML."""
from __future__ import annotations

import errno
import io
import os
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Generator

from ..errors import Problem
from ..paths import MANIFEST
from .connections import DeadlineReader, Limits, Slots, WorkerPool
from .files import content_type, find_file, url_parts
from .hosts import HostCheck

NOT_FOUND_PAGE = (b"<!doctype html><html><head><meta charset=utf-8><title>404 Not Found</title></head>"
                  b"<body><h1>404 Not Found</h1></body></html>")
WRONG_HOST = (b"mlfolio serve answers only requests addressed to this machine (localhost, 127.0.0.1, [::1] or the "
              b"--host it was started with), so that other web sites cannot read the preview.\n")
BUSY = b"mlfolio serve is busy: too many connections at once. Try again.\n"
TOO_MANY_STREAMS = b"too many live-reload connections are open; close some tabs of this preview\n"


def url_host(host: str) -> str:
    """The host part of a URL that reaches a server bound to `host` from this machine."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host in ("::", "::0"):
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def bind_problem(host: str, port: int, exc: OSError) -> Problem:
    """What to tell the user when the port cannot be opened, and what to try instead."""
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


class PreviewServer(ThreadingHTTPServer):
    """Serves the folder `root()` under `base_path`, a thread per connection from a bounded pool.

    inject(html) adds to every HTML response what the files on disk must not contain (the reload script);
    streams maps a path to a callable giving that path's endless text/event-stream body, chunk by chunk (an
    empty chunk asks only to check that the client is still connected);
    root_swapping() is true while the folder may be missing for an instant because a new one is swapped in;
    repair() is called when the folder or its manifest is missing otherwise (deleted while serving), and
    returns once it is rebuilt or will not be. Only Host headers naming the listening address are answered
    (hosts.py), only within `limits` (connections.py).
    """

    block_on_close = False           # close_connections() ends open connections itself, then joins their threads

    def __init__(self, address, *, root: Callable[[], Path], inject: Callable[[bytes], bytes],
                 streams: dict[str, Callable[[], Generator[bytes, None, None]]] | None = None,
                 root_swapping: Callable[[], bool] = lambda: False, repair: Callable[[], None] = lambda: None,
                 base_path: str = "/", limits: Limits = Limits()):
        self.root, self.inject, self.root_swapping, self.repair = root, inject, root_swapping, repair
        self.streams = streams or {}
        self.base_path = base_path
        self.limits = limits
        self.host_check = HostCheck(address[0])
        self.request_queue_size = limits.backlog         # listen() backlog; the stdlib's default is 5
        self.workers = WorkerPool(limits.max_connections, "mlfolio-serve-request")
        self.open_streams = Slots(limits.max_streams)
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        super().__init__(address, PreviewHandler)

    def process_request(self, request, client_address):
        """A thread for the connection once one is free; the accepting thread waits meanwhile, so further
        connections wait in the listen backlog. No thread free within limits.queue_seconds: 503."""
        with self._lock:
            self._connections.add(request)
        if not self.workers.submit(lambda: self._run(request, client_address), self.limits.queue_seconds):
            self._refuse(request)

    def _run(self, request, client_address):
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._connections.discard(request)

    def _refuse(self, sock: socket.socket) -> None:
        """A 503 from the accepting thread. The request is read first when it has arrived: closing a socket
        with unread data resets the connection, and the client might never see the answer."""
        try:
            sock.settimeout(0.05)
            try:
                sock.recv(65536)
            except TimeoutError:
                pass
            sock.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                         b"Retry-After: 1\r\nConnection: close\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(BUSY), BUSY))
        except OSError:
            pass
        finally:
            with self._lock:
                self._connections.discard(sock)
            self.shutdown_request(sock)

    def shutdown(self) -> None:
        self.workers.close()         # the accepting thread may be waiting for a free thread: it gives up
        super().shutdown()

    def close_connections(self, timeout: float = 2.0) -> None:
        """Ends every open connection (idle keep-alive ones, event streams) and joins the threads."""
        self.workers.close()
        with self._lock:
            connections = list(self._connections)
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.workers.join(timeout)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return                   # a tab closed mid-response: not worth a traceback
        super().handle_error(request, client_address)


class PreviewServer6(PreviewServer):
    address_family = socket.AF_INET6


def make_server(host: str, port: int, **options) -> PreviewServer:
    """A PreviewServer listening on host:port (IPv6 when host is an IPv6 address); raises OSError."""
    server_class = PreviewServer6 if ":" in host else PreviewServer
    return server_class((host, port), **options)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    # Headers and body are buffered and leave in one send when the request is done (handle_one_request
    # flushes): one packet and one wake-up of the client rather than two. A larger body is a second send,
    # without Nagle's delay (TCP_NODELAY, in setup).
    wbufsize = 64 * 1024
    server_version = "mlfolio-serve"

    def log_message(self, format, *args):  # noqa: A002 - quiet: one line per rebuild is the terminal's job
        pass

    def setup(self):
        """As StreamRequestHandler's, but reading through a DeadlineReader (connections.py)."""
        self.connection = self.request
        self.connection.settimeout(self.server.limits.request_seconds)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        self._reader = DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self._reader)
        self.wfile = self.connection.makefile("wb", self.wbufsize)

    def handle_one_request(self):
        """Each request (the next one on a keep-alive connection too) must arrive within request_seconds;
        a client that stays idle or sends slowly is disconnected then."""
        self._reader.deadline = time.monotonic() + self.server.limits.request_seconds
        super().handle_one_request()

    def parse_request(self) -> bool:
        ok = super().parse_request()
        self._reader.deadline = None             # received: the response may take as long as sending it takes
        self.connection.settimeout(self.server.limits.send_seconds)
        return ok

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        if not self.server.host_check.allows(self.headers.get("Host")):
            return self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", WRONG_HOST, head)
        raw = self.path.split("#", 1)[0]
        raw_path, _, query = raw.partition("?")
        if raw_path in self.server.streams:
            return self._stream(self.server.streams[raw_path])
        prefix = self.server.base_path.rstrip("/")
        if prefix and not (raw_path == prefix or raw_path.startswith(prefix + "/")):
            if raw_path == "/":
                return self._redirect(prefix + "/")
            return self._not_found(head)
        parts = url_parts(raw_path[len(prefix):] or "/")
        if parts is None:
            return self._not_found(head)
        wants_folder = raw_path.endswith("/")
        found = self._find(parts + ["index.html"] if wants_folder else parts)
        if found is None:
            return self._not_found(head)
        real, body = found
        if body is None:                         # a folder named without its final slash
            return self._redirect(raw_path + "/" + (f"?{query}" if query else ""))
        self._send(HTTPStatus.OK, content_type(real), body, head)

    def _find(self, parts: list[str]) -> tuple[str, bytes | None] | None:
        """find_file() in the served folder. On a miss, when the folder or its manifest is missing: while a new
        one is swapped in there is none for an instant, so wait; when it was deleted, have it rebuilt; then
        look again."""
        output = str(self.server.root())
        found = find_file(output, parts)
        if found is not None or os.path.isfile(os.path.join(output, MANIFEST)):
            return found
        for _ in range(50):
            if os.path.isdir(output) or not self.server.root_swapping():
                break
            time.sleep(0.01)
        if not os.path.isfile(os.path.join(output, MANIFEST)):
            self.server.repair()
        return find_file(str(self.server.root()), parts)

    def _send(self, status: int, ctype: str, body: bytes, head: bool = False):
        if ctype.startswith("text/html"):
            body = self.server.inject(body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _client_left(self) -> bool:
        """Whether the client closed the connection: an event stream's client sends nothing after its request,
        so a look at what came (without waiting, without taking it) finds either nothing or the end."""
        timeout = self.connection.gettimeout()
        self.connection.setblocking(False)
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True
        finally:
            self.connection.settimeout(timeout)

    def _redirect(self, location: str):
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _not_found(self, head: bool = False):
        found = find_file(str(self.server.root()), ["404.html"])
        body = found[1] if found is not None and found[1] is not None else NOT_FOUND_PAGE
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, head)

    def _stream(self, open_stream: Callable[[], Generator[bytes, None, None]]):
        """An event stream: each chunk is sent as soon as it comes, until the iterator or the client ends.
        At most limits.max_streams at once, so that open tabs cannot take every connection thread."""
        if not self.server.open_streams.take():
            self.close_connection = True
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", TOO_MANY_STREAMS)
        chunks = open_stream()
        self.close_connection = True
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.send_header("X-Accel-Buffering", "no")
            self.end_headers()
            for chunk in chunks:
                if chunk:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                elif self._client_left():
                    return
        except (ConnectionError, OSError, ValueError):
            return
        finally:
            chunks.close()
            self.server.open_streams.give()
