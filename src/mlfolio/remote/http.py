"""One HTTP client for every API: a shared session, timeouts, bounded retries and an on-disk ETag cache.

Every answer with a body is kept in `.mlfolio-cache/http/<sha256>.json` (body, ETag, Last-Modified, Link,
time fetched). The next request for the same URL is conditional; a 304 serves the kept body. Inside the
freshness window (`ttl`) no request is sent at all, and `offline` never sends one.

Credentials travel only in request headers: they are never written to the cache, logs or exception texts.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests


from .. import __version__
from .errors import NotFound, OfflineMiss, RateLimited, RemoteError, Unauthorized

log = logging.getLogger("mlfolio.remote")

USER_AGENT = f"mlfolio/{__version__} (+https://github.com/mlfolio/mlfolio)"
MAX_RETRY_AFTER = 60.0          # longest wait we accept for a secondary rate limit, in seconds
CACHE_FORMAT = 1
MAX_TEXT = 5_000_000            # bytes of a text answer (a feed); more is not a feed a portfolio lists


# --- errors ------------------------------------------------------------------------------------------

# --- the client --------------------------------------------------------------------------------------

@dataclass
class Response:
    url: str
    status: int                  # 200, or 304 when the cached body was confirmed, or 0 when served from cache
    data: Any
    headers: dict[str, str]      # the kept headers: etag, last-modified, link
    fetched_at: float            # epoch seconds of the last confirmation by the server
    from_cache: bool = False

    @property
    def links(self) -> dict[str, str]:
        return parse_link(self.headers.get("link", ""))


@dataclass
class Stats:
    """What the network did, for `mlfolio fetch`, the README table and the tests."""

    requests: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    cache_hits: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, status: int | str) -> None:
        with self.lock:
            self.requests += 1
            key = str(status)
            self.by_status[key] = self.by_status.get(key, 0) + 1

    def hit(self) -> None:
        with self.lock:
            self.cache_hits += 1

    def summary(self) -> str:
        if not self.requests:
            text = "no request"
        else:
            parts = ", ".join(f"{n} × {s}" for s, n in sorted(self.by_status.items()))
            text = f"{self.requests} request{'s' if self.requests != 1 else ''} ({parts})"
        if self.cache_hits:
            text += f", {self.cache_hits} answered from the cache"
        return text


class HttpClient:
    """Thread-safe: GitHub and Kaggle share one instance (and one connection pool) from several threads."""

    def __init__(self, cache_dir: Path | None, *, timeout: float = 10.0, offline: bool = False,
                 ttl: float | None = None, retries: int = 2, backoff: float = 0.25,
                 max_retry_after: float = MAX_RETRY_AFTER, secrets: tuple[str, ...] = ()):
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.offline = offline
        self.ttl = ttl
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.secrets = tuple(s for s in secrets if s)
        self.stats = Stats()
        self._memo: dict[str, Response] = {}
        self._memo_lock = threading.Lock()
        self._url_locks: dict[str, threading.Lock] = {}
        self._session = None
        self._session_lock = threading.Lock()

    @property
    def session(self):
        """The requests session, made on the first request: offline builds and cache hits never import
        requests (a tenth of a second of a small site's build)."""
        with self._session_lock:
            if self._session is None:
                import requests
                from http.cookiejar import DefaultCookiePolicy
                from requests.adapters import HTTPAdapter

                session = requests.Session()
                adapter = HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})
                session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))   # APIs need none
                self._session = session
            return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # public calls -----------------------------------------------------------------------------------

    def get_json(self, url: str, *, headers: dict[str, str] | None = None, conditional: bool = True) -> Response:
        return self._call("GET", url, None, headers or {}, conditional)

    def post_json(self, url: str, body: dict, *, headers: dict[str, str] | None = None) -> Response:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        return self._call("POST", url, body, hdrs, conditional=False)

    def get_text(self, url: str, *, headers: dict[str, str] | None = None) -> Response:
        """A text answer (an RSS or Atom feed): `data` is the decoded text, at most MAX_TEXT bytes."""
        return self._call("GET", url, None, headers or {}, True, as_text=True)

    def redact(self, text: str) -> str:
        for s in self.secrets:
            text = text.replace(s, "***")
        return text

    # machinery --------------------------------------------------------------------------------------

    def _call(self, method: str, url: str, body: dict | None, headers: dict[str, str],
              conditional: bool, as_text: bool = False) -> Response:
        key = cache_key(method + (" text" if as_text else ""), url, body)
        with self._memo_lock:
            lock = self._url_locks.setdefault(key, threading.Lock())
        with lock:                                   # one request per URL per build, even across threads
            if key in self._memo:
                return self._memo[key]
            resp = self._call_uncached(method, url, body, headers, conditional, key, as_text)
            self._memo[key] = resp
            return resp

    def _call_uncached(self, method, url, body, headers, conditional, key, as_text=False) -> Response:
        entry = self._read_cache(key)
        if entry is not None and (self.offline or (self.ttl is not None and
                                                   time.time() - entry["fetched_at"] < self.ttl)):
            self.stats.hit()
            return _from_entry(url, entry, 0)
        if self.offline:
            raise OfflineMiss("offline and not cached", url=url)
        send = dict(headers)
        if conditional and entry is not None:
            if entry["headers"].get("etag"):
                send["If-None-Match"] = entry["headers"]["etag"]
            if entry["headers"].get("last-modified"):
                send["If-Modified-Since"] = entry["headers"]["last-modified"]
        data = json.dumps(body, separators=(",", ":"), sort_keys=True) if body is not None else None
        r = self._send(method, url, data, send)
        if r.status_code == 304 and entry is not None:
            entry["fetched_at"] = time.time()
            self._write_cache(key, entry)
            return _from_entry(url, entry, 304)
        _raise_for_status(r, url)
        if as_text:
            if len(r.content) > MAX_TEXT:
                raise RemoteError(f"the answer is larger than {MAX_TEXT // 1_000_000} MB", url=url,
                                  status=r.status_code)
            parsed = _decode_text(r)
        else:
            try:
                parsed = json.loads(r.content.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                raise RemoteError("invalid JSON in the answer", url=url, status=r.status_code) from None
        kept = {k: r.headers[k] for k in ("ETag", "Last-Modified", "Link") if k in r.headers}
        entry = {"format": CACHE_FORMAT, "method": method, "url": url, "fetched_at": time.time(),
                 "headers": {k.lower(): v for k, v in kept.items()}, "data": parsed}
        self._write_cache(key, entry)
        return Response(url, r.status_code, parsed, entry["headers"], entry["fetched_at"])

    def _send(self, method: str, url: str, data: str | None, headers: dict[str, str]) -> requests.Response:
        """Sends with retries: connection errors and 5xx back off; secondary rate limits wait Retry-After."""
        import requests

        attempt = 0
        waited_for_limit = 0
        while True:
            t0 = time.perf_counter()
            try:
                r = self.session.request(method, url, data=data, headers=headers,
                                         timeout=(self.timeout, self.timeout), allow_redirects=True)
            except requests.exceptions.Timeout as exc:         # not retried: it would only multiply the wait
                self.stats.count("timeout")
                self._add_time(t0)
                log.debug("%s %s: no answer within %.1f s", method, url, self.timeout)
                what = "no connection" if isinstance(exc, requests.exceptions.ConnectTimeout) else "no answer"
                raise RemoteError(f"{what} within {self.timeout:g} s", url=url) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                self.stats.count("error")
                self._add_time(t0)
                log.debug("%s %s: %s", method, url, type(exc).__name__)
                reason = _connection_reason(exc)
                if attempt < self.retries and "name lookup" not in reason:    # no DNS: retrying won't help
                    time.sleep(self.backoff * 2 ** attempt)
                    attempt += 1
                    continue
                raise RemoteError(reason, url=url) from None
            except requests.exceptions.RequestException as exc:
                self.stats.count("error")
                self._add_time(t0)
                raise RemoteError(self.redact(f"request failed ({type(exc).__name__})"), url=url) from None
            self.stats.count(r.status_code)
            self._add_time(t0)
            log.debug("%s %s -> %s in %.0f ms", method, url, r.status_code, (time.perf_counter() - t0) * 1000)
            if r.status_code >= 500 and attempt < self.retries:
                time.sleep(self.backoff * 2 ** attempt)
                attempt += 1
                continue
            wait = _secondary_wait(r)
            if wait is not None and waited_for_limit < 2 and wait <= self.max_retry_after:
                time.sleep(wait)
                waited_for_limit += 1
                continue
            return r

    def _add_time(self, t0: float) -> None:
        with self.stats.lock:
            self.stats.seconds += time.perf_counter() - t0

    # cache files ------------------------------------------------------------------------------------

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / f"{key}.json" if self.cache_dir is not None else None

    def _read_cache(self, key: str) -> dict | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or "data" not in entry:
            return None
        entry.setdefault("headers", {})
        entry["fetched_at"] = float(entry.get("fetched_at") or 0)
        return entry

    def _write_cache(self, key: str, entry: dict) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:                       # a read-only cache must not break the build
            log.debug("cannot write HTTP cache %s: %s", path, exc)


# --- helpers -----------------------------------------------------------------------------------------

def cache_key(method: str, url: str, body: dict | None) -> str:
    text = f"{method} {url}"
    if body is not None:
        text += " " + json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _decode_text(r) -> str:
    """The charset the server names, else UTF-8, else Latin-1 (requests' own default for text/* is Latin-1,
    which garbles the UTF-8 most feeds are written in)."""
    if "charset=" in (r.headers.get("Content-Type") or "").lower() and r.encoding:
        try:
            return r.content.decode(r.encoding, errors="replace")
        except LookupError:
            pass
    try:
        return r.content.decode("utf-8")
    except UnicodeDecodeError:
        return r.content.decode("latin-1")


def _from_entry(url: str, entry: dict, status: int) -> Response:
    return Response(url, status, entry["data"], entry["headers"], entry["fetched_at"], from_cache=status == 0)


def parse_link(header: str) -> dict[str, str]:
    """`<https://…?page=2>; rel="next", <…>; rel="last"` → {'next': …, 'last': …}."""
    out = {}
    for part in header.split(","):
        if ";" not in part:
            continue
        target, *params = part.split(";")
        target = target.strip()
        if not (target.startswith("<") and target.endswith(">")):
            continue
        for p in params:
            name, _, value = p.strip().partition("=")
            if name.strip().lower() == "rel":
                for rel in value.strip().strip('"').split():
                    out[rel] = target[1:-1]
    return out


def _is_primary_limit(r: requests.Response) -> bool:
    """GitHub's primary limit: 403/429 with X-RateLimit-Remaining: 0 and no Retry-After."""
    return (r.status_code in (403, 429) and r.headers.get("X-RateLimit-Remaining") == "0"
            and "Retry-After" not in r.headers)


def _secondary_wait(r: requests.Response) -> float | None:
    """Seconds to wait for a secondary rate limit (429, or 403 with Retry-After), else None."""
    if r.status_code not in (403, 429) or _is_primary_limit(r):
        return None
    ra = r.headers.get("Retry-After")
    if ra is None:
        return 1.0 if r.status_code == 429 else None
    try:
        return max(0.0, float(ra))
    except ValueError:
        import email.utils
        try:
            when = email.utils.parsedate_to_datetime(ra)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


def _raise_for_status(r: requests.Response, url: str) -> None:
    code = r.status_code
    if 200 <= code < 300:
        return
    if code == 401:
        raise Unauthorized("credentials were rejected (401)", url=url, status=code)
    if code == 404:
        raise NotFound("not found (404)", url=url, status=code)
    if code in (403, 429):
        if _is_primary_limit(r):
            reset = r.headers.get("X-RateLimit-Reset")
            reset_at = float(reset) if reset and reset.replace(".", "", 1).isdigit() else None
            raise RateLimited("API rate limit exceeded", url=url, status=code, reset=reset_at)
        if "Retry-After" in r.headers or code == 429:
            raise RemoteError(f"secondary rate limit ({code}, retry after {r.headers.get('Retry-After', '?')} s)",
                              url=url, status=code)
        raise RemoteError(f"access forbidden ({code})", url=url, status=code)
    if code >= 500:
        raise RemoteError(f"server error ({code})", url=url, status=code)
    raise RemoteError(f"unexpected answer ({code})", url=url, status=code)


def _connection_reason(exc: Exception) -> str:
    import requests
    text = str(exc)
    if "Name or service not known" in text or "NameResolutionError" in text or "getaddrinfo" in text \
            or "Temporary failure in name resolution" in text:
        return "network unreachable (name lookup failed)"
    if "Connection refused" in text:
        return "connection refused"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection dropped mid-answer"
    return "connection failed (dropped or unreachable)"
