"""Markdown → HTML: CommonMark with tables, footnotes, task lists, strikethrough and `$math$`, heading anchors,
MathML math and Pygments code.

Parsing is pulldown-cmark's (the Rust parser of rustdoc, mdBook and Zola, through `pyromark`): it hands over
a flat list of events (start of a paragraph, some text, end of a link …) with their offsets, and the
renderer below turns them into HTML in one pass. It was six times faster than markdown-it-py, whose
parsing was half of a clean build. Plugins' Markdown extensions are functions over that event list.

Used by the Markdown reader (readers/markdown.py) for documents and by the site model for Markdown in
profile.yml.
"""
from __future__ import annotations

import bisect
import posixpath
import re
from functools import lru_cache
from html import escape
from urllib.parse import quote, unquote

from dataclasses import dataclass, field
from typing import Callable

from .readers import Block, Link, Rendered

RENDERER_VERSION = "9"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ENTITY = re.compile(r"&amp;(#x?[0-9A-Fa-f]+;)")


@lru_cache(maxsize=None)
def _lexer(lang: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound
    try:
        return get_lexer_by_name(lang, stripnl=False)
    except ClassNotFound:
        return None


def _spans(code: str, lexer) -> str:
    """Pygments tokens as `<span class="k">…</span>`, the classes and CSS of Pygments' HtmlFormatter, without
    its per-line machinery (a third of the time highlighting took); runs of one class are merged."""
    from pygments.token import STANDARD_TYPES

    out, run, run_class = [], [], None
    for ttype, value in lexer.get_tokens(code):
        css = STANDARD_TYPES.get(ttype)
        while css is None:
            ttype = ttype.parent
            css = STANDARD_TYPES.get(ttype)
        if css != run_class and run:
            text = escape("".join(run), quote=False)
            out.append(f'<span class="{run_class}">{text}</span>' if run_class else text)
            run = []
        run_class = css
        run.append(value)
    if run:
        text = escape("".join(run), quote=False)
        out.append(f'<span class="{run_class}">{text}</span>' if run_class else text)
    return "".join(out)


def highlight(code: str, lang: str, attrs: str) -> str:
    return _highlight(code, (lang or "").strip().lower())


@lru_cache(maxsize=2048)
def _highlight(code: str, lang: str) -> str:
    """Memoised: snippets recur across posts (an install line, a training loop), and the lexer is most of a
    post's rendering time."""
    lexer = _lexer(lang) if lang else None
    label = f' data-lang="{escape(lang)}"' if lang else ""
    if lexer is None:
        return f'<pre class="highlight" tabindex="0"{label}><code>{escape(code)}</code></pre>\n'
    body = _spans(code, lexer)
    return f'<pre class="highlight" tabindex="0"{label}><code class="language-{escape(lang)}">{body}</code></pre>\n'


@lru_cache(maxsize=4096)
def _mathml(latex: str, display: bool) -> tuple[str, str]:
    """LaTeX → MathML, memoised (the same short formulas recur across posts): (html, error)."""
    from xml.etree.ElementTree import tostring

    from latex2mathml.converter import convert_to_element
    try:
        element = convert_to_element(latex, display="block" if display else "inline")
        # latex2mathml's own convert() unescapes its whole output, so `\text{</math><script>}` came out as
        # markup; serialise escaped and restore only the numeric entities it writes for symbols
        mathml = _ENTITY.sub(r"&\1", tostring(element, encoding="unicode"))
    except Exception as exc:  # latex2mathml raises many exception types for bad LaTeX
        tag = "pre" if display else "code"
        return (f'<{tag} class="math-error">{escape(latex)}</{tag}>',
                f"math could not be typeset: {exc.__class__.__name__} {exc}".strip())
    if display:
        return f'<div class="math-display">{mathml}</div>\n', ""
    return mathml, ""


OPTIONS = None            # pyromark options, set on first use (the import is lazy: small sites may not need it)
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|file|data):", re.I)
_GOOD_DATA = re.compile(r"^\s*data:image/(gif|png|jpeg|webp);", re.I)
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
_STRAY_MATH = re.compile(r"\$\$|\$\\[A-Za-z]")   # '$$' or '$\frac' left in text: math the parser refused
_BLOCK_ENDS = {"Paragraph": "</p>\n", "BlockQuote": "</blockquote>\n", "Item": "</li>\n", "TableHead": "</tr>\n</thead>\n",
               "TableRow": "</tr>\n", "Emphasis": "</em>", "Strong": "</strong>", "Strikethrough": "</s>",
               "Link": "</a>", "HtmlBlock": ""}


@dataclass
class Extensions:
    """What plugins add to Markdown: filters over the event list, and fence handlers by language
    (```mermaid → fences['mermaid'](code, info) -> Block)."""

    filters: list[Callable] = field(default_factory=list)
    fences: dict[str, Callable] = field(default_factory=dict)


NO_EXTENSIONS = Extensions()


def events(text: str, filters=()) -> list:
    """The parse of `text`: [(event, {"start", "end"}), …], after each plugin's filter."""
    global OPTIONS
    import pyromark
    if OPTIONS is None:
        o = pyromark.Options
        OPTIONS = o.ENABLE_TABLES | o.ENABLE_FOOTNOTES | o.ENABLE_STRIKETHROUGH | o.ENABLE_TASKLISTS | o.ENABLE_MATH
    found = pyromark.events_with_range(text, options=OPTIONS)
    for plugin in filters:
        found = plugin(list(found))
    return list(found)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _href(url: str) -> str:
    return _esc(quote(url, safe=_URL_SAFE))


def _anchor(title: str, used: set[str]) -> str:
    """GitHub-style heading ids (as markdown-it-anchors made them), unique in the page: 'results', 'results-1'."""
    slug = re.sub(r"[^\w\u4e00-\u9fff\- ]", "", title.lower().replace(" ", "-"))
    unique, n = slug, 1
    while unique in used:
        unique, n = f"{slug}-{n}", n + 1
    used.add(unique)
    return unique


class _Renderer:
    """One pass over the events. `local(url, start)` decides what a link to a local file becomes (a marker
    for documents, resolved later; the URL itself for fragments of profile.yml)."""

    def __init__(self, text: str, local, ext: Extensions = NO_EXTENSIONS):
        self.text = text
        self.local = local
        self.ext = ext
        self.features: set[str] = set()
        self.out: list[str] = []
        self.ends: list[str] = []                 # closing tags of open elements
        self.toc: list[tuple[int, str, str]] = []
        self.words = 0
        self.excerpt: str | None = None
        self.problems: list[tuple[int, str, str]] = []
        self._lines: list[int] | None = None
        self._plain: list[str] | None = None      # plain text being collected (heading, image alt, excerpt)
        self._heading: tuple[int, int] | None = None
        self._ids: set[str] = set()
        self._lists: list[int] = []                # out index of each open list's opening tag
        self._item: int | None = None              # out index of the newest <li>
        self._table: list = []
        self._code: list[str] | None = None
        self._image: dict | None = None
        self._paragraph: int | None = None
        self._notes: dict[str, list[str]] = {}
        self._note_order: list[str] = []
        self._note_refs: dict[str, int] = {}
        self._note_buffer: list | None = None

    def line(self, offset: int) -> int:
        if self._lines is None:
            self._lines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._lines, offset) + 1

    # -- text ------------------------------------------------------------------------------------------------

    def _text(self, text: str) -> None:
        self._run.append(text)                    # counted at the end of the block: the parser splits words
        if self._plain is not None:
            self._plain.append(text)
        if self._excerpt_on:
            self._excerpt_parts.append(text)

    def run(self, found) -> None:
        self._excerpt_on, self._excerpt_parts, self._run = False, [], []
        for event, span in found:
            out = self.out                       # a footnote's definition is written to a list of its own
            if isinstance(event, str):
                if event == "SoftBreak":
                    out.append("\n")
                    self._text(" ")
                elif event == "HardBreak":
                    out.append("<br />\n")
                    self._text(" ")
                elif event == "Rule":
                    out.append("<hr />\n")
                continue
            (kind, value), = event.items()
            if kind == "Text":
                if self._code is not None:
                    self._code.append(value)
                elif self._image is not None:
                    self._image["alt"].append(value)
                else:
                    out.append(_esc(value))
                    self._text(value)
                    if self._paragraph is not None:
                        self._para_text.append(value)
            elif kind == "Start":
                self._start(value, span)
            elif kind == "End":
                if self._run:
                    self.words += len("".join(self._run).split())
                    self._run = []
                self._end(value)
            elif kind == "Code":
                if self._image is not None:
                    self._image["alt"].append(value)
                else:
                    out.append(f"<code>{_esc(value)}</code>")
                    self._text(value)
            elif kind == "InlineMath":
                out.append(self._math(value, False, span))
                self._run.append(value)
                if self._excerpt_on:
                    self._excerpt_parts.append(value)
            elif kind == "DisplayMath":
                self._display(value, span)
            elif kind in ("Html", "InlineHtml"):
                out.append(value)
            elif kind == "FootnoteReference":
                out.append(self._note_ref(value))
            elif kind == "TaskListMarker":
                self._task(value)

    def _math(self, latex: str, display: bool, span) -> str:
        self.features.add("math")
        html, error = _mathml(latex.strip(), display)
        if error:
            self.problems.append((self.line(span["start"]), error, "check the LaTeX between the $ signs"))
        return html

    def _display(self, latex: str, span) -> None:
        """Display math is a block: alone in its paragraph it replaces it; inside a sentence the paragraph is
        closed before it and opened again after (a <div> never sits inside a <p>)."""
        html = self._math(latex, True, span)
        self.words += len(latex.split())
        if self._paragraph is not None and self.ends and self.ends[-1] == "</p>\n":
            if len(self.out) == self._paragraph + 1:          # nothing yet in this paragraph
                self.out[self._paragraph] = ""
            else:
                self.out.append("</p>\n")
            self.out.append(html)
            self._paragraph = len(self.out)
            self.out.append("<p>")
        else:
            self.out.append(html)

    # -- blocks and spans -------------------------------------------------------------------------------------

    def _start(self, tag, span) -> None:
        out = self.out
        if isinstance(tag, str):
            if tag == "Paragraph":
                self._paragraph = len(out)
                self._para_text, self._para_start = [], span["start"]
                out.append("<p>")
                if self.excerpt is None and self._note_buffer is None:
                    self._excerpt_on = True
            elif tag == "Item":
                self._item = len(out)
                out.append("<li>")
            elif tag == "Emphasis":
                out.append("<em>")
            elif tag == "Strong":
                out.append("<strong>")
            elif tag == "Strikethrough":
                out.append("<s>")
            elif tag == "TableHead":
                out.append("<thead>\n<tr>\n")
                self._table[1], self._table[3] = True, 0
            elif tag == "TableRow":
                if not self._table[2]:
                    out.append("<tbody>\n")
                    self._table[2] = True
                out.append("<tr>\n")
                self._table[3] = 0
            elif tag == "TableCell":
                align = self._table[0][self._table[3]] if self._table[3] < len(self._table[0]) else "None"
                cell = "th" if self._table[1] and not self._table[2] else "td"
                style = f' style="text-align:{align.lower()}"' if align != "None" else ""
                out.append(f"<{cell}{style}>")
                self._table[3] += 1
                self.ends.append(f"</{cell}>\n")
                return
            elif tag == "HtmlBlock":
                pass
            self.ends.append(_BLOCK_ENDS.get(tag, ""))
            return
        (kind, value), = tag.items()
        if kind == "Heading":
            level = int(value["level"][1])
            self._heading = (level, len(out))
            out.append("")                          # the opening tag, once the id is known
            self._plain = []
            self.ends.append(f"</h{level}>\n")
        elif kind == "BlockQuote":
            out.append("<blockquote>\n")
            self.ends.append("</blockquote>\n")
        elif kind == "List":
            self._lists.append(len(out))
            if value is None:
                out.append("<ul>\n")
                self.ends.append("</ul>\n")
            else:
                out.append("<ol>\n" if value == 1 else f'<ol start="{value}">\n')
                self.ends.append("</ol>\n")
        elif kind == "CodeBlock":
            self._code = []
            self.ends.append(("code", value, span["start"]))
        elif kind == "Link":
            url = value["dest_url"]
            if value["link_type"] == "Email":
                url = "mailto:" + url
            if _BAD_SCHEME.match(url):
                self.ends.append("")                # a javascript:, data: or file: link is shown as its text
                return
            href = self.local(url, span["start"])
            title = f' title="{_esc(value["title"])}"' if value["title"] else ""
            out.append(f'<a href="{href}"{title}>')
            self.ends.append("</a>")
        elif kind == "Image":
            url = value["dest_url"]
            if _BAD_SCHEME.match(url) and not _GOOD_DATA.match(url):
                url = ""
            self._image = {"src": self.local(url, span["start"]) if url else "", "title": value["title"],
                           "alt": []}
            self.ends.append(("image", None))
        elif kind == "Table":
            self._table = [value, False, False, 0]
            out.append("<table>\n")
            self.ends.append(("table", None))
        elif kind == "FootnoteDefinition":
            self._note_buffer = (self.out, value)
            self.out = []
            self.ends.append(("note", value))
        else:
            self.ends.append("")

    def _end(self, tag) -> None:
        end = self.ends.pop()
        if isinstance(end, str):
            if end == "</p>\n":
                if _STRAY_MATH.search("".join(self._para_text)):
                    self.problems.append((self.line(self._para_start), "math left as text: the braces { } of a "
                                          "formula do not balance, or a '$$' stands alone",
                                          "check the LaTeX between the $ signs; write \\$ for a dollar sign"))
                reopened = self._paragraph is not None and self._paragraph == len(self.out) - 1
                self._paragraph = None
                if reopened and self.out[-1] == "<p>":   # display math ended the paragraph: no empty <p></p>
                    self.out.pop()
                    end = ""
                if self._excerpt_on:
                    self._excerpt_on = False
                    self.excerpt = "".join(self._excerpt_parts).strip() or None
                    self._excerpt_parts = []
            elif end.startswith("</h") and self._heading is not None:
                level, at = self._heading
                title = "".join(self._plain or [])
                if 2 <= level <= 4:
                    slug = _anchor(title, self._ids)
                    self.out[at] = f'<h{level} id="{slug}">'
                    if level <= 3:
                        self.toc.append((level, slug, title.strip()))
                else:
                    self.out[at] = f"<h{level}>"
                self._heading, self._plain = None, None
            elif end in ("</ul>\n", "</ol>\n"):
                self._lists.pop()
            self.out.append(end)
            return
        what, value = end[:2]
        if what == "code":
            code = "".join(self._code or [])
            self._code = None
            if isinstance(value, dict) and "Fenced" in value:
                info = value["Fenced"].strip()
                lang, _, attrs = info.partition(" ")
                self.out.append(self._fence(code, lang.lower(), info, end[2]))
            else:
                self.out.append(f"<pre><code>{_esc(code)}</code></pre>\n")
        elif what == "image":
            image, self._image = self._image, None
            alt = _esc("".join(image["alt"]))
            title = f' title="{_esc(image["title"])}"' if image["title"] else ""
            self.out.append(f'<img src="{image["src"]}" alt="{alt}"{title} />')
        elif what == "table":
            if self._table and self._table[2]:
                self.out.append("</tbody>\n")
            self.out.append("</table>\n")
            self._table = []
        elif what == "note":
            outer, label = self._note_buffer
            self._notes[label] = self.out
            self.out, self._note_buffer = outer, None

    def _fence(self, code: str, lang: str, info: str, start: int) -> str:
        """A fenced block: its language's handler when a plugin (or the core) registered one, else code."""
        handler = self.ext.fences.get(lang)
        if handler is None:
            return highlight(code, lang, info.partition(" ")[2])
        try:
            block = handler(code, info)
        except Exception as exc:  # noqa: BLE001 - a handler's failure is a warning at the block, not a crash
            # A handler may say which line of the block is wrong (block_line, 1 = the first after the fence).
            line = self.line(start) + getattr(exc, "block_line", 0)
            self.problems.append((line, f"```{lang} block could not be rendered: {type(exc).__name__}: {exc}",
                                  "fix the block; it is shown as code, marked as broken, meanwhile"))
            return (f'<div class="block-error"><p>This {_esc(lang)} block could not be rendered: {_esc(str(exc))}</p>'
                    f'{highlight(code, lang, "")}</div>\n')
        if not isinstance(block, Block):
            block = Block(str(block))
        self.features.update(block.features)
        return block.html

    def _task(self, done: bool) -> None:
        if self._item is not None:
            self.out[self._item] = '<li class="task-list-item">'
        if self._lists and self.out[self._lists[-1]] == "<ul>\n":
            self.out[self._lists[-1]] = '<ul class="contains-task-list">\n'
        label = "done" if done else "to do"
        checked = ' checked="checked"' if done else ""
        self.out.append(f'<input aria-label="{label}" class="task-list-item-checkbox"{checked} disabled="disabled" '
                        f'type="checkbox"> ')

    def _note_ref(self, label: str) -> str:
        if label not in self._note_refs:
            self._note_order.append(label)
            self._note_refs[label] = 0
        else:
            self._note_refs[label] += 1
        n = self._note_order.index(label) + 1
        sub = self._note_refs[label]
        ref = f"{n}:{sub}" if sub else f"{n}"
        return f'<sup class="footnote-ref"><a href="#fn{n}" id="fnref{ref}">[{ref}]</a></sup>'

    def html(self) -> str:
        if self._note_order:
            self.out.append('<hr class="footnotes-sep" />\n<section class="footnotes">\n<ol class="footnotes-list">\n')
            for n, label in enumerate(self._note_order, 1):
                body = "".join(self._notes.get(label, []))
                back = "".join(f' <a href="#fnref{n}{f":{k}" if k else ""}" class="footnote-backref">\u21a9\ufe0e</a>'
                               for k in range(self._note_refs[label] + 1))
                cut = body.rfind("</p>")
                body = body[:cut] + back + body[cut:] if cut >= 0 else body + back
                self.out.append(f'<li id="fn{n}" class="footnote-item">{body}</li>\n')
            self.out.append("</ol>\n</section>\n")
        return "".join(self.out)


def render_markdown(text: str, rel: str = "", ext: Extensions = NO_EXTENSIONS) -> Rendered:
    """Renders one document's body; `rel` (site-relative path of the file) anchors its relative links, which
    become markers that `readers.resolve_links` swaps for final URLs on every build."""
    here = posixpath.dirname(rel)
    links: list[Link] = []
    r = None

    def local(url: str, start: int) -> str:
        if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
            return _href(url)
        cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
        path, suffix = unquote(url[:cut]), url[cut:]
        if not path:
            return _href(url)
        line = r.line(start)
        if path.startswith("/"):
            links.append(Link("root", path, suffix, line, url))
        else:
            links.append(Link("ref", posixpath.normpath(posixpath.join(here, path)), suffix, line, url))
        return f"@mlfolio-link-{len(links) - 1}@"

    r = _Renderer(text, local, ext)
    r.run(events(text, ext.filters))
    excerpt = r.excerpt or ""
    if len(excerpt) > 280:
        excerpt = excerpt[:277].rsplit(" ", 1)[0] + "…"
    return Rendered(r.html(), r.toc, excerpt, r.words, links, r.problems, sorted(r.features))


def render_fragment(text: str, ext: Extensions = NO_EXTENSIONS, link=None) -> str:
    """Markdown from profile.yml (a bio, a job description): links kept as written, or passed through `link`."""
    r = _Renderer(text, lambda url, start: _href(link(url) if link else url), ext)
    r.run(events(text, ext.filters))
    return r.html()


def render_inline(text: str, ext: Extensions = NO_EXTENSIONS, link=None) -> str:
    """Short Markdown (a news item) without the wrapping <p>."""
    html = render_fragment(text, ext, link).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def preload(ext: Extensions = NO_EXTENSIONS) -> None:
    """Imports the Markdown stack once, before forking, instead of in every worker."""
    import latex2mathml.converter  # noqa: F401
    import pygments.formatters.html  # noqa: F401
    import pygments.lexers  # noqa: F401

    events("x", ext.filters)


def code_css(light: str, dark: str) -> str:
    """Pygments CSS for both colour schemes; dark follows the system unless the reader chose light."""
    from pygments.formatters import HtmlFormatter
    from pygments.util import ClassNotFound

    def rules(style: str, prefix: str) -> str:
        try:
            fmt = HtmlFormatter(style=style)
        except ClassNotFound:
            fmt = HtmlFormatter(style="default")
        return fmt.get_style_defs(prefix)

    dark_rules = rules(dark, ':root[data-theme="dark"] .highlight')
    auto_dark = rules(dark, ':root:not([data-theme="light"]) .highlight')
    return (f"/* generated by mlfolio from Pygments styles '{light}' and '{dark}' */\n"
            f"{rules(light, '.highlight')}\n{dark_rules}\n"
            f"@media (prefers-color-scheme: dark) {{\n{auto_dark}\n}}\n")
