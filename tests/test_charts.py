"""charts.py: diagram and chart blocks become placeholders with their spec as inert JSON; bad specs are
warnings at the block's line."""
from __future__ import annotations

import json
import re

import pytest

from mlfolio.charts import CORE_FENCES, chart_block, json_for_html, mermaid_block
from mlfolio.markdown import Extensions, render_markdown

EXT = Extensions(fences=dict(CORE_FENCES))


def spec_of(html: str):
    return json.loads(re.search(r'<script type="application/json">(.*?)</script>', html, re.S).group(1))


def test_a_spec_cannot_close_its_script_element():
    hostile = {"title": "</script><script>alert(1)</script>", "note": "a & b <!-- \u2028"}
    block = chart_block("vega-lite", hostile)
    assert "</script><script>" not in block.html and "<!--" not in block.html
    assert spec_of(block.html) == hostile
    assert block.features == ("vega-lite",)
    assert "<" not in json_for_html("<>&")


@pytest.mark.parametrize("text, error", [("[1, 2]", "JSON object"), ("{nope", "Expecting property name")])
def test_bad_specs_are_errors(text, error):
    with pytest.raises(ValueError, match=error):
        chart_block("plotly", text)


def test_fenced_blocks_in_markdown():
    doc = ("Intro.\n\n```mermaid\ngraph LR\n  A[<b>x</b>] --> B\n```\n\n"
           '```vega-lite\n{"mark": "bar", "data": {"values": [{"a": 1}]}}\n```\n\n'
           '```plotly\n{"data": [{"y": [1, 2]}]}\n```\n')
    r = render_markdown(doc, "posts/a.md", EXT)
    assert '<pre class="mermaid">graph LR\n  A[&lt;b&gt;x&lt;/b&gt;] --&gt; B</pre>' in r.html
    assert 'data-chart="vega-lite"' in r.html and 'data-chart="plotly"' in r.html
    assert r.features == ["mermaid", "plotly", "vega-lite"]
    assert r.problems == []
    assert mermaid_block("graph TD\n").features == ("mermaid",)


def test_a_broken_chart_is_a_warning_at_its_line_and_shown_as_code():
    r = render_markdown("Intro.\n\n```vega-lite\n{\"mark\": \n```\n", "posts/a.md", EXT)
    assert r.problems and r.problems[0][0] == 3 and "```vega-lite block could not be rendered" in r.problems[0][1]
    assert "<pre" in r.html and "vega-lite" not in r.features


def test_without_the_fences_the_blocks_are_code():
    r = render_markdown("```mermaid\ngraph LR\n```\n", "posts/a.md")
    assert 'class="highlight"' in r.html and r.features == []
