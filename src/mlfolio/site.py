"""The site model: everything loaded and fetched, assembled once, URLs computed, cross-references checked.

Collections that derive from posts and pages (`posts`, `pages`, `tags`, a tag's `posts`, `menu`) record that
they were read (deps.py), so a page is rebuilt exactly when something it read changed, whatever its template.
"""
from __future__ import annotations

import datetime as dt
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from . import deps
from .config import Profile, SiteConfig
from .content import Page, Post, TocEntry, slugify
from .errors import Problems
from .paths import READER_FILES
from .projects import Project
from .readers import Link, Rendered, resolve_links
from .routes import POST_PATH, TAG_PATH, reserved_prefixes
from .schema import opt

LINK_KINDS = {
    "github": ("GitHub", "https://github.com/{}"),
    "kaggle": ("Kaggle", "https://www.kaggle.com/{}"),
    "linkedin": ("LinkedIn", "https://www.linkedin.com/in/{}"),
    "scholar": ("Google Scholar", "https://scholar.google.com/citations?user={}"),
    "x": ("X", "https://x.com/{}"),
    "twitter": ("X", "https://x.com/{}"),
    "huggingface": ("Hugging Face", "https://huggingface.co/{}"),
    "orcid": ("ORCID", "https://orcid.org/{}"),
    "mastodon": ("Mastodon", "{}"),
    "bluesky": ("Bluesky", "https://bsky.app/profile/{}"),
    "website": ("Website", "{}"),
    "email": ("Email", "mailto:{}"),
}
_FULL_URL = ("http://", "https://", "mailto:", "//", "#")
_URL_SAFE = "/:@!$&'()*+,;=-._~%#?"    # kept as written; anything else (spaces, non-ASCII) is percent-encoded
FEATURE_ASSETS = "assets/features/"    # assets/features/NAME/…: published only when a page has feature NAME


class Tag:
    """A tag and its posts (newest first)."""

    __contract__ = {"name": ("text", "As written in the first post that uses it."),
                    "slug": ("text", "URL name."), "url": ("text", "URL of its page.")}

    def __init__(self, name: str, slug: str, url: str):
        self.name, self.slug, self.url = name, slug, url
        self._posts: list[Post] = []

    @property
    def posts(self) -> list[Post]:
        """Its posts, newest first."""
        deps.record(f"tag:{self.slug}")
        return self._posts

    def dependency_key(self) -> str:
        return f"tag:{self.slug}:{self.name}:{self.url}"

    def __repr__(self) -> str:
        return f"Tag({self.name!r})"


@dataclass
class MenuLink:
    title: str = opt(doc="Text of the link.")
    url: str = opt(doc="Where it leads (base path included, or a full URL).")


@dataclass
class ProfileLink:
    kind: str = opt(doc="`github`, `linkedin`, `email` … (the icon's name).")
    label: str = opt(doc="'GitHub', 'Google Scholar' …")
    url: str = opt(doc="Full URL.")


@dataclass
class SkillGroup:
    name: str = opt(doc="Group name ('Languages').")
    items: list[str] = opt([], "The skills.")


@dataclass
class TimelineEntry:
    """A job or a degree."""

    title: str = opt(doc="Role or degree (also as `role` and `degree`).")
    organisation: str = opt(doc="Company, lab or school.")
    start: str = opt(doc="As written in profile.yml ('2021-03').")
    end: str = opt(doc="As written; '' means present.")
    location: str = opt(doc="City.")
    url: str = opt(doc="Link (base path included, or a full URL), or ''.")
    description_html: Markup = opt(doc="The description as HTML.")

    @property
    def role(self) -> str:
        return self.title

    @property
    def degree(self) -> str:
        return self.title


@dataclass
class NewsView:
    date: dt.date = opt(doc="When.")
    text_html: Markup = opt(doc="The line as HTML.")


@dataclass
class ProfileView:
    """`site.profile`: profile.yml as templates see it."""

    name: str = opt(doc="Your name.")
    headline: str = opt("", "One line under your name.")
    avatar: str = opt("", "Photo URL (base path included), or ''.")
    bio_html: Markup = opt(Markup(""), "The bio as HTML.")
    location: str = opt("", "Where you are.")
    email: str = opt("", "Contact address.")
    links: list[ProfileLink] = opt([], "Profile links (see `ProfileLink`).")
    skills: list[SkillGroup] = opt([], "Skill groups (see `SkillGroup`).")
    experience: list[TimelineEntry] = opt([], "Jobs (see `TimelineEntry`).")
    education: list[TimelineEntry] = opt([], "Degrees (see `TimelineEntry`).")
    news: list[NewsView] = opt([], "News, newest first (see `NewsView`).")
    extra: dict[str, Any] = opt({}, "profile.yml's `extra:` mapping, untouched.")


class Site:
    """`site`: the whole site as every template sees it."""

    __contract__ = {
        "config": ("SiteConfig", "mlfolio.yml as read: `site.config.posts_per_page`, `site.config.section('github')`."),
        "profile": ("ProfileView", "profile.yml as templates see it."),
        "sources": ("mapping of SourceView", "Each configured remote source by name: `site.sources.github`."),
        "manual_projects": ("list of Project", "The hand-written projects of profile.yml."),
        "theme": ("Theme", "The theme: `name`, `options`, `dirs`."),
        "generator": ("text", "'mlfolio X.Y.Z'."),
        "base_path": ("text", "The path the site lives under: '/' or '/portfolio/'."),
        "origin": ("text", "Scheme and host of `url`: 'https://ada.github.io'."),
        "static_files": ("mapping", "Output path → source file of every static file."),
        "urls": ("mapping", "Document path (`posts/x.md`) → its URL."),
    }

    def __init__(self, config: SiteConfig, site_dir: Path, theme, registry, generator: str,
                 build_time: dt.datetime | None = None):
        self.config = config
        self.site_dir = site_dir
        self.theme = theme
        self.registry = registry
        self.generator = generator
        self.base_path = config.base_path          # parsed once: pages ask for it constantly
        self.origin = config.origin
        self.profile: ProfileView | None = None
        self.sources: dict = {}                    # name -> SourceView
        self.manual_projects: list[Project] = []
        self.static_files: dict[str, Path] = {}    # output-relative path -> source file
        self.urls: dict[str, str] = {}             # document and static paths -> URLs (links resolve through it)
        self._build_time = build_time or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self._posts: list[Post] = []
        self._pages: list[Page] = []
        self._tags: list[Tag] = []
        self._menu: list[MenuLink] = []

    # collections that derive from posts and pages: reading them is recorded (deps.py)
    @property
    def posts(self) -> list[Post]:
        """Published posts, newest first."""
        deps.record("posts")
        return self._posts

    @property
    def pages(self) -> list[Page]:
        """Pages from pages/, by path."""
        deps.record("pages")
        return self._pages

    @property
    def tags(self) -> list[Tag]:
        """Every tag, most used first."""
        deps.record("tags")
        return self._tags

    @property
    def menu(self) -> list[MenuLink]:
        """The header menu, the same on every page (the `menu` variable adds `active`)."""
        deps.record("menu")
        return self._menu

    @property
    def build_time(self) -> dt.datetime:
        """When the build started (UTC); a page that shows it is rebuilt once a day."""
        deps.record("build_time")
        return self._build_time

    @property
    def title(self) -> str:
        """`title` of mlfolio.yml."""
        return self.config.title

    @property
    def description(self) -> str:
        """`description` of mlfolio.yml."""
        return self.config.description

    @property
    def language(self) -> str:
        """`language` of mlfolio.yml."""
        return self.config.language

    @property
    def url(self) -> str:
        """`url` of mlfolio.yml, without a trailing slash."""
        return self.config.url.rstrip("/")

    @property
    def extra(self) -> dict:
        """mlfolio.yml's `extra:` mapping, untouched."""
        return self.config.extra

    @property
    def featured(self) -> list[Project]:
        """Each source's featured cards, then hand-written projects marked featured."""
        return [p for v in self.sources.values() for p in v.featured] + [p for p in self.manual_projects if p.featured]

    def settings(self, name: str):
        """The mlfolio.yml section of a source or plugin (`site.settings('reading')`), or None."""
        return self.config.section(name)

    def path(self, rel: str) -> str:
        """Site path → URL path under the base path: 'blog/' → '/portfolio/blog/'; full URLs stay as they are.
        A site path is always relative to the site's root, so `/blog/` on a site at /blog/ is /blog/blog/."""
        if rel.startswith(_FULL_URL):
            return rel
        return self.base_path + quote(rel.lstrip("/"), safe=_URL_SAFE)

    def absolute(self, rel: str) -> str:
        """Site path → absolute URL: 'feed.xml' → 'https://ada.github.io/portfolio/feed.xml'."""
        if rel.startswith(("http://", "https://")):
            return rel
        return self.origin + self.path(rel)

    def full_url(self, url: str) -> str:
        """A URL the site made (`post.url`, `profile.avatar`: base path included) → absolute URL."""
        if url.startswith(("http://", "https://")) or not url.startswith("/") or url.startswith("//"):
            return url
        return self.origin + url

    def dependency_key(self) -> str:
        return "site"


def collect_static(site_dir: Path, theme, problems: Problems | None = None,
                   features: set[str] | None = None) -> dict[str, Path]:
    """The themes' static files (default first, each theme over its parent), then the site's static/ over
    them: the site wins on the same path. A symbolic link that leads outside its folder is not published (a
    link to ~/.ssh in static/ must not end up on the web), and says so. Of assets/features/NAME/ (a diagram
    library: megabytes) only the folders of `features` (those some page has) are published, or walked."""
    files: dict[str, Path] = {}
    for root in [*theme.static_dirs, site_dir / "static"]:
        if not root.is_dir():
            continue
        real_root = os.path.realpath(root)
        feature_folder = os.path.join(root, *FEATURE_ASSETS.strip("/").split("/"))
        for folder, dirs, names in os.walk(root, followlinks=True):
            real = os.path.realpath(folder)
            if real != real_root and not real.startswith(real_root + os.sep):
                dirs[:] = []
                _outside(problems, site_dir, Path(folder))
                continue
            if folder == feature_folder:
                dirs[:] = [name for name in dirs if name in (features or ())]
                continue
            for name in names:
                path = Path(folder, name)
                target = os.path.realpath(path)
                if not target.startswith(real_root + os.sep) or not os.path.isfile(target):
                    _outside(problems, site_dir, path)
                elif name not in (".DS_Store", "Thumbs.db"):
                    files[path.relative_to(root).as_posix()] = path
    return files


def _outside(problems: Problems | None, site_dir: Path, path: Path) -> None:
    if problems is not None and path.is_relative_to(site_dir):
        problems.warn(path.relative_to(site_dir).as_posix(), None, None, "a symbolic link that leads outside "
                      "static/ (or nowhere) is not published", "copy the file into static/ if it should be")


def profile_view(profile: Profile, site: Site) -> ProfileView:
    md = site.registry.readers[".md"]
    links = dict(profile.links)
    for name, view in site.sources.items():
        kind = site.registry.sources[name].link_kind
        if kind and kind not in links and view.profile_url:
            links[kind] = view.profile_url
    out = []
    for kind, value in links.items():
        label, pattern = LINK_KINDS.get(kind.lower(), (kind.replace("_", " ").title(), "{}"))
        url = value if value.startswith(("http://", "https://", "mailto:")) else pattern.format(value.lstrip("@"))
        out.append(ProfileLink(kind.lower(), label, url))

    def link(url: str) -> str:           # '/cv/' in a bio is the site's /cv/, under its sub-path too
        return site.path(url) if url.startswith("/") and not url.startswith("//") else url

    def timeline(items, title_attr):
        return [TimelineEntry(getattr(e, title_attr), e.organisation, e.start, e.end, e.location,
                              site.path(e.url) if e.url else "", md.html(e.description, link)) for e in items]

    news = sorted(profile.news, key=lambda n: n.date, reverse=True)
    return ProfileView(
        name=profile.name, headline=profile.headline, avatar=site.path(profile.avatar) if profile.avatar else "",
        bio_html=md.html(profile.bio, link), location=profile.location, email=profile.email, links=out,
        skills=[SkillGroup(k, v) for k, v in profile.skills.items()],
        experience=timeline(profile.experience, "role"), education=timeline(profile.education, "degree"),
        news=[NewsView(n.date, md.inline(n.text, link)) for n in news], extra=profile.extra,
    )


def assemble_site(loaded, posts: list[Post], pages: list[Page], rendered: dict[str, Rendered], sources: dict,
                  site_dir: Path, problems: Problems, generator: str, resolve_only: set[str] | None = None,
                  previous_urls: dict | None = None, build_time: dt.datetime | None = None) -> Site:
    """Computes URLs, resolves links between documents and to static files, tags, menu and projects.

    `resolve_only` (serve's rebuilds) limits link resolution to the edited documents, the others keeping
    theirs, as long as no URL changed since the build that made them (`previous_urls`).
    """
    config, theme, registry = loaded.config, loaded.theme, loaded.registry
    site = Site(config, site_dir, theme, registry, generator, build_time)
    site.sources = sources
    site.static_files = collect_static(site_dir, theme, problems,
                                       {f for doc in [*posts, *pages] for f in rendered[doc.digest].features})
    site.profile = profile_view(loaded.profile, site)
    site._posts, site._pages = posts, pages

    for post in posts:
        post.url = site.path(POST_PATH.format(slug=post.slug))
    reserved = reserved_prefixes(registry.routes)
    for page in pages:
        top = page.slug.split("/")[0] if page.slug else ""
        if top in reserved or not page.slug:
            page.url = ""
            problems.error(page.rel, None, None, f"page path '/{page.slug}' is used by mlfolio itself",
                           f"set another 'slug:' (reserved: {', '.join(sorted(reserved))})")
            continue
        page.url = site.path(f"{page.slug}/")

    static = site.static_files
    files = site_dir / READER_FILES
    for doc in [*posts, *pages]:
        doc.assets = {name: files / stored for name, stored in rendered[doc.digest].files.items()}
        if doc.url:                                      # beside its page: 'blog/x/fig-1.png'
            folder = POST_PATH.format(slug=doc.slug) if isinstance(doc, Post) else f"{doc.slug}/"
            static.update({folder + name: source for name, source in doc.assets.items()})
    url_map = {p.rel: p.url for p in posts} | {p.rel: p.url for p in pages if p.url}
    url_map |= {f"static/{rel}": site.path(rel) for rel in static}
    site.urls = url_map
    if url_map != previous_urls:
        resolve_only = None
    for doc in [*posts, *pages]:
        if resolve_only is not None and doc.rel not in resolve_only and doc.html:
            continue
        r = rendered[doc.digest]
        resolved: list[str] = []

        def resolve(link, d=doc):
            resolved.append(_resolve(link, d, url_map, static, site, problems))
            return resolved[-1]
        doc.html = Markup(resolve_links(r, resolve))
        doc.toc = [TocEntry(level, id_, title) for level, id_, title in r.toc]
        doc.excerpt = r.excerpt
        doc.words = r.words
        doc.features = list(r.features)
        # the HTML follows from the rendered body (doc.digest) and the URLs its links resolved to
        doc.fingerprint = deps.digest(doc.text_digest, doc.digest, doc.url, *resolved)
        for line, message, hint in r.problems:
            problems.warn(doc.rel, doc.body_line + line - 1, None, message, hint)

    by_tag: dict[str, Tag] = {}
    for post in posts:
        post.tags = []
        for name in post.meta.tags:
            slug = slugify(name)
            tag = by_tag.setdefault(slug, Tag(name, slug, site.path(TAG_PATH.format(slug=slug))))
            tag._posts.append(post)
            post.tags.append(tag)
    site._tags = sorted(by_tag.values(), key=lambda t: (-len(t._posts), t.name.lower()))

    site.manual_projects = [
        Project(kind="manual", title=p.title, url=_entry_url(p.url, url_map, site, problems),
                description=p.description, tags=p.tags, image=site.path(p.image) if p.image else "",
                featured=p.featured, date=p.date, description_html=registry.readers[".md"].inline(p.description))
        for p in loaded.profile.projects
    ]
    for img in [loaded.profile.avatar, *(p.image for p in loaded.profile.projects)]:
        if img and not img.startswith(("http://", "https://")) and img.lstrip("/") not in static:
            problems.warn("profile.yml", None, None, f"image '{img}' is not in static/",
                          "put the file under static/ and give its path relative to static/")
    site._menu = _menu(config, pages, site)
    return site


def _entry_url(url: str, url_map: dict[str, str], site: Site, problems: Problems) -> str:
    """A URL written in profile.yml: a post's file ('posts/x.md'), a site path ('/blog/x/') or a full URL."""
    if posixpath.splitext(url)[1].lower() in site.registry.readers:
        if url.lstrip("/") in url_map:
            return url_map[url.lstrip("/")]
        problems.warn("profile.yml", None, None, f"link to '{url}': no such post or page",
                      "give the file's path from the site folder, e.g. posts/2024-05-01-x.md")
        return url
    return site.path(url) if url.startswith("/") else url


def _menu(config: SiteConfig, pages: list[Page], site: Site) -> list[MenuLink]:
    """mlfolio.yml's `menu`, or else the routes' default entries by weight, then pages that set `menu`."""
    if config.menu:
        return [MenuLink(m.title, site.path(m.url)) for m in config.menu]
    routes = sorted((r for r in site.registry.routes if r.menu), key=lambda r: r.menu[1])
    menu = [MenuLink(r.menu[0], site.path(r.pattern.split(",")[0].strip().lstrip("/"))) for r in routes]
    extra = sorted((p for p in pages if p.meta.menu is not None and p.url), key=lambda p: (p.meta.menu, p.title))
    return menu + [MenuLink(p.title, p.url) for p in extra]


def _resolve(link: Link, doc, url_map, static, site: Site, problems: Problems) -> str:
    line = doc.body_line + link.line - 1
    if link.kind == "root":
        rel = link.target.lstrip("/")
        if posixpath.splitext(rel)[1] and rel not in static and not rel.endswith(".html"):
            problems.warn(doc.rel, line, None, f"link to '{link.original}': no such file in static/",
                          "check the path; '/x.png' means static/x.png")
        return site.path(rel) + link.suffix
    if link.target in url_map:
        return url_map[link.target] + link.suffix
    if posixpath.splitext(link.target)[1].lower() in site.registry.readers:
        problems.warn(doc.rel, line, None, f"link to '{link.original}': no such post or page",
                      "check the file name; links are relative to this file (e.g. 'other-post.md')")
    elif posixpath.splitext(link.target)[1]:
        problems.warn(doc.rel, line, None, f"link to '{link.original}': no such file",
                      "put files under static/ and link them as '/path/in/static'")
    return link.original


__all__ = ["FEATURE_ASSETS", "Site", "Tag", "assemble_site", "collect_static", "profile_view"]
