"""Links in converted bodies point at the new site: copied files under static/, posts and pages by file."""
from __future__ import annotations

from mlfolio.importers.links import Context, SiteMap, rewrite_links, site_url
from mlfolio.importers.report import Report


def context(here: str, base: str = "/") -> tuple[Context, Report]:
    smap = SiteMap(assets={"assets/img/": "img/", "images/": "images/"}, base_path=base)
    smap.add_url("/blog/2015/math/", "posts/2015-10-20-math.md")
    smap.add_url("/teaching/", "pages/teaching.md")
    report = Report("jekyll")
    return Context(smap, report, "_posts/x.md", here, 3), report


def test_markdown_links_images_and_definitions():
    ctx, report = context("posts/2016-01-01-x.md")
    text = rewrite_links("![a](assets/img/a.png) [m](/blog/2015/math/#eq-1) [t](/teaching) "
                         "[h](/blog/2015/math.html) [keep](https://x.org/assets/img/a.png) [mail](mailto:a@b.c)\n"
                         "[ref]: ../images/b.jpg\n[other](/somewhere/else/)", ctx)
    assert text == ("![a](/img/a.png) [m](2015-10-20-math.md#eq-1) [t](../pages/teaching.md) "
                    "[h](2015-10-20-math.md) [keep](https://x.org/assets/img/a.png) [mail](mailto:a@b.c)\n"
                    "[ref]: /images/b.jpg\n[other](/somewhere/else/)")
    assert report.notes == []


def test_raw_html_gets_the_sub_path_and_a_note():
    ctx, report = context("posts/2016-01-01-x.md", base="/portfolio/")
    text = rewrite_links('Intro\n<img src="/assets/img/a.png" alt=""> <a href="https://x.org">x</a>', ctx)
    assert text == 'Intro\n<img src="/portfolio/img/a.png" alt=""> <a href="https://x.org">x</a>'
    assert [str(n) for n in report.notes] == [
        "_posts/x.md:4: link in raw HTML written with the site's sub-path: /portfolio/img/a.png — change it if you "
        "change 'url' in mlfolio.yml (Markdown links follow it)"]


def test_links_from_profile_yml_are_site_paths():
    ctx, _ = context("profile.yml")
    assert rewrite_links("[m](/blog/2015/math/) [t](/teaching/)", ctx) == "[m](/blog/math/) [t](/teaching/)"
    assert site_url("posts/2024-05-01-C++ tips.md") == "/blog/c-plus-plus-tips/"
    assert site_url("pages/project/index.md") == "/project/"
