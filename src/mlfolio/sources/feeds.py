"""External posts: articles published on Medium, Substack, dev.to or a company blog, read from their RSS or
Atom feeds with `feedparser` (it copes with the malformed feeds real sites serve) and listed in the blog and
on tag pages, linking out. Only title, link, date, a plain-text summary and categories are kept: never the
article body."""
from __future__ import annotations

import datetime as dt
import html
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..projects import ExternalPost, SourceView
from ..remote.errors import RemoteError
from ..remote.snapshot import now_iso, safe_url
from ..schema import opt
from .base import Source

ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
SUMMARY_CHARS = 300
_TAG = re.compile(r"<[^>]*>")
_CODE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)      # their text is no prose


@dataclass
class ExternalFeed:
    name: str = opt(doc="Where the posts were published, shown as 'on NAME' (`Medium`).")
    url: str = opt(doc="The RSS or Atom feed (`https://medium.com/feed/@ada`).", url=True)
    tags: list[str] = opt([], "Tags given to every post of this feed, besides the feed's own categories.")
    limit: int = opt(10, "At most this many of the feed's newest posts.", min=0)


@dataclass
class ExternalPostsSettings:
    """`external_posts:` is the list of feeds itself, or a mapping with `feeds:`."""

    __list_field__ = "feeds"
    feeds: list[ExternalFeed] = opt([], "RSS/Atom feeds whose posts are listed in the blog, linking out.")
    categories: bool = opt(True, "Use each feed's own categories as tags of its posts.")


class ExternalPostsSource(Source):
    name = "external_posts"
    label = "External posts"
    settings = ExternalPostsSettings
    identity = "feeds"

    def user(self, settings) -> str:
        return "feeds" if settings.feeds else ""

    def fetch(self, http, settings, user, credentials) -> dict:
        """Every feed, in parallel; one that fails fails the source, which then keeps its last good data."""
        def one(feed: ExternalFeed) -> dict:
            try:
                text = http.get_text(feed.url, headers={"Accept": ACCEPT}).data
            except RemoteError as exc:
                raise RemoteError(f"{feed.name} feed: {exc.reason}", url=feed.url, status=exc.status) from None
            return parse_feed(text, feed)

        with ThreadPoolExecutor(min(8, len(settings.feeds)), thread_name_prefix="mlfolio-feeds") as pool:
            feeds = list(pool.map(one, settings.feeds))
        return {"user": user, "fetched_at": now_iso(), "feeds": feeds}

    def fresh_enough(self, data, settings) -> bool:
        have = {f.get("url") for f in data.get("feeds") or [] if isinstance(f, dict)}
        return all(feed.url in have for feed in settings.feeds)

    def explain(self, exc, credentials) -> tuple[str, str]:
        return exc.reason, "check the feed's address in a browser, or build with --offline"

    def view(self, data, settings, user, status) -> SourceView:
        return SourceView(self.name, self.label, user, status, posts=external_posts(data, settings), data=data)

    def check(self, data, settings):
        have = {f.get("url"): f for f in data.get("feeds") or [] if isinstance(f, dict)}
        return [("feeds", f"the {feed.name} feed has no posts", "check that the address is the feed (RSS or "
                 "Atom), not the blog's page") for feed in settings.feeds
                if feed.url in have and not have[feed.url].get("entries")]

    def summary(self, data, view) -> str:
        feeds = data.get("feeds") or []
        return f"{sum(len(f.get('entries') or []) for f in feeds)} posts from {len(feeds)} feeds"


def parse_feed(text: str, feed: ExternalFeed) -> dict:
    """The snapshot's record of one feed; an answer that is no feed (an HTML page) is a RemoteError."""
    import feedparser

    # A stream, never a str: feedparser would fetch a str that looks like a URL. The text is already decoded.
    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")), sanitize_html=False, resolve_relative_uris=False,
                              response_headers={"content-type": "application/xml; charset=utf-8"})
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        raise RemoteError(f"{feed.name} feed: the answer is not an RSS or Atom feed", url=feed.url)
    entries = []
    for e in parsed.entries:
        link = safe_url(e.get("link"))
        when = _date(e.get("published_parsed") or e.get("updated_parsed"))
        title = _plain(e.get("title"))[:200]
        if not link or not title or when is None:
            continue
        entries.append({"title": title, "url": link, "date": when.isoformat(),
                        "summary": _shorten(_plain(e.get("summary"))),
                        "tags": sorted({_plain(t.get("term"))[:40] for t in e.get("tags") or []
                                        if isinstance(t, dict) and _plain(t.get("term"))})})
    entries.sort(key=lambda x: (x["date"], x["url"]), reverse=True)
    return {"url": feed.url, "name": feed.name, "title": _plain(parsed.feed.get("title"))[:200],
            "entries": entries[:100]}


def _date(parsed) -> dt.date | None:
    try:
        return dt.date(*parsed[:3]) if parsed else None
    except (TypeError, ValueError):
        return None


def _plain(value) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed (the theme escapes it)."""
    if not isinstance(value, str):
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", _CODE.sub(" ", value))).split())


def _shorten(text: str) -> str:
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def external_posts(data: dict, settings) -> list[ExternalPost]:
    """The configured feeds' posts (a feed removed from mlfolio.yml disappears at once), newest first."""
    by_url = {f.get("url"): f for f in data.get("feeds") or [] if isinstance(f, dict)}
    out = []
    for feed in settings.feeds:
        for e in (by_url.get(feed.url) or {}).get("entries", [])[:feed.limit]:
            try:
                when = dt.date.fromisoformat(e.get("date", ""))
            except (TypeError, ValueError):
                continue
            names = list(feed.tags) + (list(e.get("tags") or []) if settings.categories else [])
            out.append(ExternalPost(title=e.get("title") or "", url=safe_url(e.get("url")), date=when,
                                    source=feed.name, description=e.get("summary") or "",
                                    tag_names=list(dict.fromkeys(names)), rel=e.get("url") or ""))
    return sorted((p for p in out if p.url and p.title), key=lambda p: (p.date, p.rel), reverse=True)
