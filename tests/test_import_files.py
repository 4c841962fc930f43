"""Bad input to `mlfolio import`: each a clear note naming the file (and line), the rest imported, the result
still building with --strict, never a traceback."""
from __future__ import annotations

import os

import pytest

from conftest import write_site
from import_checks import PNG
from mlfolio.cli import main
from mlfolio.importers import import_site
from mlfolio.importers.files import MAX_TEXT_BYTES

GOOD_POST = "---\ntitle: Fine\n---\nA post that imports.\n"


def jekyll(root, files):
    return write_site(root, {"_config.yml": "title: Blog\nurl: https://x.example.org\nauthor: Ada\n",
                             "_posts/2020-01-01-fine.md": GOOD_POST, **files})


def notes(report) -> list[str]:
    return [str(n) for n in report.notes]


def test_broken_yaml_front_matter_and_config(tmp_path):
    source = jekyll(tmp_path / "src", {"_posts/2020-02-02-broken.md": "---\ntitle: [unclosed\ntags: x\n---\nBody\n"})
    (source / "_config.yml").write_text("title: Blog\nurl: https://x.example.org\n  bad: indent: here\n")
    report = import_site(source, tmp_path / "new")
    lines = notes(report)
    assert any(line.startswith("_posts/2020-02-02-broken.md:3: YAML that cannot be read") for line in lines), lines
    assert any(line.startswith("_config.yml:3: YAML that cannot be read") for line in lines), lines
    assert (tmp_path / "new/posts/2020-01-01-fine.md").is_file()
    assert not (tmp_path / "new/posts/2020-02-02-broken.md").exists()
    assert report.counts["posts"] == 1 and report.build == []


def test_unreadable_toml_config(tmp_path):
    source = write_site(tmp_path / "src", {
        "config/_default/config.toml": 'title = "Site"\nbaseURL = "https://x.example.org/\n',
        "content/post/a/index.md": "---\ntitle: A\ndate: 2021-01-01\n---\nText.\n",
    })
    report = import_site(source, tmp_path / "new")
    assert any(line.startswith("config/_default/config.toml:2: TOML that cannot be read") for line in notes(report))
    assert report.counts["posts"] == 1 and report.build == []


def test_binary_non_utf8_and_enormous_posts(tmp_path):
    source = jekyll(tmp_path / "src", {
        "_posts/2020-03-03-image.md": PNG,
        "_posts/2020-04-04-latin1.md": "---\ntitle: Café\n---\nna\u00efve\n".encode("latin-1"),
        "_posts/2020-05-05-huge.md": "---\ntitle: Huge\n---\n" + "word " * (MAX_TEXT_BYTES // 5 + 10),
    })
    report = import_site(source, tmp_path / "new")
    lines = notes(report)
    assert "_posts/2020-03-03-image.md: binary file where text was expected; not imported — remove it, or move " \
           "it to the site's images or files folder" in lines
    assert "_posts/2020-04-04-latin1.md:2: file is not UTF-8 text; not imported — re-save it as UTF-8" in lines
    assert "_posts/2020-05-05-huge.md: file is 5 MB, more than the 5 MB a text file may have; not imported — " \
           "split it, or copy what matters by hand" in lines
    assert sorted(p.name for p in (tmp_path / "new/posts").iterdir()) == ["2020-01-01-fine.md"]
    assert report.build == []


def test_symbolic_links_outside_are_not_followed(tmp_path):
    secret = write_site(tmp_path / "outside", {"secret.md": "---\ntitle: Secret\n---\nssh key\n",
                                               "img/private.png": PNG})
    source = jekyll(tmp_path / "src", {"assets/img/ok.png": PNG})
    os.symlink(secret / "secret.md", source / "_posts/2020-06-06-secret.md")
    os.symlink(secret / "img/private.png", source / "assets/img/private.png")
    os.symlink(secret / "img", source / "assets/img/linked-folder")
    os.symlink(source / "_posts/2020-01-01-fine.md", source / "_posts/2020-07-07-alias.md")   # inside: followed
    report = import_site(source, tmp_path / "new")
    lines = notes(report)
    for name in ("_posts/2020-06-06-secret.md", "assets/img/private.png", "assets/img/linked-folder"):
        assert f"{name}: a symbolic link that leads outside the site (or nowhere) was not followed — copy the file " \
               "into the site if it belongs to it" in lines
    new = tmp_path / "new"
    assert not any("ssh key" in p.read_text(errors="ignore") for p in new.rglob("*") if p.is_file())
    assert sorted(p.name for p in (new / "static/img").iterdir()) == ["ok.png"]
    assert (new / "posts/2020-07-07-alias.md").is_file()
    assert report.build == []


def test_the_source_is_never_written(tmp_path):
    source = jekyll(tmp_path / "src", {"assets/img/a.png": PNG})
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in source.rglob("*") if p.is_file()}
    import_site(source, source / "mlfolio-site")                     # a target inside the source
    import_site(source, source / "mlfolio-site", force=True)         # imported twice: the first is not read
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in source.rglob("*")
             if p.is_file() and "mlfolio-site" not in p.parts}
    assert before == after
    assert not (source / "mlfolio-site/static/mlfolio-site").exists()
    assert sorted(p.name for p in (source / "mlfolio-site/posts").iterdir()) == ["2020-01-01-fine.md"]


def test_unknown_kind_usage_and_non_empty_target(tmp_path, capsys):
    source = write_site(tmp_path / "src", {"index.html": "<h1>hand-made</h1>\n", "notes.txt": "x\n"})
    assert main(["import", str(source), str(tmp_path / "new")]) == 1
    err = capsys.readouterr().err
    assert "not an al-folio, Jekyll or Hugo Academic site" in err and "Traceback" not in err
    assert not (tmp_path / "new").exists()
    assert main(["import", str(tmp_path / "missing"), str(tmp_path / "new")]) == 1
    assert "no such folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["import", str(source)])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["import", str(source), str(tmp_path / "new"), "--from", "wordpress"])
    assert exc.value.code == 2
    full = write_site(tmp_path / "full", {"keep.txt": "mine\n"})
    blog = jekyll(tmp_path / "blog", {})
    assert main(["import", str(blog), str(full)]) == 1
    assert "folder is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in full.iterdir()) == ["keep.txt"]
    assert main(["import", str(source), str(tmp_path / "forced"), "--from", "jekyll"]) == 0


def test_report_says_why_a_site_does_not_build(tmp_path):
    source = jekyll(tmp_path / "src", {"_pages/about.md": "---\npermalink: /\n---\nSee [the missing file](/files/gone.pdf).\n",
                                       "files/other.pdf": b"%PDF-1.4\n"})
    report = import_site(source, tmp_path / "new")
    text = report.text("src", "new")
    assert report.build == [] and "It builds with --strict" in text
    (tmp_path / "new/posts/2020-01-01-fine.md").write_text("---\ntitle: Fine\n---\n[gone](missing.md)\n")
    from mlfolio.importers import build_problems
    problems = build_problems(tmp_path / "new")
    assert problems == ["posts/2020-01-01-fine.md:4: link to 'missing.md': no such post or page — check the file "
                        "name; links are relative to this file (e.g. 'other-post.md')"]
    assert not (tmp_path / "new/.mlfolio-cache").exists()


def test_a_target_that_cannot_be_written_is_one_message(tmp_path, capsys):
    blog = jekyll(tmp_path / "blog", {})
    (tmp_path / "new").mkdir()
    (tmp_path / "new/posts").write_text("a file where a folder must go\n")
    assert main(["import", str(blog), str(tmp_path / "new"), "--force"]) == 1
    err = capsys.readouterr().err
    assert "cannot write the new site" in err and "Traceback" not in err

