"""`mlfolio cv --pdf`: the built CV pages printed to PDF by a headless Chromium or Chrome.

The browser's own command line (`--headless --print-to-pdf`) rather than Playwright: people have a browser,
not Playwright, and GitHub's runners have Chrome. Pages are printed from a server on 127.0.0.1 that serves the
output under the site's base path, so a site at /portfolio/ prints with its styles.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import MlfolioError, Problem

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
ENV = "MLFOLIO_CHROMIUM"
TIMEOUT = 120


@dataclass
class PrintJob:
    path: str            # site path of the page: 'cv/' or 'cv/llm/'
    target: Path         # where its PDF goes


def find_browser() -> str:
    """The browser to print with: $MLFOLIO_CHROMIUM, else the first of BROWSERS on PATH."""
    chosen = os.environ.get(ENV)
    if chosen:
        found = shutil.which(chosen)
        if not found:
            raise MlfolioError(Problem(ENV, None, None, f"'{chosen}' is not an executable browser",
                                       f"set {ENV} to the path of chromium or chrome, or unset it"))
        return found
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise MlfolioError(Problem("mlfolio cv", None, None, "no Chromium or Chrome found to print the CV with "
                               f"(looked for {', '.join(BROWSERS)} on PATH)",
                               f"install chromium (apt install chromium), or set {ENV}=/path/to/chrome; or open "
                               "/cv/ in a browser and use Print → Save as PDF"))


def print_pages(browser: str, folder: Path, base_path: str, jobs: list[PrintJob]) -> None:
    """Prints each page of a built site to its PDF; any failure is one problem, never a traceback."""
    with _serve(folder, base_path) as origin, tempfile.TemporaryDirectory(prefix="mlfolio-chromium-") as profile:
        for job in jobs:
            job.target.parent.mkdir(parents=True, exist_ok=True)
            partial = job.target.with_name(job.target.name + ".part")
            partial.unlink(missing_ok=True)
            command = [browser, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                       "--disable-extensions", "--disable-background-networking", f"--user-data-dir={profile}",
                       "--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={partial}",
                       f"{origin}{base_path}{job.path}"]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                command.insert(1, "--no-sandbox")        # Chromium refuses to run as root with its sandbox
            _run(command, partial)
            os.replace(partial, job.target)


def _run(command: list[str], partial: Path) -> None:
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        partial.unlink(missing_ok=True)
        raise MlfolioError(Problem(command[0], None, None, f"the browser did not finish printing in {TIMEOUT} s",
                                   f"try another browser ({ENV}=/path/to/chrome)")) from None
    except OSError as exc:
        raise MlfolioError(Problem(command[0], None, None, f"cannot run the browser: {exc.strerror or exc}",
                                   f"set {ENV} to a working chromium or chrome")) from None
    ok = partial.is_file() and partial.read_bytes()[:5] == b"%PDF-"
    if proc.returncode != 0 or not ok:
        partial.unlink(missing_ok=True)
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1][:300]
        raise MlfolioError(Problem(command[0], None, None, f"the browser could not print {command[-1]} "
                                   f"(exit {proc.returncode}): {last}", f"try another browser ({ENV}=/path/to/chrome)"))


class _Handler(http.server.SimpleHTTPRequestHandler):
    base_path = "/"

    def translate_path(self, path: str) -> str:
        if path.startswith(self.base_path):
            path = "/" + path[len(self.base_path):]
        return super().translate_path(path)

    def log_message(self, format, *args) -> None:        # the browser's requests are not the user's business
        pass


@contextmanager
def _serve(folder: Path, base_path: str):
    """The built site on http://127.0.0.1:PORT{base_path}, for as long as the block runs."""
    handler = functools.partial(type("Handler", (_Handler,), {"base_path": base_path}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


__all__ = ["PrintJob", "find_browser", "print_pages", "BROWSERS"]
