"""readers/notebook.py: .ipynb posts from their stored outputs, built through the CLI: front matter from metadata
or a YAML cell, highlighted code, tags, outputs (streams, pandas HTML, images, SVG, tracebacks, charts,
widgets) with everything untrusted sanitised, files beside the page, and clear problems for broken notebooks."""
from __future__ import annotations

import base64
import json
import re
import struct
import zlib

import pytest

from mlfolio.cli import main

TRACEBACK = [
    "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
    "\x1b[0;31mZeroDivisionError\x1b[0m                         Traceback (most recent call last)",
    "Cell \x1b[0;32mIn[4], line 1\x1b[0m\n\x1b[0;32m----> 1\x1b[0m \x1b[38;5;241m1\x1b[39m\x1b[38;5;241m/\x1b[39m"
    "\x1b[38;5;241m0\x1b[39m",
    "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero <img src=x onerror=alert(1)>",
]
PANDAS_HTML = """<div>
<style scoped>
    .dataframe tbody tr th:only-of-type {
        vertical-align: middle;
    }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th>
      <th>model</th>
      <th>top1</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <th>0</th>
      <td>resnet50</td>
      <td>0.761</td>
    </tr>
  </tbody>
</table>
</div>"""
HOSTILE_HTML = ('<p>hi</p><script>alert(document.cookie)</script><img src="x" onerror="alert(1)">'
                '<a href="javascript:alert(1)">click</a><iframe src="https://evil.example/"></iframe>'
                '<div onmouseover="steal()">hover</div>')
HOSTILE_SVG = ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
               '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="460.8pt" '
               'height="345.6pt" viewBox="0 0 460.8 345.6" onload="alert(1)">\n <script>alert(1)</script>\n'
               ' <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>\n'
               ' <a xlink:href="https://evil.example/"><path d="M 0 0 L 10 10" style="stroke: #1f77b4"/></a>\n</svg>\n')


def png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG: IHDR, one zlib IDAT of RGB rows, IEND."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"".join(bytes((x * 40 % 256, y * 60 % 256, 128)) for x in range(width))
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def lines(text: str) -> list[str]:
    """Jupyter's way of storing text: a list of lines, each with its newline but the last."""
    return text.splitlines(keepends=True)


def code(source: str, outputs=(), count=1, tags=(), **meta) -> dict:
    metadata = {**({"tags": list(tags)} if tags else {}), **meta}
    return {"cell_type": "code", "execution_count": count, "id": f"c{abs(hash(source)) % 10**8}",
            "metadata": metadata, "outputs": list(outputs), "source": lines(source)}


def markdown(source: str, **extra) -> dict:
    return {"cell_type": "markdown", "id": f"m{abs(hash(source)) % 10**8}", "metadata": {},
            "source": lines(source), **extra}


def notebook(cells, front: dict | None = None, minor: int = 5) -> str:
    meta = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                              "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                              "pygments_lexer": "ipython3", "version": "3.11.4"}}
    if front is not None:
        meta["mlfolio"] = front
    nb = {"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": minor}
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def stream(text: str, name: str = "stdout") -> dict:
    return {"name": name, "output_type": "stream", "text": lines(text)}


def display(data: dict, metadata=None, result: int | None = None) -> dict:
    out = {"data": data, "metadata": metadata or {},
           "output_type": "execute_result" if result else "display_data"}
    if result:
        out["execution_count"] = result
    return out


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode()      # Jupyter wraps base64 at 76 characters


def full_notebook() -> str:
    plot = png(64, 48)
    return notebook([
        markdown("---\ntitle: Training a tiny CNN\ndate: 2024-06-02\ntags: [pytorch, notebooks]\n"
                 "summary: Loss curves & a traceback.\n---\nWe train a **tiny** model and look at $x^2$.\n"),
        markdown("## Setup\n\nSee [the other post](2024-05-01-hello.md).\n"),
        code("import pandas as pd\nprint('hello <world>')", [stream("hello <world>\n"), stream("more\n"),
             stream("\x1b[33mWARNING\x1b[0m: deprecated\n", "stderr")], count=1),
        code("df", [display({"text/html": PANDAS_HTML, "text/plain": "   model  top1\n0  resnet50  0.761"},
                            result=2)], count=2),
        code("plt.plot(losses)", [display({"text/plain": lines("<Figure size 640x480 with 1 Axes>"),
                                           "image/png": b64(plot)}, {"image/png": {"width": 32}})], count=3),
        code("1/0", [{"ename": "ZeroDivisionError", "evalue": "division by zero", "output_type": "error",
                      "traceback": TRACEBACK}], count=4),
        code("HTML(evil)", [display({"text/html": lines(HOSTILE_HTML), "text/plain": ["<IPython.display.HTML>"]})],
             count=5),
        code("svg()", [display({"image/svg+xml": lines(HOSTILE_SVG), "text/plain": ["<Figure>"]})], count=6),
        code("fig.show()", [display({"application/vnd.plotly.v1+json": {"data": [{"y": [1, 3, 2],
                                     "type": "scatter", "name": "</script><script>alert(1)</script>"}],
                                     "layout": {}},
                                     "image/png": b64(png(8, 8)), "text/html": "<div>plotly</div>"})], count=7),
        code("IntSlider()", [display({"application/vnd.jupyter.widget-view+json": {"model_id": "abc",
                                      "version_major": 2, "version_minor": 0}, "text/plain": "IntSlider(value=0)"})],
             count=8),
        code("secret = load()", [stream("token=xyz\n")], count=9, tags=["remove-cell"]),
        code("import helpers", [stream("shown output\n")], count=10, tags=["remove-input"]),
        code("noisy()", [stream("hidden log\n")], count=11, tags=["remove-output"]),
        code("long_setup()", [stream("setup done\n")], count=12, tags=["hide-input"]),
        code("big_table()", [stream("rows...\n")], count=13, tags=["hide-output"]),
        code("", [], count=None),
        {"cell_type": "raw", "id": "r1", "metadata": {}, "source": ["raw text, not shown"]},
        markdown("## Results\n\nDone, see ![pasted](attachment:image.png).\n",
                 attachments={"image.png": {"image/png": b64(png(2, 2))}}),
    ])


def build(site, *args) -> int:
    return main(["build", str(site), "-o", str(site / "_site"), "--offline", *args])


@pytest.fixture
def built(make_site):
    site = make_site({"posts/2024-06-02-cnn.ipynb": full_notebook()})
    assert build(site) == 0
    return site


def page(site) -> str:
    return (site / "_site/blog/cnn/index.html").read_text()


def test_notebook_post_builds_with_front_matter_from_a_yaml_cell(built, capsys):
    html = page(built)
    assert "<title>Training a tiny CNN" in html
    assert 'class="notebook"' in html and "We train a <strong>tiny</strong> model" in html
    assert "title: Training" not in html                                 # the front matter cell is not shown
    assert '<a href="/blog/hello/">the other post</a>' in html          # links in Markdown cells resolve
    index = (built / "_site/blog/index.html").read_text()
    assert "Training a tiny CNN" in index and "Loss curves &amp; a traceback." in index
    assert (built / "_site/tags/pytorch/index.html").exists()


def test_code_cells_are_highlighted_with_prompts_and_merged_streams(built):
    html = page(built)
    assert '<div class="nb-prompt">In [1]:</div>' in html
    assert '<code class="language-python"><span class="kn">import</span>' in html
    assert '<pre class="nb-stream nb-stdout">hello &lt;world&gt;\nmore\n</pre>' in html
    assert '<pre class="nb-stream nb-stderr"><span class="ansi-yellow">WARNING</span>: deprecated\n</pre>' in html
    assert "In [ ]:" not in html                                       # empty cells are left out
    assert "raw text, not shown" not in html


def test_tags_remove_and_hide(built):
    html = page(built)
    assert "secret = load()" not in html and "token=xyz" not in html
    assert "shown output" in html and "helpers</span>" not in html
    assert "noisy" in html and "hidden log" not in html
    hidden_input = re.search(r'<details class="nb-hidden"><summary>Show code</summary>(.*?)</details>', html, re.S)
    assert hidden_input and "long_setup" in hidden_input.group(1)
    hidden_output = re.search(r'<details class="nb-hidden"><summary>Show output</summary>(.*?)</details>', html, re.S)
    assert hidden_output and "rows..." in hidden_output.group(1)


def test_pandas_table_is_kept_and_hostile_html_is_not(built):
    html = page(built)
    assert '<table class="dataframe">' in html and "<td>resnet50</td>" in html
    body = html[html.index('class="notebook"'):html.index("<footer")]
    for tag, attrs in elements(body):
        assert tag not in ("iframe", "object", "embed", "form", "style", "base", "meta"), tag
        assert tag != "script" or ("type", "application/json") in attrs, attrs
        for name, value in attrs:
            assert not name.startswith("on") and "javascript:" not in (value or "").lower(), (tag, name, value)
    assert "<p>hi</p>" in body and "alert(document.cookie)" not in body and "steal()" not in body


def elements(html: str) -> list[tuple[str, list]]:
    """Every start tag of `html` with its attributes, as a browser's tokenizer sees them."""
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_images_are_files_beside_the_page_with_their_size(built):
    html = page(built)
    folder = built / "_site/blog/cnn"
    assert '<img src="/blog/cnn/cell5-1.png" width="32" height="24" alt="Figure from cell 5" loading="lazy"' in html
    assert (folder / "cell5-1.png").read_bytes() == png(64, 48)
    assert "base64" not in html
    assert '<img src="/blog/cnn/cell18-image.png" alt="pasted"' in html and (folder / "cell18-image.png").exists()


def test_svg_output_is_cleaned_and_served_as_a_file(built):
    html = page(built)
    assert '<img src="/blog/cnn/cell8-1.svg" width="614" height="461"' in html
    svg = (built / "_site/blog/cnn/cell8-1.svg").read_text()
    assert svg.startswith("<svg") and "stroke: #1f77b4" in svg
    for bad in ("<script", "onload", "foreignObject", "evil.example"):
        assert bad not in svg


def test_traceback_keeps_its_colours_escaped(built):
    html = page(built)
    assert '<pre class="nb-error"><span class="ansi-red">---' in html
    assert '<span class="ansi-red">ZeroDivisionError</span>: division by zero &lt;img src=x onerror=alert(1)&gt;' \
        in html
    assert "\x1b" not in html


def test_plotly_output_is_a_chart_with_the_png_fallback_and_widgets_a_note(built):
    html = page(built)
    chart = re.search(r'<figure class="chart chart-plotly" data-chart="plotly"[^>]*>(.*?)</figure>', html, re.S)
    assert chart and '<img src="/blog/cnn/cell9-1.png"' in chart.group(1)
    assert "</script><script>alert(1)" not in html and "\\u003c/script\\u003e" in chart.group(1)
    assert "Interactive widget" in html and "IntSlider(value=0)" not in html


def test_download_and_notebook_file_and_page_feature(built):
    html = page(built)
    assert '<a class="nb-download" href="/blog/cnn/2024-06-02-cnn.ipynb" download>Download notebook</a>' in html
    assert (built / "_site/blog/cnn/2024-06-02-cnn.ipynb").read_text() == full_notebook()
    assert "assets/notebook.css" in html
    assert "assets/notebook.css" not in (built / "_site/blog/hello/index.html").read_text()
    assert 'href="https://colab.research.google.com/github/ada/ada.github.io/blob/main/posts/2024-06-02-cnn.ipynb"' \
        in html                                                      # url: https://ada.github.io


def test_front_matter_from_metadata_with_problems_pointing_into_the_file(make_site, capsys):
    text = notebook([markdown("# Hi\n\nBody text.")], front={"title": "From metadata", "date": "2024-07-01"})
    site = make_site({"posts/meta.ipynb": text,
                      "mlfolio.yml": "title: T\nurl: https://x.example\nnotebooks:\n  repo: ada/site\n"
                                     "  branch: pages\n  folder: my site\n"})
    assert build(site) == 0
    html = (site / "_site/blog/meta/index.html").read_text()
    assert "<title>From metadata" in html and "Body text." in html
    assert "colab.research.google.com/github/ada/site/blob/pages/my%20site/posts/meta.ipynb" in html
    bad = text.replace('"date": "2024-07-01"', '"date": "2024-13-45",\n   "colour": 3')
    (site / "posts/meta.ipynb").write_text(bad)
    assert build(site) == 1
    err = capsys.readouterr().err
    line = bad.splitlines().index('   "date": "2024-13-45",') + 1
    assert f"posts/meta.ipynb:{line}:" in err and "must be a date" in err
    assert f"posts/meta.ipynb:{line + 1}:" in err and "colour" in err


def test_yaml_cell_errors_point_at_the_cell_lines(make_site, capsys):
    text = notebook([markdown("---\ntitle: [unclosed\ndate: 2024-01-01\n---\n")])
    site = make_site({"posts/x.ipynb": text})
    assert build(site) == 1
    err = capsys.readouterr().err
    first = text.splitlines().index('    "title: [unclosed\\n",') + 1
    assert re.search(rf"posts/x.ipynb:{first}(:\d+)?: ", err) or re.search(rf"posts/x.ipynb:{first + 1}:", err), err


@pytest.mark.parametrize("text, where, what", [
    ('{\n "cells": [\n  {"cell_type": "code",,}\n ]\n}\n', ":3:", "invalid JSON"),
    ("", ":1:1:", "invalid JSON"),
    ('{"cells": [], "metadata": {}, "nbformat": 3, "nbformat_minor": 0}', ":1:", "notebook format 3"),
    ('{\n "metadata": {},\n "nbformat": 3,\n "nbformat_minor": 0,\n "worksheets": [{"cells": []}]\n}\n', ":1:1:",
     "no 'cells' list"),
    ('[1, 2]', ":1:1:", "no 'cells' list"),
    (notebook([code("x = 1")]), ":1:1:", "no front matter"),
])
def test_broken_notebooks_are_errors_at_their_position_and_leave_the_output(make_site, capsys, text, where, what):
    site = make_site()
    assert build(site) == 0
    before = (site / "_site/index.html").read_bytes()
    (site / "posts/broken.ipynb").write_text(text)
    assert build(site) == 1
    err = capsys.readouterr().err
    assert f"posts/broken.ipynb{where}" in err and what in err and "Traceback" not in err
    assert (site / "_site/index.html").read_bytes() == before


def test_nbformat_3_error_points_at_its_version(make_site, capsys):
    text = '{\n "metadata": {"name": ""},\n "nbformat": 3,\n "nbformat_minor": 0,\n "worksheets": []\n}\n'
    text = text.replace('"worksheets": []', '"worksheets": [], "cells": []')
    site = make_site({"posts/old.ipynb": text})
    assert build(site) == 1
    assert "posts/old.ipynb:3:2: notebook format 3 is not supported" in capsys.readouterr().err


def test_megabytes_of_output_warn_with_the_cell_number(make_site, capsys):
    noise = "".join(f"epoch {i}: loss={1 / (i + 1):.6f} " + "=" * 80 + "\n" for i in range(40_000))   # ~4 MB
    big = png(300, 200)
    text = notebook([markdown("---\ntitle: Big\ndate: 2024-02-02\n---\n"), code("train()", [stream(noise)]),
                     code("plot()", [display({"image/png": b64(big)})])])
    assert len(text) > 4_000_000
    site = make_site({"posts/big.ipynb": text})
    assert build(site) == 0
    err = capsys.readouterr().err
    assert "posts/big.ipynb:" in err and "cell 2: output 1 left out" in err and "notebooks.max_output_kb" in err
    html = (site / "_site/blog/big/index.html").read_text()
    assert "Output too large to show" in html and "epoch 39999" not in html and len(html) < 200_000
    assert (site / "_site/blog/big/cell3-1.png").exists()
    assert build(site, "--strict") == 1


def test_broken_cells_are_warnings_with_the_cell_number(make_site, capsys):
    cells = [markdown("---\ntitle: Broken\ndate: 2024-03-03\n---\n"), code("ok()", [stream("fine\n")]),
             code("bad()", [display({"image/png": "!!!not base64!!!"})]),
             code("weird()", [{"output_type": "mystery"}]), "not a cell", {"cell_type": "sql", "source": "x"},
             code("after()", [stream("still rendered\n")])]
    site = make_site({"posts/broken.ipynb": notebook(cells)})
    assert build(site) == 0
    err = capsys.readouterr().err
    for n in (3, 4, 5, 6):
        assert f"cell {n}:" in err, n
    assert "cell 4: output 1 left out: it is not a valid output (unknown output type 'mystery')" in err
    html = (site / "_site/blog/broken/index.html").read_text()
    assert "fine" in html and "still rendered" in html and "weird</span>" in html   # its code stays
    assert "Traceback" not in err


def test_unclosed_fence_in_a_markdown_cell_does_not_swallow_the_next_cells(make_site):
    cells = [markdown("---\ntitle: Fence\ndate: 2024-04-04\n---\n"), markdown("```python\nx = 1"),
             code("print(2)", [stream("two\n")]), markdown("## After")]
    site = make_site({"posts/fence.ipynb": notebook(cells)})
    assert build(site) == 0
    html = (site / "_site/blog/fence/index.html").read_text()
    assert '<pre class="nb-stream nb-stdout">two\n</pre>' in html and "<h2" in html and "After" in html


def test_editing_a_notebook_rerenders_only_its_body(built, capsys):
    from mlfolio.build import BuildOptions, Builder

    builder = Builder(BuildOptions(site_dir=built, output=built / "_site", offline=True))
    builder.build()
    path = built / "posts/2024-06-02-cnn.ipynb"
    path.write_text(path.read_text().replace("We train a", "We now train a"))
    result = builder.rebuild({path})
    assert "blog/cnn/index.html" in result.changed
    assert "blog/hello/index.html" not in result.changed
    assert "We now train a" in page(built)


def test_missing_nbformat_skips_the_notebook_with_a_warning(make_site, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "nbformat", None)
    site = make_site({"posts/2024-06-02-cnn.ipynb": full_notebook()})
    assert build(site) == 0
    err = capsys.readouterr().err
    assert "posts/2024-06-02-cnn.ipynb: notebook skipped" in err and "pip install 'mlfolio[notebooks]'" in err
    assert not (site / "_site/blog/cnn").exists()


def test_a_notebook_page_under_a_sub_path_with_a_hidden_cell(make_site):
    text = notebook([code("plot()", [display({"image/png": b64(png(5, 5)), "text/plain": ["Loss curve"]})],
                          tags=["hide-cell"])], front={"title": "Gallery", "menu": 3})
    site = make_site({"pages/gallery.ipynb": text})
    assert build(site, "--base-url", "https://ada.github.io/portfolio") == 0
    html = (site / "_site/gallery/index.html").read_text()
    cell = re.search(r'<details class="nb-hidden"><summary>Show cell</summary>(.*?)</details>', html, re.S)
    assert cell and '<img src="/portfolio/gallery/cell1-1.png" width="5" height="5" alt="Loss curve"' in cell.group(1)
    assert (site / "_site/gallery/cell1-1.png").exists() and (site / "_site/gallery/gallery.ipynb").exists()
    assert 'href="/portfolio/gallery/gallery.ipynb"' in html
    assert "colab.research.google.com/github/ada/ada.github.io/blob/main/pages/gallery.ipynb" in html  # from url


def test_outputs_cannot_forge_the_builds_link_markers(make_site):
    forged = "@mlfolio-link-0@ @mlfolio-link-99@ @mlfolio-asset-0@ @mlfolio-asset-42@"
    cells = [markdown("---\ntitle: Forged\ndate: 2024-05-05\n---\n[hello](2024-05-01-hello.md)"),
             code(f"print('{forged}')", [stream(forged + "\n"), display({"text/html": f"<b>{forged}</b>"}),
                                         display({PLOTLY_KEY: {"data": [{"name": forged}]}})])]
    site = make_site({"posts/forged.ipynb": notebook(cells)})
    assert build(site) == 0
    html = (site / "_site/blog/forged/index.html").read_text()
    assert html.count("&#64;mlfolio-link-99@") >= 3 and "\\u0040mlfolio-asset-42@" in html
    assert "/blog/hello/" in html and "/blog/forged/forged.ipynb" in html


PLOTLY_KEY = "application/vnd.plotly.v1+json"


def test_front_matter_cell_that_never_ends_is_an_error_at_the_cell(make_site, capsys):
    text = notebook([markdown("---\ntitle: Open\ndate: 2024-01-01\n"), code("x = 1")])
    site = make_site({"posts/open.ipynb": text})
    assert build(site) == 1
    line = text.splitlines().index('    "---\\n",') + 1
    assert f"posts/open.ipynb:{line}:1: cell 1: front matter starts with '---' but never ends" in capsys.readouterr().err


@pytest.mark.parametrize("seed", [1, 2])
def test_randomly_damaged_notebooks_never_raise(seed):
    """Values swapped for ones of the wrong type anywhere in a real notebook: a SplitError or a render, never
    an exception."""
    import copy
    import random

    from mlfolio.plugins import core_registry
    from mlfolio.readers import SplitError

    reader = core_registry().readers[".ipynb"]
    good = json.loads(full_notebook())
    values = [None, 1, -5, 2.5, True, "", "<script>alert(1)</script>", [], {}, [1, None], {"a": []},
              "\x1b[38;5;999m", ["---\n", "title: x\n"], "iVBOR", {"image/png": 5}, {"text/html": ["<b>", None]}]

    def paths(node, prefix=()):
        yield prefix
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            yield from paths(child, prefix + (key,))

    every = [p for p in paths(good) if p]
    rng = random.Random(seed)
    for _ in range(60):
        nb = copy.deepcopy(good)
        for _ in range(rng.randrange(1, 4)):
            path, node = rng.choice(every), nb
            try:
                for key in path[:-1]:
                    node = node[key]
                node[path[-1]] = copy.deepcopy(rng.choice(values))
            except (KeyError, IndexError, TypeError):
                pass
        text = json.dumps(nb, indent=1)
        try:
            reader.split(text)
        except SplitError:
            continue
        assert reader.render(text, "posts/x.ipynb").html.startswith('<div class="notebook">')


def test_vega_lite_markdown_outputs_and_jupyters_own_collapsed_flags(make_site):
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "bar",
            "data": {"values": [{"a": "x", "b": 1}]}, "encoding": {"x": {"field": "a"}, "y": {"field": "b"}}}
    cells = [markdown("---\ntitle: Charts\ndate: 2024-08-08\n---\n"),
             code("alt.Chart(df).mark_bar()", [display({"application/vnd.vegalite.v5+json": spec,
                                                        "text/plain": ["alt.Chart(...)"]})]),
             code("display(Markdown(md))", [display({"text/markdown": "**bold** <img src=x onerror=alert(1)>",
                                                     "text/plain": ["<IPython.core.display.Markdown object>"]})],
                  jupyter={"source_hidden": True}),
             code("log()", [stream("quiet\n")], jupyter={"outputs_hidden": True})]
    site = make_site({"posts/charts.ipynb": notebook(cells)})
    assert build(site) == 0
    html = (site / "_site/blog/charts/index.html").read_text()
    assert '<figure class="chart chart-vega-lite" data-chart="vega-lite"' in html and '"mark":"bar"' in html
    assert "<strong>bold</strong>" in html and "onerror" not in html
    assert re.search(r"<summary>Show code</summary>.*?Markdown</span>", html, re.S)
    assert re.search(r"<summary>Show output</summary>.*?quiet", html, re.S)


def test_latex_outputs_are_typeset_like_sympy_shows_them(make_site, capsys):
    sympy = "$\\displaystyle \\frac{x^{2}}{2} + \\sqrt{y}$"
    cells = [markdown("---\ntitle: Symbols\ndate: 2024-08-09\n---\n"),
             code("integrate(x, x)", [display({"text/latex": sympy, "text/plain": ["x**2/2 + sqrt(y)"]}, result=1)]),
             code("Matrix(m)", [display({"text/latex": lines("$$\\left[\\begin{matrix}1 & 2\\\\3 & 4\\end{matrix}"
                                                               "\\right]$$"), "text/plain": ["Matrix([[1, 2]])"]})]),
             code("broken", [display({"text/latex": "$\\frac{1}{$", "text/plain": ["kept as text"]})]),
             code("mixed", [display({"text/latex": "$a$ and $b$", "text/plain": ["a and b"]})])]
    site = make_site({"posts/symbols.ipynb": notebook(cells)})
    assert build(site) == 0
    html = (site / "_site/blog/symbols/index.html").read_text()
    assert html.count('<div class="nb-output nb-latex"><div class="math-display"><math') == 2
    assert '<mfrac><msup><mi>x</mi><mn class="tml-sml-pad">2</mn></msup><mn>2</mn></mfrac>' in html
    assert "<msqrt><mi>y</mi></msqrt>" in html and "<mtable" in html and "\\displaystyle" not in html
    assert '<pre class="nb-text">kept as text</pre>' in html and '<pre class="nb-text">a and b</pre>' in html
    assert "math/math.css" in html
    err = capsys.readouterr().err
    assert "posts/symbols.ipynb" in err and "cell 4: output 1: its LaTeX could not be typeset" in err
