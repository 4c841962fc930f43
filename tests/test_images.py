"""Responsive images: WebP variants beside the original with srcset/sizes, cached by content, switched off by
`images.optimize: false`; odd images (palette with transparency, CMYK, broken) and SVG social cards."""
from __future__ import annotations

import io
import os
import shutil

import pytest
from PIL import Image

from mlfolio.build import BuildOptions, build_site


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    im = Image.new(mode, (width, height), "white" if mode != "P" else 0)
    if mode == "P":
        im.info["transparency"] = 0
    buf = io.BytesIO()
    im.save(buf, "PNG" if mode != "CMYK" else "JPEG")
    return buf.getvalue()


POST = "---\ntitle: Figures\n---\n![A wide plot](<wide plot.png> \"Loss curves\")\n\n![Small](small.png)\n"


def site_with(make_site, extra=None, yml="title: T\nurl: https://ada.github.io/sub/\n"):
    return make_site({"mlfolio.yml": yml, "posts/2024-07-01-figures/index.md": POST,
                      "posts/2024-07-01-figures/wide plot.png": png(2000, 1000),
                      "posts/2024-07-01-figures/small.png": png(300, 200), **(extra or {})})


def page(site) -> str:
    return (site / "_site/blog/figures/index.html").read_text()


def test_variants_beside_the_original_with_srcset(make_site):
    site = site_with(make_site)
    result = build_site(BuildOptions(site_dir=site))
    assert result.warnings == []
    out = site / "_site/blog/figures"
    webps = sorted(p.name for p in out.glob("*.webp"))
    assert [n.split("-")[1] for n in webps] == ["1600w", "480w", "960w"]
    assert all(n.startswith("wide plot-") for n in webps)
    with Image.open(out / webps[1]) as im:
        assert im.format == "WEBP" and im.size == (480, 240)
    html = page(site)
    wide = html[html.index('<img src="/sub/blog/figures/wide%20plot.png"'):].split(">", 1)[0]
    assert 'srcset="/sub/blog/figures/wide%20plot-480w-' in wide and "480w, " in wide
    assert "/sub/blog/figures/wide%20plot.png 2000w" in wide and 'sizes="(min-width: 50rem) 46rem, 100vw"' in wide
    assert 'width="2000" height="1000"' in wide
    small = html[html.index('<img src="/sub/blog/figures/small.png"'):].split(">", 1)[0]
    assert "srcset" not in small                                   # nothing narrower to offer
    assert (out / "wide plot.png").is_file()                      # the original stays


def test_a_warm_cache_encodes_nothing(make_site):
    site = site_with(make_site)
    build_site(BuildOptions(site_dir=site))
    cache = site / ".mlfolio-cache/images"
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    shutil.rmtree(site / "_site")
    build_site(BuildOptions(site_dir=site))
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps
    assert len(list((site / "_site/blog/figures").glob("*.webp"))) == 3


def test_optimize_false_publishes_originals_only(make_site):
    site = site_with(make_site, yml="title: T\nurl: https://a.github.io\nimages:\n  optimize: false\n")
    build_site(BuildOptions(site_dir=site))
    assert not list((site / "_site/blog/figures").glob("*.webp")) and "srcset" not in page(site)


def test_palette_cmyk_and_broken_images(make_site):
    post = "---\ntitle: Figures\n---\n![p](p.png)\n\n![c](c.jpg)\n\n![b](b.png)\n"
    broken = png(1200, 800)[:200]
    site = make_site({"posts/2024-07-01-figures/index.md": post, "posts/2024-07-01-figures/p.png": png(1200, 600, "P"),
                      "posts/2024-07-01-figures/c.jpg": png(1200, 600, "CMYK"),
                      "posts/2024-07-01-figures/b.png": broken})
    result = build_site(BuildOptions(site_dir=site))
    names = sorted(p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in (site / "_site/blog/figures").glob("*.webp"))
    assert names == ["c-480w", "c-960w", "p-480w", "p-960w"]
    (w,) = [w for w in result.warnings if "b.png" in w.message]
    assert "could not be resized" in w.message and w.line == 8
    assert (site / "_site/blog/figures/b.png").read_bytes() == broken


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="315"><rect width="600" height="315" fill="#4f46e5"/></svg>'


def test_svg_post_image_gets_a_png_social_card(make_site):
    site = make_site({"static/img/card.svg": SVG, "mlfolio.yml": "title: T\nurl: https://ada.github.io/sub/\n",
                      "posts/2024-05-01-hello.md": "---\ntitle: Hello\nimage: img/card.svg\n---\nx\n"})
    result = build_site(BuildOptions(site_dir=site))
    assert result.warnings == []
    card = site / "_site/blog/hello/social.png"
    with Image.open(card) as im:
        assert im.format == "PNG" and im.size == (1200, 630)
    html = (site / "_site/blog/hello/index.html").read_text()
    assert '<meta property="og:image" content="https://ada.github.io/sub/blog/hello/social.png">' in html


def test_without_resvg_an_svg_card_is_a_warning(make_site, monkeypatch):
    import builtins
    real = builtins.__import__

    def no_resvg(name, *args, **kw):
        if name == "resvg_py":
            raise ImportError(name)
        return real(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_resvg)
    site = make_site({"static/img/card.svg": SVG,
                      "posts/2024-05-01-hello.md": "---\ntitle: Hello\nimage: img/card.svg\n---\nx\n"})
    result = build_site(BuildOptions(site_dir=site, offline=True))
    (w,) = result.warnings
    assert "social sites ignore SVG" in w.message and "mlfolio[images]" in w.hint
    assert not (site / "_site/blog/hello/social.png").exists() and os.path.exists(site / "_site/img/card.svg")


def test_a_serve_rebuild_of_another_post_keeps_the_variants(make_site):
    from mlfolio.build import Builder

    site = site_with(make_site)
    builder = Builder(BuildOptions(site_dir=site))
    builder.build()
    out = site / "_site/blog/figures"
    before = sorted(p.name for p in out.glob("*.webp"))
    (site / "posts/2024-05-01-hello.md").write_text("---\ntitle: Hello\n---\nEdited.\n")
    builder.rebuild({site / "posts/2024-05-01-hello.md"})
    assert "Edited." in (site / "_site/blog/hello/index.html").read_text()
    assert sorted(p.name for p in out.glob("*.webp")) == before and len(before) == 3


def test_project_cards_and_publication_previews_get_variants_too(make_site):
    profile = """
        name: Ada Test
        projects:
          - title: Wide
            image: img/card shot.png
            description: A wide screenshot.
          - title: Vector
            image: /img/diagram.svg
          - title: Broken
            image: /img/broken.png
    """
    bib = "@article{wide2024,\n  title = {Wide Preview},\n  author = {Test, Ada},\n  year = {2024},\n" \
          "  preview = {wide.png}\n}\n@article{bad2024,\n  title = {Bad},\n  author = {Test, Ada},\n" \
          "  year = {2024},\n  preview = {bad.jpg}\n}\n"
    site = make_site({"mlfolio.yml": "title: T\nurl: https://ada.github.io/sub/\n", "profile.yml": profile,
                      "static/img/card shot.png": png(1200, 675), "static/img/diagram.svg": "<svg/>",
                      "static/img/broken.png": b"\x89PNG\r\n\x1a\nnot really",
                      "static/assets/img/publication_preview/wide.png": png(640, 400),
                      "static/assets/img/publication_preview/bad.jpg": b"\xff\xd8\xff\xe0 broken jpeg",
                      "publications.bib": bib})
    result = build_site(BuildOptions(site_dir=site))
    projects = (site / "_site/projects/index.html").read_text()
    card = projects[projects.index('src="/sub/img/card%20shot.png"'):].split(">", 1)[0]
    assert 'srcset="/sub/img/card%20shot-480w-' in card and "960w, /sub/img/card%20shot.png 1200w" in card
    assert 'sizes="(min-width: 40rem) 24rem, 100vw"' in card and 'decoding="async"' in card
    assert sorted(p.name.split("-")[1] for p in (site / "_site/img").glob("card shot-*.webp")) == ["480w", "960w"]
    vector = projects[projects.index('src="/sub/img/diagram.svg"'):].split(">", 1)[0]
    assert "srcset" not in vector
    pubs = (site / "_site/publications/index.html").read_text()
    preview = pubs[pubs.index('src="/sub/assets/img/publication_preview/wide.png"'):].split(">", 1)[0]
    assert 'srcset="/sub/assets/img/publication_preview/wide-480w-' in preview and "wide.png 640w" in preview
    assert 'sizes="(max-width: 40rem) 100vw, 10rem"' in preview
    bad = pubs[pubs.index('src="/sub/assets/img/publication_preview/bad.jpg"'):].split(">", 1)[0]
    assert "srcset" not in bad
    warned = {(w.path, w.line): w.message for w in result.warnings}
    assert any(p == "profile.yml" and "broken.png" in m for (p, _), m in warned.items()), warned
    assert any(p == "publications.bib" and line == 11 and "bad.jpg" in m for (p, line), m in warned.items()), warned
