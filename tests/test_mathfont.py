"""mathfont.py: a built site ships Noto Sans Math cut down to its formulas' characters, drawn exactly as the
whole font draws them (Chromium screenshots compared pixel for pixel); cached; serve and odd sites keep the
whole font."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from mlfolio import mathfont
from mlfolio.build import BuildOptions, build_site
from conftest import serve_folder

FIXTURE = Path(__file__).parent / "fixtures" / "math_post.md"
CONFIG = """
    title: Math
    url: https://ada.github.io
    math:
      macros:
        \\R: \\mathbb{R}
        \\E: \\mathbb{E}
        \\norm: '\\left\\lVert #1 \\right\\rVert'
"""
STRETCHY = """---
title: Stretchy
---
Inline $h$, $\\hbar$, $\\imath + \\jmath$, $\\vartheta \\varphi \\varpi \\varrho \\varkappa$, $\\partial_x \\nabla f$ and
$\\mathscr{L}$.

$$
\\widehat{f_\\theta(x)} \\xrightarrow[\\text{in } L^2]{n \\to \\infty} \\overrightarrow{v_{1} + v_{2}}
\\quad \\overbrace{a + b + c}^{3}
\\quad \\Bigg[ \\bigg( \\Big\\{ \\left\\| \\sqrt[3]{\\frac{\\frac{a}{b}}{\\frac{c}{d}}} \\right\\| \\Big\\} \\bigg) \\Bigg]
\\quad \\oint_{\\partial\\Omega} \\iint \\bigcup_{i} \\bigoplus_{j} \\coprod
$$
"""


def built_math_site(make_site, tmp_path, extra: dict | None = None):
    site = make_site({"mlfolio.yml": CONFIG, "posts/2025-03-02-stretchy.md": STRETCHY, **(extra or {})})
    shutil.copy(FIXTURE, site / "posts" / "2025-03-01-forty-formulas.md")
    out = tmp_path / "out"
    result = build_site(BuildOptions(site_dir=site, output=out, quiet=True))
    return site, out, result


def font_url(out: Path) -> str:
    return re.search(r'url\("(NotoSansMath[^"]*)"\)', (out / mathfont.CSS).read_text(encoding="utf-8"))[1]


def test_a_built_site_ships_a_small_subset_named_by_its_content(make_site, tmp_path):
    site, out, result = built_math_site(make_site, tmp_path)
    assert result.warnings == []
    name = font_url(out)
    assert re.fullmatch(r"NotoSansMath\.[0-9a-f]{12}\.woff2", name)
    subset = (out / "assets" / "math" / name).read_bytes()
    full = (out / mathfont.FONT).read_bytes()
    assert len(subset) < 40_000 < 300_000 < len(full)
    from fontTools.ttLib import TTFont
    import io
    font = TTFont(io.BytesIO(subset))
    cmap = font.getBestCmap()
    assert "MATH" in font and font["MATH"].table.MathVariants is not None
    for char in "∑∫√(‖θ𝑥𝜃ℎ𝜗𝚤":                # text, radicals, and the italic forms of one-letter <mi>
        assert ord(char) in cmap, char
    assert ord("⨁") in cmap and ord("ℵ") not in cmap      # what the site uses, not the whole font
    variants = font["MATH"].table.MathVariants
    assert cmap[ord("∑")] in variants.VertGlyphCoverage.glyphs     # large ∑ kept with its bigger sizes
    from mlfolio.output import MANIFEST
    assert name in (out / MANIFEST).read_text(encoding="utf-8")     # recorded: the next build keeps it


def test_chromium_draws_the_subset_exactly_as_the_whole_font(browser, make_site, tmp_path):
    _, out, _ = built_math_site(make_site, tmp_path)
    css = out / mathfont.CSS
    subset_css = css.read_text(encoding="utf-8")
    shots = {}
    with serve_folder(out) as base:
        for which in ("subset", "whole"):
            if which == "whole":
                css.write_text(re.sub(r"NotoSansMath\.[0-9a-f]{12}\.woff2", "NotoSansMath.woff2", subset_css),
                               encoding="utf-8")
            context = browser.new_context(viewport={"width": 900, "height": 700}, device_scale_factor=1)
            page = context.new_page()
            fonts = []
            page.on("requestfinished", lambda r: fonts.append(r.url.rsplit("/", 1)[1]) if ".woff2" in r.url else None)
            for slug in ("forty-formulas", "stretchy"):
                page.goto(f"{base}blog/{slug}/", wait_until="load")
                page.evaluate("document.fonts.ready")
                shots[which, slug] = page.locator("article").screenshot(animations="disabled")
            assert fonts[0] == font_url(out), fonts
            context.close()
    if os.environ.get("MLFOLIO_KEEP_SHOTS"):
        for (which, slug), png in shots.items():
            Path(os.environ["MLFOLIO_KEEP_SHOTS"], f"{slug}-{which}.png").write_bytes(png)
    for slug in ("forty-formulas", "stretchy"):
        assert shots["subset", slug] == shots["whole", slug], f"{slug} differs with the subset"


def test_the_subset_is_cached_and_a_new_character_makes_a_new_one(make_site, tmp_path):
    site, out, _ = built_math_site(make_site, tmp_path)
    cache = site / ".mlfolio-cache" / "fonts"
    [kept] = list(cache.glob("*.woff2"))
    stamp = kept.stat().st_mtime_ns
    first = font_url(out)
    (site / "posts" / "2025-03-03-more.md").write_text("---\ntitle: More\n---\nSee $a + b$.\n", encoding="utf-8")
    build_site(BuildOptions(site_dir=site, output=out, quiet=True))
    assert font_url(out) == first and kept.stat().st_mtime_ns == stamp     # same characters: from the cache
    (site / "posts" / "2025-03-03-more.md").write_text("---\ntitle: More\n---\nSee $\\aleph_0$.\n", encoding="utf-8")
    build_site(BuildOptions(site_dir=site, output=out, quiet=True))
    second = font_url(out)
    assert second != first and (out / "assets" / "math" / second).is_file()
    assert not (out / "assets" / "math" / first).exists()           # the old subset is not carried along
    assert [p.name for p in cache.glob("*.woff2")] != [kept.name]


def test_math_css_points_back_at_the_whole_font_when_no_page_has_math(make_site, tmp_path):
    """math.css of the previous output is hard-linked into the next one: it must not keep a stale name."""
    site, out, _ = built_math_site(make_site, tmp_path)
    assert font_url(out) != "NotoSansMath.woff2"
    for post in (site / "posts").glob("2025-03-0*.md"):
        post.unlink()
    build_site(BuildOptions(site_dir=site, output=out, quiet=True))
    assert font_url(out) == "NotoSansMath.woff2"
    assert [p.name for p in (out / "assets" / "math").glob("NotoSansMath*")] == ["NotoSansMath.woff2"]


def test_serve_keeps_the_whole_font(make_site, tmp_path):
    site = make_site({"posts/2025-03-02-stretchy.md": STRETCHY})
    build_site(BuildOptions(site_dir=site, output=tmp_path / "preview", quiet=True, preview=True))
    assert font_url(tmp_path / "preview") == "NotoSansMath.woff2"


def test_a_sites_own_math_css_and_font_are_left_alone(make_site, tmp_path):
    own_css = '@font-face { font-family: "Noto Sans Math"; src: url("fonts/mine.woff2"); }\n'
    site, out, _ = built_math_site(make_site, tmp_path, {"static/assets/math/math.css": own_css})
    assert (out / mathfont.CSS).read_text(encoding="utf-8") == own_css
    assert [p.name for p in (out / "assets" / "math").glob("NotoSansMath*")] == ["NotoSansMath.woff2"]


def test_a_font_fonttools_cannot_read_is_shipped_whole(make_site, tmp_path):
    site, out, result = built_math_site(make_site, tmp_path,
                                        {"static/assets/math/NotoSansMath.woff2": b"wOF2 not really a font"})
    assert result.warnings == []
    assert font_url(out) == "NotoSansMath.woff2"
    assert (out / mathfont.FONT).read_bytes() == b"wOF2 not really a font"


@pytest.mark.parametrize("char, italic", [("x", "𝑥"), ("A", "𝐴"), ("h", "ℎ"), ("θ", "𝜃"), ("Ω", "𝛺"),
                                          ("ϑ", "𝜗"), ("ı", "𝚤"), ("∂", "𝜕"), ("1", None), ("+", None),
                                          ("ℝ", None), ("é", None)])
def test_italic_forms_of_one_letter_identifiers(char, italic):
    assert mathfont.italic_form(char) == italic


def test_characters_come_from_math_only_with_entities_and_radicals(tmp_path):
    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    page.write_text('<p>Text ℵ outside</p><math><msqrt><mi>y</mi></msqrt><mo>&lt;</mo><mtext>&#x3b1;</mtext>'
                    '</math> and <math display="block"><mi>z</mi></math>', encoding="utf-8")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "x.html").write_text("<math><mi>q</mi></math>", encoding="utf-8")
    chars = mathfont.math_characters(tmp_path)
    assert chars == {"y", "𝑦", "<", "α", "𝛼", "z", "𝑧", "√"}


def test_without_fonttools_the_whole_font_is_used(monkeypatch, tmp_path):
    import builtins
    real = builtins.__import__

    def no_fonttools(name, *args, **kwargs):
        if name.startswith("fontTools"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_fonttools)
    assert mathfont.subset_font(b"font", {"x"}, tmp_path) is None
    assert not os.listdir(tmp_path)
