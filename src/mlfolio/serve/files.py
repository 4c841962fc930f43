"""Which file a URL path names under the served folder, never one outside it, and its MIME type.

Few system calls per request on purpose: each one releases Python's lock on the interpreter, and with many
request threads taking it back costs more than the call itself. Walking down the path with stat() and
lstat() made 14 calls; opening the file and asking the kernel where it is makes 5, close included (server
CPU per request in bursts of 200: 0.57 -> 0.50 ms).
"""
from __future__ import annotations

import functools
import mimetypes
import os
import re
import stat
from urllib.parse import unquote

from ..paths import MANIFEST

MIME_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".css": "text/css", ".js": "text/javascript",
    ".mjs": "text/javascript", ".json": "application/json", ".map": "application/json",
    ".webmanifest": "application/manifest+json", ".xml": "application/xml", ".svg": "image/svg+xml",
    ".txt": "text/plain", ".md": "text/plain", ".ico": "image/x-icon", ".png": "image/png",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".avif": "image/avif", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf",
    ".otf": "font/otf", ".wasm": "application/wasm", ".pdf": "application/pdf", ".ipynb": "application/json",
}
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/manifest+json", "image/svg+xml")
# O_NONBLOCK: opening a FIFO must not wait for a writer. O_BINARY: no newline translation on Windows.
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
PROC_FD = "/proc/self/fd/"           # Linux: where an open file really is, in one readlink()
UNSAFE_CHARS = re.compile(r"[\x00-\x1f\\]")  # control characters, NUL, backslashes


def content_type(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    ctype = MIME_TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if ctype.startswith(TEXT_TYPES) or ctype == "text/javascript":
        ctype += "; charset=utf-8"
    return ctype


def url_parts(url_path: str) -> list[str] | None:
    """The path segments of a URL path, or None for anything that could leave the folder: `..` in any form
    (%2e%2e too), backslashes, NUL and control characters, drive letters, and the build manifest."""
    try:
        path = unquote(url_path, errors="strict") if "%" in url_path else url_path
    except UnicodeDecodeError:
        return None
    if not path.startswith("/") or path.startswith("//") or UNSAFE_CHARS.search(path):
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in ("..", ".") or (p[1:2] == ":" and p[:1].isalpha()) for p in parts):
        return None
    if parts and parts[-1] == MANIFEST:
        return None                  # the build manifest is not part of the site
    return parts


def find_file(root: str, parts: list[str]) -> tuple[str, bytes | None] | None:
    """The file root/parts...: (its real path, its bytes), or (its real path, None) for a folder. None when
    there is none, when it is neither file nor folder, or when a symlink leads out of root."""
    path = os.path.join(root, *parts)
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError:
        return None
    try:
        real = _real_path(fd, path)
        inside = _real_root(root)
        if real != inside and not real.startswith(inside + os.sep):
            return None
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return real, None
        if not stat.S_ISREG(st.st_mode):
            return None
        return real, os.read(fd, st.st_size) if st.st_size else b""
    except OSError:
        return None
    finally:
        os.close(fd)


def _real_path(fd: int, path: str) -> str:
    try:
        return os.readlink(PROC_FD + str(fd))
    except OSError:                  # no /proc (macOS, Windows)
        return os.path.realpath(path)


@functools.lru_cache(maxsize=8)
def _real_root(root: str) -> str:
    return os.path.realpath(root)
