"""What a page read while it was rendered, so a later build can reuse the page when none of it changed.

The site model records a key whenever a collection that derives from posts or pages is read (`site.posts`,
`site.tags`, a tag's posts, `site.menu`), whether by a template, a filter or a route's Python code. Together
with a digest of the page's own context (documents by path and fingerprint), this is everything a page
depends on besides the configuration, profile, templates and remote data, which invalidate every page.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from contextlib import contextmanager
from pathlib import PurePath

_reads: set[str] | None = None


def record(key: str) -> None:
    if _reads is not None:
        _reads.add(key)


@contextmanager
def recording():
    """Collects the keys read inside the block (rendering one page); nested blocks add to the outer one."""
    global _reads
    outer = _reads
    _reads = set()
    try:
        yield _reads
    finally:
        inner, _reads = _reads, outer
        if outer is not None:
            outer |= inner


def digest(*parts) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class Unstable(Exception):
    """A context holds a value without a stable description: the page is rendered every build."""


def context_digest(value) -> str:
    """A digest of a page's context in which documents count by path and fingerprint (what a template can see
    of them) and tags by name and URL (their posts are recorded when read)."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, value, 0)
    return h.hexdigest()


_SCALARS = (str, int, float, bool, type(None), dt.date, dt.datetime, PurePath)


def _feed(h, value, depth: int) -> None:
    if depth > 12:
        raise Unstable("nested too deeply")
    if isinstance(value, _SCALARS):
        h.update(f"{type(value).__name__}:{value}\0".encode("utf-8", "surrogatepass"))
        return
    key = getattr(value, "dependency_key", None)
    if key is not None:
        h.update(f"@{key()}\0".encode())
        return
    if isinstance(value, (list, tuple)):
        h.update(f"[{len(value)}\0".encode())
        for item in value:
            _feed(h, item, depth + 1)
        return
    if isinstance(value, dict):
        h.update(f"{{{len(value)}\0".encode())
        for k in sorted(value, key=str):
            h.update(f"{k}\0".encode("utf-8", "surrogatepass"))
            _feed(h, value[k], depth + 1)
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(f"<{type(value).__qualname__}\0".encode())
        for f in dataclasses.fields(value):
            _feed(h, getattr(value, f.name), depth + 1)
        return
    raise Unstable(type(value).__qualname__)
