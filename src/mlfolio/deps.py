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
    parts: list[str] = []
    _describe(value, parts, 0)
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_SCALARS = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _describe(value, parts: list[str], depth: int) -> None:
    """Appends a stable description of `value` to `parts` (the hot loop of page reuse: kept simple and fast)."""
    kind = type(value)
    if kind in _SCALARS or isinstance(value, str):
        parts.append(f"{kind.__name__}:{value}")
        return
    if depth > 12:
        raise Unstable("nested too deeply")
    key = getattr(value, "dependency_key", None)
    if key is not None:
        parts.append(f"@{key()}")
        return
    if kind is list or kind is tuple:
        parts.append(f"[{len(value)}")
        for item in value:
            _describe(item, parts, depth + 1)
        return
    if kind is dict:
        parts.append(f"{{{len(value)}")
        for k in sorted(value, key=str):
            parts.append(str(k))
            _describe(value[k], parts, depth + 1)
        return
    names = _FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(kind):
            if isinstance(value, PurePath):
                parts.append(f"path:{value}")
                return
            raise Unstable(kind.__qualname__)
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    parts.append(f"<{kind.__qualname__}")
    for name in names:
        _describe(getattr(value, name), parts, depth + 1)
