"""posts/ and pages/ → Post and Page dataclasses: front matter validated with positions, drafts, dates, slugs."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .config import read_text
from .errors import Problems
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
    image: str = opt("", "Social-card image (path under static/ or URL).")
    toc: bool = opt(True, "Show the table of contents.")


@dataclass
class PageMeta:
    title: str = opt(doc="Page title (required).")
    menu: int | None = opt(None, "Show in the header menu at this position (lower first).")
    description: str = opt("", "Meta description.")
    slug: str = opt("", "URL path; default: the file's path under pages/.")
    draft: bool = opt(False, "Built only with `--drafts`.")
    toc: bool = opt(False, "Show a table of contents.")
    image: str = opt("", "Social-card image.")


@dataclass
class TocEntry:
    level: int
    id: str
    title: str


@dataclass
class Document:
    """What posts and pages share: the file, its body, and what the Markdown stage adds."""

    source: Path
    rel: str                       # site-relative posix path: 'posts/2024-05-01-hello.md'
    body: str
    body_line: int                 # line number of the body's first line in the file
    digest: str                    # hash of path + body: the key of the Markdown cache
    text_digest: str = ""          # hash of the whole file: front matter changes count too
    slug: str = ""
    url: str = ""                  # set by site.py: '/blog/hello/' (with base path)
    html: Markup = Markup("")
    toc: list[TocEntry] = field(default_factory=list)
    excerpt: str = ""
    words: int = 0

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.words / 230))


@dataclass
class Post(Document):
    meta: PostMeta = field(default_factory=lambda: PostMeta(title=""))
    date: dt.date = dt.date(1970, 1, 1)
    tags: list = field(default_factory=list)   # list[Tag], filled by site.py

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def updated(self):
        return self.meta.updated

    @property
    def summary(self) -> str:
        return self.meta.summary

    @property
    def image(self) -> str:
        return self.meta.image

    @property
    def draft(self) -> bool:
        return self.meta.draft

    @property
    def description(self) -> str:
        return self.meta.summary or self.excerpt


@dataclass
class Page(Document):
    meta: PageMeta = field(default_factory=lambda: PageMeta(title=""))

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def description(self) -> str:
        return self.meta.description or self.excerpt


def slugify(text: str) -> str:
    """ASCII, lowercase, dash-separated: stable URLs whatever the title's script."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[-_\s]+", "-", text).strip("-") or "untitled"


def split_front_matter(text: str, path: Path, problems: Problems):
    """Returns (yaml text or None, body, body_line); front matter is the block between the first two '---' lines."""
    if not text.startswith("---"):
        return None, text, 1
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    problems.error(path, 1, 1, "front matter starts with '---' but never ends",
                   "close it with a line containing only '---'")
    return None, None, 1


def read_document(path: Path, site_dir: Path, meta_cls, problems: Problems):
    """Reads one Markdown file and validates its front matter; None when it has errors."""
    rel = path.relative_to(site_dir).as_posix()
    text = read_text(path, problems)
    if text is None:
        return None
    fm, body, body_line = split_front_matter(text, path, problems)
    if body is None:
        return None
    before = len(problems.errors)
    reader = Reader(path, problems, line_offset=1)
    if fm is None:
        problems.error(path, 1, 1, "no front matter", "start the file with '---', 'title: ...', '---'")
        return None
    node = compose(fm, path, problems, line_offset=1)
    if node is None and len(problems.errors) == before:
        problems.error(path, 1, 1, "front matter is empty", "add at least 'title: ...' between the '---' lines")
    if node is None:
        return None
    meta = reader.read(meta_cls, node)
    if meta is None or len(problems.errors) > before:
        return None
    digest = hashlib.blake2b(f"{rel}\0{body}".encode(), digest_size=16).hexdigest()
    text_digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return rel, meta, body, body_line, (digest, text_digest), reader


def load_post(path: Path, site_dir: Path, problems: Problems) -> Post | None:
    got = read_document(path, site_dir, PostMeta, problems)
    if got is None:
        return None
    rel, meta, body, body_line, (digest, text_digest), reader = got
    m = _FILENAME_DATE.match(path.stem)
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
    slug = slugify(meta.slug) if meta.slug else slugify(m.group(2) if m else path.stem)
    return Post(source=path, rel=rel, body=body, body_line=body_line, digest=digest, text_digest=text_digest,
                slug=slug, meta=meta, date=date)


def load_page(path: Path, site_dir: Path, problems: Problems) -> Page | None:
    got = read_document(path, site_dir, PageMeta, problems)
    if got is None:
        return None
    rel, meta, body, body_line, (digest, text_digest), _ = got
    if meta.slug:
        slug = "/".join(slugify(part) for part in meta.slug.strip("/").split("/"))
    else:
        under = path.relative_to(site_dir / "pages").with_suffix("")
        parts = [slugify(p) for p in under.parts]
        if parts[-1] == "index":
            parts = parts[:-1]
        slug = "/".join(parts)
    return Page(source=path, rel=rel, body=body, body_line=body_line, digest=digest, text_digest=text_digest,
                slug=slug, meta=meta)


def markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.md") if p.is_file() and not any(
        part.startswith((".", "_")) for part in p.relative_to(folder).parts))


def load_posts(site_dir: Path, problems: Problems, drafts: bool) -> list[Post]:
    """All posts, newest first; drafts only when asked."""
    posts = [p for f in markdown_files(site_dir / "posts") if (p := load_post(f, site_dir, problems))]
    return newest_first(p for p in posts if drafts or not p.draft)


def newest_first(posts) -> list[Post]:
    """The order of every post list: by date, newest first; the path breaks ties so builds are stable."""
    return sorted(posts, key=lambda p: (p.date, p.rel), reverse=True)


def load_pages(site_dir: Path, problems: Problems, drafts: bool) -> list[Page]:
    pages = [p for f in markdown_files(site_dir / "pages") if (p := load_page(f, site_dir, problems))]
    return [p for p in pages if drafts or not p.meta.draft]
