"""Where serve writes: its own folder in the cache, never _site/ (what `mlfolio build` writes for deployment);
and what happens when that folder is deleted while serve runs. Real server, real files, real `mlfolio build`."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_serve import POST, POST_URL, SRC, Served, post_text

from mlfolio import cli
from mlfolio.paths import SERVE_OUTPUT
from mlfolio.serve import DevServer

DRAFT = {"posts/2024-06-01-draft.md": "---\ntitle: Secret draft\ndraft: true\n---\nWIP.\n"}


@pytest.fixture
def served(make_site):
    dev = DevServer(make_site(DRAFT), port=0, out=io.StringIO(), err=io.StringIO(), offline=True)
    dev.start()
    try:
        yield Served(dev, dev.out)
    finally:
        dev.stop()


def mlfolio_build(site: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "mlfolio", "build", str(site), "--offline"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def text_of(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in sorted(folder.rglob("*")) if p.is_file())


def assert_deployable(site_output: Path) -> None:
    text = text_of(site_output)
    assert "Secret draft" not in text and "127.0.0.1" not in text and "localhost" not in text
    assert "https://ada.github.io/blog/hello/" in text


# -- serve never writes _site/ ---------------------------------------------------------------------------

def test_serve_builds_into_the_cache_and_leaves_site_to_build(served):
    dev, site = served.dev, served.dev.site_dir
    assert dev.output == (site / SERVE_OUTPUT).resolve()
    assert not (site / "_site").exists()
    status, _, body = served.request("/blog/draft/")
    assert status == 200 and b"Secret draft" in body
    assert f"http://127.0.0.1:{dev.port}/blog/hello/" in (dev.output / "feed.xml").read_text("utf-8")

    builds = dev.builds
    build = mlfolio_build(site)
    out, err = build.communicate(timeout=60)
    assert build.returncode == 0, err
    assert_deployable(site / "_site")
    time.sleep(0.5)
    assert dev.builds == builds              # what build wrote into _site/ is not a source: no rebuild
    assert b"Secret draft" in served.request("/blog/draft/")[2]


def test_serve_and_build_run_at_the_same_time(served):
    dev, site = served.dev, served.dev.site_dir
    builds = [mlfolio_build(site) for _ in range(2)]
    for i in range(5):                       # serve rebuilds while both builds run
        served.edit(POST, post_text(f"Edit {i} while building."))
    for build in builds:
        out, err = build.communicate(timeout=60)
        assert build.returncode == 0, err
    assert_deployable(site / "_site")
    served.wait_for(POST_URL, b"Edit 4 while building.")
    assert dev.last_error is None
    assert b"Secret draft" in served.request("/blog/draft/")[2]


def test_an_output_named_in_mlfolio_yml_is_left_to_build_too(make_site):
    site = make_site({**DRAFT, "mlfolio.yml": "title: Test Site\nurl: https://ada.github.io\noutput: public\n"})
    dev = DevServer(site, port=0, out=io.StringIO(), err=io.StringIO(), offline=True)
    dev.start()
    try:
        assert dev.output == (site / SERVE_OUTPUT).resolve() and not (site / "public").exists()
        builds = dev.builds
        build = mlfolio_build(site)
        assert build.wait(60) == 0
        assert_deployable(site / "public")
        time.sleep(0.5)
        assert dev.builds == builds and dev.ignored(site / "public/index.html")
    finally:
        dev.stop()


def test_output_flag_builds_the_preview_where_asked(make_site, tmp_path):
    site = make_site(DRAFT)
    args = cli.make_parser().parse_args(["serve", str(site), "--output", str(tmp_path / "preview")])
    dev = DevServer(site, port=0, out=io.StringIO(), err=io.StringIO(), offline=True, output=args.output)
    dev.start()
    try:
        assert dev.output == tmp_path / "preview"
        assert "Secret draft" in text_of(tmp_path / "preview")
        assert not (site / "_site").exists() and not (site / SERVE_OUTPUT).exists()
    finally:
        dev.stop()


# -- the output deleted while serve runs -----------------------------------------------------------------

def test_deleted_output_is_rebuilt_at_the_next_request(served):
    shutil.rmtree(served.dev.output)
    for path, text in (("/about/", b"Ada Test"), ("/assets/style.css", b"{"), (POST_URL, b"First paragraph.")):
        status, _, body = served.request(path)
        assert status == 200 and text in body, path
    assert "the output folder was deleted" in served.out.getvalue().splitlines()[-1]
    assert served.dev.last_error is None


def test_deleted_output_is_rebuilt_in_full_at_the_next_rebuild(served):
    output = served.dev.output
    shutil.rmtree(output)
    served.edit(POST, post_text("Edited after the output was deleted."))
    last = served.out.getvalue().splitlines()[-1]
    assert last.startswith("rebuilt in ") and "(the output folder was deleted)" in last
    for rel in ("about/index.html", "assets/style.css", "blog/draft/index.html", "404.html"):
        assert (output / rel).is_file(), rel          # on disk before any request asked for them
    assert "Edited after the output was deleted." in (output / "blog/hello/index.html").read_text("utf-8")


def test_deleted_output_while_the_site_is_broken_waits_for_the_fix(served):
    served.edit(POST, "---\ntags: [ml]\n---\nNo title.\n")
    assert served.dev.last_error is not None
    builds = served.dev.builds
    shutil.rmtree(served.dev.output)
    t0 = time.monotonic()
    assert served.request("/about/")[0] == 404       # no build is tried: it would fail the same way
    assert time.monotonic() - t0 < 2 and served.dev.builds == builds
    served.edit(POST, post_text("Fixed."))
    assert served.request("/about/")[0] == 200
    assert b"Fixed." in served.request(POST_URL)[2]
