"""Markdown → HTML with markdown-it-py: tables, footnotes, task lists, anchors, MathML math, Pygments code.

Used by the Markdown reader (readers/markdown.py) for documents and by the site model for Markdown in
profile.yml. Plugins' markdown-it extensions are applied after mlfolio's own.
"""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from html import escape
from urllib.parse import unquote

from .readers import Link, Rendered

RENDERER_VERSION = "8"
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


_math_errors: list[tuple[str, str]] = []     # (formula, message) of the document being rendered


def _render_math(content: str, opts: dict) -> str:
    display = bool(opts.get("display_mode"))
    html, error = _mathml(content.strip(), display)
    if error:
        _math_errors.append((content, error))
    return html


@lru_cache(maxsize=4096)
def _mathml(latex: str, display: bool) -> tuple[str, str]:
    """LaTeX → MathML (the same short formulas recur across posts, so results are memoised)."""
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


@lru_cache(maxsize=8)
def make_markdown(plugins: tuple = ()):
    """One configured parser per process and set of plugins (building it costs more than rendering a post)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = MarkdownIt("commonmark", {"html": True, "highlight": highlight})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(tasklists_plugin).use(anchors_plugin, min_level=2, max_level=4)
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True, renderer=_render_math)
    for plugin in plugins:
        plugin(md)
    md.core.ruler.push("mlfolio_links", _mark_links)  # after the task-list rule and plugins' rules
    return md


def preload(plugins: tuple = ()) -> None:
    """Imports the Markdown stack and builds the parser once, before forking, instead of in every worker."""
    import latex2mathml.converter  # noqa: F401
    import pygments.formatters.html  # noqa: F401
    import pygments.lexers  # noqa: F401

    make_markdown(plugins)


def _mark_links(state) -> None:
    """Replaces links to local files with markers and records them (with lines) for resolve_links; labels
    task-list checkboxes for screen readers."""
    rel = state.env.get("rel", "")
    links: list[Link] = state.env.setdefault("links", [])
    here = posixpath.dirname(rel)
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = (block.map[0] + 1) if block.map else 1
        for tok in block.children:
            if tok.type == "html_inline" and 'class="task-list-item-checkbox"' in tok.content:
                done = 'checked="checked"' in tok.content
                tok.content = tok.content.replace("<input ", f'<input aria-label="{"done" if done else "to do"}" ')
                continue
            attr = "href" if tok.type == "link_open" else "src" if tok.type == "image" else None
            if not attr:
                continue
            value = tok.attrGet(attr)
            if not value or value.startswith(("#", "//")) or _SCHEME.match(value):
                continue
            cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
            path, suffix = unquote(value[:cut]), value[cut:]
            if not path:
                continue
            if path.startswith("/"):
                link = Link("root", path, suffix, line, value)
            else:
                link = Link("ref", posixpath.normpath(posixpath.join(here, path)), suffix, line, value)
            tok.attrSet(attr, f"@mlfolio-link-{len(links)}@")
            links.append(link)


def _plain(inline) -> str:
    parts = []
    for c in inline.children or ():
        if c.type in ("text", "code_inline", "math_inline"):
            parts.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def render_markdown(text: str, rel: str = "", plugins: tuple = ()) -> Rendered:
    """Renders one document's body; `rel` (site-relative path of the file) anchors its relative links."""
    md = make_markdown(plugins)
    env: dict = {"rel": rel}
    del _math_errors[:]
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    toc, excerpt, words = [], "", 0
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag in ("h2", "h3"):
            toc.append((int(tok.tag[1]), tok.attrGet("id") or "", _plain(tokens[i + 1])))
        elif tok.type == "inline":
            plain = _plain(tok)
            words += len(plain.split())
            if not excerpt and i > 0 and tokens[i - 1].type == "paragraph_open" and plain.strip():
                excerpt = plain.strip()
    problems = []
    for content, message in _math_errors:
        line = next((t.map[0] + 1 for t in tokens if t.map and content in t.content), 1)
        problems.append((line, message, "check the LaTeX between the $ signs"))
    del _math_errors[:]
    if len(excerpt) > 280:
        excerpt = excerpt[:277].rsplit(" ", 1)[0] + "…"
    return Rendered(html, toc, excerpt, words, env.get("links", []), problems)


def render_inline(text: str, plugins: tuple = ()) -> str:
    """Short Markdown (a bio line, a news item) without the wrapping <p>."""
    html = make_markdown(plugins).render(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


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
