"""figures.py: images with a caption become <figure>s; local images get their size from the file's header, lazy
loading and a dark variant; attribute blocks; hostile captions are escaped; broken and missing images warn."""
from __future__ import annotations

import struct

import pytest

from mlfolio.build import BuildOptions, build_site
from mlfolio.figures import dark_variant, img_html, parse_attributes, size_of
from mlfolio.markdown import render_markdown
from mlfolio.readers import Image, resolve_links
from test_bundles import png
from test_codeblocks import serve_folder


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\0\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x80\0\0" + b"\0" * 6 + b";"


def webp(width: int, height: int) -> bytes:
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\0\0\0\0" + struct.pack("<I", width - 1)[:3] \
        + struct.pack("<I", height - 1)[:3]
    return b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x


def html_of(text: str, rel: str = "posts/x/index.md") -> tuple[str, list]:
    r = render_markdown(text, rel)
    return resolve_links(r, lambda link: link.target), r.problems


@pytest.mark.parametrize("name, data, size", [("a.png", png(640, 480), (640, 480)),
                                              ("b.JPG", jpeg(1200, 800), (1200, 800)),
                                              ("c.gif", gif(33, 7), (33, 7)),
                                              ("d.webp", webp(300, 200), (300, 200)),
                                              ("e.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="40" '
                                                        b'height="20"></svg>', (40, 20))])
def test_sizes_come_from_real_headers(tmp_path, name, data, size):
    path = tmp_path / name
    path.write_bytes(data)
    assert size_of(path) == (size, "")


def test_a_broken_image_says_why_and_a_scalable_svg_says_nothing(tmp_path):
    broken = tmp_path / "plot.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\0\0")              # a download cut short
    size, why = size_of(broken)
    assert size is None and "plot.png" in why
    svg = tmp_path / "diagram.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"></svg>')
    assert size_of(svg) == (None, "")
    assert size_of(tmp_path / "data.csv") == (None, "")


def test_the_size_is_read_again_when_the_file_changes(tmp_path):
    path = tmp_path / "fig.png"
    path.write_bytes(png(10, 10))
    assert size_of(path)[0] == (10, 10)
    path.write_bytes(png(20, 5))
    assert size_of(path)[0] == (20, 5)


def test_a_title_makes_a_figure_outside_any_paragraph():
    html, problems = html_of('Intro.\n\n![Loss curve](plot.png "Training loss, *smoothed*")\n\nAfter.\n')
    assert ('<figure><img src="posts/x/plot.png" alt="Loss curve" decoding="async" />'
            "<figcaption>Training loss, <em>smoothed</em></figcaption></figure>") in html
    assert "<p><figure" not in html and "title=" not in html
    assert problems == []


def test_the_caption_attribute_with_id_class_and_width():
    html, problems = html_of('![Attention](heads.png){#fig-heads .wide caption="Heads of layer $\\ell$ {sic}" '
                             "width=60%}\n")
    assert html.startswith('<figure id="fig-heads" class="wide"><img src="posts/x/heads.png" alt="Attention" '
                           'style="width:60%"')
    assert "<figcaption>Heads of layer <math" in html and "{sic}" in html and "{#fig" not in html
    assert problems == []


def test_hostile_captions_and_alt_text_are_escaped():
    html, _ = html_of('![a "quoted" <b>alt</b>](p.png "<script>alert(1)</script> & <img src=x onerror=alert(1)>")\n')
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in html
    assert 'alt="a &quot;quoted&quot; alt"' in html
    caption, _ = html_of('![x](p.png){caption="# Not a heading"}\n')
    assert "<h1" not in caption and "# Not a heading" in caption


@pytest.mark.parametrize("text", ["Text ![inline](a.png \"t\") more.\n",
                                  '![one](a.png "t") ![two](b.png "u")\n',
                                  "![no caption](a.png)\n"])
def test_no_figure_without_one_captioned_image_alone(text):
    html, _ = html_of(text)
    assert "<figure" not in html and html.startswith("<p>")


def test_a_linked_image_keeps_its_link_inside_the_figure():
    html, _ = html_of('[![Full size](thumb.png "Click for full size")](big.png)\n')
    assert html.startswith('<figure><a href="posts/x/big.png"><img src="posts/x/thumb.png"')
    assert html.rstrip().endswith("</a><figcaption>Click for full size</figcaption></figure>")


def test_lazy_loading_but_for_the_first_image_and_alt_text_required():
    html, problems = html_of("![first](a.png)\n\n![](b.png)\n")
    first, second = html.split("\n", 1)
    assert 'loading="lazy"' not in first and 'loading="lazy" decoding="async"' in second
    assert problems == [(3, "image 'b.png' has no alt text",
                         "describe what it shows for readers who cannot see it: ![loss falls by half](…)")]


def test_bad_attributes_are_reported_and_text_braces_are_left_alone():
    html, problems = html_of("![a](p.png){width=wide colour=red}\n\nA set {1, 2} and ![b](q.png) {x}.\n")
    assert [m for _, m, _ in problems] == ["image width 'wide' is not a size like 60% or 320px",
                                           "unknown image attribute 'colour'"]
    assert "{1, 2}" in html
    assert parse_attributes('#a .b caption="c d" width=320').width == "320px"


def test_dark_variant_is_a_picture_source():
    assert dark_variant("posts/x/plot.v2.png") == "posts/x/plot.v2.dark.png"
    html = img_html("/b/plot.png", Image(alt="Plot"), (800, 600), ("/b/plot,dark.png", (800, 600)))
    assert html == ('<picture><source srcset="/b/plot%2Cdark.png" media="(prefers-color-scheme: dark)" data-dark '
                    'width="800" height="600"><img src="/b/plot.png" alt="Plot" width="800" height="600" '
                    'loading="lazy" decoding="async" /></picture>')


def test_static_images_are_sized_and_broken_or_missing_ones_warn(make_site):
    site = make_site({
        "static/img/arch.png": png(320, 200),
        "static/img/arch.dark.png": png(320, 200),
        "static/img/broken.jpg": b"\xff\xd8\xff\xe0 not really",
        "static/img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"/>',
        "posts/2024-02-01-figs.md": "---\ntitle: Figs\n---\n"
                                    "![Architecture](/img/arch.png \"The model\")\n\n"
                                    "![Broken](/img/broken.jpg)\n\n![Logo](../static/img/logo.svg)\n\n"
                                    "![Gone](/img/missing.webp)\n\n![Remote](https://example.org/x.png)\n",
    })
    result = build_site(BuildOptions(site_dir=site))
    page = (site / "_site/blog/figs/index.html").read_text()
    assert ('<figure><picture><source srcset="/img/arch.dark.png" media="(prefers-color-scheme: dark)" data-dark '
            'width="320" height="200"><img src="/img/arch.png" alt="Architecture" width="320" height="200"') in page
    assert '<img src="/img/logo.svg" alt="Logo" width="24" height="24"' in page
    assert '<img src="https://example.org/x.png" alt="Remote" loading="lazy"' in page
    found = {(w.line, w.message.split(" (")[0]) for w in result.warnings}
    assert (6, "size of 'broken.jpg' could not be read") in found
    assert (10, "link to '/img/missing.webp': no such file in static/") in found


def test_the_dark_variant_follows_the_system_and_the_readers_choice(browser, make_site):
    site = make_site({"posts/2024-05-01-plots/index.md": "---\ntitle: Plots\n---\nIntro.\n\n"
                                                         "![Loss](loss.png \"Loss\")\n\n![Grid](grid.png)\n\n"
                                                         '![Logo](grid.png "Logo"){.no-mat}\n',
                      "posts/2024-05-01-plots/loss.png": png(40, 30),
                      "posts/2024-05-01-plots/loss.dark.png": png(40, 30),
                      "posts/2024-05-01-plots/grid.png": png(20, 20)})
    build_site(BuildOptions(site_dir=site))
    with serve_folder(site / "_site") as base:
        for scheme, stored, shown, mat in [("light", None, "loss.png", False), ("dark", None, "loss.dark.png", True),
                                           ("light", "dark", "loss.dark.png", True),
                                           ("dark", "light", "loss.png", False)]:
            context = browser.new_context(color_scheme=scheme)
            if stored:
                context.add_init_script(f"localStorage.setItem('mlfolio-theme', '{stored}')")
            page = context.new_page()
            try:
                page.goto(base + "blog/plots/", wait_until="load")
                page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth)")
                label = f"system {scheme}, chosen {stored}"
                assert page.evaluate("document.querySelector('figure img').currentSrc").endswith(shown), label
                shadow = "getComputedStyle(document.querySelector('{}')).boxShadow"
                assert (page.evaluate(shadow.format("p > img")) != "none") == mat, label   # only without a variant
                assert page.evaluate(shadow.format("figure img")) == "none", label
                assert page.evaluate(shadow.format("figure.no-mat img")) == "none", label
                assert page.locator("p > img").bounding_box()["width"] == 20          # its size stays its own
            finally:
                context.close()
