"""The Markdown reader: `.md` files through mlfolio's Markdown pipeline (markdown.py), with what plugins add to
it: filters over its event list and handlers for fenced blocks (```mermaid), and the site's LaTeX macros."""
from __future__ import annotations

import hashlib
import json

from markupsafe import Markup

from .. import markdown, math
from . import Reader, Rendered


class MarkdownReader(Reader):
    name = "markdown"
    version = markdown.RENDERER_VERSION
    extensions = (".md", ".markdown")

    def __init__(self, ext: markdown.Extensions | None = None):
        self.ext = ext or markdown.Extensions()      # the registry's: plugins registered later show up here
        self._use(math.NO_MACROS)

    def configure(self, config) -> None:
        self._use(math.site_macros(config.math.macros))

    def _use(self, macros: math.Macros) -> None:
        """The math engine and the macros enter the key: changing a macro in mlfolio.yml re-renders the posts."""
        self.macros = macros
        digest = hashlib.blake2b(json.dumps(macros).encode(), digest_size=8).hexdigest()
        self._key = f"{self.name}:{self.version}:{math.ENGINE}:{digest}"

    def key(self) -> str:
        return self._key

    def render(self, body: str, rel: str) -> Rendered:
        return markdown.render_markdown(body, rel, self.ext, self.macros)

    def html(self, text: str, link=None) -> Markup:
        """Markdown from profile.yml (a bio, a job description) as HTML; `link` maps the URLs it links to."""
        return Markup(markdown.render_fragment(text, self.ext, link, self.macros)) if text else Markup("")

    def inline(self, text: str, link=None) -> Markup:
        """One line of Markdown (a news item) without the wrapping <p>."""
        return Markup(markdown.render_inline(text, self.ext, link, self.macros))

    def preload(self) -> None:
        """Sets the pipeline up once, before worker processes fork, instead of once in each."""
        markdown.preload(self.ext)
