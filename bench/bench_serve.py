"""Live-reload latency of `mlfolio serve` on a large site.

Starts `mlfolio serve SITE --port 0 --offline` in its own process (as a user would) and edits one post
--edits times (default 10) on a --posts site (default 1,000). For each edit it measures, from the moment the
Markdown file is written:
  served   until the HTTP server answers the post's URL with the new text (polled every 5 ms, keep-alive);
  event    until the `reload` Server-Sent Event reaches a client connected to /__mlfolio/events;
  rebuild  the rebuild itself, as the server's terminal line reports it ("rebuilt in 42 ms: …");
and with --browser (Playwright + Debian Chromium), for an open tab:
  tab      until the tab receives the `reload` event;
  visible  until the reloaded tab shows the new text.

  python bench/bench_serve.py                 # 1,000 posts, HTTP only
  python bench/bench_serve.py --browser       # also an open Chromium tab
  python bench/bench_serve.py --profile       # where an incremental rebuild spends its time (cProfile)

The site comes from bench/generate.py (python bench/generate.py N OUTDIR) when present, else from a small
generator here. Target: under 200 ms from save to served page.
"""
from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import os
import pstats
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(SRC))

from mlfolio.paths import SERVE_OUTPUT  # noqa: E402 - after the path above

WORDS = ("model training loss gradient transformer attention dataset kaggle notebook baseline feature "
         "embedding tokenizer evaluation benchmark inference latency").split()


def simple_corpus(n: int, root: Path) -> Path:
    """A plain site: n posts of ~300 words with a heading, a list, code and tags."""
    (root / "posts").mkdir(parents=True, exist_ok=True)
    (root / "mlfolio.yml").write_text("title: Bench Site\nurl: https://bench.example.org\n", "utf-8")
    (root / "profile.yml").write_text("name: Bench Person\nheadline: ML engineer\n", "utf-8")
    for i in range(n):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        year = 2015 + i // (28 * 12)
        words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(300))
        text = textwrap.dedent(f"""\
            ---
            title: Post number {i}
            tags: [{WORDS[i % 7]}, {WORDS[(i + 3) % 11]}]
            ---
            {words}

            ## Results

            - accuracy {i % 100}%
            - loss 0.{i:04d}

            ```python
            def f(x):
                return x * {i}
            ```
            """)
        (root / "posts" / f"{year}-{month:02d}-{day:02d}-post-{i}.md").write_text(text, "utf-8")
    return root


def make_site(n: int, root: Path) -> Path:
    generator = HERE / "generate.py"
    if generator.is_file():
        subprocess.run([sys.executable, str(generator), str(n), str(root)], check=True, stdout=subprocess.DEVNULL)
        return root
    return simple_corpus(n, root)


def pick_post(site: Path) -> Path:
    posts = sorted(p for p in (site / "posts").rglob("*.md") if p.is_file())
    if not posts:
        raise SystemExit(f"no posts in {site}/posts")
    return posts[len(posts) // 2]


def edit(post: Path, original: str, token: str) -> None:
    """Appends a paragraph with a unique token (as an editor's save would: truncate and write)."""
    post.write_text(original.rstrip("\n") + f"\n\nEdited {token}.\n", "utf-8")


def find_url(output: Path, token: str, post: Path) -> str:
    """The output page of the post: the HTML file with the token whose path names the post's slug."""
    hits = [p for p in output.rglob("*.html") if token in p.read_text("utf-8", "replace")]
    if not hits:
        raise SystemExit(f"token {token} not found in {output}: did the rebuild run?")
    stem = post.stem.split("-", 3)[-1] if post.stem[:4].isdigit() else post.stem
    hits.sort(key=lambda p: (stem not in p.as_posix(), len(p.parts)))
    rel = hits[0].relative_to(output).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


class Server:
    """`mlfolio serve` in a child process; its stdout lines arrive on a queue."""

    def __init__(self, site: Path):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen([sys.executable, "-m", "mlfolio", "serve", str(site), "--port", "0", "--offline"],
                                     stdout=subprocess.PIPE, text=True, env=env, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        t = time.perf_counter()
        line = self.next_line(r"^Serving ", timeout=600)
        self.startup = time.perf_counter() - t
        self.url = line.split(" at ", 1)[1].split()[0].rstrip("/")
        self.port = int(self.url.rsplit(":", 1)[1])

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, pattern: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise SystemExit(f"timeout waiting for a line matching {pattern!r} from mlfolio serve") from None
            if re.search(pattern, line):
                return line
            if line.startswith(("build failed", "rebuild failed")):
                raise SystemExit(f"mlfolio serve: {line}")

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Events:
    """A client of /__mlfolio/events that stamps each `reload` event's arrival."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(f"GET /__mlfolio/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.reloads: queue.Queue[float] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter()
            buf += chunk
            while b"\n\n" in buf:
                block, buf = buf.split(b"\n\n", 1)
                if b"event: reload" in block or b"event: css" in block:
                    self.reloads.put(now)

    def drain(self):
        while not self.reloads.empty():
            self.reloads.get_nowait()

    def close(self):
        self.sock.close()


class Poller:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def get(self, path: str) -> str:
        self.conn.request("GET", path)
        return self.conn.getresponse().read().decode("utf-8", "replace")

    def wait_for(self, path: str, token: str, timeout: float = 10.0) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if token in self.get(path):
                return time.perf_counter()
            time.sleep(0.005)
        raise SystemExit(f"timeout: {token} never served at {path}")


def stats(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    return f"  {name:<8} median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   max {ms[-1]:7.1f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--site", type=Path, help="use this site instead of a generated one (one post is edited, "
                    "then restored)")
    ap.add_argument("--browser", action="store_true", help="also measure an open Chromium tab (Playwright)")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one incremental rebuild")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="mlfolio-bench-serve-") as tmp:
        site = args.site or make_site(args.posts, Path(tmp) / "site")
        post = pick_post(site)
        original = post.read_text("utf-8")
        n_posts = len(list((site / "posts").rglob("*.md")))
        server = Server(site)
        print(f"{n_posts} posts; mlfolio serve started (first build) in {server.startup:.2f} s at {server.url}/")
        try:
            token = f"warmup{os.getpid()}"                 # finds the post's URL; warms caches
            edit(post, original, token)
            server.next_line(r"^rebuilt in ")
            path = find_url(site / SERVE_OUTPUT, token, post)
            print(f"editing {post.relative_to(site)} → {path}")
            poller, events = Poller(server.port), Events(server.port)
            served, event, rebuild = [], [], []
            for i in range(args.edits):
                time.sleep(0.3)
                events.drain()
                token = f"tok{i}x{time.monotonic_ns()}"
                t0 = time.perf_counter()
                edit(post, original, token)
                served.append(poller.wait_for(path, token) - t0)
                event.append(events.reloads.get(timeout=10) - t0)
                line = server.next_line(r"^rebuilt in ")
                rebuild.append(float(line.split()[2]) / 1000)
            events.close()
            print(f"HTTP, {args.edits} edits (from writing the file):")
            print(stats("served", served))
            print(stats("event", event))
            print(stats("rebuild", rebuild))
            print(f"  {line}")
            if args.browser:
                browser_bench(server.url, path, post, original, args.edits)
        finally:
            post.write_text(original, "utf-8")
            server.stop()
        if args.profile:
            profile_rebuild(site, post, original)
    return 0


def profile_rebuild(site: Path, post: Path, original: str) -> None:
    """cProfile of Builder.rebuild for one edited post, in this process."""
    from mlfolio.build import BuildOptions, Builder

    builder = Builder(BuildOptions(site, output=site / SERVE_OUTPUT, drafts=True, offline=True, remote_ttl=True,
                                   quiet=True, base_url="http://127.0.0.1:8000"))
    builder.build()
    for i in range(2):                                     # warm, then measured
        edit(post, original, f"profile{i}")
        profile = cProfile.Profile()
        profile.enable()
        result = builder.rebuild({post.resolve()})
        profile.disable()
    post.write_text(original, "utf-8")
    print("Incremental rebuild by stage: " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in result.timings.items()))
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
    print(out.getvalue())


def browser_bench(url: str, path: str, post: Path, original: str, edits: int) -> None:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("MLFOLIO_CHROMIUM", "/usr/bin/chromium")
    tab: list[float] = []
    visible: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(url + path)
        for i in range(edits):
            token = f"btok{i}x{time.monotonic_ns()}"
            page.wait_for_function("window.__mlfolioEvents && window.__mlfolioEvents.readyState === 1")
            # sessionStorage survives the reload: when the event arrived, in epoch ms
            page.evaluate("""() => window.__mlfolioEvents.addEventListener('reload',
                () => sessionStorage.setItem('mlfolioReloadAt', String(Date.now())))""")
            time.sleep(0.3)
            t0 = time.time()
            edit(post, original, token)
            page.wait_for_function("t => document.body && document.body.innerText.includes(t)", arg=token,
                                   timeout=10000, polling="raf")
            t_visible = time.time()
            at = page.evaluate("sessionStorage.getItem('mlfolioReloadAt')")
            if at:
                tab.append(int(at) / 1000 - t0)
            visible.append(t_visible - t0)
            page.evaluate("sessionStorage.removeItem('mlfolioReloadAt')")
        browser.close()
    print(f"Chromium tab, {edits} edits (from writing the file):")
    if tab:
        print(stats("tab", tab))
    print(stats("visible", visible))


if __name__ == "__main__":
    raise SystemExit(main())
