"""Where things went: each source file and old URL mapped to its place in the new site, and the rewriting of
links in bodies and profile text so they point there (images under static/, posts by their file)."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ..config import SiteConfig
from ..content import slugify
from .report import Report

_POST_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_URL_END = r"[^\s\"'()<>\[\]{}|]+"


@dataclass
class SiteMap:
    """The new site's layout as the converters see it while they write it."""

    assets: dict[str, str] = field(default_factory=dict)   # old path prefix 'assets/img/' -> 'img/' under static/
    files: dict[str, str] = field(default_factory=dict)    # source file '_posts/x.md' -> target 'posts/x.md'
    urls: dict[str, str] = field(default_factory=dict)     # old URL path '/blog/2015/x/' -> target 'posts/x.md'
    posts: dict[str, str] = field(default_factory=dict)    # post_url name '2015-03-15-x' -> target 'posts/x.md'
    values: dict[str, str] = field(default_factory=dict)   # 'site.title' -> text, for {{ site.title }}
    base_path: str = "/"                                    # the new site's sub-path ('/portfolio/'), for raw HTML

    def add_url(self, url: str, target: str) -> None:
        path = url.split("#")[0].split("?")[0]
        if path:
            self.urls[path.rstrip("/") or "/"] = target


@dataclass
class Context:
    """One body being converted: where it came from (for notes) and where it goes (for relative links)."""

    site: SiteMap
    report: Report
    source: str          # the source file, relative to the source folder
    here: str            # the new file ('posts/2024-01-01-x.md'), or 'profile.yml'
    line: int = 1        # line of the source file where the text starts
    local: dict[str, str] = field(default_factory=dict)   # a Hugo bundle's own files: 'fig.png' -> '/img/x/fig.png'
    citable: frozenset[str] = frozenset()   # keys of the imported bibliography and of the document's own

    def citation(self, keys: list[str], line: int | None) -> str:
        """`[@a; @b]` for the keys the bibliography has; any other key stays as text, with a note."""
        known = [k for k in keys if k in self.citable]
        unknown = [k for k in keys if k not in self.citable]
        for key in unknown:
            self.note(line, f"citation '{key}' kept as text: no entry has this key",
                      "add the entry to publications.bib, then write [@" + key + "]")
        cited = "[" + "; ".join("@" + k for k in known) + "]" if known else ""
        return " ".join(x for x in (cited, f"({', '.join(unknown)})" if unknown else "") if x)

    def note(self, line: int | None, what: str, suggestion: str = "") -> None:
        self.report.note(self.source, line, what, suggestion)

    def link_to(self, target: str) -> str:
        """A link from this file to a target path of the new site."""
        if target.startswith("static/"):
            return "/" + target[len("static/"):]
        if self.here.endswith(".md") and target.endswith(".md"):
            return posixpath.relpath(target, posixpath.dirname(self.here))
        return site_url(target)

    def static_url(self, old: str) -> str | None:
        """'/assets/img/x.png' (or 'assets/img/x.png', '../images/y.jpg') -> '/img/x.png' when it was copied."""
        if old in self.local or old.removeprefix("./") in self.local:
            return self.local.get(old) or self.local[old.removeprefix("./")]
        path = re.sub(r"^(\.\.?/)+", "", old).lstrip("/")
        for prefix, new in sorted(self.site.assets.items(), key=lambda kv: -len(kv[0])):
            if path.startswith(prefix):
                return "/" + new + path[len(prefix):]
        return None

    def old_url(self, url: str) -> str | None:
        """A link to an old page or post ('/blog/2015/x/', '/blog/2015/x.html') -> a link to its new file."""
        path, cut, rest = url.partition("#")
        path = path.split("?")[0].rstrip("/") or "/"
        for key in (path, path.removesuffix(".html"), path.removesuffix("/index.html")):
            if key in self.site.urls:
                return self.link_to(self.site.urls[key]) + (cut + rest)
        return None


def base_path(url: str) -> str:
    """'https://ada.github.io/portfolio' -> '/portfolio/'."""
    return SiteConfig(url=url).base_path


def site_url(target: str) -> str:
    """The URL path mlfolio gives a post or page file of the new site ('posts/2024-01-01-x.md' -> '/blog/x/')."""
    stem = posixpath.splitext(posixpath.basename(target))[0]
    if target.startswith("posts/"):
        m = _POST_NAME.match(stem)
        return f"/blog/{slugify(m.group(2) if m else stem)}/"
    if target.startswith("pages/"):
        parts = posixpath.splitext(target[len("pages/"):])[0].split("/")
        parts = parts[:-1] if parts[-1] == "index" else parts
        return "/" + "/".join(slugify(p) for p in parts) + "/"
    return "/" + target


_MD_LINK = re.compile(r"(!?\[[^\]\n]*\]\(\s*)(<[^>\n]*>|" + _URL_END + r")")
_HTML_ATTR = re.compile(r"(\b(?:src|href|poster)\s*=\s*)([\"'])([^\"'\n]*)\2", re.I)
_REF_DEF = re.compile(r"^( {0,3}\[[^\]\n]+\]:\s*)(\S+)", re.M)


def rewrite_links(text: str, ctx: Context) -> str:
    """Markdown links and images, reference definitions and HTML src/href: old asset paths and old URLs of
    posts and pages become their new places. The Markdown reader adds the site's sub-path to Markdown links
    only, so raw HTML gets it written in (and a note)."""
    def new(url: str) -> str:
        bare = url.strip("<>").strip()
        if not bare or bare.startswith(("#", "mailto:", "//")) or re.match(r"^[a-z][a-z0-9+.-]*:", bare, re.I):
            return url
        return ctx.static_url(bare) or ctx.old_url(bare) or url

    def html(m: re.Match) -> str:
        url = new(m.group(3))
        if url != m.group(3) and url.startswith("/") and ctx.site.base_path != "/":
            url = ctx.site.base_path.rstrip("/") + url
            ctx.note(ctx.line + text.count("\n", 0, m.start()), f"link in raw HTML written with the site's "
                     f"sub-path: {url}", "change it if you change 'url' in mlfolio.yml (Markdown links follow it)")
        return f"{m.group(1)}{m.group(2)}{url}{m.group(2)}"

    text = _MD_LINK.sub(lambda m: m.group(1) + new(m.group(2)), text)
    text = _REF_DEF.sub(lambda m: m.group(1) + new(m.group(2)), text)
    return _HTML_ATTR.sub(html, text)
