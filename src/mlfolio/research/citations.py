"""Pandoc citations in posts and pages: `[@key]`, `[see @a; @b, p. 3]`, numbered or author-year, with a
References section at the end of the document.

Two steps, because bodies are rendered (and cached) before the bibliography is read: a Markdown filter turns
each citation into an inert placeholder that keeps its source offset (and the text as written, shown if it is
never resolved), and once the site is assembled `resolve` replaces the placeholders of each document, using the
site's bibliography and the document's own `bibliography:` file. An unknown key is a warning at its line.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, unquote

from markupsafe import Markup

from .. import deps

VERSION = "1"
PLACEHOLDER = "<mlfolio-cite "
_BRACKETS = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
# Pandoc's keys: a letter, digit or _ first, then also internal punctuation; '@{…}' for anything else
_KEY = re.compile(r"(?<![\w.])@(?:\{([^{}]+)\}|([\w](?:[\w:.#$%&\-+?<>~/]*[\w])?))")
_FOUND = re.compile(r'<mlfolio-cite data-at="(\d+)" data-items="([^"]*)">.*?</mlfolio-cite>', re.S)
_SKIP = {"CodeBlock", "Link", "Image", "MetadataBlock"}


@dataclass
class CiteItem:
    key: str
    prefix: str = ""          # 'see'
    suffix: str = ""          # 'p. 3'


def parse_citation(inner: str) -> list[CiteItem] | None:
    """The items of a bracket's text, or None when it is not a citation (every item needs exactly one key)."""
    items = []
    for part in inner.split(";"):
        keys = list(_KEY.finditer(part))
        if len(keys) != 1:
            return None
        m = keys[0]
        prefix, suffix = part[:m.start()].strip(), part[m.end():].strip()
        items.append(CiteItem(m.group(1) or m.group(2), prefix, suffix.lstrip(",").strip()))
    return items


def citation_filter(events: list) -> list:
    """Markdown filter: text runs holding `[…@key…]` become placeholders (not inside code, links or images)."""
    if not _may_cite(events):
        return events
    out: list = []
    run: list = []
    skip = 0
    for event, span in events:
        if isinstance(event, dict):
            if "Text" in event and not skip:
                run.append((event, span))
                continue
            if run:
                out += _cite_run(run)
                run = []
            start, end = event.get("Start"), event.get("End")
            if start is not None and _kind(start) in _SKIP:
                skip += 1
            elif end is not None and _kind(end) in _SKIP:
                skip = max(0, skip - 1)
        elif run:
            out += _cite_run(run)
            run = []
        out.append((event, span))
    if run:
        out += _cite_run(run)
    return out


citation_filter.version = VERSION


def _may_cite(events: list) -> bool:
    """A quick look first: the parser gives an unmatched '[' a text event of its own, and most documents have
    none followed by an '@'."""
    opened = False
    for event, _ in events:
        text = event.get("Text") if type(event) is dict else None
        if opened and text is not None and "@" in text:
            return True
        opened = text == "[" or (opened and text is not None and "]" not in text)
    return False


def _kind(value) -> str:
    return value if isinstance(value, str) else next(iter(value), "")


def _cite_run(run: list) -> list:
    text = "".join(e["Text"] for e, _ in run)
    if "@" not in text or "[" not in text:
        return run
    found = [(m, items) for m in _BRACKETS.finditer(text) if (items := parse_citation(m.group(1)))]
    if not found:
        return run
    starts, at = [], 0                          # the source offset of each character of the run
    for e, span in run:
        starts.append((at, span["start"], len(e["Text"]) == span["end"] - span["start"]))
        at += len(e["Text"])
    span0 = run[0][1]
    out, prev = [], 0
    for m, items in found:
        if m.start() > prev:
            out.append(({"Text": text[prev:m.start()]}, span0))
        offset = _offset(starts, m.start())
        data = quote(json.dumps([[i.key, i.prefix, i.suffix] for i in items], ensure_ascii=False), safe="")
        out.append(({"InlineHtml": f'<mlfolio-cite data-at="{offset}" data-items="{data}">{escape(m.group())}'
                                   "</mlfolio-cite>"}, span0))
        prev = m.end()
    if prev < len(text):
        out.append(({"Text": text[prev:]}, span0))
    return out


def _offset(starts, index: int) -> int:
    for at, source, exact in reversed(starts):
        if at <= index:
            return source + (index - at if exact else 0)
    return starts[0][1]


# --- resolving, once the bibliography is read ------------------------------------------------------------

def resolve(doc, pubs, local: dict, style: str, warn) -> bool:
    """Replaces the citations of `doc.html` and adds its References; `pubs` maps keys to Publication (the
    site's), `local` the document's own. Returns whether the document had citations."""
    html = str(doc.html)
    if PLACEHOLDER not in html:
        return False
    known = {**local, **pubs}
    order: dict[str, int] = {}
    labels: dict[str, str] = {}

    def replace(m: re.Match) -> str:
        offset = int(m.group(1))
        items = [CiteItem(*i) for i in json.loads(unquote(m.group(2)))]
        parts = []
        for item in items:
            pub = known.get(item.key) or _casefold_get(known, item.key)
            if pub is None:
                line = doc.body.count("\n", 0, offset) + doc.body_line
                close = difflib.get_close_matches(item.key, list(known), n=1)
                warn(doc.rel, line, f"citation '@{item.key}' is not in the bibliography",
                     f"did you mean '@{close[0]}'?" if close else "add the entry to publications.bib, or to the "
                     "file named by this document's 'bibliography:'")
                parts.append(f'{_text(item.prefix)}<strong class="citation-missing">{escape(item.key)}?</strong>'
                             f"{_suffix(item.suffix)}")
                continue
            order.setdefault(pub.key, len(order) + 1)
            label = str(order[pub.key]) if style == "numbered" else labels.setdefault(pub.key, author_year(pub))
            parts.append(f'{_text(item.prefix)}<a href="#ref-{escape(_anchor(pub.key))}" title="{escape(plain(pub))}">'
                         f"{escape(label)}</a>{_suffix(item.suffix)}")
        plain_list = all(not i.prefix and not i.suffix for i in items)
        joined = (", " if style == "numbered" and plain_list else "; ").join(parts)
        return f'<span class="citation">{"[" if style == "numbered" else "("}{joined}' \
               f'{"]" if style == "numbered" else ")"}</span>'

    body = _FOUND.sub(replace, html)
    if order:
        cited = sorted(order, key=order.get)
        if style != "numbered":
            cited.sort(key=lambda k: (author_year(known[k]).lower(), k))
        heading_id = "references" if all(t.id != "references" for t in doc.toc) else "references-list"
        items = "".join(_reference(known[k], style, order[k]) for k in cited)
        tag = "ol" if style == "numbered" else "ul"
        body += (f'\n<section class="references" role="doc-bibliography" aria-labelledby="{heading_id}">'
                 f'<h2 id="{heading_id}">References</h2><{tag} class="reference-list">{items}</{tag}></section>\n')
        from ..content import TocEntry
        doc.toc = [*doc.toc, TocEntry(2, heading_id, "References")]
    doc.html = Markup(body)
    doc.fingerprint = deps.digest(doc.fingerprint, body)
    if "publications" not in doc.features:
        doc.features = [*doc.features, "publications"]
    return True


def _casefold_get(known: dict, key: str):
    lower = key.lower()
    return next((v for k, v in known.items() if k.lower() == lower), None)


def _text(prefix: str) -> str:
    return f"{escape(prefix)} " if prefix else ""


def _suffix(suffix: str) -> str:
    return f", {escape(suffix.replace('--', '–'))}" if suffix else ""


def _anchor(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key)


def author_year(pub) -> str:
    """'Lovelace-Ng et al., 2024', 'Müller and Smith, 2023', 'Lovelace-Ng, n.d.'."""
    families = [a.family or a.name for a in pub.authors]
    if not families:
        who = pub.title[:40]
    elif len(families) == 1 and not pub.others:
        who = families[0]
    elif len(families) == 2 and not pub.others:
        who = f"{families[0]} and {families[1]}"
    else:
        who = f"{families[0]} et al."
    return f"{who}, {pub.year or 'n.d.'}"


def plain(pub) -> str:
    """One line for a hover title: authors, title, venue, year."""
    names = ", ".join(a.name for a in pub.authors[:3]) + (" et al." if len(pub.authors) > 3 or pub.others else "")
    parts = [p.rstrip(".") for p in (names, pub.title, pub.venue, pub.year) if p]
    return ". ".join(parts)


def _reference(pub, style: str, number: int) -> str:
    names = ", ".join(escape(a.name) for a in pub.authors[:10])
    if len(pub.authors) > 10 or pub.others:
        names += " et al."
    target = pub.url or next((link.url for link in pub.links if link.kind in ("doi", "arxiv", "html", "url")), "")
    title = f'<a href="{escape(target)}">{pub.title_html}</a>' if target else str(pub.title_html)
    venue = f" <em>{escape(pub.venue)}</em>." if pub.venue else ""
    year = f" {escape(pub.year)}." if pub.year else ""
    lead = (names if names.endswith(".") else names + ".") + " " if names else ""
    return f'<li id="ref-{escape(_anchor(pub.key))}">{lead}{title}.{venue}{year}</li>'


__all__ = ["CiteItem", "author_year", "citation_filter", "parse_citation", "resolve"]
