"""serve/builder.py: the Builder in a child process. Real child processes, a real Builder where it can be, and a
stand-in builder (below) only to make a build crash, die or hang on purpose. The last two tests prove that
serve never forks a process that runs threads."""
from __future__ import annotations

import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from mlfolio.build import Builder, BuildOptions, BuildResult
from mlfolio.errors import MlfolioError
from mlfolio.paths import MANIFEST
from mlfolio.serve import BuildCrashed, BuilderDied, BuilderProcess, DevServer

SRC = Path(__file__).resolve().parents[1] / "src"
POST = "posts/2024-05-01-hello.md"


def options(site: Path) -> BuildOptions:
    return BuildOptions(site, drafts=True, offline=True, remote_ttl=True, quiet=True)


class Misbehaving:
    """A stand-in Builder whose rebuild does what the changed file is named: bug, die, hang or lambda."""

    def __init__(self, opts: BuildOptions):
        self.site_dir = Path(opts.site_dir)
        self.output = self.theme_dir = None

    def build(self) -> BuildResult:
        self.output = self.site_dir / "_site"
        self.output.mkdir(exist_ok=True)
        (self.output / MANIFEST).write_text("{}")      # as a real build leaves: serve checks it is there
        return BuildResult(self.output, 1, 0, 1, 0.0, changed=["index.html"])

    def rebuild(self, changed: set[Path]):
        name = next(iter(changed)).name
        if name == "bug":
            return self.stage_with_a_bug()
        if name == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        if name == "hang":
            worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
            worker.start()
            (self.site_dir / "hanging.tmp").write_text(str(worker.pid))
            os.replace(self.site_dir / "hanging.tmp", self.site_dir / "hanging")
            time.sleep(60)
        if name == "lambda":
            return lambda: None
        return self.build()

    def stage_with_a_bug(self):
        raise ValueError("boom")


def env_with_src() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}


def alive(pid: int) -> bool:
    """Whether pid is a running process (a zombie or an unknown pid is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_builds_in_a_child_and_mirrors_its_attributes(make_site):
    site = make_site()
    in_process = Builder(options(site))
    in_process.build()
    builder = BuilderProcess(options(site))
    try:
        assert builder.pid != os.getpid() and alive(builder.pid)
        assert builder.output is None                    # known once a build has read mlfolio.yml
        assert builder.build().output == in_process.output
        assert (builder.output, builder.theme_dir, builder.watch_dirs) == \
            (in_process.output, in_process.theme_dir, getattr(in_process, "watch_dirs", None))
        (site / POST).write_text("---\ntitle: Hello\n---\nRebuilt in the child.\n", "utf-8")
        result = builder.rebuild({site / POST})
        assert "blog/hello/index.html" in result.changed
        assert "Rebuilt in the child." in (builder.output / "blog/hello/index.html").read_text("utf-8")
    finally:
        builder.stop()


def test_site_problem_is_the_same_mlfolio_error_as_in_process(make_site):
    site = make_site({POST: "---\ntags: [ml]\n---\nNo title.\n"})
    with pytest.raises(MlfolioError) as in_process:
        Builder(options(site)).build()
    builder = BuilderProcess(options(site))
    try:
        with pytest.raises(MlfolioError) as in_child:
            builder.build()
        assert in_child.value.problems == in_process.value.problems
        assert builder.output == (site / "_site").resolve()      # refreshed after a failed build too
    finally:
        builder.stop()


def test_a_bug_comes_back_with_the_childs_traceback_and_the_child_carries_on(make_site):
    site = make_site()
    builder = BuilderProcess(options(site), make=Misbehaving)
    try:
        builder.build()
        pid = builder.pid
        with pytest.raises(BuildCrashed) as crash:
            builder.rebuild({site / "bug"})
        assert crash.value.summary == "ValueError: boom"
        assert "in stage_with_a_bug" in crash.value.details and crash.value.details.startswith("Traceback")
        with pytest.raises(BuildCrashed, match="pickle|local object"):     # Python 3.13 says the latter
            builder.rebuild({site / "lambda"})        # a result that cannot cross the pipe
        assert builder.rebuild({site / "fine"}).written == 1
        assert builder.pid == pid
    finally:
        builder.stop()


def test_serve_shows_a_bug_in_the_child_as_an_internal_error_with_its_traceback(make_site):
    site = make_site()
    err = io.StringIO()
    dev = DevServer(site, port=0, out=io.StringIO(), err=err, offline=True,
                    make_builder=lambda base_url: BuilderProcess(options(site), make=Misbehaving))
    dev.start()
    try:
        before = dev.builds
        (site / "bug").write_text("")
        assert dev.wait_for_rebuild(before)
        assert dev.last_error == ["error: internal error while building: ValueError: boom",
                                  "(this is a bug in mlfolio; the traceback is in the terminal)"]
        assert "in stage_with_a_bug" in err.getvalue() and 'raise ValueError("boom")' in err.getvalue()
    finally:
        dev.stop()


class FailingFolders(Misbehaving):
    """In serve's own process: after a rebuild of a file named 'folders', listing the folders to watch fails."""

    def __init__(self, opts: BuildOptions):
        super().__init__(opts)
        self.fail = False

    def rebuild(self, changed: set[Path]):
        self.fail = any(p.name == "folders" for p in changed)
        return self.build()

    @property
    def watch_dirs(self):
        if self.fail:
            raise RuntimeError("folders gone")
        return []


def test_a_bug_after_a_build_does_not_stop_later_rebuilds(make_site):
    """A bug in serve's own bookkeeping after a build is printed; the next save still rebuilds."""
    site = make_site()
    err = io.StringIO()
    dev = DevServer(site, port=0, out=io.StringIO(), err=err, offline=True,
                    make_builder=lambda base_url: FailingFolders(options(site)))
    dev.start()
    try:
        before = dev.builds
        (site / "folders").write_text("")
        assert dev.wait_for_rebuild(before + 1)          # the build, then the failure after it
        assert "RuntimeError: folders gone" in err.getvalue()
        assert dev.last_error[0].startswith("error: internal error while rebuilding")
        before = dev.builds
        (site / "fine").write_text("")
        assert dev.wait_for_rebuild(before)
        assert dev.last_error is None
    finally:
        dev.stop()


def test_a_dead_child_is_reported_and_replaced_on_the_next_call(make_site):
    site = make_site()
    builder = BuilderProcess(options(site), make=Misbehaving)
    try:
        builder.build()
        first = builder.pid
        with pytest.raises(BuilderDied) as died:
            builder.rebuild({site / "die"})
        assert died.value.problems[0].text() == ("error: the build process ended unexpectedly (killed by SIGKILL)"
                                                 " — the next build starts a new one: save a file to retry")
        assert not alive(first) and builder.pid is None
        assert builder.build().written == 1
        assert builder.pid not in (None, first) and alive(builder.pid)
    finally:
        builder.stop()


def test_child_ignores_ctrl_c(make_site):
    builder = BuilderProcess(options(make_site()), make=Misbehaving)
    try:
        builder.build()
        pid = builder.pid
        os.kill(pid, signal.SIGINT)
        assert builder.build().written == 1 and builder.pid == pid
    finally:
        builder.stop()


def test_stop_when_idle_ends_the_child_quietly(make_site, capfd):
    builder = BuilderProcess(options(make_site()))
    builder.build()
    pid = builder.pid
    builder.stop()
    assert not Path(f"/proc/{pid}").exists()          # ended and reaped: not even a zombie
    builder.stop()                                    # twice is fine
    with pytest.raises(BuilderDied, match="stopped"):
        builder.build()
    assert "Traceback" not in capfd.readouterr().err


def test_stop_mid_build_ends_the_child_and_its_workers_at_once(make_site, capfd):
    site = make_site()
    builder = BuilderProcess(options(site), make=Misbehaving)
    builder.build()
    pid = builder.pid
    raised = []

    def call():
        try:
            builder.rebuild({site / "hang"})
        except MlfolioError as exc:
            raised.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    assert wait_until((site / "hanging").exists)
    worker = int((site / "hanging").read_text())
    t0 = time.monotonic()
    builder.stop()
    caller.join(10)
    assert time.monotonic() - t0 < 3
    assert [type(e) for e in raised] == [BuilderDied] and "stopped" in str(raised[0])
    assert wait_until(lambda: not alive(pid) and not alive(worker), 5)
    assert not Path(f"/proc/{pid}").exists()
    assert "Traceback" not in capfd.readouterr().err


def test_child_ends_when_the_serve_process_dies(make_site):
    script = ("import sys, os\nfrom mlfolio.build import BuildOptions\nfrom mlfolio.serve import BuilderProcess\n"
              "b = BuilderProcess(BuildOptions(sys.argv[1], offline=True, quiet=True))\n"
              "print(b.pid, flush=True)\nos._exit(0)\n")
    out = subprocess.run([sys.executable, "-c", script, str(make_site())], capture_output=True, text=True,
                         env=env_with_src(), timeout=60, check=True).stdout
    assert wait_until(lambda: not alive(int(out)), 10)


# -- no fork from a process with threads -------------------------------------------------------------------

def sixty_posts(make_site) -> Path:
    """A site large enough that a full build forks worker processes (build.PARALLEL_MIN is 48)."""
    return make_site({f"posts/2023-{1 + i // 28:02d}-{1 + i % 28:02d}-post-{i}.md":
                      f"---\ntitle: Post {i}\n---\nText of post {i}.\n" for i in range(60)})


# Runs DevServer with an at-fork hook that notes, in whichever process forks, its pid and thread count.
FORK_PROBE = textwrap.dedent("""
    import json, os, sys, threading
    from pathlib import Path

    site, log = Path(sys.argv[1]), Path(sys.argv[2])
    os.cpu_count = lambda: 2          # so the build uses worker processes even on a one-CPU machine

    def note_fork():
        with open(log, "a") as f:
            f.write(f"{os.getpid()} {len(os.listdir('/proc/self/task'))} {threading.active_count()}\\n")

    os.register_at_fork(before=note_fork)
    from mlfolio.serve import DevServer

    dev = DevServer(site, port=0, offline=True, out=sys.stderr)
    dev.start()
    try:
        threads = threading.active_count()
        with open(log, "a") as f:
            f.write("rebuild\\n")
        before = dev.builds
        (site / "mlfolio.yml").write_text("title: Renamed\\nurl: https://ada.github.io\\n")
        rebuilt = dev.wait_for_rebuild(before, 60)
        print(json.dumps({"serve": os.getpid(), "builder": dev.builder.pid, "threads": threads,
                          "rebuilt": rebuilt, "error": dev.last_error}))
    finally:
        dev.stop()
""")


def test_serve_forks_only_while_single_threaded(make_site, tmp_path):
    site, log = sixty_posts(make_site), tmp_path / "forks.log"
    run = subprocess.run([sys.executable, "-c", FORK_PROBE, str(site), str(log)], capture_output=True, text=True,
                         env=env_with_src(), timeout=120)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["rebuilt"] and seen["error"] is None
    assert seen["threads"] >= 3                    # HTTP, watchdog and rebuild threads were running
    first, _, rebuild = log.read_text().partition("rebuild\n")
    forks = [tuple(map(int, line.split())) for line in (first + rebuild).splitlines()]
    assert all(tasks == 1 and threads == 1 for _, tasks, threads in forks), forks
    assert [pid for pid, _, _ in forks if pid == seen["serve"]] == [seen["serve"]]   # the builder, at start
    assert any(line.split()[0] == str(seen["builder"]) for line in rebuild.splitlines())  # workers, later


def test_cli_serve_rebuilds_with_deprecation_warnings_as_errors(make_site):
    site = sixty_posts(make_site)
    proc = subprocess.Popen([sys.executable, "-W", "error::DeprecationWarning", "-m", "mlfolio", "serve", str(site),
                             "--port", "0", "--offline"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env_with_src())
    try:
        for line in proc.stdout:
            if line.startswith("Serving "):
                break
        (site / "mlfolio.yml").write_text("title: Renamed\nurl: https://ada.github.io\n", "utf-8")
        for line in proc.stdout:
            if line.startswith(("rebuilt in ", "rebuild failed")):
                break
        assert line.startswith("rebuilt in ") and "mlfolio.yml" in line
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "fork" not in err and "stopped" in out
