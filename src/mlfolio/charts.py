"""Diagrams and charts: ```mermaid, ```vega-lite and ```plotly blocks (and a notebook's chart outputs) become
placeholders that the theme's scripts draw in the browser, loaded only on pages that have one (their feature).

The spec travels as JSON inside `<script type="application/json">`, which the browser never runs; `<`, `>` and
`&` are written as \\u escapes so no text in a spec can end that element early.
"""
from __future__ import annotations

import json
from html import escape

from .readers import Block

CHART_KINDS = ("vega-lite", "plotly")


def json_for_html(data) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def chart_block(kind: str, spec, fallback: str = "") -> Block:
    """A chart of `kind` ('vega-lite' or 'plotly') from its spec (a mapping, or JSON text: ValueError when it is
    not an object). `fallback` is HTML shown until the script draws (a notebook's stored PNG)."""
    if kind not in CHART_KINDS:
        raise ValueError(f"unknown chart kind '{kind}'")
    data = json.loads(spec) if isinstance(spec, (str, bytes)) else spec
    if not isinstance(data, dict):
        raise ValueError(f"a {kind} spec is a JSON object, not {type(data).__name__}")
    return Block(f'<figure class="chart chart-{kind}" data-chart="{kind}">'
                 f'<script type="application/json">{json_for_html(data)}</script>{fallback}</figure>\n',
                 features=(kind,))


def mermaid_block(code: str, info: str = "") -> Block:
    """A Mermaid diagram: its source, escaped, in the element Mermaid's script replaces with an SVG."""
    return Block(f'<pre class="mermaid">{escape(code.rstrip())}</pre>\n', features=("mermaid",))


CORE_FENCES = {
    "mermaid": mermaid_block,
    "vega-lite": lambda code, info: chart_block("vega-lite", code),
    "vegalite": lambda code, info: chart_block("vega-lite", code),
    "plotly": lambda code, info: chart_block("plotly", code),
}

__all__ = ["CHART_KINDS", "CORE_FENCES", "chart_block", "json_for_html", "mermaid_block"]
