"""site.py: URLs under a sub-path, link resolution between documents, clashes and the profile view."""
import pytest

from mlfolio.build import Builder, BuildOptions, build_site
from mlfolio.errors import MlfolioError


def build(site, **kw):
    return build_site(BuildOptions(site_dir=site, **kw))


def page(site, rel):
    return (site / "_site" / rel).read_text("utf-8")


def test_links_between_posts_and_static_resolve_under_a_sub_path(make_site):
    site = make_site({
        "mlfolio.yml": "title: T\nurl: https://ada.github.io/portfolio\n",
        "posts/2024-06-01-second.md": """
            ---
            title: Second
            ---
            See [hello](2024-05-01-hello.md#top), [cv](../pages/cv.md), ![d](/img/d.svg) and
            [file](../static/img/d.svg).
        """,
        "pages/cv.md": "---\ntitle: CV\n---\nBack to [the post](../posts/2024-06-01-second.md).\n",
        "static/img/d.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    })
    result = build(site)
    assert result.warnings == []
    html = page(site, "blog/second/index.html")
    assert 'href="/portfolio/blog/hello/#top"' in html
    assert 'href="/portfolio/cv/"' in html
    assert 'src="/portfolio/img/d.svg"' in html and 'href="/portfolio/img/d.svg"' in html
    assert 'href="/portfolio/blog/second/"' in page(site, "cv/index.html")


def test_missing_link_target_is_a_warning_with_its_line(make_site):
    site = make_site({"posts/2024-06-01-x.md": "---\ntitle: X\n---\nline one\n\nsee [gone](nope.md)\n"})
    result = build(site)
    assert [str(w) for w in result.warnings] == [
        "posts/2024-06-01-x.md:6: link to 'nope.md': no such post or page — check the file name; links are "
        "relative to this file (e.g. 'other-post.md')"]
    with pytest.raises(MlfolioError) as exc:
        build(site, strict=True, output=site / "strict-out")
    assert "nope.md" in str(exc.value)
    assert not (site / "strict-out").exists()


def test_two_posts_on_one_path_is_an_error(make_site):
    site = make_site({"posts/2024-06-01-a.md": "---\ntitle: A\nslug: hello\n---\n"})
    with pytest.raises(MlfolioError) as exc:
        build(site)
    assert "'blog/hello/index.html' would be written twice" in str(exc.value)


def test_page_on_a_reserved_path_is_an_error(make_site):
    site = make_site({"pages/blog.md": "---\ntitle: Mine\n---\n"})
    with pytest.raises(MlfolioError) as exc:
        build(site)
    assert "pages/blog.md: page path '/blog' is used by mlfolio itself" in str(exc.value)


def test_tags_menu_and_profile_links(make_site):
    site = make_site({
        "mlfolio.yml": "title: T\nurl: https://a.io\ngithub:\n  user: ada-gh\n",
        "profile.yml": "name: Ada\nlinks:\n  scholar: ABC123\n  website: https://ada.dev\n",
        "pages/talks.md": "---\ntitle: Talks\nmenu: 1\n---\n",
        "posts/2024-06-01-b.md": "---\ntitle: B\ntags: [ML, Deep Learning]\n---\n",
        "data/remote.json": "{}",
    })
    from mlfolio.build import Builder
    builder = Builder(BuildOptions(site_dir=site, offline=True))
    builder.build()
    s = builder.site
    assert [(t.name, t.slug, len(t.posts)) for t in s.tags] == [("ML", "ml", 2), ("Deep Learning", "deep-learning", 1)]
    assert [m.title for m in s.menu] == ["About", "Projects", "Blog", "CV", "Talks"]
    urls = {link.kind: link.url for link in s.profile.links}
    assert urls["scholar"] == "https://scholar.google.com/citations?user=ABC123"
    assert urls["website"] == "https://ada.dev" and urls["github"].endswith("ada-gh")


def test_a_static_file_wins_over_a_generated_page_with_a_warning(make_site):
    site = make_site({"static/robots.txt": "User-agent: *\nDisallow: /\n", "static/about/index.html": "<p>mine</p>"})
    result = build(site)
    assert page(site, "robots.txt") == "User-agent: *\nDisallow: /\n"
    assert page(site, "about/index.html") == "<p>mine</p>"
    assert sorted(w.path for w in result.warnings) == ["static/about/index.html", "static/robots.txt"]


def test_a_menu_entry_under_a_sub_path_is_relative_to_the_site_root(make_site):
    """With url https://ada.github.io/blog, `url: /blog/` is the blog section at /blog/blog/, not the root."""
    site = make_site({"mlfolio.yml": "title: T\nurl: https://ada.github.io/blog\nmenu:\n"
                                     "  - {title: Writing, url: /blog/}\n  - {title: CV, url: cv/}\n"
                                     "  - {title: Code, url: 'https://github.com/ada'}\n"})
    build(site)
    html = page(site, "blog/index.html")
    assert '<a href="/blog/blog/" aria-current="page">Writing</a>' in html
    assert '<a href="/blog/cv/">CV</a>' in html and '<a href="https://github.com/ada">Code</a>' in html


def test_post_lists_show_the_summary_when_there_is_one(make_site):
    site = make_site({"posts/2024-06-01-s.md": "---\ntitle: S\nsummary: The short version.\n---\n"
                                               "A long first paragraph with $x^2$ math.\n"})
    build(site)
    for rel in ("blog/index.html", "index.html", "tags/index.html"):
        html = page(site, rel)
        if "S</a>" in html:
            assert "The short version." in html and "A long first paragraph" not in html
    assert "The short version." in page(site, "blog/index.html")
    assert "First paragraph." in page(site, "blog/index.html")          # no summary: the first paragraph


def test_non_latin_and_symbol_tags_get_their_own_pages(make_site):
    site = make_site({"posts/2024-06-01-b.md": "---\ntitle: B\ntags: [日本語, 中文, Русский, 🔥, C, C++, C#]\n---\n",
                      "posts/2024-06-02-日本語.md": "---\ntitle: J\n---\n",
                      "posts/2024-06-03-中文.md": "---\ntitle: Z\n---\n"})
    build(site)
    tags = sorted(p.parent.name for p in (site / "_site/tags").glob("*/index.html"))
    assert tags == sorted(["c", "c-plus-plus", "c-sharp", "fire", "ml", "русский", "中文", "日本語"])
    html = page(site, "blog/b/index.html")
    assert 'href="/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/"' in html and 'href="/tags/c-sharp/"' in html
    assert (site / "_site/blog/日本語/index.html").exists() and (site / "_site/blog/中文/index.html").exists()
    assert "https://ada.github.io/blog/%E4%B8%AD%E6%96%87/" in page(site, "sitemap.xml")


def test_a_symlink_in_static_that_leads_outside_is_not_published(make_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("private key")
    site = make_site({"static/ok.txt": "fine"})
    (site / "static/leak.txt").symlink_to(secret)
    (site / "static/dir").symlink_to(tmp_path, target_is_directory=True)
    (site / "static/inside.txt").symlink_to(site / "static/ok.txt")
    (site / "static/broken.txt").symlink_to(tmp_path / "nope")
    result = build(site)
    out = site / "_site"
    assert (out / "ok.txt").read_text() == "fine" and (out / "inside.txt").read_text() == "fine"
    assert not (out / "leak.txt").exists() and not (out / "dir").exists() and not (out / "broken.txt").exists()
    assert "private key" not in "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert sorted(w.path for w in result.warnings) == ["static/broken.txt", "static/dir", "static/leak.txt"]


def test_a_hand_written_project_description_is_markdown_and_api_text_is_not(make_site):
    site = make_site({"profile.yml": "name: A\nprojects:\n  - title: P\n    description: 'Uses **PyTorch** and "
                                     "[JAX](https://jax.dev) <script>x</script>'\n"})
    build(site)
    html = page(site, "projects/index.html")
    assert '<p class="card-text">Uses <strong>PyTorch</strong> and <a href="https://jax.dev">JAX</a>' in html


def test_diagram_libraries_are_published_only_for_the_kinds_a_page_uses(make_site):
    """The vendored libraries are megabytes: a site without diagrams publishes none, one with a Mermaid
    diagram publishes Mermaid's alone, and a rebuild (serve) adds or removes a kind as pages start or stop using
    it."""
    site = make_site()
    build(site, offline=True)
    assert not (site / "_site/assets/features").exists()
    (site / "posts/2024-06-01-flow.md").write_text("---\ntitle: Flow\n---\n```mermaid\ngraph LR\n  A --> B\n```\n",
                                                   encoding="utf-8")
    build(site, offline=True)

    def kinds():
        return sorted(p.parent.name for p in (site / "_site/assets/features").glob("*/LICENSE"))

    assert kinds() == ["mermaid"]
    assert (site / "_site/assets/features/mermaid/LICENSE").is_file()
    assert 'data-chart-lib="mermaid"' in page(site, "blog/flow/index.html")
    assert "charts.js" not in page(site, "blog/hello/index.html")
    builder = Builder(BuildOptions(site_dir=site, offline=True, quiet=True))
    builder.build()
    hello = site / "posts/2024-05-01-hello.md"
    hello.write_text(hello.read_text() + '\n```plotly\n{"data": [{"y": [1]}]}\n```\n', encoding="utf-8")
    builder.rebuild({hello})
    assert kinds() == ["mermaid", "plotly"]
    assert (site / "_site/assets/features/plotly/plotly-cartesian.min.js").is_file()
    hello.write_text("---\ntitle: Hello\n---\nNo chart now.\n", encoding="utf-8")
    builder.rebuild({hello})
    assert kinds() == ["mermaid"]


PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                        "0000000d49444154789c6360f8cfc0f01f0005000201e5273fd50000000049454e44ae426082")


def test_a_bundle_names_its_own_image_and_a_missing_image_is_a_warning_at_its_line(make_site):
    """`image: cover.png` beside a bundle's index is that file (as in Hugo); a path nothing is published at would
    give social sites a broken card, so it is a warning at the `image:` line; a web address is left alone."""
    site = make_site({
        "mlfolio.yml": "title: T\nurl: https://ada.github.io/sub/\n",
        "posts/2024-05-01-trip/index.md": "---\ntitle: Trip\nimage: cover.png\n---\nText.\n",
        "posts/2024-05-01-trip/cover.png": PNG_1PX,
        "posts/2024-05-02-lost.md": "---\ntitle: Lost\ntags: [x]\nimage: img/nope.png\n---\nText.\n",
        "posts/2024-05-03-out.md": "---\ntitle: Out\nimage: ../../../etc/passwd\n---\nText.\n",
        "posts/2024-05-04-web.md": "---\ntitle: Web\nimage: https://example.org/card.png\n---\nText.\n",
    })
    result = build(site)
    assert '<meta property="og:image" content="https://ada.github.io/sub/blog/trip/cover.png">' in \
        page(site, "blog/trip/index.html")
    assert sorted((w.path, w.line, w.message) for w in result.warnings) == [
        ("posts/2024-05-02-lost.md", 4, "image 'img/nope.png': no such file in static/"),
        ("posts/2024-05-03-out.md", 3, "image '../../../etc/passwd': no such file in static/"),
    ]
    assert '"https://example.org/card.png"' in page(site, "blog/web/index.html")
