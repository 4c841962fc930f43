"""Why a request gave no usable data: a module of its own, so sources can name these without importing the
HTTP client (and `requests`) on builds that make no request."""
from __future__ import annotations


class RemoteError(Exception):
    """A request that produced no usable data; `reason` is a short human phrase for the warning line."""

    def __init__(self, reason: str, *, url: str = "", status: int | None = None, hint: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.status = status
        self.hint = hint


class NotFound(RemoteError):
    pass


class Unauthorized(RemoteError):
    pass


class RateLimited(RemoteError):
    """Primary rate limit: retrying is useless until `reset` (epoch seconds, or None)."""

    def __init__(self, reason: str, *, reset: float | None = None, **kw):
        super().__init__(reason, **kw)
        self.reset = reset


class OfflineMiss(RemoteError):
    """--offline (or a TTL-only lookup) and nothing cached for this URL."""


__all__ = ["NotFound", "OfflineMiss", "RateLimited", "RemoteError", "Unauthorized"]
