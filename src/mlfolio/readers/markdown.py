"""The Markdown reader: `.md` files through mlfolio's Markdown pipeline (markdown.py), with what plugins add to
it: filters over its event list and handlers for fenced blocks (```mermaid)."""
from __future__ import annotations

from markupsafe import Markup

from .. import markdown
from . import Reader, Rendered


class MarkdownReader(Reader):
    name = "markdown"
    version = markdown.RENDERER_VERSION
    extensions = (".md", ".markdown")

    def __init__(self, ext: markdown.Extensions | None = None):
        self.ext = ext or markdown.Extensions()      # the registry's: plugins registered later show up here

    def render(self, body: str, rel: str) -> Rendered:
        return markdown.render_markdown(body, rel, self.ext)

    def html(self, text: str, link=None) -> Markup:
        """Markdown from profile.yml (a bio, a job description) as HTML; `link` maps the URLs it links to."""
        return Markup(markdown.render_fragment(text, self.ext, link)) if text else Markup("")

    def inline(self, text: str, link=None) -> Markup:
        """One line of Markdown (a news item) without the wrapping <p>."""
        return Markup(markdown.render_inline(text, self.ext, link))

    def preload(self) -> None:
        """Sets the pipeline up once, before worker processes fork, instead of once in each."""
        markdown.preload(self.ext)
