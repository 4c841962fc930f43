"""Untrusted notebook HTML, Markdown and SVG made safe: nothing that runs, frames or leaves the page survives."""
import pytest

from mlfolio.sanitise import UnsafeSvg, clean_html, clean_svg

PANDAS = """<div>
<style scoped>
    .dataframe tbody tr th:only-of-type { vertical-align: middle; }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th><th>model</th><th>acc</th>
    </tr>
  </thead>
  <tbody>
    <tr><th>0</th><td>resnet50</td><td>0.761</td></tr>
  </tbody>
</table>
</div>"""


def test_pandas_table_keeps_its_structure_and_class():
    html = clean_html(PANDAS)
    assert '<table class="dataframe">' in html
    assert '<tr style="text-align:right">' in html
    assert "<th>0</th><td>resnet50</td><td>0.761</td>" in html
    assert "<style" not in html and "vertical-align: middle" not in html


@pytest.mark.parametrize("hostile", [
    '<script>alert(1)</script>', '<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>', '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object>', '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<form action="https://evil.example"><input name="p"></form>', '<div onmouseover="alert(1)">x</div>',
    '<img src="data:text/html;base64,PHNjcmlwdD4=">', '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<p style="position:fixed;top:0;width:100%;background:url(javascript:alert(1))">x</p>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">', '<embed src="x">',
])
def test_hostile_html_never_survives(hostile):
    html = clean_html(hostile).lower()
    for bad in ("<script", "onerror", "onload", "onmouseover", "javascript:", "<iframe", "<object", "<form",
                "<embed", "<base", "<meta", "data:text", "position", "url("):
        assert bad not in html, (hostile, html)


def test_raster_data_images_stay():
    img = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="plot">'
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in clean_html(img)


HOSTILE_SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120pt" height="80pt"
     viewBox="0 0 120 80" onload="alert(1)">
  <script type="text/javascript">alert(document.cookie)</script>
  <style>@import url(https://evil.example/x.css); .l { stroke: url(https://evil.example/#p); fill: #1f77b4 }</style>
  <defs><path id="m" d="M0 0L1 1"/></defs>
  <g onclick="alert(1)"><rect class="l" width="10" height="10"/><use xlink:href="#m"/></g>
  <a href="javascript:alert(1)"><text>click</text></a>
  <image href="https://evil.example/track.png" width="1" height="1"/>
  <foreignObject width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
  <set attributeName="href" to="javascript:alert(1)"/>
  <animate attributeName="href" values="javascript:alert(1)"/>
</svg>"""


def test_svg_loses_scripts_handlers_foreign_content_and_external_references():
    svg = clean_svg(HOSTILE_SVG)
    low = svg.lower()
    for bad in ("<script", "onload", "onclick", "javascript:", "foreignobject", "evil.example", "<set", "<animate",
                "@import"):
        assert bad not in low, bad
    assert 'href="#m"' in svg and "fill: #1f77b4" in svg and 'viewBox="0 0 120 80"' in svg


def test_svg_without_namespace_gets_one_so_img_shows_it():
    svg = clean_svg('<svg width="4" height="4"><circle r="2" onmouseover="x()"/></svg>')
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "onmouseover" not in svg


@pytest.mark.parametrize("bad", ["<svg><g></svg>", "<html><svg/></html>", "not xml",
                                 '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'])
def test_svg_that_cannot_be_made_safe_is_refused(bad):
    with pytest.raises(UnsafeSvg):
        clean_svg(bad)
