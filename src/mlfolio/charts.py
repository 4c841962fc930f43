"""Diagrams and charts: ```mermaid, ```vega-lite and ```plotly blocks (and a notebook's chart outputs) become
figures that the theme's scripts draw in the browser, loaded only on pages that have one (their feature).

A chart's spec travels as JSON inside `<script type="application/json">`, which the browser never runs; `<`, `>`
and `&` are written as \\u escapes so no text in a spec can end that element early. The figure carries its
accessible name, the height to reserve while it draws, and what a reader without JavaScript sees instead.
"""
from __future__ import annotations

import json
import re
from html import escape

from .readers import Block

CHART_KINDS = ("vega-lite", "plotly")
KIND_NAMES = {"mermaid": "Mermaid", "vega-lite": "Vega-Lite", "plotly": "Plotly"}
PLOTLY_HEIGHT = 450          # plotly.js's default figure height
VEGA_HEIGHT = 200            # Vega-Lite's default view height for a continuous y axis
VEGA_GUIDES = 60             # room for the x axis, its title and the chart title around a Vega-Lite view
VEGA_LITE_VIEWS = {"mark", "layer", "concat", "hconcat", "vconcat", "facet", "repeat", "spec"}
_TAGS = re.compile(r"<[^>]*>")
_MERMAID_LABEL = re.compile(r"^\s*(?:accTitle|accDescr|title)\s*:?\s+(?!\{)(.+?)\s*$", re.M)


class SpecError(ValueError):
    """A spec that cannot be drawn (not valid JSON, or not the shape its kind needs); `block_line` is the line of
    the block (1 = its first) where its JSON breaks, so the warning can point at the file's line."""

    def __init__(self, message: str, block_line: int = 0):
        super().__init__(message)
        self.block_line = block_line


def json_for_html(data) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def parse_spec(kind: str, spec) -> dict:
    """The spec as a mapping: a JSON object (text or already parsed); SpecError saying what is wrong and where."""
    if isinstance(spec, (str, bytes)):
        try:
            spec = json.loads(spec)
        except json.JSONDecodeError as exc:
            raise SpecError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno} of the block",
                            exc.lineno) from None
    if not isinstance(spec, dict):
        raise SpecError(f"a {KIND_NAMES[kind]} spec is a JSON object ({{…}}), not a JSON {_json_type(spec)}")
    if kind == "vega-lite" and "/schema/vega/" not in str(spec.get("$schema", "")) and not VEGA_LITE_VIEWS & set(spec):
        raise SpecError('a Vega-Lite spec says what to draw with "mark" (or "layer", "concat", "hconcat", "vconcat", '
                        '"facet" or "repeat" with a "spec")')
    if kind == "plotly":
        for key, kind_of in (("data", list), ("layout", dict), ("config", dict)):
            if key in spec and not isinstance(spec[key], kind_of):
                raise SpecError(f"a Plotly spec's \"{key}\" is a JSON {'array' if kind_of is list else 'object'}")
    return spec


def _json_type(value) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")


def _text(value, tags: bool = False) -> str:
    """A title's plain text: Vega-Lite titles may be lists of lines or {"text": ...}; Plotly's may carry tags
    (<b>, <br>), which are dropped."""
    if isinstance(value, dict):
        value = value.get("text", "")
    if isinstance(value, list):
        value = " ".join(str(line) for line in value)
    if not isinstance(value, str):
        return ""
    return " ".join((_TAGS.sub(" ", value) if tags else value).split())


def chart_label(kind: str, spec: dict) -> str:
    """What the chart is, for screen readers: its title, then its description, when the spec has them."""
    if kind == "plotly":
        layout = spec.get("layout")
        return _text(layout.get("title"), tags=True) if isinstance(layout, dict) else ""
    return ". ".join(t for t in (_text(spec.get("title")), _text(spec.get("description"))) if t)


def _pixels(value, default: int) -> int:
    return int(min(max(value, 50), 2000)) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else default


def chart_height(kind: str, spec: dict) -> int:
    """The height (px) to reserve while the script draws, so the page does not jump when the chart appears."""
    if kind == "plotly":
        layout = spec.get("layout")
        return _pixels(layout.get("height") if isinstance(layout, dict) else None, PLOTLY_HEIGHT)
    return _pixels(spec.get("height"), VEGA_HEIGHT) + VEGA_GUIDES


def _figure(kind: str, inner: str, label: str, height: int | None) -> str:
    aria = f' aria-label="{escape(label)}"' if label else ""
    reserve = f' style="--chart-height: {height}px"' if height else ""
    return (f'<figure class="chart chart-{kind}" data-chart="{kind}"{aria}{reserve}>'
            f'<div class="chart-canvas"></div>{inner}</figure>\n')


def chart_block(kind: str, spec, fallback: str = "") -> Block:
    """A chart of `kind` ('vega-lite' or 'plotly') from its spec (a mapping, or JSON text: SpecError when it is
    not a spec of that kind). `fallback` is HTML shown where the script does not run (a notebook's stored PNG)."""
    if kind not in CHART_KINDS:
        raise ValueError(f"unknown chart kind '{kind}'")
    data = parse_spec(kind, spec)
    label = chart_label(kind, data)
    shown = fallback or (f'<p class="chart-note">Chart: {escape(label or KIND_NAMES[kind] + " chart")} '
                         f'(needs JavaScript)</p>')
    inner = (f'<script type="application/json">{json_for_html(data)}</script>'
             f'<div class="chart-fallback">{shown}</div>')
    return Block(_figure(kind, inner, label, chart_height(kind, data)), features=(kind,))


def mermaid_block(code: str, info: str = "") -> Block:
    """A Mermaid diagram from its source, which readers without JavaScript see instead; its accTitle, accDescr
    or title names it for screen readers."""
    source = code.strip("\n").rstrip()
    if not source.strip():
        raise ValueError("the diagram is empty")
    label = ". ".join(m.group(1).strip("\"'") for m in _MERMAID_LABEL.finditer(source))
    what = f"Diagram: {escape(label)}" if label else "Diagram"
    inner = (f'<div class="chart-fallback"><p class="chart-note">{what} (needs JavaScript); its Mermaid source:'
             f'</p><pre class="chart-source"><code>{escape(source, quote=False)}</code></pre></div>')
    return Block(_figure("mermaid", inner, label, None), features=("mermaid",))


CORE_FENCES = {
    "mermaid": mermaid_block,
    "vega-lite": lambda code, info: chart_block("vega-lite", code),
    "vegalite": lambda code, info: chart_block("vega-lite", code),
    "plotly": lambda code, info: chart_block("plotly", code),
}

__all__ = ["CHART_KINDS", "CORE_FENCES", "KIND_NAMES", "SpecError", "chart_block", "chart_height", "chart_label",
           "json_for_html", "mermaid_block", "parse_spec"]
