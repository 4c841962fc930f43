"""The site model: everything loaded and fetched, assembled once, URLs computed, cross-references checked."""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .config import Profile, SiteConfig
from .content import Page, Post, TocEntry, slugify
from .errors import Problems
from .markdown import Link, Rendered, render_inline, resolve_links
from .projects import Project, RemoteData

RESERVED = {"blog", "tags", "projects", "about", "assets", "feed.xml", "sitemap.xml", "robots.txt", "404.html",
            "index.html"}

GENERATED = re.compile(r"^(index\.html|404\.html|feed\.xml|sitemap\.xml|robots\.txt|assets/code\.css|"
                       r"(about|projects|blog|tags)/(.*/)?index\.html)$")    # paths render.plan() writes

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


@dataclass
class Tag:
    name: str
    slug: str
    url: str
    posts: list[Post] = field(default_factory=list)


@dataclass
class MenuLink:
    title: str
    url: str


@dataclass
class ProfileLink:
    kind: str
    label: str
    url: str


@dataclass
class SkillGroup:
    name: str
    items: list[str]


@dataclass
class TimelineEntry:
    title: str
    organisation: str
    start: str
    end: str
    location: str
    url: str
    description_html: Markup

    @property
    def role(self) -> str:
        return self.title

    @property
    def degree(self) -> str:
        return self.title


@dataclass
class NewsView:
    date: dt.date
    text_html: Markup


@dataclass
class ProfileView:
    name: str
    headline: str
    avatar: str
    bio_html: Markup
    location: str
    email: str
    links: list[ProfileLink]
    skills: list[SkillGroup]
    experience: list[TimelineEntry]
    education: list[TimelineEntry]
    news: list[NewsView]


@dataclass
class Site:
    config: SiteConfig
    site_dir: Path
    theme_dir: Path
    profile: ProfileView
    posts: list[Post]
    pages: list[Page]
    tags: list[Tag]
    remote: RemoteData
    manual_projects: list[Project]
    static_files: dict[str, Path]             # output-relative path → source file
    menu: list[MenuLink]
    build_time: dt.datetime
    generator: str
    base_path: str = "/"                      # from config.url, parsed once: pages ask for it constantly
    origin: str = ""

    # template-facing names
    @property
    def title(self) -> str:
        return self.config.title

    @property
    def description(self) -> str:
        return self.config.description

    @property
    def language(self) -> str:
        return self.config.language

    @property
    def url(self) -> str:
        return self.config.url.rstrip("/")

    @property
    def featured(self) -> list[Project]:
        return [p for p in self.remote.repos if p.featured] + [p for p in self.manual_projects if p.featured]

    def path(self, rel: str) -> str:
        """Site path → URL path under the base path: 'blog/' → '/portfolio/blog/'."""
        if rel.startswith(("http://", "https://", "mailto:", "//", "#", "data:")):
            return rel
        if self.base_path != "/" and rel.startswith(self.base_path):
            return rel
        return self.base_path + rel.lstrip("/")

    def absolute(self, rel: str) -> str:
        if rel.startswith(("http://", "https://")):
            return rel
        return self.origin + self.path(rel)


def _md_html(text: str) -> Markup:
    from .markdown import make_markdown
    return Markup(make_markdown().render(text)) if text else Markup("")


def profile_view(profile: Profile, config: SiteConfig, remote: RemoteData, path) -> ProfileView:
    links = dict(profile.links)
    if config.github and config.github.user and "github" not in links:
        links["github"] = remote.github_profile_url or config.github.user
    if config.kaggle and config.kaggle.user and "kaggle" not in links:
        links["kaggle"] = remote.kaggle_profile_url or config.kaggle.user
    out = []
    for kind, value in links.items():
        label, pattern = LINK_KINDS.get(kind.lower(), (kind.replace("_", " ").title(), "{}"))
        url = value if value.startswith(("http://", "https://", "mailto:")) else pattern.format(value.lstrip("@"))
        out.append(ProfileLink(kind.lower(), label, url))

    def timeline(items, title_attr):
        return [TimelineEntry(getattr(e, title_attr), e.organisation, e.start, e.end, e.location, e.url,
                              _md_html(e.description)) for e in items]

    news = sorted(profile.news, key=lambda n: n.date, reverse=True)
    return ProfileView(
        name=profile.name, headline=profile.headline, avatar=path(profile.avatar) if profile.avatar else "",
        bio_html=_md_html(profile.bio), location=profile.location, email=profile.email, links=out,
        skills=[SkillGroup(k, v) for k, v in profile.skills.items()],
        experience=timeline(profile.experience, "role"), education=timeline(profile.education, "degree"),
        news=[NewsView(n.date, Markup(render_inline(n.text))) for n in news],
    )


def collect_static(site_dir: Path, theme_dir: Path) -> dict[str, Path]:
    """Theme static first, then the site's static/ over it: the site wins on the same path."""
    files: dict[str, Path] = {}
    for root in (theme_dir / "static", site_dir / "static"):
        if root.is_dir():
            for path in root.rglob("*"):
                if path.is_file() and path.name not in (".DS_Store", "Thumbs.db"):
                    files[path.relative_to(root).as_posix()] = path
    return files


def assemble_site(config: SiteConfig, profile: Profile, posts: list[Post], pages: list[Page],
                  rendered: dict[str, Rendered], remote: RemoteData, site_dir: Path, theme_dir: Path,
                  problems: Problems, generator: str, resolve_only: set[str] | None = None) -> Site:
    """Computes URLs, resolves links between documents and to static files, and checks path clashes.

    `resolve_only` (serve's rebuilds) limits link resolution to the edited documents; the others keep theirs.
    """
    static = collect_static(site_dir, theme_dir)
    site = Site(config=config, site_dir=site_dir, theme_dir=theme_dir, profile=None, posts=posts, pages=pages,
                tags=[], remote=remote, manual_projects=[], static_files=static, menu=[],
                build_time=dt.datetime.now(dt.timezone.utc).replace(microsecond=0), generator=generator,
                base_path=config.base_path, origin=config.origin)
    site.profile = profile_view(profile, config, remote, site.path)

    seen: dict[str, str] = {}

    def claim(out_path: str, owner: str) -> bool:
        other = seen.get(out_path)
        if other:
            problems.error(owner, None, None, f"'{out_path}' would be written twice (also by {other})",
                           "give one of them a different 'slug'")
            return False
        seen[out_path] = owner
        return True

    for post in posts:
        post.url = site.path(f"blog/{post.slug}/")
        claim(f"blog/{post.slug}/index.html", post.rel)
    for page in pages:
        top = page.slug.split("/")[0] if page.slug else ""
        if top in RESERVED or not page.slug:
            problems.error(page.rel, None, None, f"page path '/{page.slug}' is used by mlfolio itself",
                           f"set another 'slug:' (reserved: {', '.join(sorted(RESERVED))})")
            continue
        page.url = site.path(f"{page.slug}/")
        claim(f"{page.slug}/index.html", page.rel)
    for rel in static:
        if rel in seen or GENERATED.match(rel):
            if (site_dir / "static" / rel).is_file():
                problems.warn(f"static/{rel}", None, None, f"static file '{rel}' replaces the page mlfolio makes there",
                              "rename it if that is not what you want")

    url_map = {p.rel: p.url for p in posts} | {p.rel: p.url for p in pages}
    url_map |= {f"static/{rel}": site.path(rel) for rel in static}

    for doc in [*posts, *pages]:
        if resolve_only is not None and doc.rel not in resolve_only and doc.html:
            continue
        r = rendered[doc.digest]
        doc.html = Markup(resolve_links(r, lambda link, d=doc: _resolve(link, d, url_map, static, site, problems)))
        doc.toc = [TocEntry(level, id_, title) for level, id_, title in r.toc]
        doc.excerpt = r.excerpt
        doc.words = r.words
        for line, message, hint in r.problems:
            problems.warn(doc.rel, doc.body_line + line - 1, None, message, hint)

    by_tag: dict[str, Tag] = {}
    for post in posts:
        post.tags = []
        for name in post.meta.tags:
            slug = slugify(name)
            tag = by_tag.setdefault(slug, Tag(name, slug, site.path(f"tags/{slug}/")))
            tag.posts.append(post)
            post.tags.append(tag)
    site.tags = sorted(by_tag.values(), key=lambda t: (-len(t.posts), t.name.lower()))

    site.manual_projects = [
        Project(kind="manual", title=p.title, url=_entry_url(p.url, url_map, site, problems),
                description=p.description, tags=p.tags,
                image=site.path(p.image) if p.image else "", featured=p.featured, date=p.date)
        for p in profile.projects
    ]
    for img in [profile.avatar, *(p.image for p in profile.projects)]:
        if img and not img.startswith(("http://", "https://")) and img.lstrip("/") not in static:
            problems.warn("profile.yml", None, None, f"image '{img}' is not in static/",
                          "put the file under static/ and give its path relative to static/")
    site.menu = _menu(config, pages, site)
    return site


def _entry_url(url: str, url_map: dict[str, str], site: Site, problems: Problems) -> str:
    """A URL written in profile.yml: a post's file ('posts/x.md'), a site path ('/blog/x/') or a full URL."""
    if url.endswith(".md"):
        if url.lstrip("/") in url_map:
            return url_map[url.lstrip("/")]
        problems.warn("profile.yml", None, None, f"link to '{url}': no such post or page",
                      "give the file's path from the site folder, e.g. posts/2024-05-01-x.md")
        return url
    return site.path(url) if url.startswith("/") else url


def _menu(config: SiteConfig, pages: list[Page], site: Site) -> list[MenuLink]:
    if config.menu:
        return [MenuLink(m.title, site.path(m.url)) for m in config.menu]
    menu = [MenuLink("About", site.path("about/")), MenuLink("Projects", site.path("projects/")),
            MenuLink("Blog", site.path("blog/"))]
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
    if link.target.endswith(".md"):
        problems.warn(doc.rel, line, None, f"link to '{link.original}': no such post or page",
                      "check the file name; links are relative to this file (e.g. 'other-post.md')")
    elif posixpath.splitext(link.target)[1]:
        problems.warn(doc.rel, line, None, f"link to '{link.original}': no such file",
                      "put files under static/ and link them as '/path/in/static'")
    return link.original
