"""A reading list for mlfolio: a `.txt` reader, a `reading` source and a `/reading-list/` page.

Put this file in your site's plugins/ folder, its template in plugins/reading_templates/, and in mlfolio.yml:

    plugins: [plugins/reading.py]
    reading:                       # the source's settings
      user: ada
      api_url: https://books.example/api
    reading_list:                  # the plugin's own settings
      title: What I read
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from mlfolio.contexts import PageInfo
from mlfolio.plugins import Plugin
from mlfolio.projects import CardSection, Project, SourceView, Stat
from mlfolio.readers import Block, Reader, Rendered
from mlfolio.remote.snapshot import now_iso, safe_url
from mlfolio.routes import Output, Route, page_info
from mlfolio.schema import opt
from mlfolio.sources import Source


class TextReader(Reader):
    """Plain-text posts and pages: front matter as in Markdown, then paragraphs separated by blank lines."""

    name = "plaintext"
    version = "1"
    extensions = (".txt",)

    def render(self, body: str, rel: str) -> Rendered:
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        html = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
        html += '<p><a href="source.txt">As plain text</a></p>\n'      # a file of its own, beside the page
        return Rendered(html, excerpt=paragraphs[0] if paragraphs else "", words=len(body.split()),
                        files={"source.txt": body.encode()})


def book_emoji(events):
    """A Markdown extension: ':book:' in text becomes 📚."""
    return [({"Text": e["Text"].replace(":book:", "\N{BOOKS}")}, span) if isinstance(e, dict) and "Text" in e
            else (e, span) for e, span in events]


def shelf(code: str, info: str) -> Block:
    """```shelf blocks: one title per line, shown as a shelf (the page then loads the 'shelf' feature)."""
    books = "".join(f"<li>{escape(line.strip())}</li>" for line in code.splitlines() if line.strip())
    return Block(f'<ul class="shelf">{books}</ul>\n', features=("shelf",))


@dataclass
class ReadingSettings:
    user: str = opt("", "Whose reading list; empty turns the source off.")
    api_url: str = opt("https://books.example/api", "API base URL; env MLFOLIO_READING_API_URL wins.")
    limit: int = opt(10, "At most this many books.")


class ReadingSource(Source):
    """Books from a JSON API: GET {api_url}/users/{user}/books → [{title, author, url, rating}]."""

    name = "reading"
    label = "Reading"
    settings = ReadingSettings
    api_env = "MLFOLIO_READING_API_URL"

    def fetch(self, http, settings, user, credentials) -> dict:
        answer = http.get_json(f"{settings.api_url.rstrip('/')}/users/{user}/books")
        books = [b for b in answer.data if isinstance(b, dict) and isinstance(b.get("title"), str)]
        return {"user": user, "fetched_at": now_iso(), "books": [
            {"title": b["title"], "author": str(b.get("author") or ""), "url": safe_url(b.get("url")),
             "rating": b.get("rating") if isinstance(b.get("rating"), int) else None} for b in books]}

    def view(self, data, settings, user, status) -> SourceView:
        books = data.get("books", [])[:settings.limit]
        cards = [Project(kind="book", title=b["title"], description=b["author"], url=b["url"], source=self.name,
                         kind_label="Book", icon="file",
                         stats=[Stat("rating", b["rating"], f"{b['rating']}/5", "Rating")] if b["rating"] else [])
                 for b in books]
        return SourceView(self.name, self.label, user, status, sections=[CardSection("reading", "Reading", cards)],
                          totals=[Stat("books", len(books), str(len(books)), "Books read", "file")] if books else [],
                          data=data)

    def summary(self, data, view) -> str:
        return f"{len(data.get('books', []))} books"


@dataclass
class ReadingListSettings:
    title: str = opt("Reading list", "Title of the /reading-list/ page.")


@dataclass
class ReadingListContext:
    page: PageInfo = opt(doc="See `page`.")
    books: list = opt([], "The books (each has title, author, url, rating).")


def reading_list(site):
    view = site.sources.get("reading")
    title = site.settings("reading_list").title
    yield Output("reading-list/", ReadingListContext(page_info(site, "reading_list", title, "reading-list/"),
                                                     view.data.get("books", []) if view else []))


def write_book_count(site, folder) -> None:
    """A post-build step: adds a file next to the pages."""
    view = site.sources.get("reading")
    (folder / "reading-count.txt").write_text(f"{len(view.data.get('books', [])) if view else 0}\n")


plugin = Plugin(
    name="reading_list", version="1.0", settings=ReadingListSettings,
    readers=[TextReader()], sources=[ReadingSource()],
    routes=[Route("reading_list", "/reading-list/", "reading.html", reading_list, ReadingListContext,
                  menu=("Reading", 40), doc="Books from the reading source.")],
    templates="reading_templates",
    filters={"stars": lambda n: "★" * int(n or 0)},
    markdown=[book_emoji], fences={"shelf": shelf},
    post_build=[write_book_count],
)
