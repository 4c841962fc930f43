"""Site → [(output path, bytes)]: the Jinja2 environment, each page's context, the feed, sitemap and robots."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .errors import Problem
from .site import Site

FILTERS_VERSION = 2          # bump when a filter's signature or pass_context changes (compiled code calls it)
TEMPLATE_NAMES = ("base.html", "home.html", "about.html", "projects.html", "blog.html", "post.html", "tag.html",
                  "tags.html", "page.html", "404.html")


@dataclass
class PageContext:
    """The `page` variable: what every template needs for <head> (title, canonical URL, social cards)."""

    kind: str
    title: str
    description: str
    url: str
    canonical: str
    image: str = ""
    og_type: str = "website"
    jsonld: dict | None = None
    noindex: bool = False


@dataclass
class Job:
    """One output file: rendered from `template` with `context`, or produced by `make` (feed, sitemap)."""

    out: str
    template: str | None = None
    context: Any = None                     # a dict, or a function returning one (built only when rendered)
    deps: frozenset[str] | None = None      # document rels it shows; None: any post change
    make: Any = None


def _format_date(value, fmt: str) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    fmt = fmt.replace("%-d", str(value.day)).replace("%-m", str(value.month))
    return value.strftime(fmt)


def _isodate(value) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _compact(n) -> str:
    if n is None:
        return ""
    n = float(n)
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if abs(n) >= size:
            text = f"{n / size:.1f}".rstrip("0").rstrip(".")
            return f"{text}{unit}"
    return f"{int(n)}"


def make_environment(site: Site, cache_dir: Path | None):
    from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, pass_context, select_autoescape

    import jinja2

    from . import __version__

    bcc = None
    if cache_dir is not None:
        # compiled code depends on mlfolio's filters and Jinja's version, not only on the template source
        folder = cache_dir / f"jinja-{__version__}-{jinja2.__version__}-{FILTERS_VERSION}"
        folder.mkdir(parents=True, exist_ok=True)
        bcc = FileSystemBytecodeCache(str(folder))
    env = Environment(
        loader=FileSystemLoader([str(site.site_dir / "templates"), str(site.theme_dir / "templates")]),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        bytecode_cache=bcc, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
    )
    # Marked as needing the context so Jinja never folds `'x'|url` into the compiled (and cached)
    # template: the base path differs between builds (--base-url, serve).
    url = pass_context(lambda _ctx, value: site.path(value))
    absurl = pass_context(lambda _ctx, value: site.absolute(value))
    env.filters.update(
        url=url, absurl=absurl, isodate=_isodate, compact=_compact,
        date=lambda v, fmt=None: _format_date(v, fmt or site.config.date_format),
        number=lambda n: "" if n is None else f"{n:,}",
    )
    env.globals.update(site=site, include_once=_include_once(env))
    return env


def _include_once(env):
    """`{{ include_once("partials/footer.html") }}`: a partial that depends only on `site` is rendered once
    per build (per worker) instead of once per page; a missing one renders as nothing."""
    from jinja2 import TemplateNotFound
    from markupsafe import Markup

    memo: dict[str, Markup] = {}

    def include_once(name: str) -> Markup:
        if name not in memo:
            try:
                memo[name] = Markup(env.get_template(name).render())
            except TemplateNotFound:
                memo[name] = Markup("")
        return memo[name]

    return include_once


def _page(site: Site, kind: str, title: str, rel: str, description: str = "", **kw) -> PageContext:
    return PageContext(kind=kind, title=title, description=description or site.description, url=site.path(rel),
                       canonical=site.absolute(rel), **kw)


def _person(site: Site) -> dict:
    p = site.profile
    data = {"@context": "https://schema.org", "@type": "Person", "name": p.name, "url": site.absolute("")}
    if p.headline:
        data["jobTitle"] = p.headline
    if p.avatar:
        data["image"] = site.absolute(p.avatar)
    same = [link.url for link in p.links if link.url.startswith("http")]
    if same:
        data["sameAs"] = same
    return data


def _posting(site: Site, post) -> dict:
    data = {
        "@context": "https://schema.org", "@type": "BlogPosting", "headline": post.title,
        "datePublished": _isodate(post.date), "dateModified": _isodate(post.updated or post.date),
        "author": {"@type": "Person", "name": site.profile.name, "url": site.absolute("")},
        "url": site.absolute(post.url), "mainEntityOfPage": site.absolute(post.url),
        "description": post.description, "wordCount": post.words,
    }
    if post.meta.tags:
        data["keywords"] = ", ".join(post.meta.tags)
    if post.image:
        data["image"] = site.absolute(post.image)
    return data


def plan(site: Site) -> list[Job]:
    """Every output file of the site, with what it depends on (serve re-renders only the affected ones)."""
    jobs: list[Job] = []
    posts = site.posts
    rels = lambda items: frozenset(p.rel for p in items)  # noqa: E731

    recent = posts[:5]
    jobs.append(Job("index.html", "home.html", {
        "page": _page(site, "home", site.title, "", site.profile.headline or site.description, jsonld=_person(site)),
        "featured": site.featured, "recent_posts": recent, "news": site.profile.news[:5]}, rels(recent)))
    jobs.append(Job("about/index.html", "about.html", {
        "page": _page(site, "about", f"About {site.profile.name}", "about/", site.profile.headline)}, frozenset()))
    r = site.remote
    jobs.append(Job("projects/index.html", "projects.html", {
        "page": _page(site, "projects", "Projects", "projects/", f"Projects by {site.profile.name}"),
        "manual": site.manual_projects, "repos": r.repos, "datasets": r.datasets, "notebooks": r.notebooks,
        "competitions": r.competitions, "status": r.status}, frozenset()))

    per = max(1, site.config.posts_per_page)
    chunks = [posts[i:i + per] for i in range(0, len(posts), per)] or [[]]
    page_url = lambda n: "blog/" if n == 1 else f"blog/page/{n}/"  # noqa: E731
    for n, chunk in enumerate(chunks, 1):
        paginator = {"number": n, "count": len(chunks),
                     "prev_url": site.path(page_url(n - 1)) if n > 1 else "",
                     "next_url": site.path(page_url(n + 1)) if n < len(chunks) else "",
                     "pages": [(i, site.path(page_url(i))) for i in range(1, len(chunks) + 1)]}
        title = "Blog" if n == 1 else f"Blog — page {n}"
        jobs.append(Job(f"{page_url(n)}index.html", "blog.html", {
            "page": _page(site, "blog", title, page_url(n), f"Posts by {site.profile.name}"),
            "posts": chunk, "paginator": paginator}, rels(chunk)))

    for i, post in enumerate(posts):
        newer = posts[i - 1] if i > 0 else None
        older = posts[i + 1] if i + 1 < len(posts) else None
        jobs.append(Job(f"blog/{post.slug}/index.html", "post.html", partial(_post_context, site, post, older, newer),
                        rels([p for p in (post, newer, older) if p])))

    jobs.append(Job("tags/index.html", "tags.html", {
        "page": _page(site, "tags", "Tags", "tags/", "All tags"), "tags": site.tags}, None))
    for tag in site.tags:
        jobs.append(Job(f"tags/{tag.slug}/index.html", "tag.html", {
            "page": _page(site, "tag", f"Posts tagged “{tag.name}”", tag.url, f"Posts about {tag.name}"),
            "tag": tag, "posts": tag.posts}, rels(tag.posts)))

    for doc in site.pages:
        if not doc.url:
            continue
        jobs.append(Job(f"{doc.slug}/index.html", "page.html", {
            "page": _page(site, "page", doc.title, doc.url, doc.description,
                          image=site.absolute(doc.meta.image) if doc.meta.image else ""),
            "doc": doc}, frozenset([doc.rel])))

    jobs.append(Job("404.html", "404.html", {
        "page": _page(site, "404", "Page not found", "404.html", noindex=True)}, frozenset()))
    jobs.append(Job("feed.xml", make=atom_feed, deps=rels(posts[:20])))
    jobs.append(Job("sitemap.xml", make=sitemap, deps=None))
    jobs.append(Job("robots.txt", make=robots, deps=frozenset()))
    jobs.append(Job("assets/code.css", make=code_css, deps=frozenset()))
    return [job for job in jobs if job.out not in site.static_files]    # a file in static/ wins (site.py warns)


def _post_context(site: Site, post, older, newer) -> dict:
    image = site.absolute(post.image) if post.image else ""
    return {"page": _page(site, "post", post.title, post.url, post.description, image=image, og_type="article",
                          jsonld=_posting(site, post)),
            "post": post, "prev_post": older, "next_post": newer}


def render_job(env, site: Site, job: Job) -> bytes:
    if job.make is not None:
        return job.make(site)
    context = job.context() if callable(job.context) else (job.context or {})
    return env.get_template(job.template).render(context).encode("utf-8")


def template_problem(exc: BaseException, site: Site, job: Job) -> Problem:
    """A template error as path:line with the template's own position, whichever frame raised it."""
    from jinja2 import TemplateSyntaxError

    filename, line = None, None
    if isinstance(exc, TemplateSyntaxError):
        filename, line = exc.filename, exc.lineno
    else:
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".txt")):
                filename, line = name, tb.tb_lineno
            tb = tb.tb_next
    where = filename or job.template or job.out
    for root in (site.site_dir, site.theme_dir.parent.parent):
        try:
            where = Path(where).resolve().relative_to(root.resolve()).as_posix()
            break
        except ValueError:
            continue
    message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    kind = "template syntax error" if isinstance(exc, TemplateSyntaxError) else "template error"
    return Problem(where, line, None, f"{kind} while rendering {job.out}: {message}",
                   "fix the template (your templates/ override it by name; delete it to use the theme's)")


def atom_feed(site: Site) -> bytes:
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    feed = ET.Element(q("feed"))
    if site.language:
        feed.set("{http://www.w3.org/XML/1998/namespace}lang", site.language)
    ET.SubElement(feed, q("id")).text = site.absolute("")
    ET.SubElement(feed, q("title")).text = site.title
    if site.description:
        ET.SubElement(feed, q("subtitle")).text = site.description
    posts = site.posts[:20]
    stamps = [_stamp(p.updated or p.date) for p in posts] or [_stamp(site.build_time)]
    ET.SubElement(feed, q("updated")).text = max(stamps)
    ET.SubElement(feed, q("link"), rel="self", href=site.absolute("feed.xml"), type="application/atom+xml")
    ET.SubElement(feed, q("link"), rel="alternate", href=site.absolute(""), type="text/html")
    author = ET.SubElement(feed, q("author"))
    ET.SubElement(author, q("name")).text = site.profile.name
    ET.SubElement(feed, q("generator"), uri="https://pypi.org/project/mlfolio/").text = site.generator
    for post in posts:
        entry = ET.SubElement(feed, q("entry"))
        ET.SubElement(entry, q("id")).text = site.absolute(post.url)
        ET.SubElement(entry, q("title")).text = post.title
        ET.SubElement(entry, q("link"), rel="alternate", href=site.absolute(post.url), type="text/html")
        ET.SubElement(entry, q("published")).text = _stamp(post.date)
        ET.SubElement(entry, q("updated")).text = _stamp(post.updated or post.date)
        for tag in post.tags:
            ET.SubElement(entry, q("category"), term=tag.name)
        if post.description:
            ET.SubElement(entry, q("summary")).text = post.description
        ET.SubElement(entry, q("content"), type="html").text = _absolutize(str(post.html), site)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def _absolutize(html: str, site: Site) -> str:
    """Feed readers resolve relative URLs badly: make root-relative links absolute."""
    origin = site.config.origin
    return html.replace(' href="/', f' href="{origin}/').replace(' src="/', f' src="{origin}/')


def _stamp(value) -> str:
    if isinstance(value, dt.datetime):
        return _isodate(value)
    return f"{value.isoformat()}T00:00:00Z"


def sitemap(site: Site) -> bytes:
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}urlset")

    def add(rel: str, lastmod=None):
        node = ET.SubElement(root, f"{{{ns}}}url")
        ET.SubElement(node, f"{{{ns}}}loc").text = site.absolute(rel)
        if lastmod:
            ET.SubElement(node, f"{{{ns}}}lastmod").text = lastmod.isoformat()[:10]

    for rel in ("", "about/", "projects/", "blog/", "tags/"):
        add(rel)
    for post in site.posts:
        add(post.url, post.updated or post.date)
    for tag in site.tags:
        add(tag.url)
    for doc in site.pages:
        if doc.url:
            add(doc.url)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.absolute('sitemap.xml')}\n".encode()


def code_css(site: Site) -> bytes:
    from .markdown import code_css as css
    return css(site.config.code_style, site.config.code_style_dark).encode()


