"""output.py: atomic swap, no stale files, unchanged files untouched, and never deleting a foreign folder."""
import os

import pytest

from mlfolio.build import BuildOptions, build_site
from mlfolio.errors import MlfolioError
from mlfolio.output import MANIFEST, Manifest

SRC = __import__("pathlib").Path(__file__).resolve().parents[1] / "src"


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


@pytest.mark.parametrize("output, expected", [
    (".mlfolio-cache", "mlfolio.yml:2:9: the output folder would be .mlfolio-cache/, inside it or around it"),
    ("themes/mine/static/out", "mlfolio.yml:2:9: the output folder would be themes/, inside it or around it"),
    ("data", "mlfolio.yml:2:9: the output folder would be data/, inside it or around it"),
    ("posts/_site", "mlfolio.yml:2:9: the output folder would be posts/, inside it or around it"),
])
def test_output_inside_an_input_or_the_cache_is_refused(make_site, output, expected):
    site = make_site({"mlfolio.yml": f"title: T\noutput: {output}\n", "themes/mine/static/a.css": "a{}"})
    with pytest.raises(MlfolioError) as exc:
        build_site(BuildOptions(site_dir=site))
    assert str(exc.value).startswith(expected)


@pytest.mark.parametrize("manifest", ['{"files": []}', '{"files": {"a": 1}}', "[1, 2]", '{"files": {}, "pages": "x"}',
                                      "\x00\xff not json"])
def test_a_damaged_manifest_is_replaced_not_a_traceback(make_site, manifest):
    site = make_site()
    build_site(BuildOptions(site_dir=site))
    (site / "_site" / MANIFEST).write_text(manifest, errors="surrogateescape")
    (site / "posts/2024-05-01-hello.md").write_text("---\ntitle: Again\n---\nx\n")
    result = build_site(BuildOptions(site_dir=site))
    assert result.pages > 0 and "Again" in (site / "_site/blog/hello/index.html").read_text()
    assert Manifest.load(site / "_site") is not None


def test_two_builds_at_once_both_succeed_and_leave_a_whole_site(make_site):
    """Two `mlfolio build` of one site at the same time (an editor's build-on-save and a terminal): each
    finishes, and the output is one of them, complete."""
    import subprocess
    import sys
    posts = {f"posts/2024-01-{i % 28 + 1:02d}-p{i}.md": f"---\ntitle: P{i}\ntags: [t{i % 4}]\n---\nText {i}\n"
             for i in range(60)}
    site = make_site(posts)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for round_ in range(4):
        (site / "posts/2024-01-01-p0.md").write_text(f"---\ntitle: Round {round_}\n---\nx\n")
        procs = [subprocess.Popen([sys.executable, "-m", "mlfolio", "build", str(site), "-q"], env=env,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for p in procs:
            _, err = p.communicate(timeout=60)
            assert p.returncode == 0 and "Traceback" not in err, err
        assert f"Round {round_}" in (site / "_site/blog/p0/index.html").read_text()
        assert len(list((site / "_site/blog").glob("p*/index.html"))) == 60
    assert not [p for p in site.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
