"""charts.py: diagram and chart blocks become figures with their spec as inert JSON, an accessible name, a reserved
height and a text for readers without JavaScript; bad specs are warnings at their line, shown as broken code."""
from __future__ import annotations

import json
import re

import pytest
from conftest import MINIMAL_SITE, serve_folder, write_site

from mlfolio.build import BuildOptions, build_site
from mlfolio.charts import CORE_FENCES, SpecError, chart_block, chart_height, json_for_html, mermaid_block
from mlfolio.markdown import Extensions, render_markdown

EXT = Extensions(fences=dict(CORE_FENCES))


def spec_of(html: str):
    return json.loads(re.search(r'<script type="application/json">(.*?)</script>', html, re.S).group(1))


def test_a_spec_cannot_close_its_script_element():
    hostile = {"title": "</script><script>alert(1)</script>", "note": "a & b <!-- \u2028 \u2029", "mark": "bar"}
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
    ('{"data": {"values": []}, "encoding": {}}', 'says what to draw with "mark"', 0),
])
def test_bad_specs_are_errors_with_their_position(text, error, line):
    with pytest.raises(SpecError, match=error) as caught:
        chart_block("plotly" if '"data": {"y"' in text else "vega-lite", text)
    assert caught.value.block_line == line


def test_unknown_kind_and_full_vega_specs():
    with pytest.raises(ValueError, match="unknown chart kind"):
        chart_block("chartjs", {})
    vega = {"$schema": "https://vega.github.io/schema/vega/v6.json", "marks": []}
    assert chart_block("vega-lite", vega).features == ("vega-lite",)
    assert chart_block("vega-lite", {"repeat": ["a"], "spec": {"mark": "bar"}}).features == ("vega-lite",)


def test_fenced_blocks_in_markdown():
    doc = ("Intro.\n\n```mermaid\ngraph LR\n  accTitle: Data <flow>\n  A[<b>x</b>] --> B\n```\n\n"
           '```vega-lite\n{"mark": "bar", "data": {"values": [{"a": 1}]}}\n```\n\n'
           '```vegalite\n{"mark": "point"}\n```\n\n'
           '```plotly\n{"data": [{"y": [1, 2]}]}\n```\n')
    r = render_markdown(doc, "posts/a.md", EXT)
    assert '<code>graph LR\n  accTitle: Data &lt;flow&gt;\n  A[&lt;b&gt;x&lt;/b&gt;] --&gt; B</code>' in r.html
    assert 'data-chart="mermaid" aria-label="Data &lt;flow&gt;"' in r.html
    assert "Diagram: Data &lt;flow&gt; (needs JavaScript); its Mermaid source:" in r.html
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
    assert r.problems and "the diagram is empty" in r.problems[0][1] and r.features == ["code"]   # shown as code


def test_without_the_fences_the_blocks_are_code():
    r = render_markdown("```mermaid\ngraph LR\n```\n", "posts/a.md")
    assert 'class="highlight"' in r.html and r.features == ["code"]


# ---------- In a real browser: the vendored libraries draw each kind, and only pages with one load them ----------

CHART_POST = """\
    ---
    title: Charts
    ---
    A pipeline, a loss curve and a bar chart.

    ```mermaid
    flowchart LR
      accTitle: Training pipeline
      A[Raw data] --> B{Split}
      B --> C[Train]
      B --> D[Validate]
    ```

    ```vega-lite
    {"title": "Loss", "height": 160, "width": "container", "mark": "line",
     "data": {"values": [{"epoch": 1, "loss": 2.1}, {"epoch": 2, "loss": 1.4}, {"epoch": 3, "loss": 1.1}]},
     "encoding": {"x": {"field": "epoch", "type": "quantitative"},
                  "y": {"field": "loss", "type": "quantitative"}}}
    ```

    ```plotly
    {"data": [{"type": "bar", "x": ["a", "b"], "y": [3, 1]}],
     "layout": {"title": {"text": "Counts"}, "height": 300}}
    ```

    ```vega-lite
    {"title": "From a file", "data": {"url": "data/points.json"}, "mark": "point",
     "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}}
    ```
"""
TROUBLE = """\
    ---
    title: Remote
    ---
    ```vega-lite
    {"data": {"url": "https://example.com/data.csv"}, "mark": "point"}
    ```

    ```plotly
    {"data": [{"y": [1, 2]}], "layout": {"images": [{"source": "https://example.com/x.png"}]}}
    ```

    ```plotly
    {"data": [{"type": "scatter3d", "x": [1], "y": [1], "z": [1]}]}
    ```

    ```mermaid
    flowchart LR
      A -->
    ```
"""


@pytest.fixture(scope="module")
def served_charts(tmp_path_factory):
    """A tiny site under a sub-path (/portfolio/) with a chart post, a post with trouble and a plain post, built
    offline once and served on 127.0.0.1; yields the site's base URL."""
    root = tmp_path_factory.mktemp("charts")
    site = write_site(root / "site", {
        **MINIMAL_SITE, "mlfolio.yml": "title: Test Site\nurl: https://ada.github.io/portfolio\n",
        "posts/2024-06-01-charts.md": CHART_POST, "posts/2024-06-02-trouble.md": TROUBLE,
        "posts/2024-06-03-far.md": "---\ntitle: Far\n---\n" + "Words to scroll past.\n\n" * 300
        + '```vega-lite\n{"mark": "bar", "data": {"values": [{"a": "x", "b": 1}]},\n'
          ' "encoding": {"x": {"field": "a"}, "y": {"field": "b", "type": "quantitative"}}}\n```\n',
        "static/data/points.json": '[{"x": 1, "y": 2}, {"x": 2, "y": 3}]'})
    build_site(BuildOptions(site_dir=site, output=root / "web/portfolio", offline=True, quiet=True))
    with serve_folder(root / "web") as base:
        yield base + "portfolio/"


def open_page(browser, url: str, scheme: str = "light"):
    """The page at url, with what it logged and every URL it requested; nothing off 127.0.0.1 is fetched."""
    context = browser.new_context(viewport={"width": 1000, "height": 900}, color_scheme=scheme)
    log: list[str] = []
    requested: list[str] = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url.split("/portfolio/")[0])
                  else (log.append(f"outside: {r.request.url}"), r.abort()))
    page = context.new_page()
    page.on("console", lambda m: log.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: log.append(f"pageerror: {exc}"))
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url)
    return context, page, log, requested


DRAWN = ("[...document.querySelectorAll('figure.chart')].every(f => f.matches('.chart-drawn, .chart-failed'))")


def test_each_kind_is_drawn_as_svg_and_redrawn_in_the_other_scheme(browser, served_charts):
    base = served_charts
    context, page, log, requested = open_page(browser, base + "blog/charts/")
    page.wait_for_function(DRAWN, timeout=15000)
    for figure in page.locator("figure.chart").all():
        assert figure.get_attribute("class").endswith("chart-drawn"), figure.get_attribute("data-chart")
        assert figure.locator(".chart-canvas svg").count() >= 1
        assert not figure.locator(".chart-fallback").is_visible()
    labels = [f.get_attribute("aria-label") for f in page.locator("figure.chart").all()]
    assert labels == ["Training pipeline", "Loss", "Counts", "From a file"]
    assert page.locator("figure.chart-vega-lite").nth(1).locator("svg .mark-symbol path").count() == 2
    assert base + "data/points.json" in requested        # a relative path starts at the site's root
    node = "getComputedStyle(document.querySelector('figure.chart-mermaid .node rect, " \
           "figure.chart-mermaid .node polygon')).fill"
    light = page.evaluate(node)
    page.click(".theme-toggle")
    page.wait_for_function(f"{node} !== {light!r}", timeout=10000)
    page.wait_for_function(DRAWN)
    assert page.locator("figure.chart-plotly .chart-canvas svg").count() >= 1
    assert log == []
    assert not any("elk" in url for url in requested), "a flowchart must not load the ELK layout (1.6 MB)"
    context.close()


def test_nothing_is_evaluated_as_code_under_a_csp_without_unsafe_eval(browser, served_charts):
    """With `script-src 'self'` (and the theme's inline no-flash script) every kind still draws: no library
    turns spec text into code with eval or new Function."""
    from playwright.sync_api import expect

    base = served_charts
    context = browser.new_context()
    log: list[str] = []

    def with_csp(route):
        response = route.fetch()
        headers = dict(response.headers)
        if route.request.resource_type == "document":
            headers["content-security-policy"] = "script-src 'self' 'unsafe-inline'; connect-src 'self'"
        route.fulfill(response=response, headers=headers)

    context.route(f"{base}**", with_csp)
    page = context.new_page()
    page.on("console", lambda m: log.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: log.append(f"pageerror: {exc}"))
    page.goto(base + "blog/charts/")
    for figure in page.locator("figure.chart").all():
        expect(figure).to_have_class(re.compile(r"\bchart-drawn\b"), timeout=15000)
        assert figure.locator(".chart-canvas svg").count() >= 1
    assert log == []
    context.close()


def test_remote_data_is_not_fetched_and_what_cannot_be_drawn_says_why(browser, served_charts):
    base = served_charts
    context, page, log, _ = open_page(browser, base + "blog/trouble/")
    page.wait_for_function(DRAWN, timeout=15000)
    errors = page.locator(".chart-error").all_inner_texts()
    assert len(errors) == 4, errors
    remote, images, trace, diagram = errors
    assert remote.startswith("Part of this Vega-Lite chart is missing.") and "https://example.com/data.csv" in remote
    assert "https://example.com/x.png" in images and "this site's files" in images
    assert trace.startswith("This Plotly chart could not be drawn.") and '"scatter3d"' in trace and "heatmap" in trace
    assert diagram.startswith("This Mermaid diagram could not be drawn.") and "Parse error" in diagram
    assert page.locator("figure.chart-mermaid pre").is_visible()          # its source, for the writer to fix
    assert not page.locator("figure.chart-plotly .chart-note").first.is_visible()
    assert not [line for line in log if line.startswith("outside:")]
    context.close()


def test_pages_without_charts_load_no_chart_script_and_no_js_readers_get_text(browser, served_charts):
    base = served_charts
    context, page, log, requested = open_page(browser, base + "blog/hello/")
    page.wait_for_load_state("load")
    assert not [u for u in requested if "chart" in u or "/features/" in u], requested
    assert log == []
    context.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "blog/charts/")
    assert page.get_by_text("Chart: Loss (needs JavaScript)").is_visible()
    assert page.locator("figure.chart-mermaid pre").is_visible()
    context.close()


def test_a_chart_far_down_is_drawn_only_when_it_comes_near(browser, served_charts):
    """Chart libraries are heavy: fetched at low priority (the first paint never waits for them) and run only
    when a chart nears the viewport."""
    base = served_charts
    context, page, log, requested = open_page(browser, base + "blog/far/")
    page.wait_for_load_state("load")
    head = page.locator("head link[data-chart-lib]").all()
    assert head and all(link.get_attribute("fetchpriority") == "low" for link in head)
    page.wait_for_timeout(500)
    assert page.evaluate("[...document.querySelectorAll('figure.chart')].every(f => f.matches('.chart-pending'))")
    assert page.evaluate("typeof window.vegaEmbed") == "undefined"
    page.locator("figure.chart").last.scroll_into_view_if_needed()
    page.wait_for_function(DRAWN, timeout=15000)
    assert page.locator("figure.chart.chart-drawn svg").count() >= 1 and log == []
    context.close()
