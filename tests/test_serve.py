"""mlfolio serve: a real server on a free port, real HTTP (http.client, so paths reach it unnormalised),
real file edits picked up by watchdog, and a real Chromium that must update by itself."""
from __future__ import annotations

import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mlfolio import cli
from mlfolio.serve import EVENTS_PATH, DevServer

POST = "posts/2024-05-01-hello.md"
POST_URL = "/blog/hello/"
SRC = Path(__file__).resolve().parents[1] / "src"


class Served:
    def __init__(self, dev: DevServer, out: io.StringIO):
        self.dev, self.out, self.url = dev, out, dev.url

    def request(self, path: str, method: str = "GET"):
        conn = http.client.HTTPConnection("127.0.0.1", self.dev.port, timeout=5)
        try:
            conn.request(method, path)          # sent as is: no client-side normalisation of '..'
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def wait_for(self, path: str, text: bytes, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            status, _, body = self.request(path)
            if status == 200 and text in body:
                return
            assert time.monotonic() < deadline, f"{path} never served {text!r} (last status {status})"
            time.sleep(0.05)

    def edit(self, rel: str, text: str) -> None:
        before = self.dev.builds
        path = self.dev.site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        assert self.dev.wait_for_rebuild(before, 10), f"no rebuild after editing {rel}"


@pytest.fixture
def served(make_site):
    site = make_site({"posts/2024-06-01-draft.md": "---\ntitle: Secret draft\ndraft: true\n---\nWIP.\n"})
    out = io.StringIO()
    dev = DevServer(site, port=0, out=out, err=io.StringIO(), offline=True)
    dev.start()
    try:
        yield Served(dev, out)
    finally:
        dev.stop()


def post_text(body: str, title: str = "Hello") -> str:
    return f"---\ntitle: {title}\ntags: [ml]\n---\n{body}\n"


# -- the browser loop: edit, break, fix ------------------------------------------------------------------

def test_browser_updates_on_edit_shows_overlay_on_error_and_clears_it(served, browser):
    from playwright.sync_api import expect

    page = browser.new_page()
    try:
        page.goto(served.url + POST_URL)
        expect(page.locator("body")).to_contain_text("First paragraph.")
        page.wait_for_function("window.__mlfolioEvents && window.__mlfolioEvents.readyState === 1")

        (served.dev.site_dir / POST).write_text(post_text("Edited while the tab is open."), "utf-8")
        expect(page.locator("body")).to_contain_text("Edited while the tab is open.", timeout=10_000)

        # broken front matter: the overlay names the file and line, as the CLI would
        (served.dev.site_dir / POST).write_text("---\ntags: [ml]\n---\nNo title.\n", "utf-8")
        overlay = page.locator("#mlfolio-error-overlay")
        expect(overlay).to_contain_text(f"{POST}:2:1: missing required key 'title'", timeout=10_000)
        assert "Edited while the tab is open." in page.locator("main, body").first.inner_text()  # last good page

        # a tab opened while the site is broken shows the overlay too
        other = browser.new_page()
        other.goto(served.url + "/")
        expect(other.locator("#mlfolio-error-overlay")).to_contain_text(POST, timeout=10_000)

        (served.dev.site_dir / POST).write_text(post_text("Fixed <em>and</em> back."), "utf-8")
        expect(overlay).to_have_count(0, timeout=10_000)
        expect(page.locator("body")).to_contain_text("Fixed and back.", timeout=10_000)
        expect(other.locator("#mlfolio-error-overlay")).to_have_count(0, timeout=10_000)
        other.close()
    finally:
        page.close()


def test_stylesheet_change_is_swapped_without_reload(served, browser):
    page = browser.new_page()
    try:
        page.goto(served.url + POST_URL)
        page.wait_for_function("window.__mlfolioEvents && window.__mlfolioEvents.readyState === 1")
        assert page.locator('link[rel="stylesheet"][href$="assets/style.css"]').count() == 1
        page.evaluate("window.__sameDocument = true")
        theme_css = (served.dev.output / "assets" / "style.css").read_text("utf-8")
        served.edit("static/assets/style.css", theme_css + "\nbody { outline: 7px solid rgb(1, 2, 3) }\n")
        page.wait_for_function("getComputedStyle(document.body).outlineWidth === '7px'", timeout=10_000)
        assert page.evaluate("window.__sameDocument") is True       # swapped in place, not reloaded
    finally:
        page.close()


def test_overlay_text_is_not_interpreted_as_html(served, browser):
    from playwright.sync_api import expect

    page = browser.new_page()
    try:
        page.goto(served.url + POST_URL)
        page.wait_for_function("window.__mlfolioEvents && window.__mlfolioEvents.readyState === 1")
        served.edit(POST, "---\ntitle: [<img src=x onerror=window.__pwned=1>\n---\nx\n")
        overlay = page.locator("#mlfolio-error-overlay")
        expect(overlay).to_contain_text("YAML", timeout=10_000)
        assert overlay.locator("img").count() == 0
        assert page.evaluate("window.__pwned") is None
    finally:
        page.close()


# -- rebuilds --------------------------------------------------------------------------------------------

def test_edit_is_served_and_logged_in_one_line(served):
    served.edit(POST, post_text("Second version."))
    status, _, body = served.request(POST_URL)
    assert status == 200 and b"Second version." in body
    last = served.out.getvalue().strip().splitlines()[-1]
    assert last.startswith("rebuilt in ") and f"ms: {POST} → " in last and "changed" in last


class SlowTerminal(io.StringIO):
    """A terminal that takes its time over each write, as a pipe read by a busy reader may."""

    def write(self, text: str) -> int:
        time.sleep(0.0005)
        return super().write(text)


def test_lines_of_the_rebuild_and_search_threads_never_run_together(tmp_path):
    """Both threads print: 'search index rebuilt in …' and 'rebuilt in …' once came out as one line."""
    out = SlowTerminal()
    dev = DevServer(tmp_path, port=0, out=out, err=out)
    lines = {"rebuilt in 410 ms: a.md → 2 files changed", "search index rebuilt in 843 ms", "Serving …"}

    def say(line: str):
        for _ in range(50):
            dev.log(line)

    threads = [threading.Thread(target=say, args=(line,)) for line in lines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    written = out.getvalue().splitlines()
    assert len(written) == 150 and set(written) == lines


def test_drafts_are_shown_by_default(served):
    status, _, body = served.request("/blog/draft/")
    assert status == 200 and b"Secret draft" in body
    assert cli.make_parser().parse_args(["serve"]).drafts is True
    assert cli.make_parser().parse_args(["serve", "--no-drafts"]).drafts is False


def test_burst_of_saves_is_one_rebuild(served):
    served.dev.settle = served.dev.debounce = 0.3      # wide quiet period: a slow CI machine stays one burst
    before = served.dev.builds
    path = served.dev.site_dir / POST
    for i in range(8):                         # an editor saving repeatedly, with swap and backup files
        (path.parent / f".{path.name}.swp").write_text("swap")
        path.write_text(post_text(f"Burst {i}."), "utf-8")
        (path.parent / "4913").write_text("")
        (path.parent / "4913").unlink()
        time.sleep(0.01)
    assert served.dev.wait_for_rebuild(before, 10)
    time.sleep(0.6)
    assert served.dev.builds == before + 1
    assert b"Burst 7." in served.request(POST_URL)[2]


def test_new_folder_and_config_change_rebuild(served):
    # pages/ does not exist at start: the new top-level folder gets watched, then its files
    served.edit("pages/now.md", "---\ntitle: Now\n---\nWhat I am doing now.\n")
    served.wait_for("/now/", b"What I am doing now.")     # folder and file may land in two rebuilds
    served.edit("pages/now.md", "---\ntitle: Now\n---\nEdited inside the new folder.\n")
    assert b"Edited inside the new folder." in served.request("/now/")[2]
    # mlfolio.yml: a full rebuild, and base_url stays the local server's
    served.edit("mlfolio.yml", "title: Renamed Site\nurl: https://ada.github.io\n")
    body = served.request("/")[2]
    assert b"Renamed Site" in body and b"https://ada.github.io" not in body.split(b"<script")[0]


def test_ignored_paths(served):
    dev, site = served.dev, served.dev.site_dir
    for rel in ("_site/index.html", ".mlfolio-cache/x.pickle", ".git/index", "posts/.hello.md.swp", "posts/x~",
                "posts/.#hello.md", "posts/4913", "posts/a.tmp", "._site.tmp-123/index.html"):
        assert dev.ignored(site / rel), rel
    for rel in ("posts/2024-05-01-hello.md", "mlfolio.yml", "static/css/site.css", "templates/post.html"):
        assert not dev.ignored(site / rel), rel


def open_events(port: int, timeout: float = 10.0) -> socket.socket:
    """A raw connection to the event stream, as an open tab holds it."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    return sock


def next_event(sock, buf: bytearray) -> tuple[str, dict]:
    """The next `event:`/`data:` block from the stream (buffered in buf)."""
    while b"\n\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            raise EOFError
        buf += chunk
    raw, _, rest = bytes(buf).partition(b"\n\n")
    buf[:] = rest
    fields = dict(line.split(": ", 1) for line in raw.decode().splitlines() if ": " in line)
    return fields.get("event", ""), json.loads(fields["data"]) if "data" in fields else {}


def test_event_stream_hello_reload_css_and_error(served):
    sock = open_events(served.dev.port)
    buf = bytearray()
    try:
        while b"\r\n\r\n" not in buf:
            buf += sock.recv(4096)
        head, _, rest = bytes(buf).partition(b"\r\n\r\n")
        assert b"text/event-stream" in head
        buf[:] = rest
        event, data = next_event(sock, buf)
        while event == "":                      # the retry: line
            event, data = next_event(sock, buf)
        assert event == "hello" and data["build"]
        served.edit("static/css/extra.css", "body { color: red }\n")
        event, data = next_event(sock, buf)
        assert event == "css" and data["paths"] == ["/css/extra.css"]
        served.edit(POST, "---\ntitle: [broken\n---\n")
        event, data = next_event(sock, buf)
        assert event == "build-error" and any(POST in line for line in data["problems"])
        assert all(line.startswith("error: ") for line in data["problems"])
        served.edit(POST, post_text("Back."))
        event, data = next_event(sock, buf)
        assert event == "reload"
    finally:
        sock.close()


# -- HTTP ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd", "/blog/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "//etc/passwd", "/..%5c..%5cetc/passwd", "/blog/%00index.html",
    "/..", "/.mlfolio-output", "/C:/Windows/win.ini", "/%252e%252e/etc/passwd",
])
def test_path_traversal_is_404(served, path):
    status, _, body = served.request(path)
    assert status == 404
    assert b"root:" not in body


def test_symlink_leaving_the_output_is_404(served, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    (served.dev.output / "leak.txt").symlink_to(secret)
    (served.dev.output / "leakdir").symlink_to(tmp_path, target_is_directory=True)
    assert served.request("/leak.txt")[0] == 404
    assert served.request("/leakdir/secret.txt")[0] == 404
    inside = served.dev.output / "inside.xml"
    inside.symlink_to(served.dev.output / "sitemap.xml")
    assert served.request("/inside.xml")[0] == 200      # a link that stays inside is fine


def test_directory_redirects_index_and_no_listing(served):
    status, headers, _ = served.request("/blog?x=1")
    assert status == 301 and headers["Location"] == "/blog/?x=1"
    status, headers, body = served.request("/blog/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    (served.dev.output / "emptydir").mkdir()
    assert served.request("/emptydir/")[0] == 404        # no directory listing
    status, headers, body = served.request("/blog/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_mime_types(served):
    out = served.dev.output
    for name, data in {"a.js": b"1", "b.svg": b"<svg/>", "c.json": b"{}", "d.woff2": b"wOF2", "e.png": b"x",
                       "f.txt": b"t"}.items():
        (out / name).write_bytes(data)
    expected = {"/assets/code.css": "text/css; charset=utf-8", "/a.js": "text/javascript; charset=utf-8",
                "/b.svg": "image/svg+xml; charset=utf-8", "/c.json": "application/json; charset=utf-8",
                "/d.woff2": "font/woff2", "/e.png": "image/png", "/f.txt": "text/plain; charset=utf-8",
                "/sitemap.xml": "application/xml; charset=utf-8", "/": "text/html; charset=utf-8"}
    for path, ctype in expected.items():
        status, headers, _ = served.request(path)
        assert (status, headers["Content-Type"]) == (200, ctype), path


def test_missing_page_is_the_themes_404(served):
    status, headers, body = served.request("/no/such/page/")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    on_disk = (served.dev.output / "404.html").read_bytes()
    script_at = body.index(b"<script data-mlfolio-livereload>")
    end = body.index(b"</script>\n", script_at) + len(b"</script>\n")
    assert body[:script_at] + body[end:] == on_disk


def test_reload_script_only_in_responses_never_on_disk(served):
    served.edit(POST, post_text("Rebuilt once."))
    assert b"data-mlfolio-livereload" in served.request(POST_URL)[2]
    for path in served.dev.output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"mlfolio-livereload" not in data and EVENTS_PATH.encode() not in data, path


# -- lifecycle -------------------------------------------------------------------------------------------

def test_stop_joins_every_thread_and_ends_the_builder_process(make_site):
    site = make_site()
    before = set(threading.enumerate())
    dev = DevServer(site, port=0, out=io.StringIO(), err=io.StringIO(), offline=True)
    dev.start()
    builder_pid = dev.builder.pid
    assert builder_pid != os.getpid() and Path(f"/proc/{builder_pid}").exists()
    stream = socket.create_connection(("127.0.0.1", dev.port))       # an open tab's event stream
    stream.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{dev.port}\r\n\r\n".encode())
    keepalive = http.client.HTTPConnection("127.0.0.1", dev.port)    # and an idle keep-alive connection
    keepalive.request("GET", "/")
    keepalive.getresponse().read()
    time.sleep(0.1)
    dev.stop()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and set(threading.enumerate()) - before:
        time.sleep(0.05)
    assert not set(threading.enumerate()) - before
    assert not Path(f"/proc/{builder_pid}").exists()          # ended and reaped: not even a zombie
    assert dev.err.getvalue() == ""
    stream.close()
    keepalive.close()


def test_builder_process_death_is_reported_and_the_next_save_starts_a_new_one(served):
    dev = served.dev
    first = dev.builder.pid
    os.kill(first, signal.SIGKILL)
    served.edit(POST, post_text("Edited while the builder is dead."))
    message = ("error: the build process ended unexpectedly (killed by SIGKILL) — "
               "the next build starts a new one: save a file to retry")
    assert dev.last_error == [message] and message in dev.err.getvalue()
    assert served.out.getvalue().strip().splitlines()[-1].startswith("rebuild failed in ")
    served.edit(POST, post_text("Edited after the recovery."))
    assert dev.last_error is None and dev.builder.pid not in (None, first)
    assert b"Edited after the recovery." in served.request(POST_URL)[2]


def test_port_in_use_is_a_clear_error(make_site, capsys):
    site = make_site()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert cli.main(["serve", str(site), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"error: port {port} on 127.0.0.1 is already in use" in err and "--port 0" in err


def test_cli_port_0_prints_url_and_ctrl_c_stops_cleanly(make_site):
    site = make_site()
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "mlfolio", "serve", str(site), "--port", "0", "--offline"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Serving "):
                break
        assert any("Drafts are shown" in line for line in lines)
        url = lines[-1].split(" at ", 1)[1].split()[0]
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert port != 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", POST_URL)
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "stopped" in out
