"""render.py: head metadata, JSON-LD, feed, sitemap, robots, template overrides and template errors."""
import json
import re
import xml.etree.ElementTree as ET

import pytest

from mlfolio.build import BuildOptions, build_site
from mlfolio.errors import MlfolioError

ATOM = "{http://www.w3.org/2005/Atom}"


def build(site, **kw):
    return build_site(BuildOptions(site_dir=site, **kw))


def read(site, rel):
    return (site / "_site" / rel).read_text("utf-8")


def jsonld(html):
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_every_page_has_head_metadata(make_site):
    site = make_site({"pages/cv.md": "---\ntitle: CV\ndescription: My CV\n---\nText\n"})
    build(site)
    for rel in ("index.html", "about/index.html", "projects/index.html", "blog/index.html",
                "blog/hello/index.html", "tags/index.html", "tags/ml/index.html", "cv/index.html"):
        html = read(site, rel)
        assert re.search(r"<title>[^<]+</title>", html), rel
        assert '<meta name="description"' in html, rel
        assert '<link rel="canonical" href="https://ada.github.io/' in html, rel
        assert '<meta property="og:title"' in html and '<meta name="twitter:card"' in html, rel
    assert '<html lang="en"' in read(site, "index.html")


def test_jsonld_person_on_home_and_blogposting_on_posts(make_site):
    build(make_site())
    person = jsonld(read(make_site(), "index.html"))
    assert person["@type"] == "Person" and person["name"] == "Ada Test" and person["jobTitle"] == "ML engineer"
    post = jsonld(read(make_site(), "blog/hello/index.html"))
    assert post["@type"] == "BlogPosting" and post["headline"] == "Hello"
    assert post["datePublished"] == "2024-05-01" and post["url"] == "https://ada.github.io/blog/hello/"


def test_feed_is_valid_atom(make_site):
    site = make_site({"posts/2024-06-01-two.md": "---\ntitle: Two & <more>\nsummary: S\n---\n[x](/a/)\n"})
    build(site)
    root = ET.fromstring((site / "_site/feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Two & <more>", "Hello"]
    assert entries[0].find(f"{ATOM}updated").text == "2024-06-01T00:00:00Z"
    assert 'href="https://ada.github.io/a/"' in entries[0].find(f"{ATOM}content").text


def test_sitemap_and_robots(make_site):
    site = make_site({"mlfolio.yml": "title: T\nurl: https://ada.github.io/portfolio\n"})
    build(site)
    root = ET.fromstring((site / "_site/sitemap.xml").read_bytes())
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://ada.github.io/portfolio/" in locs and "https://ada.github.io/portfolio/blog/hello/" in locs
    assert "Sitemap: https://ada.github.io/portfolio/sitemap.xml" in read(site, "robots.txt")


def test_site_template_overrides_the_theme_by_name(make_site):
    site = make_site({"templates/about.html": "{% extends 'base.html' %}{% block content %}MINE {{ site.profile.name }}{% endblock %}"})
    build(site)
    assert "MINE Ada Test" in read(site, "about/index.html")
    assert "MINE" not in read(site, "index.html")


def test_template_errors_name_the_file_and_line(make_site):
    site = make_site({"templates/post.html": "{% extends 'base.html' %}\n{% block content %}\n{{ post.title|nosuchfilter }}\n{% endblock %}\n"})
    with pytest.raises(MlfolioError) as exc:
        build(site)
    assert str(exc.value).startswith("templates/post.html:3: template syntax error")
    (site / "templates/post.html").write_text("{% extends 'base.html' %}\n{% block content %}\n\n{{ post.date.nope() }}\n{% endblock %}\n")
    with pytest.raises(MlfolioError) as exc:
        build(site)
    assert str(exc.value).startswith("templates/post.html:4: template error while rendering blog/hello/index.html")
    assert not (site / "_site").exists()


def test_an_undefined_attribute_is_a_warning_at_its_line_and_an_error_when_strict(make_site):
    site = make_site({"templates/post.html": "{% extends 'base.html' %}\n{% block content %}\n<h1>{{ post.titel }}</h1>\n"
                                             "{{ post.missing.deeper }}{% if paginator is defined %}x{% endif %}\n"
                                             "{% endblock %}\n"})
    result = build(site)
    assert [str(w) for w in result.warnings] == [
        "templates/post.html:3: undefined in template: 'mlfolio.content.Post object' has no attribute 'titel' "
        "— did you mean 'title'?",
        "templates/post.html:4: undefined in template: 'mlfolio.content.Post object' has no attribute 'missing' "
        "— see README, Theme contract, for what each object has"]
    assert "<h1></h1>" in read(site, "blog/hello/index.html")
    again = build(site)                  # nothing changed: the same warnings, from the saved state
    assert [str(w) for w in again.warnings] == [str(w) for w in result.warnings]
    (site / "posts/2024-05-01-hello.md").write_text("---\ntitle: Hello\n---\nEdited.\n")
    assert len(build(site).warnings) == 2   # re-rendered: reported again, once each
    with pytest.raises(MlfolioError) as exc:
        build(site, strict=True)
    assert str(exc.value).startswith("templates/post.html:3: undefined in template: 'mlfolio.content.Post object' "
                                     "has no attribute 'titel'")


def test_the_default_theme_uses_nothing_undefined(make_site):
    site = make_site({"pages/cv.md": "---\ntitle: CV\nmenu: 1\n---\n## A\n## B\n",
                      "posts/2024-06-01-two.md": "---\ntitle: Two\nupdated: 2024-07-01\ntags: [ml, x]\n---\n## a\n## b\n"})
    assert build(site, strict=True).warnings == []


def test_remote_strings_are_escaped(make_site):
    site = make_site({"profile.yml": "name: \"<script>alert(1)</script>\"\nheadline: \"a & b\"\n"})
    build(site)
    html = read(site, "index.html")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cross_post_canonical_url_and_share_links(make_site):
    site = make_site({"posts/2024-05-02-cross.md": "---\ntitle: 'Cross & posted \"here\"'\n"
                                                   "canonical_url: https://medium.com/@ada/cross-1\n---\nBody.\n"})
    build(site)
    html = read(site, "blog/cross/index.html")
    assert '<link rel="canonical" href="https://medium.com/@ada/cross-1">' in html
    share = html[html.index('<nav class="share"'):]
    share = share[:share.index("</nav>")]
    assert "https://www.linkedin.com/sharing/share-offsite/?url=https%3A//medium.com/%40ada/cross-1" in share
    assert "https://news.ycombinator.com/submitlink?u=https%3A//medium.com/%40ada/cross-1&amp;t=Cross%20%26%20posted%20%22here%22" in share
    assert "<script" not in share and share.count("<a ") == 5
    plain = read(site, "blog/hello/index.html")
    assert '<link rel="canonical" href="https://ada.github.io/blog/hello/">' in plain


def test_share_links_can_be_turned_off(make_site):
    site = make_site({"mlfolio.yml": "title: T\nurl: https://ada.github.io\ntheme_options:\n  share_links: false\n"})
    build(site)
    assert 'class="share"' not in read(site, "blog/hello/index.html")


def test_tag_feeds_are_atom_with_their_own_id_and_links(make_site):
    site = make_site({"mlfolio.yml": "title: T\nurl: https://ada.github.io/sub/\n",
                      "posts/2024-06-01-two.md": "---\ntitle: Two\ntags: [ml, rl]\n---\nTwo.\n"})
    build(site)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(read(site, "tags/ml/feed.xml"))
    assert root.find("a:id", ns).text == "https://ada.github.io/sub/tags/ml/feed.xml"
    assert root.find("a:title", ns).text == "T: ml"
    assert [e.find("a:title", ns).text for e in root.findall("a:entry", ns)] == ["Two", "Hello"]
    assert root.find("a:link[@rel='alternate']", ns).get("href") == "https://ada.github.io/sub/tags/ml/"
    assert [e.find("a:title", ns).text for e in ET.fromstring(read(site, "tags/rl/feed.xml")).findall("a:entry", ns)] == ["Two"]
    tag_page = read(site, "tags/ml/index.html")
    assert '<link rel="alternate" type="application/atom+xml" title="Posts tagged “ml”" href="/sub/tags/ml/feed.xml">' in tag_page
    assert ET.fromstring(read(site, "feed.xml")).find("a:id", ns).text == "https://ada.github.io/sub/"
    assert "tags/ml/feed.xml" not in read(site, "sitemap.xml")


def test_news_archive_lists_every_item_by_year_and_home_links_to_it(make_site):
    items = "".join(f"  - date: 20{20 + i // 4}-0{1 + i % 4}-01\n    text: Item {i} <b>bold</b>\n" for i in range(8))
    site = make_site({"profile.yml": "name: Ada\nnews:\n" + items})
    build(site)
    news = read(site, "news/index.html")
    assert [f"Item {i}" in news for i in range(8)] == [True] * 8
    assert news.index('id="news-2021"') < news.index('id="news-2020"') and "&lt;b&gt;" not in news
    assert 'href="/news/"' in read(site, "index.html")
    plain = make_site(name="plain")
    build(plain)
    assert not (plain / "_site/news").exists() and 'href="/news/"' not in read(plain, "index.html")


def test_the_code_stylesheet_only_on_pages_with_code(make_site):
    """Pygments' colours are a render-blocking stylesheet: pages without a code block do not ask for it."""
    site = make_site({"posts/2024-06-01-code.md": "---\ntitle: Code\n---\n```python\nprint(1)\n```\n",
                      "posts/2024-06-02-plain.md": "---\ntitle: Plain\n---\n```\nno language\n```\n"})
    build(site)
    link = '<link rel="stylesheet" href="/assets/code.css">'
    assert link in read(site, "blog/code/index.html") and link in read(site, "blog/plain/index.html")
    for rel in ("index.html", "blog/index.html", "blog/hello/index.html", "about/index.html", "projects/index.html"):
        assert "code.css" not in read(site, rel), rel
    assert ".highlight" in read(site, "assets/code.css")
