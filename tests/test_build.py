"""build.py: stages, the no-change fast path, parallel = serial, drafts, and serve's incremental rebuild."""
import pytest

from mlfolio import build as build_module
from mlfolio.build import BuildOptions, Builder, build_site
from mlfolio.errors import MlfolioError


def many_posts(n):
    return {f"posts/2024-01-{i % 28 + 1:02d}-p{i}.md":
            f"---\ntitle: Post {i}\ntags: [t{i % 3}]\n---\nText {i} with `code` and $x_{i}$.\n\n## H\n\n"
            f"```python\nprint({i})\n```\n" for i in range(60)}


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_second_build_with_no_change_does_nothing(make_site):
    site = make_site()
    first = build_site(BuildOptions(site_dir=site))
    assert first.written > 0
    second = build_site(BuildOptions(site_dir=site))
    assert second.written == 0 and "check" in second.timings and "render" not in second.timings
    assert second.summary().endswith("nothing changed")
    assert second.pages == first.pages and second.posts == first.posts == 1


def test_parallel_output_equals_serial_output(make_site, monkeypatch):
    site = make_site(many_posts(60))
    build_site(BuildOptions(site_dir=site, output=site / "par"))
    monkeypatch.setattr(build_module, "_workers", lambda n: 1)
    build_site(BuildOptions(site_dir=site, output=site / "ser"))
    par, ser = tree(site / "par"), tree(site / "ser")
    par.pop(".mlfolio-output"), ser.pop(".mlfolio-output")
    assert par.keys() == ser.keys() and len(par) > 60
    differing = [k for k in par if par[k] != ser[k] and k != "feed.xml"]
    assert differing == []


def test_markdown_cache_survives_processes(make_site):
    site = make_site(many_posts(60))
    build_site(BuildOptions(site_dir=site))
    cache = site / ".mlfolio-cache" / "rendered.pickle"
    assert cache.stat().st_size > 1000
    (site / "posts/2024-01-01-p0.md").write_text("---\ntitle: Changed\n---\nNew body\n")
    result = build_site(BuildOptions(site_dir=site))
    assert result.timings["load+markdown"] < 5
    assert "blog/p0/index.html" in result.changed
    assert "New body" in (site / "_site/blog/p0/index.html").read_text()


class OldRendered:
    """What an older mlfolio kept: a Rendered without today's fields (no `files`, no `features`)."""

    def __init__(self):
        self.html = "<p>stale</p>"


@pytest.mark.parametrize("kept", [{"digest": OldRendered()}, {"schema": ("0.0.1", ("html",)), "items": {}},
                                  ["not", "a", "dict"]])
def test_a_rendered_cache_from_another_version_is_dropped_not_trusted(make_site, kept):
    import pickle

    site = make_site()
    build_site(BuildOptions(site_dir=site))
    cache = site / ".mlfolio-cache" / "rendered.pickle"
    with open(cache, "wb") as f:
        pickle.dump(kept, f)
    (site / "_site/blog/hello/index.html").unlink()
    build_site(BuildOptions(site_dir=site))
    assert "First paragraph." in (site / "_site/blog/hello/index.html").read_text()
    assert "stale" not in (site / "_site/blog/hello/index.html").read_text()


def test_drafts_flag(make_site):
    site = make_site({"posts/2024-06-01-d.md": "---\ntitle: Draft\ndraft: true\n---\n"})
    assert build_site(BuildOptions(site_dir=site)).posts == 1
    assert build_site(BuildOptions(site_dir=site, drafts=True)).posts == 2


def test_base_url_override(make_site):
    site = make_site()
    build_site(BuildOptions(site_dir=site, base_url="http://127.0.0.1:8000/preview"))
    assert 'href="/preview/blog/hello/"' in (site / "_site/blog/index.html").read_text()


def test_missing_theme_is_a_config_error(make_site):
    site = make_site({"mlfolio.yml": "title: T\ntheme: fancy\n"})
    with pytest.raises(MlfolioError) as exc:
        build_site(BuildOptions(site_dir=site))
    assert "mlfolio.yml:2:8: theme 'fancy' not found" in str(exc.value)


class TestIncrementalRebuild:
    def test_post_edit_renders_only_dependent_pages(self, make_site):
        site = make_site(many_posts(60))
        builder = Builder(BuildOptions(site_dir=site))
        full = builder.build()
        path = site / "posts/2024-01-10-p9.md"
        path.write_text(path.read_text().replace("Text 9", "Edited text 9"))
        result = builder.rebuild({path})
        assert "blog/p9/index.html" in result.changed
        assert "Edited text 9" in (site / "_site/blog/p9/index.html").read_text()
        assert 0 < len(result.changed) < full.pages / 4
        assert "about/index.html" not in result.changed
        incremental = tree(site / "_site")
        incremental.pop(".mlfolio-output")
        assert incremental == tree(build_site_fresh(site))

    def test_broken_edit_raises_and_keeps_last_good_output(self, make_site):
        site = make_site()
        builder = Builder(BuildOptions(site_dir=site))
        builder.build()
        before = tree(site / "_site")
        path = site / "posts/2024-05-01-hello.md"
        path.write_text("---\ntitle: [oops\n---\n")
        with pytest.raises(MlfolioError) as exc:
            builder.rebuild({path})
        assert "posts/2024-05-01-hello.md:3:1" in str(exc.value)
        assert tree(site / "_site") == before
        path.write_text("---\ntitle: Fixed\n---\nBack\n")
        result = builder.rebuild({path})
        assert "Fixed" in (site / "_site/blog/hello/index.html").read_text()
        assert result.written > 0

    def test_new_post_and_template_change_rebuild_everything(self, make_site):
        site = make_site()
        builder = Builder(BuildOptions(site_dir=site))
        builder.build()
        new = site / "posts/2024-07-01-new.md"
        new.write_text("---\ntitle: New one\n---\n")
        result = builder.rebuild({new})
        assert "blog/new/index.html" in result.changed and "index.html" in result.changed
        tpl = site / "templates/about.html"
        tpl.parent.mkdir()
        tpl.write_text("{% extends 'base.html' %}{% block content %}CUSTOM{% endblock %}")
        result = builder.rebuild({tpl})
        assert "CUSTOM" in (site / "_site/about/index.html").read_text()

    def test_static_change_is_copied(self, make_site):
        site = make_site({"static/css/extra.css": "a{}"})
        builder = Builder(BuildOptions(site_dir=site))
        builder.build()
        css = site / "static/css/extra.css"
        css.write_text("a{color:red}")
        result = builder.rebuild({css})
        assert result.changed == ["css/extra.css"]
        assert (site / "_site/css/extra.css").read_text() == "a{color:red}"


def build_site_fresh(site):
    out = site.parent / "fresh"
    build_site(BuildOptions(site_dir=site, output=out))
    (out / ".mlfolio-output").unlink()
    return out


def test_changing_base_url_between_builds_changes_every_link(make_site):
    """Compiled templates are cached on disk; no URL may be frozen into them."""
    site = make_site()
    build_site(BuildOptions(site_dir=site, base_url="https://ada.github.io/portfolio"))
    assert 'href="/portfolio/assets/style.css' in (site / "_site/index.html").read_text()
    build_site(BuildOptions(site_dir=site))
    html = (site / "_site/index.html").read_text()
    assert "/portfolio/" not in html and 'href="/assets/style.css' in html


@pytest.mark.parametrize("edit", ["post body", "post title", "profile", "template", "new post", "static"])
def test_rebuild_after_an_edit_equals_a_fresh_build(make_site, edit):
    """The CLI reuses pages that show no changed document; whatever the edit, the result must equal a
    build from scratch."""
    site = make_site({**many_posts(60), "static/a.css": "a{}"})
    build_site(BuildOptions(site_dir=site))
    post = site / "posts/2024-01-10-p9.md"
    if edit == "post body":
        post.write_text(post.read_text().replace("Text 9", "Changed 9"))
    elif edit == "post title":
        post.write_text(post.read_text().replace("title: Post 9", "title: Renamed"))
    elif edit == "profile":
        (site / "profile.yml").write_text("name: Someone Else\n")
    elif edit == "template":
        (site / "templates").mkdir()
        (site / "templates/post.html").write_text("{% extends 'base.html' %}{% block content %}X{{ post.title }}{% endblock %}")
    elif edit == "new post":
        (site / "posts/2025-01-01-new.md").write_text("---\ntitle: Newest\n---\n")
    else:
        (site / "static/a.css").write_text("a{color:red}")
    result = build_site(BuildOptions(site_dir=site))
    assert result.written > 0
    out = tree(site / "_site")
    out.pop(".mlfolio-output")
    assert out == tree(build_site_fresh(site))


def _sigint_handler(index, count):
    import signal
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_workers_leave_ctrl_c_to_the_main_process():
    """A worker waiting for work when Ctrl-C arrives would print a traceback of its own; they ignore SIGINT and
    the main process stops them."""
    assert build_module.in_workers(_sigint_handler, 2) == [True, True]


def test_progress_bar_on_a_terminal_only(make_site):
    """A long build draws a one-line bar on a terminal's stderr, and nothing in a pipe or a CI log."""
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path
    posts = {f"posts/2024-01-{i % 28 + 1:02d}-p{i}.md": "---\ntitle: P\n---\n" + "Some *text* here.\n\n" * 300
             for i in range(300)}
    site = make_site(posts)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "mlfolio", "build", str(site)], env=env, stderr=slave,
                            stdout=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    tty = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert "\rReading posts and pages [" in tty and "/301" in tty
    piped = subprocess.run([sys.executable, "-m", "mlfolio", "build", str(site), "-o", str(site / "again")], env=env,
                           capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "[#" not in piped.stderr and "\r" not in piped.stderr
