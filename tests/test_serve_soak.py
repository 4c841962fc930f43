"""Soak: `mlfolio serve` in its own process, as a user runs it, answers a burst of 200 concurrent requests
every 0.2 s while it rebuilds the example site 100 times: every other time after an edit of a post, else
of mlfolio.yml (a full rebuild, which reads every YAML file again). No request may stall (p99 under 2 s:
a stall detector, not a speed test — the speed is the benchmark's, printed here with -s), and the
resident memory of the serve process and of its builder process flat.

Warm-up first: every request thread the server may keep is started (each holds its stack and buffers), and
20 rebuilds run, so that what is left to grow would be a leak. A YAML constructor shared across builds, fixed
before, kept ~140 KB per config edit of this site: 7 MB over these 50, which the builder's bound catches.
About 20 s on a 2-vCPU machine; the measured numbers are printed (pytest -s)."""
from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from test_serve import SRC
from test_serve_limits import burst, percentile

from mlfolio.serve.connections import Limits

REBUILDS = 100
WARM_UP = 20                         # rebuilds before the first memory measurement
PAUSE = 0.2                          # seconds between bursts: the builder and this test need the CPU too
POST = "posts/2025-02-10-lora-notes.md"
# What open tabs fetch when they reload: pages, with their stylesheets, script and images; and a missing page.
PATHS = ["/", "/blog/", "/blog/lora-notes/", "/about/", "/cv/", "/assets/style.css", "/assets/code.css",
         "/assets/theme.js", "/assets/favicon.svg", "/img/avatar.svg", "/img/lora-diagram.svg", "/no/such/page/"]
MB = 1024 * 1024


def status_field(pid: int, name: str) -> int:
    """A number from /proc/PID/status: VmRSS in bytes, Threads as is."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            value = line.split()[1]
            return int(value) * 1024 if name.startswith("Vm") else int(value)
    raise KeyError(name)


def child_of(pid: int) -> int:
    """The builder: serve's one child process besides a Pagefind run of its search indexer."""
    children = [c for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                if not _command(c).startswith("pagefind")]
    assert len(children) == 1, children
    return int(children[0])


def _command(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:                       # it ended meanwhile: a Pagefind run, not the builder
        return "pagefind"


class ServeProcess:
    """`python -m mlfolio serve SITE --port 0 --offline`, its output lines read in a thread."""

    def __init__(self, site: Path):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen([sys.executable, "-m", "mlfolio", "serve", str(site), "--port", "0",
                                      "--offline"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []                # every line read, for the message of a timeout
        self.errors: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self._errors_reader = threading.Thread(target=self._read_errors, daemon=True)
        self._errors_reader.start()
        serving = self.next_line(("Serving ",), 60)
        self.port = int(serving.split(" at ", 1)[1].split()[0].rstrip("/").rsplit(":", 1)[1])
        self.builder = child_of(self.proc.pid)

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.seen.append(line)
            self.lines.put(line)

    def _read_errors(self) -> None:
        for line in self.proc.stderr:
            self.errors.append(line)

    def next_line(self, starts: tuple[str, ...], timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"serve wrote no line starting with {starts} in {timeout} s; its last lines:\n"
                                     + "".join(self.seen[-8:]) + "stderr:\n" + "".join(self.errors[-40:])) from None
            if line.startswith(starts):
                return line

    def memory(self) -> tuple[int, int]:
        """Resident memory of the serve process and of its builder process, in bytes."""
        return status_field(self.proc.pid, "VmRSS"), status_field(self.builder, "VmRSS")

    def threads(self) -> int:
        return status_field(self.proc.pid, "Threads")

    def start_every_request_thread(self) -> None:
        """Holds as many idle connections as there may be request threads, until each has one."""
        cap = Limits().max_connections
        idle = [socket.create_connection(("127.0.0.1", self.port)) for _ in range(cap)]
        deadline = time.monotonic() + 10
        while self.threads() < cap and time.monotonic() < deadline:
            time.sleep(0.05)
        for sock in idle:
            sock.close()

    def stop(self) -> str:
        """Ctrl-C; returns what serve wrote to stderr."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=20)
        self._errors_reader.join(10)             # it ends at the end of the pipe
        return "".join(self.errors)


@pytest.mark.timeout(420)                # its own hang check is 300 s (below); 100 s when the CPUs are shared
def test_latency_and_memory_stay_flat_under_requests_and_rebuilds(example_site):
    site = example_site
    config, post = (site / "mlfolio.yml").read_text("utf-8"), (site / POST).read_text("utf-8")
    serve = ServeProcess(site)
    latencies: list[float] = []
    statuses: set[int | None] = set()
    measuring, done = threading.Event(), threading.Event()

    def load():
        while not done.wait(PAUSE):
            results = burst(serve.port, 200, PATHS)
            statuses.update(status for status, _ in results)
            if measuring.is_set():
                latencies.extend(seconds for _, seconds in results)

    loader = threading.Thread(target=load)
    others = serve.threads()                 # main, HTTP, rebuild, watchdog's: before any request
    serve.start_every_request_thread()
    loader.start()
    try:
        for i in range(WARM_UP + REBUILDS):
            if i == WARM_UP:
                measuring.set()
                t0, start, most_threads = time.monotonic(), serve.memory(), 0
            if i % 2:
                (site / "mlfolio.yml").write_text(config.replace("title: ", f"title: Soak {i} "), "utf-8")
            else:
                (site / POST).write_text(f"{post}\nSoak edit {i}.\n", "utf-8")
            line = serve.next_line(("rebuilt in ", "rebuild failed"))
            assert line.startswith("rebuilt in "), line
            if measuring.is_set():
                most_threads = max(most_threads, serve.threads())
        end = serve.memory()
        seconds = time.monotonic() - t0
    finally:
        done.set()
        loader.join()
        err = serve.stop()
    p50, p99 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000
    print(f"\nsoak: {len(latencies)} requests in bursts of 200 during {REBUILDS} rebuilds, {seconds:.1f} s: "
          f"latency p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
          f"RSS serve {start[0] / MB:.1f} → {end[0] / MB:.1f} MB, builder {start[1] / MB:.1f} → "
          f"{end[1] / MB:.1f} MB; serve threads {others} idle, at most {most_threads}")
    assert "Traceback" not in err
    assert statuses == {200, 404}
    assert p99 < 2000, f"p99 {p99:.0f} ms: requests stalled during rebuilds"
    assert abs(end[0] - start[0]) < 10 * MB, "serve process"
    assert abs(end[1] - start[1]) < 4 * MB, "builder process"
    assert most_threads <= others + Limits().max_connections
    assert seconds < 300                # a hang, not a speed check: 20 s on a quiet 2-vCPU machine, 80 s busy
