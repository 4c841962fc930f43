"""The Markdown reader: `.md` files through mlfolio's Markdown pipeline (markdown.py), with the Markdown
extensions plugins add (functions over its event list)."""
from __future__ import annotations

from markupsafe import Markup

from .. import markdown
from . import Reader, Rendered


class MarkdownReader(Reader):
    name = "markdown"
    version = markdown.RENDERER_VERSION
    extensions = (".md", ".markdown")

    def __init__(self, plugins: tuple = ()):
        self.plugins = tuple(plugins)

    def render(self, body: str, rel: str) -> Rendered:
        return markdown.render_markdown(body, rel, self.plugins)

    def html(self, text: str, link=None) -> Markup:
        """Markdown from profile.yml (a bio, a job description) as HTML; `link` maps the URLs it links to."""
        return Markup(markdown.render_fragment(text, self.plugins, link)) if text else Markup("")

    def inline(self, text: str, link=None) -> Markup:
        """One line of Markdown (a news item) without the wrapping <p>."""
        return Markup(markdown.render_inline(text, self.plugins, link))

    def preload(self) -> None:
        """Sets the pipeline up once, before worker processes fork, instead of once in each."""
        markdown.preload(self.plugins)
