"""Site search: the Pagefind index built into the output only when `search: true`, what it holds, serve's
rebuilds keeping it current, the missing or failing binary (a warning, an error under --strict), and the search
box in Chromium on a site under a sub-path, over real HTTP."""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import threading
from pathlib import Path

import pytest

from mlfolio.build import BuildOptions, Builder, build_site
from mlfolio.errors import MlfolioError
from mlfolio.search import BINARY_ENV, find_binary

SEARCH_SITE = {
    "mlfolio.yml": """
        title: Search <Test> & Co
        url: https://ada.github.io/sub/
        # search box and index
        search: true
    """,
    "posts/2024-05-01-hello.md": """
        ---
        title: Hello
        tags: [ml]
        ---
        First paragraph about gradients.
    """,
    "posts/2024-06-02-quokka.md": """
        ---
        title: "Counting quokkas: a field guide"
        tags: [ecology, ml]
        ---
        We counted every **quokka** on Rottnest with a small detector.

        ## Method
        Tiles of 512 px; the `<script>alert(1)</script>` in this sentence is text, and so is
        <img src=x onerror="window.hacked=1">, written by a careless author.

        ## Results

        | site | quokkas |
        |------|---------|
        | west | 12      |
    """,
    "posts/2024-07-03-draft.md": """
        ---
        title: Unfinished
        draft: true
        ---
        A draft about wombats.
    """,
    "pages/talks.md": """
        ---
        title: Talks
        ---
        Slides of my talk on calibration.
    """,
}


def fragments(out: Path) -> dict[str, dict]:
    """The indexed pages by URL: Pagefind's fragments are gzip files of a 'pagefind_dcd' header and JSON."""
    found = {}
    for path in (out / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = data
    return found


def test_the_index_holds_posts_pages_and_projects_only(make_site, tmp_path):
    site = make_site(SEARCH_SITE)
    out = tmp_path / "out"
    result = build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True, strict=True))
    assert "search" in result.timings
    for name in ("pagefind.js", "pagefind-entry.json", "pagefind-worker.js", "wasm.en.pagefind"):
        assert (out / "pagefind" / name).is_file(), name
    pages = fragments(out)
    assert set(pages) == {"/blog/hello/", "/blog/quokka/", "/talks/", "/projects/"}
    quokka = pages["/blog/quokka/"]
    assert quokka["meta"]["title"] == "Counting quokkas: a field guide"
    assert "Rottnest" in quokka["content"] and "wombat" not in json.dumps(pages)
    header_and_footer = ("Skip to content", "Search posts", "Search <Test>", "Older", "Newer", "min read",
                         "ecology", "On this page")
    assert not [w for w in header_and_footer if w in json.dumps(pages)]
    manifest = json.loads((out / ".mlfolio-output").read_text("utf-8"))["files"]
    assert "pagefind/pagefind.js" in manifest
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]     # no temporary folders left

    post = (out / "blog" / "hello" / "index.html").read_text("utf-8")
    assert 'class="search-toggle"' in post and "data-pagefind-body" in post
    assert 'data-bundle="/sub/pagefind/"' in post and 'data-base="/sub/"' in post
    assert 'src="/sub/assets/search.js"' in post
    assert 'aria-label="Search Search &lt;Test&gt; &amp; Co"' in post
    assert "data-pagefind-body" not in (out / "index.html").read_text("utf-8")


def test_without_search_no_index_markup_or_script(make_site, tmp_path):
    site = make_site({k: v for k, v in SEARCH_SITE.items() if k != "mlfolio.yml"})
    out = tmp_path / "out"
    build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True))
    assert not (out / "pagefind").exists()
    marked = [str(p.relative_to(out)) for p in out.rglob("*.html")
              if any(s in p.read_text("utf-8") for s in ("pagefind", "search-toggle", "search.js", "search-dialog"))]
    assert not marked


def test_a_rebuild_in_serve_keeps_the_index_current(make_site, tmp_path):
    site = make_site({**SEARCH_SITE, "static/css/extra.css": "a { color: red }\n"})
    builder = Builder(BuildOptions(site_dir=site, output=tmp_path / "out", offline=True, quiet=True))
    builder.build()
    entry = tmp_path / "out" / "pagefind" / "pagefind-entry.json"
    first = entry.stat().st_ino
    css = site / "static" / "css" / "extra.css"
    css.write_text("a { color: blue }\n", "utf-8")
    result = builder.rebuild({css})                       # no page changed: the index is left alone
    assert result.changed == ["css/extra.css"] and "search" not in result.timings
    assert entry.stat().st_ino == first
    post = site / "posts" / "2024-05-01-hello.md"
    post.write_text(post.read_text("utf-8").replace("gradients", "platypuses"), "utf-8")
    result = builder.rebuild({post})
    assert "search" in result.timings
    content = fragments(tmp_path / "out")["/blog/hello/"]["content"]
    assert "platypuses" in content and "gradients" not in content
    assert entry.stat().st_ino != first
    assert not [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".pagefind")]


def test_a_full_rebuild_in_serve_keeps_the_last_index_until_the_indexer_replaces_it(make_site, tmp_path):
    """An edit of mlfolio.yml swaps in a whole new folder: it starts with the last index (hard links), so the
    search box of the reloaded page works while the indexer thread indexes the new pages."""
    from mlfolio.errors import Problems
    from mlfolio.output import Manifest
    from mlfolio.search import index_site

    site = make_site(SEARCH_SITE)
    out = tmp_path / "out"
    builder = Builder(BuildOptions(site_dir=site, output=out, offline=True, quiet=True, preview=True))
    result = builder.build()
    assert result.index_later and not (out / "pagefind").exists()         # serve's indexer makes it
    assert index_site(out, Problems(), ("mlfolio.yml", 4, 9))
    entry = out / "pagefind" / "pagefind-entry.json"
    before = entry.stat().st_ino
    config = site / "mlfolio.yml"
    config.write_text(config.read_text("utf-8").replace("Search <Test>", "Found <Test>"), "utf-8")
    result = builder.rebuild({config})
    assert result.index_later and "Found &lt;Test&gt;" in (out / "index.html").read_text("utf-8")
    assert entry.stat().st_ino == before and "/blog/hello/" in fragments(out)     # the last index, linked
    assert not [rel for rel in Manifest.load(out).files if rel.startswith("pagefind/")]


def test_serve_reloads_first_and_indexes_in_the_background(make_site, no_binary_later):
    """Pagefind takes seconds on a big site: serve's rebuild returns without it, its indexer thread follows."""
    import io
    import time

    from mlfolio.serve import DevServer

    site = make_site(SEARCH_SITE)
    err = io.StringIO()
    dev = DevServer(site, port=0, out=io.StringIO(), err=err, offline=True)
    dev.start()
    try:
        assert "search" not in dev.last_result.timings and dev.last_result.index_later
        assert dev.indexer.wait_idle(30)
        out = dev.output
        assert "gradients" in fragments(out)["/blog/hello/"]["content"]
        post = site / "posts" / "2024-05-01-hello.md"
        before = dev.builds
        post.write_text(post.read_text("utf-8").replace("gradients", "platypuses"), "utf-8")
        assert dev.wait_for_rebuild(before, 10)
        assert "search" not in dev.last_result.timings       # the reload did not wait for Pagefind
        assert dev.indexer.wait_idle(30)
        assert "platypuses" in fragments(out)["/blog/hello/"]["content"]
        assert not [p.name for p in out.parent.iterdir() if ".pagefind-" in p.name]
        no_binary_later()                                    # a failing index is a warning, said once
        for word in ("wombats", "echidnas"):
            before = dev.builds
            post.write_text(post.read_text("utf-8").replace("platypuses", word).replace("wombats", word), "utf-8")
            assert dev.wait_for_rebuild(before, 10) and dev.indexer.wait_idle(30)
        assert err.getvalue().count("search: true needs the pagefind binary") == 1
        assert "platypuses" in fragments(out)["/blog/hello/"]["content"]     # the last good index stays
        started = time.monotonic()
    finally:
        dev.stop()
    assert time.monotonic() - started < 15


@pytest.fixture
def no_binary_later(monkeypatch, tmp_path):
    return lambda: monkeypatch.setenv(BINARY_ENV, str(tmp_path / "no" / "pagefind"))


@pytest.fixture
def no_binary(monkeypatch, tmp_path):
    monkeypatch.setenv(BINARY_ENV, str(tmp_path / "no" / "pagefind"))


def test_a_missing_binary_is_a_warning_and_the_site_is_built(make_site, tmp_path, no_binary, capsys):
    from mlfolio.cli import main

    site = make_site(SEARCH_SITE)
    assert find_binary() is None
    code = main(["build", str(site), "-o", str(tmp_path / "out"), "--offline"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "warning: mlfolio.yml:4:9: search: true needs the pagefind binary" in err
    assert "pip install 'mlfolio[search]'" in err
    assert (tmp_path / "out" / "blog" / "hello" / "index.html").is_file()
    assert not (tmp_path / "out" / "pagefind").exists()


def test_a_missing_binary_under_strict_is_an_error_and_the_output_is_kept(make_site, tmp_path, monkeypatch):
    site = make_site(SEARCH_SITE)
    out = tmp_path / "out"
    build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True))
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    monkeypatch.setenv(BINARY_ENV, str(tmp_path / "missing"))
    (site / "posts" / "2024-05-01-hello.md").write_text("---\ntitle: Hello again\n---\nNew text.\n", "utf-8")
    with pytest.raises(MlfolioError) as exc:
        build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True, strict=True))
    [problem] = exc.value.problems
    assert not problem.warning and (problem.path, problem.line) == ("mlfolio.yml", 4)
    assert "needs the pagefind binary" in problem.message
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert "Hello again" not in (out / "blog" / "hello" / "index.html").read_text("utf-8")
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_failing_binary_leaves_no_half_written_index(make_site, tmp_path, monkeypatch):
    """A pagefind that writes part of its output and crashes: a warning naming its last words, no pagefind/."""
    fake = tmp_path / "bin" / "pagefind"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nwhile [ "$1" != "--output-path" ]; do shift; done\nmkdir -p "$2/fragment"\n'
                    'echo partial > "$2/fragment/x"\necho "Error: disk on fire" >&2\nexit 3\n')
    fake.chmod(0o755)
    monkeypatch.setenv(BINARY_ENV, str(fake))
    site = make_site(SEARCH_SITE)
    out = tmp_path / "out"
    result = build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True))
    [warning] = result.warnings
    assert "search index not built" in warning.message and "disk on fire" in warning.message
    assert not (out / "pagefind").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def fake_pagefind(tmp_path: Path, then: str) -> Path:
    """A pagefind that writes an index, then runs `then` with $site set: what a build does meanwhile."""
    fake = tmp_path / "bin" / "pagefind"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text('#!/bin/sh\nwhile [ "$1" != "--site" ]; do shift; done\nsite="$2"; out="$4"\n'
                    'mkdir -p "$out"\necho "// index" > "$out/pagefind.js"\n' + then + "\n")
    fake.chmod(0o755)
    return fake


@pytest.mark.parametrize("build_meanwhile, placed", [
    ('mv "$site" "$site.old"', False),                          # swapped out, the new one not yet in
    ('mv "$site" "$site.old" && mkdir "$site"', True),          # a new output swapped in
])
def test_serve_indexing_an_output_that_a_build_swaps_meanwhile(tmp_path, monkeypatch, build_meanwhile, placed):
    """serve's indexer runs while the next build may replace the whole output: the index goes into whatever
    output is there when Pagefind is done (the build asks for another run anyway), never a traceback."""
    from mlfolio.errors import Problems
    from mlfolio.search import index_site

    monkeypatch.setenv(BINARY_ENV, str(fake_pagefind(tmp_path, build_meanwhile)))
    out = tmp_path / "out"
    (out / "pagefind").mkdir(parents=True)
    (out / "pagefind" / "pagefind-entry.json").write_text("{}")
    problems = Problems(root=tmp_path)
    assert index_site(out, problems, ("mlfolio.yml", 4, 9)) is placed
    assert problems.items == []
    assert (out / "pagefind" / "pagefind.js").is_file() is placed
    assert not (tmp_path / "out.old" / "pagefind" / "pagefind.js").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_serve_indexer_survives_a_bug_and_indexes_the_next_build(tmp_path, monkeypatch):
    from mlfolio.serve import searchindex

    calls, logged, reported = [], [], []

    def index_site(folder, problems, where, **kw):
        calls.append(folder)
        if len(calls) == 1:
            raise KeyError("boom")
        return True

    monkeypatch.setattr(searchindex, "index_site", index_site)
    indexer = searchindex.SearchIndexer(logged.append, reported.append)
    try:
        indexer.request(tmp_path, ("mlfolio.yml", 4, 9))
        assert indexer.wait_idle(10)
        [[line]] = reported
        assert line.startswith("warning: mlfolio.yml:4:9: search index not built: internal error: KeyError")
        indexer.request(tmp_path, ("mlfolio.yml", 4, 9))
        assert indexer.wait_idle(10) and len(calls) == 2
        assert logged and logged[-1].startswith("search index rebuilt in")
    finally:
        indexer.stop()


def test_a_pagefind_folder_of_the_site_is_never_overwritten(make_site, tmp_path):
    site = make_site({**SEARCH_SITE, "static/pagefind/notes.txt": "mine\n"})
    out = tmp_path / "out"
    result = build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True))
    [warning] = result.warnings
    assert (warning.path, warning.line) == ("mlfolio.yml", 4) and "has a 'pagefind/' of its own" in warning.message
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == ["notes.txt"]


def test_search_must_be_true_or_false(make_site, tmp_path):
    site = make_site({"mlfolio.yml": "title: T\nurl: https://a.github.io\nsearch: pagefind\n"})
    with pytest.raises(MlfolioError) as exc:
        build_site(BuildOptions(site_dir=site, output=tmp_path / "out", offline=True, quiet=True))
    assert str(exc.value).startswith("mlfolio.yml:3:9: 'search' must be true or false")


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """The output folder served under /sub/, as GitHub Pages serves a project site; anything else is a 404."""

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def translate_path(self, path):
        if not path.startswith("/sub/"):
            return os.devnull + "/missing"
        return super().translate_path(path[len("/sub"):])


@pytest.fixture
def served_sub(make_site, tmp_path):
    site = make_site(SEARCH_SITE)
    out = tmp_path / "out"
    build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True, strict=True))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sub/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_slash_opens_search_and_finds_a_post_under_a_sub_path(browser, served_sub):
    from test_theme import new_page

    base = served_sub
    context, page, outside, errors = new_page(browser, base, scheme="dark")
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url))
    try:
        page.goto(base + "blog/hello/", wait_until="networkidle")
        assert not [u for u in loaded if "/pagefind/" in u], "Pagefind was loaded before the search box was used"
        assert page.locator("#search-dialog").is_hidden()
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "search-input"
        page.keyboard.type("quokka")
        hit = page.locator(".search-hit").first
        hit.wait_for(timeout=10_000)
        assert page.locator(".search-hit").count() == 1
        assert hit.get_attribute("href") == "/sub/blog/quokka/"
        assert hit.locator(".search-hit-title").inner_text() == "Counting quokkas: a field guide"
        assert "quokka" in hit.locator(".search-hit-excerpt mark").first.inner_text().lower()
        assert page.locator("#search-status").inner_text() == "1 result for “quokka”."

        page.fill("#search-input", "alert")               # markup written as text in a post stays text
        page.wait_for_function("document.querySelector('#search-status').textContent.includes('alert')")
        assert "<script>alert(1)</script>" in page.locator(".search-hit-excerpt").first.inner_text()
        assert page.locator(".search-results img, .search-results script").count() == 0
        assert page.evaluate("window.hacked") is None

        page.keyboard.press("Escape")
        assert page.locator("#search-dialog").is_hidden()
        assert page.evaluate("document.getElementById('search-dialog').contains(document.activeElement)") is False
        page.keyboard.press("/")
        page.fill("#search-input", "quokka")
        page.locator(".search-hit").first.wait_for()
        page.keyboard.press("Enter")                      # Enter follows the first result
        page.wait_for_url(base + "blog/quokka/")
        assert page.locator("h1").inner_text() == "Counting quokkas: a field guide"
        assert not errors, errors
        assert not outside, outside
    finally:
        context.close()
