"""The route table: every URL the site has, in one place.

A route names its URL pattern, its template (or a function making the bytes), how its outputs are enumerated
from the site, the context class its template receives, and whether it is in the sitemap and the default menu.
The plan (every output file of a build), the paths pages may not take, the sitemap and the default menu all
derive from this table; a plugin adds a route to it the same way.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .contexts import (AboutContext, BlogContext, DocContext, FeedContext, HomeContext, NewsContext,
                       NotFoundContext, PageInfo, Paginator, PostContext, ProjectsContext, RobotsContext,
                       SitemapContext, SitemapEntry, TagContext, TagsContext)
from .errors import Problems
from .related import RelatedIndex

POST_PATH = "blog/{slug}/"
TAG_PATH = "tags/{slug}/"
TAG_FEED_PATH = "tags/{slug}/feed.xml"
NEWS_PATH = "news/"


@dataclass
class Output:
    """One file a route writes. `path` is site-relative: '' (home), 'blog/hello/' (→ blog/hello/index.html),
    'feed.xml'. A context built only when needed (a function) comes with `key` (what the route chose, e.g. the
    paths of the neighbouring posts) and `docs` (the documents it shows), so a rebuild can tell whether the
    page would change without building it."""

    path: str
    context: Any
    key: tuple = ()
    docs: tuple = ()
    lastmod: dt.date | None = None
    sitemap: bool | None = None          # None: the route's default
    owner: str = ""                      # the file it comes from, for 'written twice' errors

    @property
    def file(self) -> str:
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path

    @property
    def lazy(self) -> bool:
        return callable(self.context)


@dataclass
class Route:
    name: str
    pattern: str                                   # '/blog/{slug}/', for people and for reserved paths
    template: str | None
    outputs: Callable[..., Iterable[Output]]        # outputs(site) (or outputs(site, jobs) when `last`)
    context: type | None = None
    sitemap: bool = True
    menu: tuple[str, int] | None = None             # default menu entry (title, weight)
    make: Callable[[Any, Any], bytes] | None = None  # make(site, context) instead of a template
    last: bool = False                              # enumerated after all others, given their jobs (sitemap)
    pages_win: bool = False                         # a page from pages/ may take its URLs (it skips them)
    reserves: bool = True                           # False: pages/ may use its first segment (clash: same file)
    doc: str = ""


@dataclass
class Job:
    route: Route
    output: Output
    file: str = field(init=False)

    def __post_init__(self):
        self.file = self.output.file

    @property
    def template(self) -> str | None:
        return self.route.template

    def context(self):
        return self.output.context() if self.output.lazy else self.output.context


def page_info(site, kind: str, title: str, path: str, description: str = "", **kw) -> PageInfo:
    """The `page` variable of a page at site path `path`."""
    canonical = kw.pop("canonical", "") or site.absolute(path)
    return PageInfo(kind=kind, title=title, description=description or site.description, url=site.path(path),
                    canonical=canonical, **kw)


def reserved_prefixes(routes) -> set[str]:
    """First path segments that belong to routes (and theme assets): pages from pages/ may not take them."""
    out = {"assets", "index.html"}
    for route in routes:
        if route.pages_win:
            continue
        first = route.pattern.strip("/").split("/")[0]
        if first and "{" not in first and route.reserves:
            out.add(first)
    return out


def plan(site, routes, problems: Problems) -> list[Job]:
    """Every output file of the site. Two outputs on one path is an error; a file in static/ on a generated
    path wins over it, with a warning."""
    jobs: list[Job] = []
    owners: dict[str, str] = {}

    def add(route: Route, outputs) -> None:
        for output in outputs:
            file = output.file
            owner = output.owner or f"route '{route.name}'"
            if file in owners:
                problems.error(output.owner or "", None, None, f"'{file}' would be written twice (by {owner} and "
                               f"{owners[file]})", "give one of them a different 'slug'")
                continue
            owners[file] = owner
            if file in site.static_files:
                if site.static_files[file].is_relative_to(site.site_dir / "static"):
                    problems.warn(f"static/{file}", None, None, f"static file '{file}' replaces the page mlfolio "
                                  "makes there", "rename it if that is not what you want")
                continue
            jobs.append(Job(route, output))

    for route in routes:
        if not route.last:
            add(route, route.outputs(site))
    for route in routes:
        if route.last:
            add(route, route.outputs(site, list(jobs)))
    return jobs


# --- JSON-LD -------------------------------------------------------------------------------------------

def _person(site) -> dict:
    p = site.profile
    data = {"@context": "https://schema.org", "@type": "Person", "name": p.name, "url": site.absolute("")}
    if p.headline:
        data["jobTitle"] = p.headline
    if p.avatar:
        data["image"] = site.full_url(p.avatar)
    same = [link.url for link in p.links if link.url.startswith("http")]
    if same:
        data["sameAs"] = same
    return data


def _posting(site, post) -> dict:
    data = {
        "@context": "https://schema.org", "@type": "BlogPosting", "headline": post.title,
        "datePublished": isodate(post.date), "dateModified": isodate(post.updated or post.date),
        "author": {"@type": "Person", "name": site.profile.name, "url": site.absolute("")},
        "url": site.full_url(post.url), "mainEntityOfPage": site.full_url(post.url),
        "description": post.description, "wordCount": post.words,
    }
    if post.meta.tags:
        data["keywords"] = ", ".join(post.meta.tags)
    if post.image:
        data["image"] = site.absolute(post.image)
    return data


def isodate(value) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def stamp(value) -> str:
    """RFC 3339 time of a date or datetime (Atom wants full times)."""
    if isinstance(value, dt.datetime):
        return isodate(value)
    return f"{value.isoformat()}T00:00:00Z"


# --- the core routes -----------------------------------------------------------------------------------

def _home(site):
    recent = int(site.theme.option("recent_posts", 5))
    news = int(site.theme.option("news_items", 5))
    yield Output("", HomeContext(
        page=page_info(site, "home", site.title, "", site.profile.headline or site.description,
                       jsonld=_person(site)),
        featured=site.featured, recent_posts=site.posts[:max(recent, 0)], news=site.profile.news[:max(news, 0)]))


def _about(site):
    yield Output("about/", AboutContext(page=page_info(site, "about", f"About {site.profile.name}", "about/",
                                                       site.profile.headline)))


def _projects(site):
    sources = list(site.sources.values())
    yield Output("projects/", ProjectsContext(
        page=page_info(site, "projects", "Projects", "projects/", f"Projects by {site.profile.name}"),
        manual=site.manual_projects, sections=[s for v in sources for s in v.sections], sources=sources))


def _blog(site):
    posts = site.listing
    per = max(1, site.config.posts_per_page)
    chunks = [posts[i:i + per] for i in range(0, len(posts), per)] or [[]]
    path = lambda n: "blog/" if n == 1 else f"blog/page/{n}/"  # noqa: E731
    for n, chunk in enumerate(chunks, 1):
        paginator = Paginator(number=n, count=len(chunks),
                              prev_url=site.path(path(n - 1)) if n > 1 else "",
                              next_url=site.path(path(n + 1)) if n < len(chunks) else "",
                              first_url=site.path(path(1)), url_pattern=site.path("blog/page/") + "{n}/")
        title = "Blog" if n == 1 else f"Blog — page {n}"
        yield Output(path(n), BlogContext(page_info(site, "blog", title, path(n), f"Posts by {site.profile.name}"),
                                          chunk, paginator), sitemap=n == 1)


def _posts(site):
    posts = site.posts
    count = int(site.theme.option("related_posts", 3))
    index = RelatedIndex(posts, site.tags) if count > 0 else None
    for i, post in enumerate(posts):
        newer = posts[i - 1] if i > 0 else None
        older = posts[i + 1] if i + 1 < len(posts) else None
        related = index.related(post, count) if index else []
        shown = tuple(p for p in (post, older, newer, *related) if p)
        yield Output(POST_PATH.format(slug=post.slug),
                     lambda site=site, post=post, older=older, newer=newer, related=related:
                     _post_context(site, post, older, newer, related),
                     key=(post.rel, older and older.rel, newer and newer.rel, *(p.rel for p in related)),
                     docs=shown, lastmod=post.updated or post.date, owner=post.rel)


def _post_context(site, post, older, newer, related=()) -> PostContext:
    image = site.absolute(post.social_image or post.image) if post.image else ""
    return PostContext(page_info(site, "post", post.title, POST_PATH.format(slug=post.slug), post.description,
                                 image=image, og_type="article", jsonld=_posting(site, post),
                                 features=post.features, canonical=site.absolute(post.meta.canonical_url) if post.meta.canonical_url else ""),
                       post, older, newer, list(related))


def _tags(site):
    yield Output("tags/", TagsContext(page_info(site, "tags", "Tags", "tags/", "All tags"), site.tags))


def _tag(site):
    for tag in site.tags:
        feed = site.path(TAG_FEED_PATH.format(slug=tag.slug)) if any(not p.external for p in tag.posts) else ""
        yield Output(TAG_PATH.format(slug=tag.slug), TagContext(
            page_info(site, "tag", f"Posts tagged “{tag.name}”", TAG_PATH.format(slug=tag.slug),
                      f"Posts about {tag.name}", feed=feed), tag, tag.posts))


def _tag_feeds(site):
    for tag in site.tags:
        posts = [p for p in tag.posts if not p.external][:20]
        if posts:
            path = TAG_FEED_PATH.format(slug=tag.slug)
            yield Output(path, _feed_context(site, posts, page_info(site, "tag_feed", f"{site.title}: {tag.name}",
                                                                    path), tag.url))


def _news(site):
    news = site.profile.news
    if news:
        yield Output(NEWS_PATH, NewsContext(page_info(site, "news", "News", NEWS_PATH,
                                                      f"News from {site.profile.name}"), news))


def _pages(site):
    for doc in site.pages:
        if doc.url:
            image = site.absolute(doc.meta.image) if doc.meta.image else ""
            yield Output(f"{doc.slug}/", DocContext(page_info(site, "page", doc.title, f"{doc.slug}/",
                                                               doc.description, image=image, features=doc.features),
                                                     doc), owner=doc.rel)


def _not_found(site):
    yield Output("404.html", NotFoundContext(page_info(site, "404", "Page not found", "404.html", noindex=True)))


def _feed(site):
    yield Output("feed.xml", _feed_context(site, site.posts[:20], page_info(site, "feed", site.title, "feed.xml"),
                                           site.path("")))


def _feed_context(site, posts, page, alternate: str) -> FeedContext:
    stamps = [stamp(p.updated or p.date) for p in posts] or [stamp(site.build_time)]
    return FeedContext(page, posts, max(stamps), site.origin + alternate)


def _sitemap(site, jobs):
    entries = []
    for job in jobs:
        shown = job.output.sitemap if job.output.sitemap is not None else job.route.sitemap
        if shown and job.file.endswith(".html"):
            entries.append(SitemapEntry(site.absolute(job.output.path), job.output.lastmod))
    yield Output("sitemap.xml", SitemapContext(page_info(site, "sitemap", site.title, "sitemap.xml"), entries))


def _robots(site):
    yield Output("robots.txt", RobotsContext(page_info(site, "robots", site.title, "robots.txt"),
                                             site.absolute("sitemap.xml")))


def _code_css(site):
    yield Output("assets/code.css", None)


def _make_code_css(site, context) -> bytes:
    from .markdown import code_css
    return code_css(site.config.code_style, site.config.code_style_dark).encode()


CORE_ROUTES = [
    Route("home", "/", "home.html", _home, HomeContext, doc="Profile, featured projects, recent posts, news."),
    Route("about", "/about/", "about.html", _about, AboutContext, menu=("About", 10),
          doc="Bio, experience, education, skills."),
    Route("projects", "/projects/", "projects.html", _projects, ProjectsContext, menu=("Projects", 20),
          doc="Hand-written projects and every source's cards."),
    Route("blog", "/blog/, /blog/page/{n}/", "blog.html", _blog, BlogContext, menu=("Blog", 30),
          doc="Posts, `posts_per_page` per page."),
    Route("post", "/" + POST_PATH, "post.html", _posts, PostContext, doc="One post."),
    Route("tags", "/tags/", "tags.html", _tags, TagsContext, doc="Every tag."),
    Route("tag", "/" + TAG_PATH, "tag.html", _tag, TagContext, doc="The posts of one tag."),
    Route("tag_feed", "/" + TAG_FEED_PATH, "feed.xml", _tag_feeds, FeedContext, sitemap=False,
          doc="Atom feed of one tag: its 20 newest posts with their summaries."),
    Route("news", "/" + NEWS_PATH, "news.html", _news, NewsContext, doc="Every news item of profile.yml (when there are any)."),
    Route("page", "/{slug}/", "page.html", _pages, DocContext, doc="A page from pages/."),
    Route("404", "/404.html", "404.html", _not_found, NotFoundContext, sitemap=False, doc="Not-found page."),
    Route("feed", "/feed.xml", "feed.xml", _feed, FeedContext, sitemap=False, doc="Atom feed, 20 newest posts."),
    Route("robots", "/robots.txt", "robots.txt", _robots, RobotsContext, sitemap=False, doc="robots.txt."),
    Route("code_css", "/assets/code.css", None, _code_css, None, sitemap=False, make=_make_code_css,
          doc="Pygments styles (`code_style`, `code_style_dark`)."),
    Route("sitemap", "/sitemap.xml", "sitemap.xml", _sitemap, SitemapContext, sitemap=False, last=True,
          doc="Every page whose route is in the sitemap."),
]

__all__ = ["CORE_ROUTES", "Job", "Output", "Route", "page_info", "plan", "reserved_prefixes", "isodate", "stamp"]
