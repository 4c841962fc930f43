"""Comments: giscus/utterances markup only when configured, only in built sites (never in serve), per-post
opt-out, hostile values escaped, provider keys checked at their mlfolio.yml line."""
from __future__ import annotations

import io

import pytest
from conftest import serve_folder

from mlfolio.build import BuildOptions, build_site
from mlfolio.cli import main
from mlfolio.serve import DevServer

GISCUS = """
title: T
url: https://ada.github.io/sub/
comments:
  provider: giscus
  repo: ada/ada.github.io
  repo_id: R_kgDOabc"x
  category: Comments
  category_id: DIC_kwDOxyz
"""


def post(site) -> str:
    return (site / "_site/blog/hello/index.html").read_text()


def test_giscus_placeholder_and_lazy_script_only_when_configured(make_site):
    site = make_site({"mlfolio.yml": GISCUS})
    build_site(BuildOptions(site_dir=site))
    html = post(site)
    assert 'data-provider="giscus"' in html and 'data-repo="ada/ada.github.io"' in html
    assert 'data-repo-id="R_kgDOabc&#34;x"' in html                      # a quote cannot leave the attribute
    assert '<script src="/sub/assets/comments.js" defer></script>' in html
    assert "giscus.app/client.js" not in html                             # loaded by comments.js, lazily
    assert (site / "_site/assets/comments.js").is_file()
    plain = make_site(name="plain")
    build_site(BuildOptions(site_dir=plain))
    assert 'class="comments"' not in post(plain) and "comments.js" not in post(plain)


def test_a_post_can_turn_comments_off(make_site):
    site = make_site({"mlfolio.yml": GISCUS, "posts/2024-05-01-hello.md": "---\ntitle: Hello\ncomments: false\n---\nx\n"})
    build_site(BuildOptions(site_dir=site))
    assert 'class="comments"' not in post(site)


def test_never_in_serve(make_site):
    site = make_site({"mlfolio.yml": GISCUS + "analytics:\n  provider: plausible\n"})
    dev = DevServer(site, port=0, out=io.StringIO(), err=io.StringIO(), offline=True)
    dev.start()
    try:
        import urllib.request
        html = urllib.request.urlopen(dev.url.rstrip("/") + "/blog/hello/", timeout=10).read().decode()
    finally:
        dev.stop()
    assert "<article" in html and 'class="comments"' not in html and "plausible" not in html


@pytest.mark.parametrize("yml, expected", [
    ("comments:\n  provider: disqus\n", "mlfolio.yml:4:13: 'comments.provider' must be one of giscus, utterances, or empty; got 'disqus'"),
    ("comments:\n  provider: giscus\n  repo: ada/x\n", "mlfolio.yml:4:13: comments: giscus needs 'repo_id'"),
    ("comments:\n  provider: utterances\n  repo: not a repo\n", "mlfolio.yml:5:9: comments.repo: 'not a repo' is not 'owner/name'"),
])
def test_bad_settings_are_errors_at_their_line(make_site, capsys, yml, expected):
    site = make_site({"mlfolio.yml": "title: T\nurl: https://a.github.io\n" + yml})
    assert main(["build", str(site), "-q"]) == 1
    assert expected in capsys.readouterr().err


def test_utterances(make_site):
    site = make_site({"mlfolio.yml": "title: T\nurl: https://a.github.io\ncomments:\n  provider: utterances\n"
                                     "  repo: ada/blog-comments\n  label: comment\n"})
    build_site(BuildOptions(site_dir=site))
    html = post(site)
    assert 'data-provider="utterances"' in html and 'data-label="comment"' in html and "GitHub issues" in html


def test_giscus_loads_only_near_the_viewport_in_the_pages_colour_scheme(make_site, browser):
    long_post = "---\ntitle: Hello\n---\n" + "\n\n".join(f"Paragraph {i}. " * 20 for i in range(60))
    site = make_site({"mlfolio.yml": GISCUS.replace("/sub/", "/"), "posts/2024-05-01-hello.md": long_post})
    build_site(BuildOptions(site_dir=site))
    asked = []
    page = browser.new_page(color_scheme="dark")
    with serve_folder(site / "_site") as base:
        # giscus.app is not reachable from tests: a stand-in records the attributes the real client reads.
        page.route("https://giscus.app/**", lambda route: (asked.append(route.request.url), route.fulfill(
            content_type="text/javascript", body="window.__giscus = Object.assign({}, document.currentScript.dataset);")))
        page.goto(base + "blog/hello/")
        page.wait_for_load_state("networkidle")
        assert asked == []                                         # nothing fetched before the reader gets there
        page.locator("#comments").scroll_into_view_if_needed()
        page.wait_for_function("window.__giscus !== undefined", timeout=5000)
        data = page.evaluate("window.__giscus")
        assert asked == ["https://giscus.app/client.js"]
        assert (data["repo"], data["repoId"], data["theme"], data["loading"]) == (
            "ada/ada.github.io", 'R_kgDOabc"x', "dark", "lazy")
    page.close()
