"""Shared fixtures: tiny sites in tmp_path, and one headless Debian Chromium for browser tests."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import textwrap
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_SITE = REPO / "example-site"
CHROMIUM = os.environ.get("MLFOLIO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Writes {relative path: text} under root; text is dedented so tests can indent it."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve_folder(folder: Path):
    """Serves a built site over real HTTP on 127.0.0.1 (a free port); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


MINIMAL_SITE = {
    "mlfolio.yml": """
        title: Test Site
        url: https://ada.github.io
    """,
    "profile.yml": """
        name: Ada Test
        headline: ML engineer
    """,
    "posts/2024-05-01-hello.md": """
        ---
        title: Hello
        tags: [ml]
        ---
        First paragraph.
    """,
}


@pytest.fixture
def make_site(tmp_path):
    """make_site({path: text}) → a site folder with a minimal valid site plus (or overridden by) those files."""

    def make(files: dict[str, str | bytes] | None = None, *, bare: bool = False, name: str = "site") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        return write_site(root, {**({} if bare else MINIMAL_SITE), **(files or {})})

    return make


@pytest.fixture
def example_site(tmp_path) -> Path:
    """A private copy of example-site/, so tests may build and edit it freely."""
    target = tmp_path / "example-site"
    shutil.copytree(EXAMPLE_SITE, target, ignore=shutil.ignore_patterns("_site", ".mlfolio-cache"))
    return target


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session (never a downloaded browser build)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run the README's test command, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
