"""serve under load and against slow clients: real sockets on loopback, a real DevServer, real thread counts.

burst() opens its connections all at once from one thread (non-blocking sockets), so the client's own cost
stays small next to the server's."""
from __future__ import annotations

import http.client
import io
import selectors
import socket
import threading
import time

import pytest
from test_serve import POST, POST_URL, Served, next_event, open_events, post_text

from mlfolio.serve import DevServer
from mlfolio.serve.connections import Limits

PATHS = ["/", POST_URL, "/assets/style.css", "/about/", "/feed.xml", "/no/such/page/"]


def burst(port: int, n: int, paths=PATHS, timeout: float = 30.0) -> list[tuple[int | None, float]]:
    """n GET requests at once, each on a new connection: [(status or None, seconds)], in completion order."""
    sel = selectors.DefaultSelector()
    for i in range(n):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        request = (f"GET {paths[i % len(paths)]} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                   "Connection: close\r\n\r\n").encode()
        sel.register(sock, selectors.EVENT_WRITE, (request, bytearray(), time.perf_counter()))
    results = []
    deadline = time.monotonic() + timeout
    while sel.get_map() and time.monotonic() < deadline:
        for key, events in sel.select(0.2):
            sock, (request, buf, t0) = key.fileobj, key.data
            if events & selectors.EVENT_WRITE:
                if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    sock.send(request)
                    sel.modify(sock, selectors.EVENT_READ, key.data)
                    continue
                chunk = b""
            else:
                try:
                    chunk = sock.recv(65536)
                except OSError:
                    chunk = b""
            if chunk:
                buf += chunk
                continue
            results.append((int(buf[9:12]) if buf.startswith(b"HTTP/1.1 ") else None, time.perf_counter() - t0))
            sel.unregister(sock)
            sock.close()
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    return results


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


@pytest.fixture
def serve(make_site):
    """serve(limits) → a started Served with those limits; stopped at the end of the test."""
    started = []

    def start(limits: Limits = Limits()) -> Served:
        dev = DevServer(make_site(), port=0, out=io.StringIO(), err=io.StringIO(), offline=True, limits=limits)
        dev.start()
        started.append(dev)
        return Served(dev, dev.out)

    yield start
    for dev in started:
        dev.stop()


def request_threads() -> int:
    return sum(t.name == "mlfolio-serve-request" for t in threading.enumerate())


def closed_by_server(sock: socket.socket, timeout: float) -> bool:
    """Whether the server closes this connection within timeout (an answer before the end is fine)."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


# -- many requests at once -------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [100, 200])
def test_concurrent_requests_are_all_answered_quickly(serve, n):
    served = serve()
    burst(served.dev.port, 20)                       # warm-up
    results = burst(served.dev.port, n)
    assert len(results) == n
    assert sorted({status for status, _ in results}) == [200, 404]     # the 404 is /no/such/page/
    assert sum(status == 404 for status, _ in results) == len([i for i in range(n) if i % len(PATHS) == 5])
    worst = max(seconds for _, seconds in results)
    assert worst < 1.0, f"slowest of {n} concurrent requests: {worst * 1000:.0f} ms"   # a SYN retry is 1 s
    assert request_threads() <= Limits().max_connections


# -- slow and idle clients -------------------------------------------------------------------------------

def test_idle_and_half_sent_connections_are_closed_and_threads_stay_bounded(serve):
    limits = Limits(request_seconds=1.0, max_connections=16, queue_seconds=0.5)
    served = serve(limits)
    port = served.dev.port
    socks, most_threads = [], 0
    for i in range(150):
        sock = socket.create_connection(("127.0.0.1", port))
        if i % 3 == 1:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")          # headers never finished
        elif i % 3 == 2:
            sock.sendall(b"GET /about/ HTT")                                # request line never finished
        socks.append(sock)
        most_threads = max(most_threads, request_threads())
    deadline = time.monotonic() + 30
    for sock in socks:
        assert closed_by_server(sock, max(0.1, deadline - time.monotonic()))
        most_threads = max(most_threads, request_threads())
        sock.close()
    assert most_threads <= limits.max_connections
    status, _, body = served.request(POST_URL)
    assert status == 200 and b"First paragraph." in body


def test_a_request_sent_one_byte_at_a_time_is_cut_off(serve):
    served = serve(Limits(request_seconds=1.0))
    sock = socket.create_connection(("127.0.0.1", served.dev.port))
    sock.setblocking(False)
    request = f"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: {'x' * 100}\r\n\r\n".encode()
    t0 = time.monotonic()
    cut_off = None
    for byte in request:                      # a new byte every 50 ms: each recv() alone would never time out
        try:
            sock.send(bytes([byte]))
            if sock.recv(1) == b"":
                cut_off = time.monotonic() - t0
                break
        except BlockingIOError:
            pass
        except (BrokenPipeError, ConnectionResetError):
            cut_off = time.monotonic() - t0
            break
        time.sleep(0.05)
    sock.close()
    assert cut_off is not None and cut_off < 2.0, cut_off


def test_idle_keep_alive_connection_is_closed_after_the_request_timeout(serve):
    served = serve(Limits(request_seconds=0.5))
    conn = http.client.HTTPConnection("127.0.0.1", served.dev.port, timeout=5)
    conn.request("GET", "/")
    assert conn.getresponse().read()
    assert closed_by_server(conn.sock, 3.0)
    conn.close()


def test_connections_beyond_the_limit_wait_then_get_503(serve):
    limits = Limits(max_connections=2, queue_seconds=0.3, request_seconds=10)
    served = serve(limits)
    port = served.dev.port
    hogs = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]   # idle: each holds a thread
    time.sleep(0.1)
    t0 = time.monotonic()
    status, headers, body = served.request("/")
    waited = time.monotonic() - t0
    assert (status, headers["Retry-After"]) == (503, "1") and b"busy" in body
    assert 0.25 < waited < 2
    hogs.pop().close()
    status, _, _ = served.request("/")           # a thread is free again
    assert status == 200
    assert request_threads() <= 2
    hogs.pop().close()


# -- live-reload streams ---------------------------------------------------------------------------------

def test_event_stream_outlives_the_request_timeout(serve):
    served = serve(Limits(request_seconds=0.5))
    sock = open_events(served.dev.port)
    buf = bytearray()
    try:
        while b"\r\n\r\n" not in buf:
            buf += sock.recv(4096)
        buf[:] = bytes(buf).partition(b"\r\n\r\n")[2]
        event, _ = next_event(sock, buf)
        while event == "":
            event, _ = next_event(sock, buf)
        assert event == "hello"
        time.sleep(1.5)                          # three request timeouts: a stream is not a request
        served.edit(POST, post_text("Still connected."))
        event, _ = next_event(sock, buf)
        assert event == "reload"
    finally:
        sock.close()


def test_event_streams_are_capped_so_tabs_cannot_take_every_thread(serve):
    served = serve(Limits(max_streams=2))
    port = served.dev.port
    streams = [open_events(port) for _ in range(2)]
    for sock in streams:
        assert b"200 OK" in sock.recv(4096)
    third = open_events(port)
    answer = third.recv(4096)
    assert answer.startswith(b"HTTP/1.1 503") and b"too many live-reload connections" in answer
    third.close()
    assert served.request(POST_URL)[0] == 200
    streams.pop().close()
    deadline = time.monotonic() + 3              # an idle stream checks for its tab every second
    while True:
        again = open_events(port)
        answer = again.recv(4096)
        again.close()
        if b"200 OK" in answer or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert b"200 OK" in answer
    streams.pop().close()
