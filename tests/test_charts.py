"""charts.py: diagram and chart blocks become figures with their spec as inert JSON, an accessible name, a reserved
height and a text for readers without JavaScript; bad specs are warnings at their line, shown as broken code."""
from __future__ import annotations

import json
import re

import pytest

from mlfolio.charts import CORE_FENCES, SpecError, chart_block, chart_height, json_for_html, mermaid_block
from mlfolio.markdown import Extensions, render_markdown

EXT = Extensions(fences=dict(CORE_FENCES))


def spec_of(html: str):
    return json.loads(re.search(r'<script type="application/json">(.*?)</script>', html, re.S).group(1))


def test_a_spec_cannot_close_its_script_element():
    hostile = {"title": "</script><script>alert(1)</script>", "note": "a & b <!-- \u2028 \u2029"}
    block = chart_block("vega-lite", hostile)
    assert "</script><script>" not in block.html and "<!--" not in block.html and "\u2028" not in block.html
    assert spec_of(block.html) == hostile
    assert block.features == ("vega-lite",)
    assert "<" not in json_for_html("<>&") and ">" not in json_for_html("<>&")


def test_the_figure_is_named_sized_and_says_what_it_is_without_javascript():
    spec = {"title": {"text": ["Loss", "per <epoch>"]}, "description": 'train & "val"', "height": 300,
            "mark": "line", "data": {"values": [{"x": 1, "y": 2}]}}
    html = chart_block("vega-lite", json.dumps(spec, indent=2)).html
    assert 'aria-label="Loss per &lt;epoch&gt;. train &amp; &quot;val&quot;"' in html
    assert 'style="--chart-height: 360px"' in html
    assert '<p class="chart-note">Chart: Loss per' in html and "(needs JavaScript)</p>" in html
    assert '<div class="chart-canvas"></div>' in html


def test_untitled_charts_and_odd_heights():
    html = chart_block("plotly", '{"data": [{"y": [1, 2]}]}').html
    assert "aria-label" not in html and "Chart: Plotly chart (needs JavaScript)" in html
    assert chart_height("plotly", {"layout": {"height": 9e9}}) == 2000
    assert chart_height("plotly", {"layout": {"height": "tall"}}) == 450
    assert chart_height("vega-lite", {"height": "container"}) == 260
    assert chart_height("vega-lite", {"height": True}) == 260
    titled = chart_block("plotly", {"layout": {"title": {"text": "<b>AUC</b> by fold"}}}).html
    assert 'aria-label="AUC by fold"' in titled


def test_a_notebook_fallback_replaces_the_note():
    html = chart_block("plotly", {"data": []}, fallback='<img src="out-3.png" alt="">').html
    assert '<div class="chart-fallback"><img src="out-3.png" alt=""></div>' in html
    assert "needs JavaScript" not in html


@pytest.mark.parametrize("text, error, line", [
    ("[1, 2]", "JSON object .* not a JSON array", 0),
    ('"bar"', "not a JSON string", 0),
    ('{\n  "mark": "bar",\n  "data": {"values": [1, 2,]}\n}', r"line 3, column 28 of the block", 3),
    ("{nope", "Expecting property name", 1),
    ('{"data": {"y": 1}}', 'Plotly spec\'s "data" is a JSON array', 0),
])
def test_bad_specs_are_errors_with_their_position(text, error, line):
    with pytest.raises(SpecError, match=error) as caught:
        chart_block("plotly" if "data" in text and "values" not in text else "vega-lite", text)
    assert caught.value.block_line == line


def test_unknown_kind():
    with pytest.raises(ValueError, match="unknown chart kind"):
        chart_block("chartjs", {})


def test_fenced_blocks_in_markdown():
    doc = ("Intro.\n\n```mermaid\ngraph LR\n  accTitle: Data <flow>\n  A[<b>x</b>] --> B\n```\n\n"
           '```vega-lite\n{"mark": "bar", "data": {"values": [{"a": 1}]}}\n```\n\n'
           '```vegalite\n{"mark": "point"}\n```\n\n'
           '```plotly\n{"data": [{"y": [1, 2]}]}\n```\n')
    r = render_markdown(doc, "posts/a.md", EXT)
    assert '<code>graph LR\n  accTitle: Data &lt;flow&gt;\n  A[&lt;b&gt;x&lt;/b&gt;] --&gt; B</code>' in r.html
    assert 'data-chart="mermaid" aria-label="Data &lt;flow&gt;"' in r.html
    assert r.html.count('data-chart="vega-lite"') == 2 and 'data-chart="plotly"' in r.html
    assert r.features == ["mermaid", "plotly", "vega-lite"]
    assert r.problems == []
    assert mermaid_block("graph TD\n").features == ("mermaid",)


def test_a_broken_chart_is_a_warning_at_its_line_and_shown_as_broken_code():
    doc = 'Intro.\n\n```vega-lite\n{\n  "mark": "bar",\n  "title": "a" "b"\n}\n```\n\nAfter.\n'
    r = render_markdown(doc, "posts/a.md", EXT)
    assert len(r.problems) == 1
    line, message, hint = r.problems[0]
    assert line == 6 and "```vega-lite block could not be rendered" in message and "column 16" in message
    assert '<div class="block-error"><p>This vega-lite block could not be rendered: not valid JSON' in r.html
    assert "&quot;title&quot;" in r.html
    assert "vega-lite" not in r.features and "<script" not in r.html


def test_an_empty_diagram_is_a_warning():
    r = render_markdown("```mermaid\n\n```\n", "posts/a.md", EXT)
    assert r.problems and "the diagram is empty" in r.problems[0][1] and r.features == []


def test_without_the_fences_the_blocks_are_code():
    r = render_markdown("```mermaid\ngraph LR\n```\n", "posts/a.md")
    assert 'class="highlight"' in r.html and r.features == []
