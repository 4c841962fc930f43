"""DNS rebinding: serve answers only Host headers that name the address it listens on. Requests go over real
sockets with the Host header a rebinding page's browser would send."""
from __future__ import annotations

import io
import socket

import pytest
from conftest import MINIMAL_SITE, write_site
from test_serve import EVENTS_PATH, Served

from mlfolio.serve import DevServer
from mlfolio.serve.hosts import HostCheck, host_name

DRAFT = {"posts/2024-06-01-draft.md": "---\ntitle: Secret draft\ndraft: true\n---\nWIP.\n"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = write_site(tmp_path_factory.mktemp("hosts") / "site", {**MINIMAL_SITE, **DRAFT})
    dev = DevServer(site, port=0, out=io.StringIO(), err=io.StringIO(), offline=True)
    dev.start()
    try:
        yield Served(dev, dev.out)
    finally:
        dev.stop()


def raw_get(port: int, path: str, host: str | None, version: str = "HTTP/1.1") -> bytes:
    """The answer to one GET with exactly this Host header (or none): all of it, or what came in 2 s."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        head = f"GET {path} {version}\r\n" + (f"Host: {host}\r\n" if host is not None else "")
        sock.sendall((head + "Connection: close\r\n\r\n").encode())
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except TimeoutError:
            pass                     # an event stream does not end
        return answer


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "127.0.0.1", "localhost:{port}", "LocalHost", "[::1]:{port}",
                                  "[::1]"])
def test_local_names_are_answered(served, host):
    answer = raw_get(served.dev.port, "/blog/draft/", host.format(port=served.dev.port))
    assert answer.startswith(b"HTTP/1.1 200") and b"Secret draft" in answer


@pytest.mark.parametrize("host", ["attacker.example:{port}", "attacker.example", "127.0.0.1.nip.io:{port}",
                                  "localhost.attacker.example", "127.0.0.1:{port}@attacker.example", "", None,
                                  "[::1", "127.0.0.1:80:80", "xn--80ak6aa92e.com"])
def test_other_hosts_are_refused_everywhere(served, host):
    host = host.format(port=served.dev.port) if host is not None else None
    for path in ("/blog/draft/", "/", "/assets/style.css", EVENTS_PATH, "/no/such/page/"):
        answer = raw_get(served.dev.port, path, host, "HTTP/1.0" if host is None else "HTTP/1.1")
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.split(b"\r\n")[0].split(b" ")[1] == b"403", path
        assert b"text/event-stream" not in head and b"Secret draft" not in body and b"<script" not in body
        assert body.startswith(b"mlfolio serve answers only requests addressed to this machine")


def test_host_check_names_and_ports():
    assert host_name("LOCALHOST:8000") == "localhost"
    assert host_name("[::1]:8000") == host_name("[::1]") == "::1"
    assert host_name("a.example:") is None and host_name("a.example:x") is None and host_name("[::1]x") is None
    on_loopback = HostCheck("127.0.0.1")
    for ok in ("127.0.0.1:8000", "localhost", "127.0.0.2", "[::1]:9000", "[0:0:0:0:0:0:0:1]"):
        assert on_loopback.allows(ok), ok
    for refused in ("192.168.1.5", "mybox.local", "localhost.", "evil.localhost", None, ""):
        assert not on_loopback.allows(refused), refused
    named = HostCheck("mybox.local")
    assert named.allows("mybox.local:8000") and named.allows("MyBox.Local") and not named.allows("other.local")
    shared = HostCheck("0.0.0.0")                    # the network may use any address of this machine, no name
    assert shared.allows("192.168.1.5:8000") and shared.allows("[fe80::1]") and shared.allows("localhost")
    assert not shared.allows("mybox.local:8000") and not shared.allows("attacker.example")
    on_lan = HostCheck("192.168.1.5")
    assert on_lan.allows("192.168.1.5:8000") and not on_lan.allows("10.0.0.1")
