"""Page reuse is correct for any template: after random sequences of edits, the output of an incremental
`mlfolio build` and of serve's rebuild is byte-identical to a clean build of the same files.

The site has templates of its own that read what the default theme does not (`site.posts` on the about page,
each tag's posts on the tags page, the page count in every <head>), so reuse cannot lean on what the default
theme happens to read."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conftest import write_site
from mlfolio.build import BuildOptions, Builder, build_site

TEMPLATES = {
    "templates/about.html": "{% extends 'base.html' %}{% block content %}<ol>{% for p in site.posts %}"
                            "<li>{{ p.title }} · {{ p.date }} · {{ p.tags|map(attribute='name')|join(', ') }}</li>"
                            "{% endfor %}</ol>{% endblock %}",
    "templates/tags.html": "{% extends 'base.html' %}{% block content %}{% for t in tags %}<h2>{{ t.name }}</h2>"
                           "<p>{{ t.posts|map(attribute='title')|join(' | ') }}</p>{% endfor %}{% endblock %}",
    "templates/partials/extra_head.html": "<meta name=\"pages\" content=\"{{ site.pages|length }}\">",
}
TAGS = ["ml", "nlp", "vision", "rl", "stats"]


def post(i: int, title: str | None = None, tags=None, date=None, draft=False, body=None) -> str:
    tags = tags if tags is not None else [TAGS[i % 5], TAGS[(i * 2 + 1) % 5]]
    front = f"title: {title or f'Post {i}'}\ntags: [{', '.join(tags)}]\n"
    if date:
        front += f"date: {date}\n"
    if draft:
        front += "draft: true\n"
    return f"---\n{front}---\n{body or f'Body of post {i}, linking [the first](2024-01-01-p0.md).'}\n"


def initial_site() -> dict[str, str]:
    files = {
        "mlfolio.yml": "title: Incremental\nurl: https://ada.github.io/inc\nposts_per_page: 4\n",
        "profile.yml": "name: Ada\nheadline: ML engineer\n",
        "pages/cv.md": "---\ntitle: CV\nmenu: 5\n---\n## Work\n## Study\n",
        "static/css/x.css": "a{}",
        **TEMPLATES,
    }
    for i in range(12):
        files[f"posts/2024-01-{i + 1:02d}-p{i}.md"] = post(i)
    return files


def random_edit(rng: random.Random, site: Path) -> list[Path]:
    """Applies one edit a user could make; returns the paths it touched."""
    posts = sorted((site / "posts").glob("*.md"))
    target = rng.choice(posts)
    i = int(target.stem.rsplit("-p", 1)[1])
    kind = rng.choice(["title", "title", "tags", "body", "date", "draft", "new post", "delete post", "profile",
                       "template", "page title", "new page", "static", "config"])
    if kind == "title":
        target.write_text(post(i, title=f"Renamed {i} {rng.randrange(1000)}"))
    elif kind == "tags":
        target.write_text(post(i, tags=rng.sample(TAGS, rng.randrange(0, 3))))
    elif kind == "body":
        target.write_text(post(i, body=f"Edited body {rng.randrange(1000)} with $x^2$."))
    elif kind == "date":
        target.write_text(post(i, date=f"2025-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"))
    elif kind == "draft":
        target.write_text(post(i, draft=True))
    elif kind == "new post":
        n = 100 + rng.randrange(1000)
        target = site / f"posts/2024-02-{rng.randrange(10, 28)}-p{n}.md"
        target.write_text(post(n))
    elif kind == "delete post" and len(posts) > 3:
        target.unlink()
    elif kind == "profile":
        target = site / "profile.yml"
        target.write_text(f"name: Ada {rng.randrange(100)}\nheadline: ML engineer\n")
    elif kind == "template":
        target = site / "templates/about.html"
        target.write_text(TEMPLATES["templates/about.html"].replace("<ol>", f"<ol start={rng.randrange(1, 9)}>"))
    elif kind == "page title":
        target = site / "pages/cv.md"
        target.write_text(f"---\ntitle: CV {rng.randrange(100)}\nmenu: 5\n---\n## Work\n")
    elif kind == "new page":
        target = site / f"pages/p{rng.randrange(1000)}.md"
        target.write_text(f"---\ntitle: Page {target.stem}\n---\nHello.\n")
    elif kind == "static":
        target = site / "static/css/x.css"
        target.write_text(f"a{{color:#{rng.randrange(4096):03x}}}")
    else:
        target = site / "mlfolio.yml"
        target.write_text(f"title: Incremental\nurl: https://ada.github.io/inc\nposts_per_page: {rng.randrange(2, 6)}\n")
    return [target]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and p.name != ".mlfolio-output"}


def clean_build(site: Path, where: Path) -> dict[str, bytes]:
    """A build of a fresh copy of the site: no cache, no state, no previous output."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(".mlfolio-cache", "_site", "out"))
    build_site(BuildOptions(site_dir=where, output=where / "out"))
    return tree(where / "out")


def diff(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_incremental_output_equals_a_clean_build_after_random_edits(tmp_path, seed):
    rng = random.Random(seed)
    cli_site = write_site(tmp_path / "cli", initial_site())
    serve_site = write_site(tmp_path / "serve", initial_site())
    build_site(BuildOptions(site_dir=cli_site))
    server = Builder(BuildOptions(site_dir=serve_site, drafts=False))
    server.build()
    reused_cli = reused_serve = 0
    for step in range(8):
        state = rng.getstate()
        touched = random_edit(rng, cli_site)
        rng.setstate(state)
        random_edit(rng, serve_site)
        label = f"seed {seed}, step {step}: {touched[0].relative_to(cli_site)}"
        result = build_site(BuildOptions(site_dir=cli_site))
        reused_cli += result.outputs - result.rendered if result.rendered else 0
        changed = {serve_site / p.relative_to(cli_site) for p in touched}
        again = server.rebuild(changed)
        reused_serve += again.outputs - again.rendered if again.rendered else 0
        expected = clean_build(cli_site, tmp_path / "clean")
        assert diff(tree(cli_site / "_site"), expected) == [], f"mlfolio build after {label}"
        assert diff(tree(serve_site / "_site"), expected) == [], f"serve rebuild after {label}"
    assert reused_cli > 0 and reused_serve > 0          # reuse really happened along the way


def test_a_custom_template_listing_post_titles_follows_a_renamed_post(make_site):
    """The defect that started this: about.html showed the old title after a rename (plain `mlfolio build`)."""
    site = make_site({"templates/about.html": TEMPLATES["templates/about.html"]})
    build_site(BuildOptions(site_dir=site))
    assert "<li>Hello · 2024-05-01 · ml</li>" in (site / "_site/about/index.html").read_text()
    (site / "posts/2024-05-01-hello.md").write_text("---\ntitle: Renamed\ntags: [ml]\n---\nFirst paragraph.\n")
    result = build_site(BuildOptions(site_dir=site))
    assert "<li>Renamed · 2024-05-01 · ml</li>" in (site / "_site/about/index.html").read_text()
    assert result.rendered < result.outputs - 3        # pages that show nothing of the post were reused


def test_a_partial_rendered_once_still_counts_for_every_page(make_site):
    """include_once renders a partial once per build; what it read must count for every page including it."""
    site = make_site({"templates/partials/extra_head.html": "<meta name=newest content=\"{{ site.posts[0].title }}\">"})
    build_site(BuildOptions(site_dir=site))
    (site / "posts/2024-05-01-hello.md").write_text("---\ntitle: Renamed\n---\nx\n")
    build_site(BuildOptions(site_dir=site))
    for page in ("index.html", "about/index.html", "projects/index.html", "404.html"):
        assert '<meta name=newest content="Renamed">' in (site / "_site" / page).read_text(), page
