"""The theme contract: one dataclass per kind of page, holding the variables its template receives.

Every template also gets `site` (the Site), `menu` (this page's menu, each entry with `active`) and `theme`
(name and `options`). The README's "Theme contract" tables are generated from these classes
(`python scripts/reference.py`), and reading an attribute that does not exist is a warning at
`template:line` (an error with --strict), so a typo never renders as silently empty.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .schema import opt


@dataclass
class PageInfo:
    """`page`: what every template needs for <head>."""

    kind: str = opt(doc="Route name: `home`, `post`, `tag` … (the body gets `class=\"kind-…\"`).")
    title: str = opt(doc="Page title.")
    description: str = opt(doc="Meta description (the site's when the page has none).")
    url: str = opt(doc="Path of the page, with the site's base path: `/portfolio/blog/`.")
    canonical: str = opt(doc="Absolute URL of the page.")
    image: str = opt("", "Absolute URL of the social-card image, or ''.")
    og_type: str = opt("website", "`website` or `article`.")
    jsonld: dict | None = opt(None, "Structured data (render with `|tojson`), or None.")
    noindex: bool = opt(False, "Ask search engines not to index the page.")
    feed: str = opt("", "The page's own Atom feed besides the site's (a tag's), or ''.")
    features: list[str] = opt([], "What the page shows that needs the theme's help ('code', 'math', 'mermaid' …): "
                              "base.html includes `features/NAME.html` for each.")


@dataclass
class MenuEntry:
    """One entry of `menu`."""

    title: str = opt(doc="Text of the link.")
    url: str = opt(doc="Where it leads (base path included, or a full URL).")
    active: bool = opt(False, "True on the page it leads to and on the pages below it.")


@dataclass
class Paginator:
    """Where a list page is among its siblings."""

    number: int = opt(doc="This page's number, from 1.")
    count: int = opt(doc="How many pages the list has.")
    prev_url: str = opt("", "URL of the previous (newer) page, or ''.")
    next_url: str = opt("", "URL of the next (older) page, or ''.")
    first_url: str = opt("", "URL of page 1.")
    url_pattern: str = opt("", "URL of page N with `{n}` for N: '/blog/page/{n}/'.")

    def url(self, n: int) -> str:
        return self.first_url if n == 1 else self.url_pattern.format(n=n)

    @property
    def pages(self) -> list[tuple[int, str]]:
        """(number, url) of every page."""
        return [(n, self.url(n)) for n in range(1, self.count + 1)]


@dataclass
class SitemapEntry:
    loc: str = opt(doc="Absolute URL.")
    lastmod: dt.date | None = opt(None, "Last change, when known.")


@dataclass
class HomeContext:
    page: PageInfo = opt(doc="See `page`.")
    featured: list = opt([], "Featured projects: each source's (GitHub `featured`), then hand-written ones with `featured: true`.")
    recent_posts: list = opt([], "The newest posts (theme option `recent_posts`, default 5).")
    news: list = opt([], "The newest news items of profile.yml (theme option `news_items`, default 5).")


@dataclass
class AboutContext:
    page: PageInfo = opt(doc="See `page`; everything else is in `site.profile`.")


@dataclass
class ProjectsContext:
    page: PageInfo = opt(doc="See `page`.")
    manual: list = opt([], "Hand-written projects of profile.yml.")
    sections: list = opt([], "Card sections of every source, in the order of the sources: each has `id`, `title`, `icon`, `cards`.")
    sources: list = opt([], "The source views (`label`, `status`, `profile_url`, …), for notes and 'More on …' links.")


@dataclass
class CvContext:
    page: PageInfo = opt(doc="See `page`.")
    cv: Any = opt(doc="The full CV (see `CvData`): name, contact, links and every section.")
    headline: str = opt("", "Headline of this CV (a variant's own, or the profile's).")
    summary_html: Any = opt("", "Summary of this CV as HTML, or ''.")
    sections: list = opt([], "This CV's sections (see `CvSection`): a variant's are filtered and ordered by tags.")
    variant: str = opt("", "Name of the variant, '' for the full CV.")
    pdf_url: str = opt("", "URL of its PDF when the site has one (`cv.pdf`), or ''.")
    paper: str = opt("A4", "`A4` or `Letter`, for the print stylesheet's `@page`.")


@dataclass
class BlogContext:
    page: PageInfo = opt(doc="See `page`.")
    posts: list = opt([], "This page's posts, newest first.")
    paginator: Paginator | None = opt(None, "Where this page is among the blog's pages.")


@dataclass
class PostContext:
    page: PageInfo = opt(doc="See `page`.")
    post: Any = opt(doc="The post (see `Post`).")
    prev_post: Any = opt(None, "The next older post, or None.")
    next_post: Any = opt(None, "The next newer post, or None.")
    related: list = opt([], "Posts sharing most tags with this one, newest first among equals (theme option `related_posts`, default 3).")


@dataclass
class TagsContext:
    page: PageInfo = opt(doc="See `page`.")
    tags: list = opt([], "Every tag (see `Tag`), most used first.")


@dataclass
class TagContext:
    page: PageInfo = opt(doc="See `page`.")
    tag: Any = opt(doc="The tag (see `Tag`).")
    posts: list = opt([], "Its posts, newest first.")


@dataclass
class DocContext:
    page: PageInfo = opt(doc="See `page`.")
    doc: Any = opt(doc="The page from pages/ (see `Page`).")


@dataclass
class NotFoundContext:
    page: PageInfo = opt(doc="See `page`.")


@dataclass
class FeedContext:
    page: PageInfo = opt(doc="See `page`.")
    posts: list = opt([], "The 20 newest posts (of the site, or of a tag).")
    updated: str = opt("", "Time of the newest change, RFC 3339.")
    alternate: str = opt("", "Absolute URL of the HTML page the feed follows (home, or the tag's page).")


@dataclass
class NewsContext:
    page: PageInfo = opt(doc="See `page`.")
    news: list = opt([], "Every news item of profile.yml, newest first (see `NewsView`).")


@dataclass
class SitemapContext:
    page: PageInfo = opt(doc="See `page`.")
    entries: list[SitemapEntry] = opt([], "Every page that goes into the sitemap (see `SitemapEntry`).")


@dataclass
class RobotsContext:
    page: PageInfo = opt(doc="See `page`.")
    sitemap_url: str = opt("", "Absolute URL of sitemap.xml.")


def template_vars(context) -> dict:
    """A context's fields as template variables (shallow: documents stay objects)."""
    return {name: getattr(context, name) for name in context.__dataclass_fields__} if context is not None else {}


__all__ = [name for name in dir() if name.endswith("Context")] + ["PageInfo", "MenuEntry", "Paginator",
                                                                   "SitemapEntry", "template_vars"]
