"""Limits that keep the preview answering under load and against slow or idle clients.

One thread per connection is simple and fast for a preview, but without limits it is also unbounded: 500
half-sent connections held 510 threads, and the stdlib's listen backlog of 5 made 100 concurrent requests
wait up to 14 s for SYN retransmits. So: a long backlog, a deadline for receiving each request, and a cap on
connection threads (beyond it, connections wait in the backlog, and get 503 if no thread frees up in time).
"""
from __future__ import annotations

import io
import queue
import socket
import threading
import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Limits:
    backlog: int = 512               # connections the kernel queues before accept (capped by net.core.somaxconn)
    request_seconds: float = 5.0     # to receive a request line and headers, idle keep-alive time included
    send_seconds: float = 60.0       # to send one response (a large file to a slow device on the network)
    max_connections: int = 128       # connection threads at once (event streams included)
    max_streams: int = 32            # open live-reload event streams (one per tab; browsers allow 6 per host)
    queue_seconds: float = 5.0       # how long an accepted connection waits for a free thread before 503


class DeadlineReader(io.RawIOBase):
    """The socket's reading side, with one deadline for a whole request rather than per recv().

    A socket timeout alone restarts with every byte received: a client sending one header byte every few
    seconds would hold its thread for ever. While a deadline is set, each recv() may wait only the time left.
    """

    def __init__(self, sock: socket.socket):
        super().__init__()
        self._sock = sock
        self.deadline: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request was not received in time")
            timeout = self._sock.gettimeout()
            if timeout is None or left < timeout - 0.1:
                self._sock.settimeout(left)      # a system call: not when the timeout set is about right
        return self._sock.recv_into(buffer)


class WorkerPool:
    """Runs jobs on at most `limit` threads, which wait for the next job (up to idle_seconds) instead of
    ending: starting a thread per connection cost 170 µs, a fifth of a request's time.

    submit() waits up to `wait` s for a free thread, then gives up; so the caller (the accepting thread)
    decides what an over-full server does, and the thread count can never pass the limit.
    """

    def __init__(self, limit: int, name: str, idle_seconds: float = 30.0):
        self.limit, self.name, self.idle_seconds = limit, name, idle_seconds
        self._cond = threading.Condition()
        self._idle: list[queue.SimpleQueue] = []     # waiting threads' mailboxes; the last one is used first,
                                                     # so that threads not needed for a while time out
        self._threads: set[threading.Thread] = set()
        self._starting = 0
        self._closed = False

    def submit(self, job: Callable[[], None], wait: float = 0.0) -> bool:
        with self._cond:
            self._cond.wait_for(lambda: self._idle or self._count() < self.limit or self._closed, wait)
            if self._closed or not (self._idle or self._count() < self.limit):
                return False
            mailbox = self._idle.pop() if self._idle else None
            if mailbox is None:
                self._starting += 1
        if mailbox is not None:
            mailbox.put(job)
        else:
            threading.Thread(target=self._work, args=(job,), name=self.name, daemon=True).start()
        return True

    def _count(self) -> int:
        return len(self._threads) + self._starting

    def _work(self, job: Callable[[], None] | None) -> None:
        with self._cond:
            self._starting -= 1
            self._threads.add(threading.current_thread())
        mailbox: queue.SimpleQueue = queue.SimpleQueue()
        try:
            while job is not None:
                job()
                with self._cond:
                    if self._closed:
                        return
                    self._idle.append(mailbox)
                    self._cond.notify()
                try:
                    job = mailbox.get(timeout=self.idle_seconds)
                except queue.Empty:
                    with self._cond:
                        claimed = mailbox not in self._idle      # submit() took it just now: a job is coming
                        if not claimed:
                            self._idle.remove(mailbox)
                    job = mailbox.get() if claimed else None
        finally:
            with self._cond:
                self._threads.discard(threading.current_thread())
                self._cond.notify()

    def close(self) -> None:
        """Wakes a waiting submit(), which fails, and ends the idle threads; busy ones end after their job."""
        with self._cond:
            self._closed = True
            for mailbox in self._idle:
                mailbox.put(None)
            self._idle.clear()
            self._cond.notify_all()

    def join(self, timeout: float) -> None:
        with self._cond:
            threads = list(self._threads)
        deadline = time.monotonic() + timeout
        for t in threads:
            if t is not threading.current_thread():
                t.join(max(0.0, deadline - time.monotonic()))


class Slots:
    """At most `limit` of something at once (open event streams): take() says whether one was free."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self.used >= self.limit:
                return False
            self.used += 1
            return True

    def give(self) -> None:
        with self._lock:
            self.used -= 1
