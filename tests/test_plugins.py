"""plugins.py: a local plugin file adds a reader, a source (served by the loopback fake API) and a route with its
template, without touching the core; its settings are checked with file:line; broken plugins are clear errors;
installed plugins are found through entry points."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from fakeapi import fake_api, remote_env  # noqa: F401  (fixtures)
from mlfolio.build import BuildOptions, Builder, build_site
from mlfolio.cli import main
from mlfolio.errors import MlfolioError

PLUGINS = Path(__file__).parent / "plugins"
BOOKS = [{"title": "Deep Learning", "author": "Goodfellow, Bengio & Courville", "url": "https://www.deeplearningbook.org",
          "rating": 5},
         {"title": '<img src=x onerror="alert(1)">', "author": "Mallory", "url": "javascript:alert(1)", "rating": "5"},
         {"no": "title"}]
CONFIG = """
    title: Test Site
    url: https://ada.github.io/portfolio
    plugins: [plugins/reading.py]
    reading:
      user: ada
      limit: 5
    reading_list:
      title: What I read
"""


def with_plugin(make_site, files=None, config=CONFIG):
    site = make_site({"mlfolio.yml": config, **(files or {})})
    shutil.copytree(PLUGINS, site / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    return site


@pytest.fixture
def books(fake_api, remote_env):
    fake_api.add_json("/users/ada/books", BOOKS)
    remote_env.setenv("MLFOLIO_READING_API_URL", fake_api.url)
    return fake_api


def read(site, rel):
    return (site / "_site" / rel).read_text("utf-8")


def test_reader_source_route_filter_and_post_build_step_from_one_plugin_file(make_site, books):
    site = with_plugin(make_site, {"posts/2024-06-01-notes.txt": "---\ntitle: Plain notes\ntags: [reading]\n---\n"
                                   "First paragraph & more.\n\nSecond <b>one</b>.\n"})
    result = build_site(BuildOptions(site_dir=site, strict=True))
    assert result.warnings == []
    page = read(site, "reading-list/index.html")                          # the route, with its template
    assert "<h1>What I read</h1>" in page and "Deep Learning" in page and "★★★★★" in page
    assert '<img src=x' not in page and "&lt;img src=x" in page           # API text is escaped
    assert "javascript:" not in page
    assert '<a href="/portfolio/reading-list/">Reading</a>' in read(site, "index.html")   # default menu entry
    assert 'aria-current="page">Reading</a>' in page
    post = read(site, "blog/notes/index.html")                             # the .txt reader
    assert "<p>First paragraph &amp; more.</p>" in post and "<p>Second &lt;b&gt;one&lt;/b&gt;.</p>" in post
    assert "Plain notes" in read(site, "blog/index.html") and "Plain notes" in read(site, "tags/reading/index.html")
    projects = read(site, "projects/index.html")                           # the source's cards
    assert 'id="reading"' in projects and "card card-book" in projects and "More on Reading" not in projects
    assert "Books read" in read(site, "index.html")                       # its totals on home
    assert read(site, "reading-count.txt") == "2\n"                        # the post-build step
    assert "https://ada.github.io/portfolio/reading-list/" in read(site, "sitemap.xml")


def test_markdown_extensions_fences_features_and_reader_files_from_a_plugin(make_site, books):
    site = with_plugin(make_site, {
        "posts/2024-06-01-notes.txt": "---\ntitle: Plain notes\n---\nOne.\n",
        "posts/2024-06-02-shelf.md": "---\ntitle: Shelf\n---\nMy :book: list.\n\n```shelf\nDune\n<i>Emma</i>\n```\n",
        "posts/2024-06-03-plain.md": "---\ntitle: Plain\n---\nNo :book: shelf here.\n"})
    build_site(BuildOptions(site_dir=site, strict=True))
    shelf, plain = read(site, "blog/shelf/index.html"), read(site, "blog/plain/index.html")
    assert "My \N{BOOKS} list." in shelf and "No \N{BOOKS} shelf here." in plain        # the event filter
    assert '<ul class="shelf"><li>Dune</li><li>&lt;i&gt;Emma&lt;/i&gt;</li></ul>' in shelf   # the fence handler
    assert '<link rel="stylesheet" href="/portfolio/assets/shelf.css">' in shelf          # its feature's partial
    assert "shelf.css" not in plain
    assert read(site, "blog/notes/source.txt") == "One.\n"                               # a reader's own file
    assert '<a href="source.txt">As plain text</a>' in read(site, "blog/notes/index.html")
    stored = list((site / ".mlfolio-cache" / "files").iterdir())
    assert [p.read_text() for p in stored] == ["One.\n"]

    (site / "posts/2024-06-01-notes.txt").write_text("---\ntitle: Plain notes\n---\nTwo.\n")
    build_site(BuildOptions(site_dir=site, strict=True))
    assert read(site, "blog/notes/source.txt") == "Two.\n"
    assert [p.read_text() for p in (site / ".mlfolio-cache" / "files").iterdir()] == ["Two.\n"]   # old one pruned

    shutil.rmtree(site / ".mlfolio-cache" / "files")                       # lost files: the body is made again
    shutil.rmtree(site / "_site")
    build_site(BuildOptions(site_dir=site, strict=True))
    assert read(site, "blog/notes/source.txt") == "Two.\n"


def test_serve_rebuild_publishes_a_reader_file_that_changed(make_site, books):
    site = with_plugin(make_site, {"posts/2024-06-01-notes.txt": "---\ntitle: Plain notes\n---\nOne.\n"})
    builder = Builder(BuildOptions(site_dir=site))
    builder.build()
    (site / "posts/2024-06-01-notes.txt").write_text("---\ntitle: Plain notes\n---\nTwo.\n")
    builder.rebuild({site / "posts/2024-06-01-notes.txt"})
    assert read(site, "blog/notes/source.txt") == "Two.\n"


def test_fetch_snapshot_and_offline_build_include_the_plugin_source(make_site, books, capsys):
    site = with_plugin(make_site)
    assert main(["fetch", str(site)]) == 0
    out = capsys.readouterr().out
    assert "reading ada: 2 books" in out and "Wrote data/remote.json (reading)" in out
    data = json.loads((site / "data/remote.json").read_text())
    assert [b["title"] for b in data["reading"]["books"]] == ['<img src=x onerror="alert(1)">', "Deep Learning"]
    shutil.rmtree(site / ".mlfolio-cache")
    books.clear()
    assert main(["build", str(site), "--offline", "--strict", "-q"]) == 0
    assert books.requests == [] and "Deep Learning" in read(site, "reading-list/index.html")


def test_a_failing_source_falls_back_with_a_warning_at_its_line(make_site, books):
    site = with_plugin(make_site)
    build_site(BuildOptions(site_dir=site))
    books.fault("/users/ada/books", "500")
    result = build_site(BuildOptions(site_dir=site))
    assert [str(w) for w in result.warnings] == [
        "mlfolio.yml:5:9: Reading data not refreshed: server error (500); using .mlfolio-cache data fetched just "
        "now — check the network, or build with --offline"]
    assert "Deep Learning" in read(site, "reading-list/index.html")


@pytest.mark.parametrize("config, expected", [
    (CONFIG.replace("user: ada", "usr: ada"), "mlfolio.yml:5:3: unknown key 'reading.usr' — did you mean 'user'?"),
    (CONFIG.replace("limit: 5", "limit: lots"), "mlfolio.yml:6:10: 'reading.limit' must be a whole number, got lots"),
    (CONFIG.replace("title: What I read", "titel: x"),
     "mlfolio.yml:8:3: unknown key 'reading_list.titel' — did you mean 'title'?"),
    (CONFIG.replace("plugins/reading.py", "plugins/nope.py"),
     "mlfolio.yml:3:11: plugin file 'plugins/nope.py' not found"),
    (CONFIG.replace("plugins/reading.py", "no-such-plugin"), "mlfolio.yml:3:11: no installed plugin named "
     "'no-such-plugin'"),
    (CONFIG.replace("[plugins/reading.py]", "[plugins/reading.py, plugins/reading.py]"),
     "mlfolio.yml:3:31: plugin 'reading_list' is listed twice"),
])
def test_config_errors_of_plugins_and_their_sections_have_positions(make_site, books, config, expected):
    site = with_plugin(make_site, config=config)
    with pytest.raises(MlfolioError) as exc:
        build_site(BuildOptions(site_dir=site))
    assert str(exc.value.problems[0]).startswith(expected)


@pytest.mark.parametrize("code, expected", [
    ("def broken(:\n", "plugin 'plugins/bad.py' failed to load: SyntaxError"),
    ("import math\nx = 1 / 0\n", "plugin 'plugins/bad.py' failed to load: ZeroDivisionError: division by zero (line 2)"),
    ("x = 1\n", "'plugins/bad.py' defines no plugin"),
    ("from mlfolio.plugins import Plugin\nplugin = Plugin(name='github')\n",
     "plugin name 'github' is already a key of mlfolio.yml"),
])
def test_broken_plugin_files_are_problems_not_tracebacks(make_site, capsys, code, expected):
    site = make_site({"mlfolio.yml": "title: T\nplugins:\n  - plugins/bad.py\n", "plugins/bad.py": code})
    assert main(["build", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"error: mlfolio.yml:3:5: {expected}" in err and "Traceback" not in err


def test_plugin_version_is_part_of_the_cache_keys(make_site, books):
    site = with_plugin(make_site)
    builder = Builder(BuildOptions(site_dir=site))
    first = builder.build()
    assert build_site(BuildOptions(site_dir=site)).written == 0
    plugin = site / "plugins/reading.py"
    plugin.write_text(plugin.read_text().replace('version="1.0"', 'version="1.1"'))
    again = build_site(BuildOptions(site_dir=site))
    assert again.rendered == first.rendered          # every page rendered again, not reused
    assert "reading-count.txt" not in again.changed  # the post-build step wrote the same bytes


def test_installed_plugin_found_through_its_entry_point(make_site, books, tmp_path, monkeypatch):
    dist = tmp_path / "dist"
    (dist / "mlfolio_reading-1.0.dist-info").mkdir(parents=True)
    (dist / "mlfolio_reading-1.0.dist-info/METADATA").write_text("Metadata-Version: 2.1\nName: mlfolio-reading\n"
                                                                  "Version: 1.0\n")
    (dist / "mlfolio_reading-1.0.dist-info/entry_points.txt").write_text(
        "[mlfolio.plugins]\nreading = mlfolio_reading_plugin:plugin\n")
    source = (PLUGINS / "reading.py").read_text().replace('templates="reading_templates"',
                                                          f'templates={str(PLUGINS / "reading_templates")!r}')
    (dist / "mlfolio_reading_plugin.py").write_text(source)
    monkeypatch.syspath_prepend(str(dist))
    site = make_site({"mlfolio.yml": CONFIG.replace("[plugins/reading.py]", "[reading]")})
    build_site(BuildOptions(site_dir=site, strict=True))
    assert "Deep Learning" in read(site, "reading-list/index.html")
    sys.modules.pop("mlfolio_reading_plugin", None)


def test_serve_rebuild_picks_up_an_edited_plugin_template(make_site, books):
    site = with_plugin(make_site)
    builder = Builder(BuildOptions(site_dir=site))
    builder.build()
    template = site / "plugins/reading_templates/reading.html"
    template.write_text(template.read_text().replace("<h1>", "<h1 class=edited>"))
    builder.rebuild({template})
    assert "<h1 class=edited>What I read</h1>" in read(site, "reading-list/index.html")
