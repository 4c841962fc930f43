"""Readers turn a content file into a document: front matter, then HTML, table of contents, excerpt, the local
links it makes and its problems. They are chosen by file extension (the registry maps '.md' to the Markdown
reader; a plugin adds '.ipynb' or '.txt' the same way).

Rendering depends only on the file's body and path, so its result (`Rendered`) is cached by a hash of the
reader's name and version, the plugins' signature, the path and the body. Links to other files are left as
markers (`@mlfolio-link-N@`) that `resolve_links` swaps for final URLs on every build, which is cheap and
stays correct when the site's layout moves. An image of a local file is a marker too (`@mlfolio-image-N@`,
its whole tag): its size and dark variant are read from the file on every build, so an edited image is right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

MARKER = re.compile(r"@mlfolio-(link|image)-(\d+)@")


@dataclass
class Image:
    """How to write an <img> whose file is only looked at when links are resolved (figures.img_html)."""

    alt: str = ""
    title: str = ""
    id: str = ""
    classes: tuple[str, ...] = ()
    width: str = ""               # a CSS width asked for: '60%', '320px'
    eager: bool = False           # the document's first image: likely above the fold, so not lazy-loaded


@dataclass
class Link:
    kind: str          # 'ref' (relative to the file, resolved to a site path), 'root' ('/img/x.png') or
                       # 'asset' (a file the reader made, published beside the page: its name)
    target: str        # site-relative path for 'ref', URL path for 'root'
    suffix: str        # '?query#fragment' kept as written
    line: int          # line in the body (1-based)
    original: str
    image: Image | None = None    # an image's source: its marker `@mlfolio-image-N@` stands for the whole tag


@dataclass
class Rendered:
    """A reader's output for one body: what the cache keeps."""

    html: str
    toc: list[tuple[int, str, str]] = field(default_factory=list)    # (level, id, title)
    excerpt: str = ""
    words: int = 0
    links: list[Link] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)   # (body line, message, hint)
    features: list[str] = field(default_factory=list)   # what the page needs from the theme: 'code', 'math' …
    files: dict[str, bytes | str] = field(default_factory=dict)   # made by the reader, published beside the page
                                        # (the build keeps the bytes in its cache and leaves the file's name here)


@dataclass
class Block:
    """What a fence handler makes of a fenced block (```mermaid …```): its HTML, and the features the page then
    needs (the theme loads a feature's scripts or styles only on pages that have it)."""

    html: str
    features: tuple[str, ...] = ()


@dataclass
class Split:
    """A file cut into its front matter (YAML text) and its body, with the line each starts on."""

    front_matter: str | None
    body: str
    body_line: int
    front_matter_line: int = 2


class SplitError(Exception):
    """The file's structure is broken (e.g. front matter never closed): one problem at (line, col). With
    `warning`, the file is skipped with a warning instead (a notebook when nbformat is not installed)."""

    def __init__(self, line: int | None, col: int | None, message: str, hint: str = "", warning: bool = False):
        super().__init__(message)
        self.line, self.col, self.message, self.hint, self.warning = line, col, message, hint, warning


class Reader:
    """The interface of a reader. `name` and `version` enter the cache key: bump the version whenever the HTML a
    reader makes changes for the same input."""

    name: str = ""
    version: str = "1"
    extensions: tuple[str, ...] = ()

    def configure(self, config) -> None:
        """Takes what it needs from the site's configuration (SiteConfig) before any file is read."""

    def key(self) -> str:
        """Name, version and the settings its output depends on: part of each document's cache key."""
        return f"{self.name}:{self.version}"

    def split(self, text: str) -> Split:
        return split_front_matter(text)

    def render(self, body: str, rel: str) -> Rendered:
        raise NotImplementedError


def split_front_matter(text: str) -> Split:
    """YAML front matter between a first line '---' and the next '---' (or '...') line; none without it."""
    if not text.startswith("---"):
        return Split(None, text, 1)
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return Split(None, text, 1)
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return Split("\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2)
    raise SplitError(1, 1, "front matter starts with '---' but never ends",
                     "close it with a line containing only '---'")


def resolve_links(rendered: Rendered, resolve, image=None) -> str:
    """Swaps link markers for URLs; `resolve(link) -> str` decides each one (and may warn). An image's marker
    becomes `image(link, url) -> html`, by default a plain <img> of that URL."""
    if not rendered.links:
        return rendered.html
    urls = [resolve(link) for link in rendered.links]
    if image is None:
        from ..figures import img_html
        image = lambda link, url: img_html(url, link.image or Image())  # noqa: E731

    def swap(m) -> str:
        n = int(m.group(2))
        if m.group(1) == "image":
            return image(rendered.links[n], urls[n])
        return escape(urls[n])
    return MARKER.sub(swap, rendered.html)


__all__ = ["Block", "Image", "Link", "Reader", "Rendered", "Split", "SplitError", "resolve_links", "split_front_matter"]
