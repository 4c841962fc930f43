"""`data/remote.json` (committed snapshot) and `.mlfolio-cache/remote.json` (last good fetch): one format.

```json
{"format": 1,
 "github": {"user": "ada-ml", "fetched_at": "2024-05-01T12:00:00Z", "profile_url": "…", "followers": 5,
            "public_repos": 12, "repos": [{"name": "tiny-gpt", "stars": 42, …}, …]},
 "kaggle": {"user": "ada-ml", "fetched_at": "…", "profile_url": "…", "datasets": […], "notebooks": […],
            "competitions": […]}}
```
One section per source, named after it. Lists of records are sorted by their first key among name, ref, id,
slug and title, and keys are sorted, so a re-fetch with nothing changed only moves `fetched_at`, and a change
reads well in `git diff`. Data is kept unfiltered: changing `github.min_stars` or `exclude` works offline. No
credential is ever part of it. Sections of sources that are not loaded (a plugin switched off) are kept.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

FORMAT = 1
SORT_KEYS = ("name", "ref", "id", "slug", "title")


def read(path: Path) -> dict:
    """The sources in a snapshot file; {} when missing or unreadable (a broken file is just no data)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    return {k: v for k, v in data.items() if k != "format" and isinstance(v, dict)}


def source(path: Path, name: str, user: str) -> dict | None:
    """One source's data when it belongs to `user` (a renamed handle must not show someone else's work)."""
    data = read(path).get(name)
    if data and str(data.get("user", "")).lower() == user.lower():
        return data
    return None


def normalise(sources: dict) -> dict:
    out: dict = {"format": FORMAT}
    for name in sorted(sources):
        data = sources[name]
        if not data:
            continue
        data = dict(data)
        for key, value in data.items():
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
                sort_key = next((k for k in SORT_KEYS if k in value[0]), None)
                if sort_key:
                    data[key] = sorted(value, key=lambda item: str(item.get(sort_key, "")).lower())
        out[name] = data
    return out


def dumps(sources: dict) -> str:
    return json.dumps(normalise(sources), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: Path, sources: dict) -> bool:
    """Writes atomically; returns whether the bytes changed."""
    text = dumps(sources)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def update(path: Path, fresh: dict) -> bool:
    """Replaces the given sources in the file, keeping the others as they were."""
    current = read(path)
    current.update({k: v for k, v in fresh.items() if v})
    return write(path, current)


# --- time stamps ------------------------------------------------------------------------------------

def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_time(text: str | None) -> dt.datetime | None:
    if not text or not isinstance(text, str):
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value


def age_seconds(data: dict | None) -> float | None:
    when = parse_time((data or {}).get("fetched_at"))
    if when is None:
        return None
    return max(0.0, (dt.datetime.now(dt.timezone.utc) - when).total_seconds())


def describe_age(seconds: float | None) -> str:
    """'3 hours old' style, for warning lines."""
    if seconds is None:
        return "of unknown age"
    if seconds < 90:
        return "fetched just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"fetched {n} {unit}{'s' if n != 1 else ''} ago"
    return "fetched just now"


# --- links from APIs ---------------------------------------------------------------------------------

_HOST_RE = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")


def safe_url(value, *, bare_host: bool = False) -> str:
    """An http(s) URL, or ''. API text ends up in href attributes: `javascript:` must never get through.
    `bare_host` accepts 'example.com/x' (GitHub homepages often lack the scheme) as https."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not value or any(c in value for c in "\x00\n\r\t<>\"' "):
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value
    if bare_host and not parts.scheme and _HOST_RE.match(value):
        return "https://" + value
    return ""
