"""posts/ and pages/ → Post and Page dataclasses: front matter validated with positions, drafts, dates, slugs.

Files are read by the reader registered for their extension (readers/); a file no reader claims is not content.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .schema import read_text
from . import bundles
from .errors import Problems
from .paths import IGNORED_DIRS
from .readers import SplitError
from .schema import Reader, compose, opt

_FILENAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")


@dataclass
class PostMeta:
    title: str = opt(doc="Post title (required).")
    date: dt.date | None = opt(None, "Publication date YYYY-MM-DD; optional when the file name starts with it.")
    updated: dt.date | None = opt(None, "Date of the last meaningful update.")
    tags: list[str] = opt([], "Tags: `[pytorch, llm]`.")
    summary: str = opt("", "One or two sentences for lists, the feed and the meta description.")
    draft: bool = opt(False, "Built only with `--drafts` (and in `serve`).")
    slug: str = opt("", "URL name; default: the file name without its date.")
    image: str = opt("", "Social-card image: a path under static/, a file of the post's bundle by its name, or a URL "
                     "(a missing file is a warning).", url=True)
    canonical_url: str = opt("", "Where the post was first published, when it is a cross-post: the page's canonical link points there.", url=True)
    toc: bool = opt(True, "Show the table of contents.")
    comments: bool = opt(True, "Show comments under this post (when mlfolio.yml has `comments:`).")
    bibliography: str = opt("", "A .bib file, relative to this file, that `[@key]` citations may use besides the site's.")
    extra: dict[str, Any] = opt({}, "Anything else (`authors:`, `venue:` …), passed to templates untouched as `post.extra`.")


@dataclass
class PageMeta:
    title: str = opt(doc="Page title (required).")
    menu: int | None = opt(None, "Show in the header menu at this position (lower first).")
    description: str = opt("", "Meta description.")
    slug: str = opt("", "URL path; default: the file's path under pages/.")
    draft: bool = opt(False, "Built only with `--drafts`.")
    toc: bool = opt(False, "Show a table of contents.")
    image: str = opt("", "Social-card image (path under static/ or URL).", url=True)
    bibliography: str = opt("", "A .bib file, relative to this file, that `[@key]` citations may use besides the site's.")
    extra: dict[str, Any] = opt({}, "Anything else, passed to templates untouched as `doc.extra`.")


@dataclass
class TocEntry:
    level: int = opt(doc="2 for h2, 3 for h3.")
    id: str = opt(doc="The heading's anchor.")
    title: str = opt(doc="The heading's text.")


@dataclass
class Document:
    """What posts and pages share: the file, its body, and what its reader and the site model add."""

    source: Path = opt(doc="The file.")
    rel: str = opt(doc="Its path in the site folder: `posts/2024-05-01-hello.md`.")
    body: str = opt(doc="The text after the front matter.")
    body_line: int = opt(doc="Line of the file where the body starts.")
    digest: str = opt(doc="Hash of reader, plugins, path and body: the key of the rendered-body cache.")
    text_digest: str = opt("", "Hash of the whole file.")
    reader: str = opt("markdown", "Name of the reader that read it.")
    slug: str = opt("", "URL name.")
    url: str = opt("", "Its URL path, base path included: `/blog/hello/`.")
    html: Markup = opt(Markup(""), "The body as HTML (links resolved).")
    toc: list[TocEntry] = opt([], "Table of contents: entries with `level`, `id`, `title`.")
    excerpt: str = opt("", "The first paragraph as plain text (280 characters at most).")
    words: int = opt(0, "Number of words.")
    features: list[str] = opt([], "What its page needs from the theme ('code', 'math', 'mermaid' …), as `page.features`.")
    assets: dict[str, Path] = opt({}, "Files published beside its page: name -> source file.")
    image_files: dict[str, Path] = opt({}, "Smaller copies of its images (output path -> cached file), published with it.")
    fingerprint: str = opt("", "Hash of what templates can see of it (for page reuse).")

    @property
    def reading_minutes(self) -> int:
        """Reading time at 230 words a minute, at least 1."""
        return max(1, round(self.words / 230))

    @property
    def extra(self) -> dict:
        """The front matter's `extra:` mapping, untouched."""
        return self.meta.extra

    def dependency_key(self) -> str:
        """How a page's context digest counts this document: by path and by what templates can see of it."""
        return f"doc:{self.rel}:{self.fingerprint}"


@dataclass
class Post(Document):
    """A post (`post` in post.html, items of `posts` everywhere)."""

    meta: PostMeta = opt(lambda: PostMeta(title=""), "The front matter as written (see Post front matter).")
    date: dt.date = opt(dt.date(1970, 1, 1), "Publication date.")
    tags: list = opt([], "Its tags (see `Tag`).")
    social_image: str = opt("", "Site path of a PNG made from an SVG `image` (social sites ignore SVG), or ''.")

    @property
    def title(self) -> str:
        """`title` of the front matter."""
        return self.meta.title

    @property
    def updated(self):
        """`updated` of the front matter, or None."""
        return self.meta.updated

    @property
    def summary(self) -> str:
        """`summary` of the front matter, or ''."""
        return self.meta.summary

    @property
    def image(self) -> str:
        """`image` of the front matter: a site path (a bundle's file too) or URL, or ''."""
        return self.meta.image

    @property
    def draft(self) -> bool:
        """True for drafts (shown only with --drafts and in serve)."""
        return self.meta.draft

    @property
    def description(self) -> str:
        """`summary` when set, else the excerpt: what lists, feeds and meta descriptions show."""
        return self.meta.summary or self.excerpt

    @property
    def external(self) -> bool:
        """False: a post of this site (an `ExternalPost` in the same list has True)."""
        return False


@dataclass
class Page(Document):
    """A page from pages/ (`doc` in page.html)."""

    meta: PageMeta = opt(lambda: PageMeta(title=""), "The front matter as written (see Page front matter).")

    @property
    def title(self) -> str:
        """`title` of the front matter."""
        return self.meta.title

    @property
    def description(self) -> str:
        """`description` of the front matter, else the excerpt."""
        return self.meta.description or self.excerpt


_SYMBOLS = {"+": "plus", "#": "sharp", "&": "and", "@": "at", "%": "percent"}
_LETTERS = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ı": "i"}
SLUG_CHARS, SLUG_BYTES = 80, 200       # file names may hold 255 bytes; keep room for '.html' and friends
_ASCII_SYMBOLS = re.compile("[" + re.escape("".join(_SYMBOLS)) + "]")
_ASCII_NON_WORD = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=16384)
def slugify(text: str) -> str:
    """Lowercase words joined by dashes. Accents are dropped from Latin letters ('Héllo' → 'hello'), other
    scripts are kept ('日本語', 'русский'), symbols are named ('C++' → 'c-plus-plus', '🔥' → 'fire'), so
    distinct names get distinct URLs. Long names are cut; a name with nothing to keep gets a short hash."""
    if text.isascii():               # most file names and tags: the same result, ten times faster
        lower = _ASCII_SYMBOLS.sub(lambda m: f"-{_SYMBOLS[m.group()]}-", text.lower())
        return _cut(_ASCII_NON_WORD.sub("-", lower).strip("-"), text)
    out = []
    for ch in unicodedata.normalize("NFKC", text).lower():
        base = unicodedata.normalize("NFKD", ch)
        if base[:1].isascii() and base[:1].isalpha():  # a Latin letter, perhaps with accents: keep the letter
            out.append("".join(c for c in base if c.isascii()))
        elif ch in _LETTERS:
            out.append(_LETTERS[ch])
        elif ch in _SYMBOLS:
            out.append(f"-{_SYMBOLS[ch]}-")
        elif ch.isalnum():
            out.append(ch)
        elif unicodedata.category(ch) == "So":         # emoji and other pictographs
            out.append("-" + unicodedata.name(ch, "").lower().replace(" ", "-") + "-")
        else:
            out.append("-")
    return _cut(re.sub(r"-+", "-", "".join(out)).strip("-"), text)


def _cut(slug: str, text: str) -> str:
    if len(slug) > SLUG_CHARS or len(slug.encode()) > SLUG_BYTES:
        cut = slug[:SLUG_CHARS]
        while len(cut.encode()) > SLUG_BYTES:
            cut = cut[:-1]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[SLUG_CHARS // 2:] else cut).strip("-")
    return slug or "x-" + hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


def read_document(path: Path, site_dir: Path, meta_cls, problems: Problems, reader, signature: str):
    """Reads one content file with its reader and validates its front matter; None when it has errors."""
    rel = path.relative_to(site_dir).as_posix()
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        split = reader.split(text)
    except SplitError as exc:
        (problems.warn if exc.warning else problems.error)(path, exc.line, exc.col, exc.message, exc.hint)
        return None
    if split.front_matter is None:
        problems.error(path, 1, 1, "no front matter", "start the file with '---', 'title: ...', '---'")
        return None
    before = len(problems.errors)
    offset = split.front_matter_line - 1
    node = compose(split.front_matter, path, problems, line_offset=offset)
    if node is None and len(problems.errors) == before:
        problems.error(path, 1, 1, "front matter is empty", "add at least 'title: ...' between the '---' lines")
    if node is None:
        return None
    meta = Reader(path, problems, line_offset=offset).read(meta_cls, node)
    if meta is None or len(problems.errors) > before:
        return None
    body = split.body
    key = f"{reader.key()}:{signature}\0{rel}\0{body}"
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    text_digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return dict(source=path, rel=rel, body=body, body_line=split.body_line, digest=digest,
                text_digest=text_digest, reader=reader.name, meta=meta)


def load_post(path: Path, site_dir: Path, problems: Problems, reader, signature: str = "") -> Post | None:
    got = read_document(path, site_dir, PostMeta, problems, reader, signature)
    if got is None:
        return None
    meta = got["meta"]
    name = bundles.post_name(path, site_dir)
    m = _FILENAME_DATE.match(name)
    date = meta.date
    if date is None and m:
        try:
            date = dt.date.fromisoformat(m.group(1))
        except ValueError:
            problems.error(path, None, None, f"file name date '{m.group(1)}' is not a real date",
                           "rename the file or set 'date:' in the front matter")
            return None
    if date is None:
        problems.error(path, 2, 1, "missing 'date'",
                       "add 'date: YYYY-MM-DD' to the front matter or name the file YYYY-MM-DD-slug.md")
        return None
    if isinstance(date, dt.datetime):
        date = date.date()
    slug = slugify(meta.slug) if meta.slug else slugify(m.group(2) if m else name)
    return Post(**got, slug=slug, date=date)


def load_page(path: Path, site_dir: Path, problems: Problems, reader, signature: str = "") -> Page | None:
    got = read_document(path, site_dir, PageMeta, problems, reader, signature)
    if got is None:
        return None
    meta = got["meta"]
    if meta.slug:
        slug = "/".join(slugify(part) for part in meta.slug.strip("/").split("/"))
    else:
        under = path.relative_to(site_dir / "pages").with_suffix("")
        parts = [slugify(p) for p in under.parts]
        if parts[-1] == "index":
            parts = parts[:-1]
        slug = "/".join(parts)
    return Page(**got, slug=slug)


LOADERS = {"posts": load_post, "pages": load_page}


def load_document(path: Path, site_dir: Path, problems: Problems, registry) -> Post | Page | None:
    """A post or a page, by the folder it is in, read by the reader of its extension."""
    kind = path.relative_to(site_dir).parts[0]
    return LOADERS[kind](path, site_dir, problems, registry.reader_for(path), registry.signature())


def content_files(folder: Path, registry) -> list[Path]:
    """Files under `folder` that a registered reader reads; hidden and `_`-prefixed names are skipped. Of a
    page bundle (posts/x/index.md) only the index is content: the rest are its files (bundles.py)."""
    out = []
    bundles_here = folder.name in bundles.FOLDERS
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_")) and d not in IGNORED_DIRS]
        index = bundles.index_file(names, registry.readers) if bundles_here and root != str(folder) else None
        if index is not None:
            dirs[:] = []
            out.append(Path(root, index))
            continue
        for name in names:
            if not name.startswith((".", "_")) and os.path.splitext(name)[1].lower() in registry.readers:
                out.append(Path(root, name))
    return sorted(out)


def load_posts(site_dir: Path, problems: Problems, drafts: bool, registry) -> list[Post]:
    """All posts, newest first; drafts only when asked."""
    files = content_files(site_dir / "posts", registry)
    posts = [p for f in files if (p := load_document(f, site_dir, problems, registry))]
    return newest_first(p for p in posts if drafts or not p.draft)


def newest_first(posts) -> list[Post]:
    """The order of every post list: by date, newest first; the path breaks ties so builds are stable."""
    return sorted(posts, key=lambda p: (p.date, p.rel), reverse=True)


def load_pages(site_dir: Path, problems: Problems, drafts: bool, registry) -> list[Page]:
    files = content_files(site_dir / "pages", registry)
    pages = [p for f in files if (p := load_document(f, site_dir, problems, registry))]
    return [p for p in pages if drafts or not p.meta.draft]
