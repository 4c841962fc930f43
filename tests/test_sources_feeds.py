"""External posts: RSS and Atom feeds as real sites serve them (CDATA, HTML in titles, Latin-1, missing dates,
an HTML page instead of a feed), served over loopback; the blog, tag pages, fallbacks and the snapshot."""
from __future__ import annotations

import json

import pytest

from fakeapi import fake_api, fetch_view, site, remote_env  # noqa: F401  (fixtures)
from mlfolio.cli import main
from mlfolio.config import FetchSettings, SiteConfig
from mlfolio.sources.feeds import ExternalFeed, ExternalPostsSettings


# What Medium serves: RSS 2.0, CDATA everywhere, the whole article in content:encoded, a tracking pixel.
MEDIUM = """<?xml version="1.0" encoding="UTF-8"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
<channel><title><![CDATA[Stories by Ada on Medium]]></title><link>https://medium.com/@ada?source=rss</link>
<item><title><![CDATA[Calibration, explained — without the <b>hype</b>]]></title>
<link>https://medium.com/@ada/calibration-explained-1a2b3c?source=rss-abc</link>
<guid isPermaLink="false">https://medium.com/p/1a2b3c</guid>
<category><![CDATA[machine-learning]]></category><category><![CDATA[Calibration]]></category>
<dc:creator><![CDATA[Ada]]></dc:creator><pubDate>Tue, 04 Mar 2025 09:12:44 GMT</pubDate>
<content:encoded><![CDATA[<h3>Why</h3><p>Most classifiers are over-confident&nbsp;&amp; that costs money.</p>
<img src="https://medium.com/_/stat?event=post.clientViewed" width="1" height="1">]]></content:encoded></item>
<item><title><![CDATA[<script>alert('t')</script>Evaluating small LMs]]></title>
<link>https://medium.com/@ada/evaluating-small-lms-9f8e?source=rss-abc</link>
<description><![CDATA[<p onclick="x()">Held-out sets <a href="javascript:alert(1)">matter</a>.</p>]]></description>
<pubDate>Mon, 13 Jan 2025 18:00:00 GMT</pubDate></item>
<item><title>No date: skipped</title><link>https://medium.com/@ada/undated</link></item>
<item><title>Hostile link: skipped</title><link>javascript:alert(1)</link><pubDate>Mon, 13 Jan 2025 18:00:00 GMT</pubDate></item>
</channel></rss>"""

# What dev.to serves: Atom-ish RSS with a Latin-1 declaration in this variant.
LATIN1 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Ada's notes</title>
<item><title>Caf\xe9 \xe0 la data: na\xefve baselines</title><link>https://dev.to/ada/naive-baselines</link>
<pubDate>Sat, 05 Apr 2025 07:00:00 +0200</pubDate><category>baselines</category></item>
</channel></rss>""".encode("latin-1")

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Ada on Substack</title><id>urn:x</id><updated>2025-05-01T00:00:00Z</updated>
<entry><title type="html">&lt;em&gt;Tokenizers&lt;/em&gt; are the new feature engineering</title>
<link rel="alternate" href="https://ada.substack.com/p/tokenizers"/><id>urn:1</id>
<updated>2025-05-01T10:00:00Z</updated><published>2025-04-30T10:00:00Z</published>
<summary type="html">A long summary """ + "word " * 200 + """</summary>
<category term="nlp"/></entry></feed>"""


def feeds_config(api_url: str, **kw) -> SiteConfig:
    feeds = kw.pop("feeds", None) or [ExternalFeed(name="Medium", url=f"{api_url}/feed/@ada"),
                                      ExternalFeed(name="Substack", url=f"{api_url}/substack.xml", tags=["writing"])]
    return SiteConfig(fetch=FetchSettings(ttl=600, timeout=0.5),
                      sections={"external_posts": ExternalPostsSettings(feeds=feeds, **kw)})


def fetch(cfg, site, *, offline=False):
    return fetch_view("external_posts", cfg, site, {"external_posts": (9, 1)}, offline=offline)


@pytest.fixture
def api(fake_api):
    fake_api.text_routes["/feed/@ada"] = ("text/xml", MEDIUM.encode())
    fake_api.text_routes["/substack.xml"] = ("application/atom+xml", ATOM.encode())
    fake_api.text_routes["/devto.xml"] = ("text/xml", LATIN1)
    fake_api.text_routes["/blog/"] = ("text/html; charset=utf-8", b"<!doctype html><html><body>A blog</body></html>")
    return fake_api


def test_medium_and_atom_feeds_become_external_posts(api, site):
    view, problems = fetch(feeds_config(api.url), site)
    assert problems.items == []
    assert [p.title for p in view.posts] == [
        "Tokenizers are the new feature engineering", "Calibration, explained — without the hype",
        "Evaluating small LMs"]
    sub, cal, ev = view.posts
    assert (sub.source, sub.url, sub.date.isoformat()) == ("Substack", "https://ada.substack.com/p/tokenizers",
                                                           "2025-04-30")
    assert sub.tag_names == ["writing", "nlp"] and sub.external and len(sub.description) <= 301
    assert sub.description.endswith("…")
    assert cal.tag_names == ["Calibration", "machine-learning"]
    assert cal.description == "Why Most classifiers are over-confident & that costs money."
    assert ev.description == "Held-out sets matter ." and "javascript" not in ev.url
    accept = {r.header("Accept") for r in api.requests}
    assert len(accept) == 1 and "application/rss+xml" in accept.pop()


def test_a_latin1_feed_keeps_its_accents(api, site):
    cfg = feeds_config(api.url, feeds=[ExternalFeed(name="dev.to", url=f"{api.url}/devto.xml")])
    view, problems = fetch(cfg, site)
    assert problems.items == [] and [p.title for p in view.posts] == ["Café à la data: naïve baselines"]


def test_limit_and_categories_off(api, site):
    cfg = feeds_config(api.url, feeds=[ExternalFeed(name="Medium", url=f"{api.url}/feed/@ada", limit=1)],
                       categories=False)
    view, _ = fetch(cfg, site)
    assert [p.title for p in view.posts] == ["Calibration, explained — without the hype"]
    assert view.posts[0].tag_names == []


def test_an_html_page_instead_of_a_feed_is_a_warning_with_the_feed_named(api, site):
    cfg = feeds_config(api.url, feeds=[ExternalFeed(name="My blog", url=f"{api.url}/blog/")])
    view, problems = fetch(cfg, site)
    (w,) = problems.warnings
    assert "My blog feed: the answer is not an RSS or Atom feed" in w.message and (w.line, w.col) == (9, 1)
    assert view.posts == []


@pytest.mark.parametrize("kind", ["500", "slow", "drop", "404"])
def test_faults_keep_the_last_good_posts(api, site, kind):
    good, _ = fetch(feeds_config(api.url), site)
    api.text_routes["/substack.xml"] = ("application/atom+xml", ATOM.replace("Tokenizers", "Changed").encode())
    api.fault("/substack.xml", kind, slow_seconds=1.0)
    view, problems = fetch(feeds_config(api.url), site)
    assert [p.title for p in view.posts] == [p.title for p in good.posts]
    (w,) = problems.warnings
    assert w.message.startswith("External posts data not refreshed: Substack feed: ")


def test_conditional_requests_and_offline(api, site):
    fetch(feeds_config(api.url), site)
    api.clear()
    view, _ = fetch(feeds_config(api.url), site)
    assert {r.header("If-None-Match") is not None for r in api.requests} == {True}
    api.clear()
    view, problems = fetch(feeds_config(api.url), site, offline=True)
    assert api.requests == [] and problems.items == [] and len(view.posts) == 3


def test_a_removed_feed_disappears_at_once(api, site):
    fetch(feeds_config(api.url), site)
    cfg = feeds_config(api.url, feeds=[ExternalFeed(name="Medium", url=f"{api.url}/feed/@ada")])
    view, _ = fetch(cfg, site, offline=True)
    assert {p.source for p in view.posts} == {"Medium"}


def test_blog_and_tag_pages_list_external_posts_escaped_and_linking_out(api, make_site, remote_env, capsys):
    site = make_site({"mlfolio.yml": f"""
        title: T
        url: https://ada.github.io/sub/
        external_posts:
          - name: Medium
            url: {api.url}/feed/@ada
          - {{name: Substack, url: "{api.url}/substack.xml", tags: [ml]}}
    """})
    assert main(["fetch", str(site)]) == 0
    out = capsys.readouterr().out
    assert "external_posts feeds: 3 posts from 2 feeds" in out
    snapshot = json.loads((site / "data/remote.json").read_text())["external_posts"]
    assert [f["name"] for f in snapshot["feeds"]] == ["Medium", "Substack"]
    assert "content:encoded" not in json.dumps(snapshot) and "over-confident" in json.dumps(snapshot)
    assert main(["build", str(site), "--offline", "--strict", "-q"]) == 0
    blog = (site / "_site/blog/index.html").read_text()
    assert blog.index("Tokenizers") < blog.index("Calibration") < blog.index("Evaluating")
    assert blog.index("Hello") > blog.index("Evaluating")                      # the local post, 2024
    assert 'href="https://ada.substack.com/p/tokenizers"' in blog and "on Substack" in blog
    assert "<script>alert" not in blog and "&lt;script&gt;" not in blog       # tags were dropped as text
    assert "alert(" not in blog and "onclick" not in blog
    tag = (site / "_site/tags/ml/index.html").read_text()
    assert "Tokenizers" in tag and "Hello" in tag
    assert (site / "_site/tags/calibration/index.html").exists()
    feed = (site / "_site/feed.xml").read_text()
    assert "Tokenizers" not in feed                                             # not republished
    assert "Tokenizers" not in (site / "_site/sitemap.xml").read_text()


def test_list_or_mapping_and_bad_entries_are_errors_at_their_line(make_site, capsys):
    site = make_site({"mlfolio.yml": "title: T\nurl: https://a.github.io\nexternal_posts:\n  - name: Medium\n"
                                     "    url: javascript:alert(1)\n  - url: https://x.dev/feed\n"})
    assert main(["build", str(site), "-q"]) == 1
    err = capsys.readouterr().err
    assert "mlfolio.yml:5:10:" in err and "mlfolio.yml:6:5: missing required key 'external_posts.feeds[1].name'" in err
    site = make_site({"mlfolio.yml": "title: T\nurl: https://a.github.io\nexternal_posts:\n  feeds: []\n"}, name="s2")
    assert main(["build", str(site), "-q"]) == 0


def test_a_tag_with_only_external_posts_has_no_feed_link(api, make_site, remote_env):
    site = make_site({"mlfolio.yml": f"title: T\nurl: https://a.github.io\nexternal_posts:\n"
                                     f"  - {{name: Medium, url: '{api.url}/feed/@ada'}}\n"})
    assert main(["build", str(site), "--strict", "-q"]) == 0
    tag = (site / "_site/tags/calibration/index.html").read_text()
    assert "Calibration, explained" in tag and "feed.xml\">" not in tag.split("<main", 1)[1]
    assert not (site / "_site/tags/calibration/feed.xml").exists()
