"""output.py: atomic swap, no stale files, unchanged files untouched, and never deleting a foreign folder."""
import os

import pytest

from mlfolio.build import BuildOptions, build_site
from mlfolio.errors import MlfolioError
from mlfolio.output import MANIFEST, Manifest


def build(site, **kw):
    return build_site(BuildOptions(site_dir=site, **kw))


def test_failed_build_leaves_previous_output_untouched(make_site):
    site = make_site()
    build(site)
    before = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    (site / "posts/2024-05-01-hello.md").write_text("---\ntitle: [broken\n---\n")
    with pytest.raises(MlfolioError):
        build(site)
    after = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in site.iterdir() if ".tmp-" in p.name or ".old-" in p.name] == []


def test_removed_post_leaves_no_stale_files(make_site):
    site = make_site({"posts/2024-06-01-gone.md": "---\ntitle: Gone\n---\n"})
    build(site)
    assert (site / "_site/blog/gone/index.html").exists()
    (site / "posts/2024-06-01-gone.md").unlink()
    result = build(site)
    assert not (site / "_site/blog/gone").exists()
    assert "blog/gone/index.html" in result.changed


def test_unchanged_files_are_not_rewritten(make_site):
    site = make_site({"static/img/a.png": b"\x89PNG fake"})
    build(site)
    post = site / "_site/blog/hello/index.html"
    png = site / "_site/img/a.png"
    stamp = (post.stat().st_ino, post.stat().st_mtime_ns, png.stat().st_mtime_ns)
    (site / "posts/2024-06-01-new.md").write_text("---\ntitle: New\n---\n")
    result = build(site)
    assert "blog/new/index.html" in result.changed and "blog/index.html" in result.changed
    assert "img/a.png" not in result.changed
    assert png.stat().st_mtime_ns == stamp[2]
    # hello's page changed (it now links to 'New' as the next post), so it was rewritten
    assert "blog/hello/index.html" in result.changed


def test_manifest_lists_every_file(make_site):
    site = make_site()
    build(site)
    manifest = Manifest.load(site / "_site")
    on_disk = {p.relative_to(site / "_site").as_posix() for p in (site / "_site").rglob("*") if p.is_file()}
    assert set(manifest.files) == on_disk - {MANIFEST}


def test_refuses_to_replace_a_foreign_folder(make_site, tmp_path):
    site = make_site()
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(MlfolioError) as exc:
        build(site, output=foreign)
    assert "not empty and was not made by mlfolio" in str(exc.value)
    assert (foreign / "thesis.tex").read_text() == "precious"
    with pytest.raises(MlfolioError):
        build(site, output=site.parent)
    with pytest.raises(MlfolioError):
        build(site, output=site / "posts" / "out")


def test_output_to_a_custom_empty_folder(make_site, tmp_path):
    site = make_site()
    out = tmp_path / "public"
    out.mkdir()
    result = build(site, output=out)
    assert (out / "index.html").exists() and result.output == out.resolve()
    assert os.listdir(tmp_path).count("public") == 1
