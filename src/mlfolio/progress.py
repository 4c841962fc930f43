"""A one-line progress bar for long builds and fetches, drawn only on a terminal's stderr (never in CI logs,
pipes or files), and only once a stage has taken long enough to be worth watching."""
from __future__ import annotations

import sys
import time

DELAY = 0.4          # seconds before the bar appears: short stages never flash one
INTERVAL = 0.1       # at most ten redraws a second
WIDTH = 28


class Progress:
    def __init__(self, label: str, total: int, enabled: bool, stream=None):
        self.label, self.total = label, max(total, 1)
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.started = time.monotonic()
        self._last = 0.0
        self._drawn = False

    def show(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.started < DELAY or now - self._last < INTERVAL:
            return
        self._last = now
        filled = min(WIDTH, WIDTH * done // self.total)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {min(done, self.total):,}/{self.total:,}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Clears the line, so the build's own lines start clean."""
        if self._drawn:
            self.stream.write("\r" + " " * (len(self.label) + WIDTH + 30) + "\r")
            self.stream.flush()
            self._drawn = False


def terminal(stream=None) -> bool:
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
