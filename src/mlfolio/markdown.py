"""Markdown → HTML: CommonMark with tables, footnotes, task lists, strikethrough and `$math$`, heading anchors,
MathML math (math.py: numbered equations, references) and Pygments code.

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

from . import codeblocks, figures, math
from .readers import Block, Image, Link, Rendered

RENDERER_VERSION = "14"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


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


def highlight(code: str, lang: str, attrs: str = "") -> str:
    """A highlighted code block in its wrapper; `attrs` are the fence's options after the language
    (`title="train.py" {3,5-7}`, see codeblocks.py)."""
    html, _ = codeblocks.code_block(_highlight(code, (lang or "").strip().lower()), codeblocks.parse_info(attrs))
    return html


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


OPTIONS = None            # pyromark options, set on first use (the import is lazy: small sites may not need it)
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|file|data):", re.I)
_GOOD_DATA = re.compile(r"^\s*data:image/(gif|png|jpeg|webp);", re.I)
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
# how a line starts a heading, quote, list or fence: escaped in a caption, which is inline text
_BLOCK_START = re.compile(r"^(?:(#{1,6}(?=\s|$)|>|[-+*](?=\s)|`{3}|~{3})|(\d+)([.)])(?=\s|$))")
_STRAY_MATH = re.compile(r"\$\$|\$\\[A-Za-z]")   # '$$' or '$\frac' left in text: math the parser refused
# A paragraph that is one math environment, without $$ (MathJax, and so al-folio, typesets these too)
_ENV_IN_TEXT = re.compile(r"\\begin\{(?:equation|align|alignat|gather|multline|flalign|eqnarray)\*?\}")
_ITEM_MARKER = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_BARE_ENV = re.compile(r"\s*\\begin\{((?:equation|align|alignat|gather|multline|flalign|eqnarray)\*?)\}"
                       r".*\\end\{\1\}\s*", re.S)
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


def _joined_text(found) -> list:
    """Runs of Text events as one: the parser splits text at '*', '[' or '~', which may sit in `\\eqref{…}`."""
    out: list = []
    for event, span in found:
        if out and isinstance(event, dict) and "Text" in event and isinstance(out[-1][0], dict) and "Text" in out[-1][0]:
            previous, start = out[-1]
            out[-1] = ({"Text": previous["Text"] + event["Text"]}, {"start": start["start"], "end": span["end"]})
        else:
            out.append((event, span))
    return out


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

    def __init__(self, text: str, local, ext: Extensions = NO_EXTENSIONS, image=None,
                 macros: math.Macros = math.NO_MACROS):
        self.text = text
        self.local = local
        self.image = image                        # image(url, start, Image) -> marker of a local file's <img>
        self.ext = ext
        self.raw_html = True                      # the author's HTML passes; a caption's is shown as text
        self.features: set[str] = set()
        self.out: list[str] = []
        self.ends: list[str] = []                 # closing tags of open elements
        self.toc: list[tuple[int, str, str]] = []
        self.words = 0
        self.excerpt: str | None = None
        self.problems: list[tuple[int, str, str]] = []
        self._lines: list[int] | None = None
        self._source: bytes | None = None
        self._plain: list[str] | None = None      # plain text being collected (heading, image alt, excerpt)
        self._heading: tuple[int, int] | None = None
        self._ids: set[str] = set()
        self.equations = math.Equations(self._ids, macros)
        self._lists: list[int] = []                # out index of each open list's opening tag
        self._item: int | None = None              # out index of the newest <li>
        self._items: list[list] = []               # open items: [out index of the body, source start, text
                                                   # outside paragraphs (a tight item's)], innermost last
        self._table: list = []
        self._code: list[str] | None = None
        self._image: dict | None = None
        self._images = 0
        self._figure: dict | None = None          # the image that may make its paragraph a <figure>
        self._skip: tuple[int, int] | None = None  # source range of an image's {…} attributes: not text
        self._paragraph: int | None = None
        self._notes: dict[str, list[str]] = {}
        self._note_order: list[str] = []
        self._note_refs: dict[str, int] = {}
        self._note_buffer: list | None = None

    def line(self, offset: int) -> int:
        if self._lines is None:
            self._lines = [m.start() for m in re.finditer(b"\n", self.source)]
        return bisect.bisect_left(self._lines, offset) + 1

    @property
    def source(self) -> bytes:
        """The text as UTF-8: the parser's offsets count bytes."""
        if self._source is None:
            self._source = self.text.encode()
        return self._source

    # -- text ------------------------------------------------------------------------------------------------

    def _text(self, text: str) -> None:
        self._run.append(text)                    # counted at the end of the block: the parser splits words
        if self._plain is not None:
            self._plain.append(text)
        if self._excerpt_on:
            self._excerpt_parts.append(text)

    def run(self, found) -> None:
        self._excerpt_on, self._excerpt_parts, self._run = False, [], []
        if "ref{" in self.text:
            found = _joined_text(found)
        for at, (event, span) in enumerate(found):
            out = self.out                       # a footnote's definition is written to a list of its own
            if self._skip is not None and span["start"] >= self._skip[0]:
                event = self._skipped(event, span)
                if event is None:
                    continue
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
                    refs = self.equations.text_refs(value, self.line(span["start"])) if "ref{" in value else None
                    out.append(_esc(value) if refs is None else refs[0])
                    self._text(value if refs is None else refs[1])
                    if self._paragraph is not None:
                        self._para_text.append(value)
                    elif self._items:
                        self._items[-1][2].append(value)
            elif kind == "Start":
                self._start(value, span)
            elif kind == "End":
                if self._run:
                    self.words += len("".join(self._run).split())
                    self._run = []
                if value == "Image" and self._image is not None:
                    self._attributes(found, at)
                if value == "Paragraph":
                    self._para_end = span["end"]
                elif value == "Item" and self._items:
                    self._tight_item_environment(*self._items.pop(), span["end"])
                self._end(value)
            elif kind == "Code":
                if self._image is not None:
                    self._image["alt"].append(value)
                else:
                    out.append(f"<code>{_esc(value)}</code>")
                    self._text(value)
            elif kind == "InlineMath":
                html, text = self._math(value, False, span)
                out.append(html)
                self._run.append(value)
                if self._plain is not None:
                    self._plain.append(text)
                if self._excerpt_on:
                    self._excerpt_parts.append(text)
            elif kind == "DisplayMath":
                self._display(value, span)
            elif kind in ("Html", "InlineHtml"):
                out.append(value if self.raw_html else _esc(value))
            elif kind == "FootnoteReference":
                out.append(self._note_ref(value))
            elif kind == "TaskListMarker":
                self._task(value)

    def _math(self, latex: str, display: bool, span) -> tuple[str, str]:
        """(HTML, plain text) of a formula; its problems are at the line its LaTeX starts on."""
        self.features.add("math")
        tex = latex.strip()
        line = self.line(span["start"]) + latex[:len(latex) - len(latex.lstrip())].count("\n")
        return self.equations.formula(tex, display, line)

    def _tight_item_environment(self, body_at: int, start: int, texts: list[str], end: int) -> None:
        """A tight list item (no paragraph) that is one `\\begin{align} … \\end{align}` becomes that display
        formula, as a paragraph of one does; such an environment among the item's words is a warning."""
        text = "".join(texts)
        if "\\begin" not in text:
            return
        raw = self.source[start:end].decode("utf-8", "replace")
        marker = _ITEM_MARKER.match(raw)
        body = raw[marker.end():] if marker else raw
        if _BARE_ENV.fullmatch(body) and not re.search(r"^\s*>", body, re.M):     # not in a quote's list
            at = start + len(raw[:len(raw) - len(body)].encode("utf-8"))
            if self.out[body_at:body_at + 1] and self.out[body_at].startswith("<input"):    # a task's checkbox
                body_at += 1
            del self.out[body_at:]
            self.out.append(self._math(body.strip(), True, {"start": at})[0])
        elif _ENV_IN_TEXT.search(text):
            self.problems.append((self.line(start), "a math environment inside a list item's sentence is left as "
                                  "text", "give \\begin{…} … \\end{…} the whole item, or put it between $$ and $$"))

    def _bare_environment(self) -> bool:
        """A paragraph that is one `\\begin{align} … \\end{align}` (no $$) becomes that display formula, read
        from the source: Markdown has taken its `\\\\` and `*` for escapes and emphasis."""
        if self._paragraph is None:
            return False
        raw = self.source[self._para_start:self._para_end].decode("utf-8", "replace")
        if not _BARE_ENV.fullmatch(raw) or re.search(r"^\s*>", raw, re.M):
            return False
        del self.out[self._paragraph:]
        self.out.append(self._math(raw.strip(), True, {"start": self._para_start})[0])
        if self._excerpt_on:                      # LaTeX is no excerpt: the next paragraph is
            self._excerpt_on, self._excerpt_parts = False, []
        return True

    def _display(self, latex: str, span) -> None:
        """Display math is a block: alone in its paragraph it replaces it; inside a sentence the paragraph is
        closed before it and opened again after (a <div> never sits inside a <p>)."""
        html = self._math(latex, True, span)[0]
        self.words += len(latex.split())
        if not html:                                  # definitions only: nothing to show, nothing to split
            return
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
        if self._image is not None:               # emphasis or a link inside an image's alt text: text only
            self.ends.append("")
            return
        if isinstance(tag, str):
            if tag == "Paragraph":
                self._paragraph = len(out)
                self._para_text, self._para_start = [], span["start"]
                self._figure = None
                out.append("<p>")
                if self.excerpt is None and self._note_buffer is None:
                    self._excerpt_on = True
            elif tag == "Item":
                self._item = len(out)
                self._items.append([len(out) + 1, span["start"], []])
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
            self._image = {"url": url, "start": span["start"], "end": span["end"], "title": value["title"],
                           "alt": [], "attrs": None}
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
                text = "".join(self._para_text)
                if "\\begin" in text and self._bare_environment():
                    end = ""
                elif "\\begin" in text and _ENV_IN_TEXT.search(text):
                    self.problems.append((self.line(self._para_start), "a math environment inside a sentence is "
                                          "left as text", "give \\begin{…} … \\end{…} a paragraph of its own, or "
                                          "put it between $$ and $$"))
                elif _STRAY_MATH.search(text):
                    self.problems.append((self.line(self._para_start), "math left as text: the braces { } of a "
                                          "formula do not balance, a '$$' stands alone, or a line of the "
                                          "formula starts with '- ', '+ ', '> ' or '# ' (Markdown reads a "
                                          "list, a quote or a heading there)",
                                          "check the LaTeX between the $ signs; move such a sign to the end "
                                          "of the line before; write \\$ for a dollar sign"))
                reopened = self._paragraph is not None and self._paragraph == len(self.out) - 1
                if reopened and self.out[-1] == "<p>":   # display math ended the paragraph: no empty <p></p>
                    self.out.pop()
                    end = ""
                elif self._figure is not None:
                    end = self._make_figure() or end
                self._paragraph = None
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
                self.out.append(codeblocks.code_block(f"<pre><code>{_esc(code)}</code></pre>\n",
                                                      codeblocks.CodeOptions())[0])
        elif what == "image":
            self._end_image()
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
        options = codeblocks.parse_info(info)
        lang = options.lang
        handler = self.ext.fences.get(lang)
        if handler is None:
            return self._code_block(code, options, start)
        try:
            block = handler(code, info)
        except Exception as exc:  # noqa: BLE001 - a handler's failure is a warning at the block, not a crash
            # A handler may say which line of the block is wrong (block_line, 1 = the first after the fence).
            line = self.line(start) + getattr(exc, "block_line", 0)
            self.problems.append((line, f"```{lang} block could not be rendered: {type(exc).__name__}: {exc}",
                                  "fix the block; it is shown as code, marked as broken, meanwhile"))
            return (f'<div class="block-error"><p>This {_esc(lang)} block could not be rendered: {_esc(str(exc))}</p>'
                    f'{self._code_block(code, codeblocks.CodeOptions(lang=lang), start)}</div>\n')
        if not isinstance(block, Block):
            block = Block(str(block))
        self.features.update(block.features)
        return block.html

    def _code_block(self, code: str, options, start: int) -> str:
        """Highlighted code (memoised by code and language) with the title and marked lines asked for."""
        self.features.add("code")
        html, past = codeblocks.code_block(_highlight(code, options.lang), options)
        if options.problems or past:
            line = self.line(start)
            self.problems += [(line, message, codeblocks.HINT) for message in options.problems]
            self.problems += [(line, message, "lines count from 1, the block's first line") for message in past]
        return html

    # -- images and figures -----------------------------------------------------------------------------------

    def _attributes(self, found, at: int) -> None:
        """`{#id .class caption="…"}` right after the image that ends at found[at] (Pandoc's attributes): read
        into the image, and the events it spans are skipped as text. Markup that starts between the braces
        and ends after them means they were not attributes."""
        end = self._image["end"]
        if self.source[end:end + 1] != b"{":
            return
        m = figures.ATTRIBUTES.match(self.source, end)
        if m is None:
            return
        stop = m.end()
        for j in range(at + 1, len(found)):
            event, span = found[j]
            if span["start"] >= stop:
                break
            if span["start"] >= end and span["end"] > stop and not (isinstance(event, dict) and "Text" in event):
                return
        attrs = figures.parse_attributes(m.group(1).decode())
        self.problems += [(self.line(end), message, 'write {#id .class caption="…" width=60%} after the image')
                          for message in attrs.problems]
        self._image["attrs"] = attrs
        self._skip = (end, stop)

    def _skipped(self, event, span):
        """An event inside an image's `{…}` is dropped; text that runs on past the braces keeps its end."""
        if span["start"] >= self._skip[1]:
            self._skip = None
            return event
        if span["end"] > self._skip[1] and isinstance(event, dict) and "Text" in event:
            value, after = event["Text"], span["end"] - self._skip[1]
            return {"Text": value[-after:] if after <= len(value) else value}
        return None

    def _end_image(self) -> None:
        found, self._image = self._image, None
        attrs = found["attrs"] or figures.Attributes()
        self._images += 1
        image = Image("".join(found["alt"]), found["title"], attrs.id, tuple(attrs.classes), attrs.width,
                      eager=self._images == 1)
        if not image.alt.strip():
            self.problems.append((self.line(found["start"]), f"image '{found['url']}' has no alt text",
                                  "describe what it shows for readers who cannot see it: ![loss falls by half](…)"))
        self.out.append(self._img(found["url"], found["start"], image))
        if self._paragraph is None:
            return
        if self._figure is not None:               # a second image: the paragraph is not one figure
            self._figure["many"] = True
            return
        caption = attrs.caption if attrs.caption is not None else found["title"]
        self._figure = {"at": len(self.out) - 1, "image": image, "url": found["url"], "start": found["start"],
                        "caption": caption, "from_title": attrs.caption is None, "many": False}

    def _img(self, url: str, start: int, image: Image) -> str:
        if self.image is not None:
            return self.image(url, start, image)
        return figures.img_html(quote(url, safe=_URL_SAFE), image)

    def _make_figure(self) -> str | None:
        """A paragraph that holds one image (perhaps inside a link) and a caption becomes a <figure>; returns
        its closing tags, or None when it stays a paragraph."""
        fig, self._figure = self._figure, None
        at, para = fig["at"], self._paragraph
        if fig["many"] or para is None or at <= para or not fig["caption"].strip():
            return None
        if "".join(self._para_text).strip():
            return None
        if not all(not piece.strip() or piece.startswith("<a ") or piece == "</a>"
                   for i, piece in enumerate(self.out[para + 1:], para + 1) if i != at):
            return None
        image = fig["image"]
        if fig["from_title"]:
            image.title = ""                        # shown as the caption: not again as a tooltip
        ident, classes = image.id, image.classes
        image.id, image.classes = "", ()
        if not self.out[at].startswith("@mlfolio-image-"):   # a marker's Link holds this Image: written later
            self.out[at] = self._img(fig["url"], fig["start"], image)
        opening, closing = figures.figure_tags(ident, classes, self._caption(fig["caption"], fig["start"]))
        self.out[para] = opening
        return closing

    def _caption(self, text: str, start: int) -> str:
        """A caption is inline Markdown (emphasis, links, math); its problems are reported at the image."""
        text = _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", " ".join(text.split()))
        sub = _Renderer(text, lambda url, _: self.local(url, start), self.ext,
                        self.image and (lambda url, _, image: self.image(url, start, image)))
        sub._images, sub.raw_html = 1, False
        sub.run(events(text, self.ext.filters))
        self.features |= sub.features
        self.problems += [(self.line(start), message, hint) for _, message, hint in sub.problems]
        html = sub.html().strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return html

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
        """The document, with its equation references filled in (their problems join `problems`)."""
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
        html = self.equations.resolve("".join(self.out))
        self.problems.extend(self.equations.problems)
        self.equations.problems = []
        return html


def render_markdown(text: str, rel: str = "", ext: Extensions = NO_EXTENSIONS,
                    macros: math.Macros = math.NO_MACROS) -> Rendered:
    """Renders one document's body; `rel` (site-relative path of the file) anchors its relative links, which
    become markers that `readers.resolve_links` swaps for final URLs on every build. `macros` are the site's
    LaTeX macros (math.site_macros)."""
    here = posixpath.dirname(rel)
    links: list[Link] = []
    r = None

    def link(url: str, start: int) -> Link | None:
        if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
            return None
        cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
        path, suffix = unquote(url[:cut]), url[cut:]
        if not path:
            return None
        line = r.line(start)
        if path.startswith("/"):
            links.append(Link("root", path, suffix, line, url))
        else:
            links.append(Link("ref", posixpath.normpath(posixpath.join(here, path)), suffix, line, url))
        return links[-1]

    def local(url: str, start: int) -> str:
        return f"@mlfolio-link-{len(links) - 1}@" if link(url, start) else _href(url)

    def image(url: str, start: int, img: Image) -> str:
        """A local file's <img> is a marker, written once the file is known (its size, a dark variant)."""
        found = link(url, start)
        if found is None:
            return figures.img_html(quote(url, safe=_URL_SAFE), img)
        found.image = img
        return f"@mlfolio-image-{len(links) - 1}@"

    r = _Renderer(text, local, ext, image, macros)
    r.run(events(text, ext.filters))
    html = r.html()
    excerpt = r.equations.resolve(r.excerpt or "", html=False)
    if len(excerpt) > 280:
        excerpt = excerpt[:277].rsplit(" ", 1)[0] + "…"
    toc = [(level, slug, r.equations.resolve(title, html=False)) for level, slug, title in r.toc]
    return Rendered(html, toc, excerpt, r.words, links, r.problems, sorted(r.features))


def render_fragment(text: str, ext: Extensions = NO_EXTENSIONS, link=None,
                    macros: math.Macros = math.NO_MACROS) -> str:
    """Markdown from profile.yml (a bio, a job description): links kept as written, or passed through `link`."""
    target = link or (lambda url: url)
    r = _Renderer(text, lambda url, start: _href(target(url)), ext,
                  lambda url, start, image: figures.img_html(quote(target(url), safe=_URL_SAFE), image), macros)
    r.run(events(text, ext.filters))
    return r.html()


def render_inline(text: str, ext: Extensions = NO_EXTENSIONS, link=None, macros: math.Macros = math.NO_MACROS) -> str:
    """Short Markdown (a news item) without the wrapping <p>."""
    html = render_fragment(text, ext, link, macros).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def preload(ext: Extensions = NO_EXTENSIONS) -> None:
    """Imports the Markdown stack once, before forking, instead of in every worker. (The math engine starts in
    the workers, on their first formula: a site without math never pays for it.)"""
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
