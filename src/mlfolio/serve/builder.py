"""The Builder in a child process, forked before serve starts any thread, so that builds may fork workers safely."""
from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable

from ..build import BuildOptions, BuildResult, Builder
from ..errors import MlfolioError, Problem

STOP_SECONDS = 5.0                   # how long a child may take to quit or abandon its build before SIGKILL
STOPPED = Problem("", None, None, "the build process was stopped")


class BuildCrashed(Exception):
    """The child's build raised something other than MlfolioError (a bug); carries the child's traceback."""

    def __init__(self, summary: str, details: str):
        super().__init__(summary)
        self.summary, self.details = summary, details


class BuilderDied(MlfolioError):
    """The child ended without answering: killed (e.g. out of memory), or stopped."""


class BuildAbandoned(BaseException):
    """Raised in the child by SIGTERM: unwinds the build (its temporary output is removed), then the child ends."""


class BuilderProcess:
    """Builder's interface (build, rebuild, output, theme_dir, watch_dirs) with the Builder in a child process.

    serve runs threads (HTTP, watchdog) and a full build forks worker processes; fork() in a process with
    threads can deadlock (Python 3.12 warns). So the child is forked here, when this process must still have
    one thread only: create the BuilderProcess before starting any. The child stays single-threaded, so its
    builds fork safely. A child that dies is replaced on the next call; threads run by then, so the new one
    comes from multiprocessing's fork server (a fresh single-threaded process started by fork+exec) instead.
    """

    def __init__(self, options: BuildOptions, make: Callable[[BuildOptions], object] = Builder):
        self.options = options
        self.output: Path | None = None
        self.theme_dir: Path | None = None
        self.watch_dirs: list[Path] | None = None      # None when the Builder does not list them
        self._make = make
        self._process: multiprocessing.process.BaseProcess | None = None
        self._pipe: Connection | None = None
        self._lock = threading.Lock()                   # one call at a time; its holder owns the pipe
        self._stopped = False
        self._start()
        # Registered after multiprocessing's exit hook, so it runs first (atexit runs hooks in reverse order):
        # that hook would otherwise wait forever for a child nobody stopped.
        atexit.register(self.stop)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def build(self) -> BuildResult:
        return self._call("build")

    def rebuild(self, changed: set[Path]) -> BuildResult:
        return self._call("rebuild", set(changed))

    def stop(self) -> None:
        """Ends the child and reaps it. Idle, it is asked to quit; mid-build (a call in another thread), it gets
        SIGTERM and abandons the build, keeping the last output; that call then fails. Safe to call twice."""
        self._stopped = True
        atexit.unregister(self.stop)
        if self._lock.acquire(blocking=False):
            try:
                self._end(ask=True)
            finally:
                self._lock.release()
        elif (process := self._process) is not None:
            _terminate(process)          # the calling thread then reads EOF and reaps it

    def _start(self) -> None:
        method = "fork" if _single_threaded() else "forkserver"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload([Builder.__module__])     # imported once, in the fork server
        ours, theirs = context.Pipe()
        inherited = ours if method == "fork" else None
        self._process = context.Process(target=child_main, name="mlfolio-builder",
                                        args=(theirs, self.options, self._make, inherited))
        # A Ctrl-C during the fork waits, blocked, until the child ignores it and we unblock it here.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        theirs.close()
        self._pipe = ours

    def _call(self, method: str, *args):
        with self._lock:
            if self._stopped:
                raise BuilderDied(STOPPED)
            if self._process is None:
                self._start()
            try:
                self._pipe.send((method, args))
                status, value, state = self._pipe.recv()
            except (EOFError, OSError):
                raise self._lost() from None
            except BaseException:        # e.g. Ctrl-C while waiting: the reply would arrive out of turn
                self._end(ask=False)
                raise
        self.output, self.theme_dir, self.watch_dirs = state
        if status == "problems":
            raise MlfolioError(value)
        if status == "crashed":
            raise BuildCrashed(*value)
        return value

    def _lost(self) -> BuilderDied:
        """The child closed the pipe without answering: reap it and say why."""
        code = self._end(ask=False)
        if self._stopped:
            return BuilderDied(STOPPED)
        return BuilderDied(Problem("", None, None, f"the build process ended unexpectedly ({_exit_reason(code)})",
                                   "the next build starts a new one: save a file to retry"))

    def _end(self, ask: bool) -> int | None:
        """Ends the child (asked to quit first when idle), reaps it and closes the pipe; returns its exit code."""
        process, pipe = self._process, self._pipe
        if process is None:
            return None
        if ask:
            try:
                pipe.send(None)
            except OSError:
                pass
        if not ask or not wait([process.sentinel], STOP_SECONDS):
            _terminate(process)
        process.join()
        pipe.close()
        self._process = self._pipe = None
        return process.exitcode


def _terminate(process: multiprocessing.process.BaseProcess) -> None:
    """SIGTERM, so the child abandons its build cleanly; if it has not ended after STOP_SECONDS, SIGKILL for its
    process group: the child and its build workers. Does not reap it."""
    try:
        os.kill(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if not wait([process.sentinel], STOP_SECONDS):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:   # not yet in its own group
            os.kill(process.pid, signal.SIGKILL)


def _single_threaded() -> bool:
    """Whether this process runs one thread only (as Python 3.12 counts them before it warns about fork)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


NICENESS = 5


def child_main(pipe: Connection, options: BuildOptions, make: Callable[[BuildOptions], object],
                  inherited: Connection | None) -> None:
    """The child: one Builder answering build and rebuild requests, one at a time, until asked to quit.

    inherited is the parent's end of the pipe when fork copied it here: closed, so that the parent's exit
    reads as the end of the pipe.
    """
    if inherited is not None:
        inherited.close()
    # Ctrl-C is the parent's to handle: it then stops the child. In a process group of its own, the child
    # and its build workers can be killed together, and a terminal's Ctrl-C does not reach them.
    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    # Answering the browser comes first: a rebuild (and its workers) yields the CPU to the server when both
    # want it. On an idle machine this costs the rebuild nothing; under a burst of requests during a full
    # rebuild it halved the slowest answers.
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    signal.signal(signal.SIGTERM, _abandon_build)
    try:
        _answer(pipe, make(options))
    except BuildAbandoned:
        pass


def _answer(pipe: Connection, builder) -> None:
    """Answers requests until the parent quits. After each answer, while the parent has what it needs, a full
    garbage collection: a build pauses the collector (build.py), and the reference cycles of hundreds of builds
    otherwise piled up before one ran: resident memory grew by 10 MB over the first 250 rebuilds of the
    example site, and by 2 MB with it."""
    while True:
        try:
            request = pipe.recv()
        except (EOFError, OSError):
            return                   # the parent has gone
        if request is None:
            return
        method, args = request
        try:
            reply = ("done", getattr(builder, method)(*args))
        except MlfolioError as exc:
            reply = ("problems", exc.problems)
        except Exception as exc:  # noqa: BLE001 - a bug in a stage: the parent reports it, the child carries on
            reply = _crashed(exc)
        state = (builder.output, builder.theme_dir, getattr(builder, "watch_dirs", None))
        try:
            try:
                pipe.send((*reply, state))
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                pipe.send((*_crashed(exc), state))
        except OSError:
            return
        gc.collect()


def _crashed(exc: Exception) -> tuple[str, tuple[str, str]]:
    return "crashed", (f"{type(exc).__name__}: {exc}", traceback.format_exc())


def _abandon_build(signum, frame):
    for worker in multiprocessing.active_children():
        worker.kill()                # the build's pool then fails at once instead of finishing every share
    raise BuildAbandoned
