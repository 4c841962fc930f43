"""The site model: everything loaded and fetched, assembled once, URLs computed, cross-references checked.

Collections that derive from posts and pages (`posts`, `pages`, `tags`, a tag's `posts`, `menu`) record that
they were read (deps.py), so a page is rebuilt exactly when something it read changed, whatever its template.
"""
from __future__ import annotations

import datetime as dt
import os
import posixpath
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from markupsafe import Markup

from . import bundles, deps, figures, images
from .config import Profile, SiteConfig
from .content import Page, Post, TocEntry, slugify
from .cv import build_cv
from .errors import Problems
from .paths import CACHE_DIR, READER_FILES
from .projects import ExternalPost, Project
from .readers import Image, Link, Rendered, resolve_links
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
        "preview": ("boolean", "True in `mlfolio serve`: themes leave out analytics and comments there."),
        "base_path": ("text", "The path the site lives under: '/' or '/portfolio/'."),
        "origin": ("text", "Scheme and host of `url`: 'https://ada.github.io'."),
        "static_files": ("mapping", "Output path → source file of every static file."),
        "urls": ("mapping", "Document path (`posts/x.md`) → its URL."),
        "cv": ("CvData", "The CV made from profile.yml (see `CvData`), on every page."),
        "publications": ("Publications", "Entries of the site's BibTeX files (see `Publications`); false when none."),
        "research": ("Research", "Talks and teaching of profile.yml (see `Research`)."),
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
        self.preview = False                       # True in `mlfolio serve`
        self.math_characters: set[str] | None = None   # drawn by <math> on the written pages (set after rendering)
        self.manual_projects: list[Project] = []
        self.cv = None                             # cv.CvData, once the profile and projects are in
        self.static_files: dict[str, Path] = {}    # output-relative path -> source file
        self.urls: dict[str, str] = {}             # document and static paths -> URLs (links resolve through it)
        self._build_time = build_time or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self._posts: list[Post] = []
        self._pages: list[Page] = []
        self._tags: list[Tag] = []
        self._menu: list[MenuLink] = []
        self.publications = None                   # research/feature.py's prepare step sets both
        self.research = None

    # collections that derive from posts and pages: reading them is recorded (deps.py)
    @property
    def posts(self) -> list[Post]:
        """Published posts, newest first."""
        deps.record("posts")
        return self._posts

    @property
    def external_posts(self) -> list[ExternalPost]:
        """Posts published elsewhere (`external_posts` feeds), newest first."""
        return [p for v in self.sources.values() for p in v.posts]

    @property
    def listing(self) -> list:
        """What the blog lists: published posts and external posts together, newest first."""
        deps.record("posts")
        return _newest_first([*self._posts, *self.external_posts])

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
                  previous_urls: dict | None = None, build_time: dt.datetime | None = None,
                  preview: bool = False) -> Site:
    """Computes URLs, resolves links between documents and to static files, tags, menu and projects.

    `resolve_only` (serve's rebuilds) limits link resolution to the edited documents, the others keeping
    theirs, as long as no URL changed since the build that made them (`previous_urls`).
    """
    config, theme, registry = loaded.config, loaded.theme, loaded.registry
    site = Site(config, site_dir, theme, registry, generator, build_time)
    site.sources = sources
    site.preview = preview
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
    sources = {f"static/{rel}": path for rel, path in static.items()}   # link target -> file (image sizes)
    bundle_urls: dict[str, str] = {}
    for doc in [*posts, *pages]:
        doc.assets = _bundle_assets(doc, site_dir, sources, problems)
        doc.assets |= {name: files / stored for name, stored in rendered[doc.digest].files.items()}
        if doc.url:                                      # beside its page: 'blog/x/fig-1.png'
            folder = _page_folder(doc)
            static.update({folder + name: source for name, source in doc.assets.items()})
            bundle = doc.rel.rpartition("/")[0]
            if bundles.bundle_dir(doc.source, site_dir):  # 'posts/x/fig.png' and 'posts/x' (a link to '../x/')
                bundle_urls[bundle] = doc.url
                bundle_urls |= {f"{bundle}/{name}": site.path(folder + name) for name in doc.assets}
    url_map = {p.rel: p.url for p in posts} | {p.rel: p.url for p in pages if p.url} | bundle_urls
    url_map |= {f"static/{rel}": site.path(rel) for rel in static}
    site.urls = url_map
    for doc in [*posts, *pages]:
        if doc.url:
            _front_image(doc, site, problems)
    if url_map != previous_urls:
        resolve_only = None
    for doc in [*posts, *pages]:
        if resolve_only is not None and doc.rel not in resolve_only and doc.html:
            static.update(doc.image_files)                # its image variants stay published
            continue
        doc.image_files = {}
        r = rendered[doc.digest]
        resolved: list[str] = []

        def resolve(link, d=doc):
            resolved.append(_resolve(link, d, url_map, static, site, problems))
            return resolved[-1]

        def image(link, url, d=doc):                     # its size and dark variant enter the fingerprint
            resolved.append(_image(link, url, d, url_map, sources, problems, site))
            return resolved[-1]
        doc.html = Markup(resolve_links(r, resolve, image))
        doc.toc = [TocEntry(level, id_, title) for level, id_, title in r.toc]
        doc.excerpt = r.excerpt
        doc.words = r.words
        doc.features = list(r.features)
        # the HTML follows from the rendered body (doc.digest) and the URLs its links resolved to
        doc.fingerprint = deps.digest(doc.text_digest, doc.digest, doc.url, *resolved)
        for line, message, hint in r.problems:
            problems.warn(doc.rel, doc.body_line + line - 1, None, message, hint)

    by_tag: dict[str, Tag] = {}
    external = site.external_posts
    for post, names in [*((p, p.meta.tags) for p in posts), *((p, p.tag_names) for p in external)]:
        post.tags = []
        for name in names:
            slug = slugify(name)
            tag = by_tag.setdefault(slug, Tag(name, slug, site.path(TAG_PATH.format(slug=slug))))
            if not tag._posts or tag._posts[-1] is not post:       # 'ML' and 'ml' are one tag
                tag._posts.append(post)
                post.tags.append(tag)
    if external:
        for tag in by_tag.values():
            tag._posts = _newest_first(tag._posts)
    site._tags = sorted(by_tag.values(), key=lambda t: (-len(t._posts), t.name.lower()))
    for post in posts:
        _social_png(post, site, problems)

    site.manual_projects = [
        Project(kind="manual", title=p.title, url=_entry_url(p.url, url_map, site, problems),
                description=p.description, tags=p.tags, image=site.path(p.image) if p.image else "",
                image_srcset=static_srcset(site, p.image, partial(problems.warn, "profile.yml", None, None)),
                featured=p.featured, date=p.date, description_html=registry.readers[".md"].inline(p.description))
        for p in loaded.profile.projects
    ]

    for img in [loaded.profile.avatar, *(p.image for p in loaded.profile.projects)]:
        if img and not img.startswith(("http://", "https://")) and img.lstrip("/") not in static:
            problems.warn("profile.yml", None, None, f"image '{img}' is not in static/",
                          "put the file under static/ and give its path relative to static/")
    site._menu = _menu(config, pages, site)
    for step in registry.prepare:                     # built-in features and plugins that read their own files
        step(site, loaded, problems)
    site.cv = build_cv(site, loaded.profile, problems)    # last: publications and talks are CV sections too
    return site


def _newest_first(posts: list) -> list:
    """Posts of this site and external ones in one order: date, then path or URL (stable builds)."""
    return sorted(posts, key=lambda p: (p.date, p.rel), reverse=True)


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
    taken = {p.url for p in extra}                 # a page on a route's URL (pages/cv.md) has the entry
    return [m for m in menu if m.url not in taken] + [MenuLink(p.title, p.url) for p in extra]


def _bundle_assets(doc, site_dir: Path, sources: dict[str, Path], problems: Problems) -> dict[str, Path]:
    """A page bundle's files (posts/x/index.md: the other files in posts/x/), also noted as link targets."""
    folder = bundles.bundle_dir(doc.source, site_dir)
    if folder is None:
        return {}
    found, outside = bundles.bundle_files(folder, doc.source)
    for path in outside:
        problems.warn(path.relative_to(site_dir).as_posix(), None, None, "a symbolic link that leads outside "
                      "its post's folder (or nowhere) is not published", "copy the file into the folder if it should be")
    here = doc.rel.rpartition("/")[0]
    sources.update({f"{here}/{name}": path for name, path in found.items()})
    return found


def _image(link: Link, url: str, doc, url_map, sources: dict[str, Path], problems: Problems, site: Site) -> str:
    """A local image's tag: with the width and height read from its file, its smaller WebP variants for
    `srcset` (published beside it), and its dark variant (x.dark.png beside x.png) when there is one."""
    target = f"static/{link.target.lstrip('/')}" if link.kind == "root" else link.target
    source = sources.get(target)
    image = link.image or Image()
    if source is None:
        return figures.img_html(url, image)
    size, why = figures.size_of(source)
    if why:
        problems.warn(doc.rel, doc.body_line + link.line - 1, None, why,
                      "export the image again as PNG, JPEG, GIF, WebP or AVIF; it is shown without a size meanwhile")
    srcset = _variants(source, size, url, doc, link, site, problems) if size else ""
    sizes = images.SIZES if srcset else ""
    dark = figures.dark_variant(target)
    if dark in sources and dark in url_map:
        return figures.img_html(url, image, size, (url_map[dark], figures.size_of(sources[dark])[0]), srcset, sizes)
    return figures.img_html(url, image, size, srcset=srcset, sizes=sizes)


def _page_folder(doc) -> str:
    """The output folder of a document's page, where its own files are published: 'blog/x/' or 'about/'."""
    return POST_PATH.format(slug=doc.slug) if isinstance(doc, Post) else f"{doc.slug}/"


def _front_image(doc, site: Site, problems: Problems) -> None:
    """The front matter's `image:`: a bundle's own file named as written beside its index (`cover.png`, as in
    Hugo) becomes its site path; a site path no file is published at is a warning (social sites would show
    nothing)."""
    image = doc.meta.image
    if not image or image.startswith(("http://", "https://")):
        return
    if not image.startswith("/") and image in doc.assets:
        doc.meta.image = _page_folder(doc) + image
    elif posixpath.normpath(image.lstrip("/")) not in site.static_files:
        problems.warn(doc.rel, _front_matter_line(doc, "image"), None, f"image '{image}': no such file in static/"
                      f"{' or beside the post' if doc.assets else ''}", "write its path under static/, e.g. "
                      "image: /img/cover.png, or a web address")


def _front_matter_line(doc, key: str) -> int | None:
    """The line of `key:` in a document's front matter, for a warning about its value (None when not found)."""
    try:
        lines = doc.source.read_text("utf-8", errors="replace").splitlines()[:doc.body_line]
    except OSError:
        return None
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), None)


def _social_png(post: Post, site: Site, problems: Problems) -> None:
    """A post whose `image:` is a local SVG gets a PNG of it for og:image, published beside the post."""
    image = post.meta.image
    post.social_image = ""
    if not image.lower().endswith(".svg") or image.startswith(("http://", "https://")):
        return
    source = site.static_files.get(image.lstrip("/"))
    if source is None:
        return
    png, why = images.social_png(source, site.site_dir / CACHE_DIR / "images")
    if png is None:
        problems.warn(post.rel, None, None, f"image '{image}': {why}", "pip install 'mlfolio[images]' to publish a "
                      "PNG of it, or give a PNG or JPEG as the post's image")
        return
    rel = POST_PATH.format(slug=post.slug) + "social.png"
    site.static_files[rel] = png
    post.social_image = rel


def static_srcset(site: Site, image: str, warn) -> str:
    """`srcset` of a static/ image shown outside a post (a project card, a publication preview), publishing its
    WebP variants beside it; '' for a remote, vector or small image. A file Pillow cannot open is reported by
    `warn(message, hint)`."""
    rel = image.lstrip("/")
    source = site.static_files.get(rel)
    if source is None or image.startswith(("http://", "https://")):
        return ""
    size, why = figures.size_of(source)
    found, why = images.variants(source, size, site.config.images, site.site_dir / CACHE_DIR / "images") \
        if size else ([], why)
    if why:
        warn(f"image '{image}': {why}", "the original is published unchanged")
    _publish_variants(site, rel.rpartition("/")[0], found)
    return images.srcset(site.path(rel), found, size) if found else ""


def _publish_variants(site: Site, folder: str, found: list) -> dict[str, Path]:
    """Puts WebP variants in the output folder `folder` (beside their image); returns them by output path."""
    published = {f"{folder}/{v.name}" if folder else v.name: v.source for v in found}
    site.static_files.update(published)
    return published


def _variants(source: Path, size, url: str, doc, link: Link, site: Site, problems: Problems) -> str:
    """Publishes the image's WebP variants beside it and returns its `srcset` ('' when there are none)."""
    found, why = images.variants(source, size, site.config.images, site.site_dir / CACHE_DIR / "images")
    if why:
        problems.warn(doc.rel, doc.body_line + link.line - 1, None, why, "the original is published unchanged")
    if not found or not url.startswith(site.base_path):
        return ""
    doc.image_files.update(_publish_variants(site, unquote(url[len(site.base_path):]).rpartition("/")[0], found))
    return images.srcset(url, found, size)


def _resolve(link: Link, doc, url_map, static, site: Site, problems: Problems) -> str:
    line = doc.body_line + link.line - 1
    if link.kind == "asset":                         # a file its reader published beside the page
        return doc.url + quote(link.target) + link.suffix
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
    elif posixpath.splitext(link.target)[1] and bundles.bundle_dir(doc.source, site.site_dir) is not None:
        problems.warn(doc.rel, line, None, f"link to '{link.original}': no such file in this post's folder",
                      f"put the file in {doc.rel.rpartition('/')[0]}/ beside {posixpath.basename(doc.rel)} "
                      "(names are case-sensitive)")
    elif posixpath.splitext(link.target)[1]:
        problems.warn(doc.rel, line, None, f"link to '{link.original}': no such file",
                      "put files under static/ and link them as '/path/in/static'")
    elif link.original.split("#")[0].split("?")[0].endswith("/") and link.target.split("/")[0] in bundles.FOLDERS:
        problems.warn(doc.rel, line, None, f"link to '{link.original}': no such post",
                      "a post that is a folder is linked as '../its-folder/' or '../its-folder/index.md'")
    return link.original


__all__ = ["FEATURE_ASSETS", "Site", "Tag", "assemble_site", "collect_static", "profile_view"]
