"""content.py: front matter, dates, slugs, drafts and their error positions."""
import datetime as dt

import pytest

from mlfolio.content import content_files, load_document, load_posts, slugify
from mlfolio.errors import Problems
from mlfolio.plugins import core_registry

REGISTRY = core_registry()


def post(make_site, name, text):
    site = make_site({f"posts/{name}": text})
    problems = Problems(root=site)
    return load_document(site / "posts" / name, site, problems, REGISTRY), [str(p) for p in problems.errors]


def test_date_and_slug_from_file_name(make_site):
    p, errors = post(make_site, "2024-05-01-Attention Is All.md", "---\ntitle: T\n---\nBody\n")
    assert errors == []
    assert p.date == dt.date(2024, 5, 1) and p.slug == "attention-is-all"
    assert p.body == "Body\n" and p.body_line == 4


def test_front_matter_wins_over_file_name(make_site):
    p, _ = post(make_site, "2024-05-01-x.md", "---\ntitle: T\ndate: 2023-01-02\nslug: Custom Slug\n---\n")
    assert p.date == dt.date(2023, 1, 2) and p.slug == "custom-slug"


def test_bad_date_is_reported_at_its_position(make_site):
    _, errors = post(make_site, "x.md", "---\ntitle: T\ndate: 2024-13-45\n---\n")
    assert errors == ["posts/x.md:3:7: 'date' must be a date YYYY-MM-DD, got '2024-13-45' — use a real calendar date, e.g. 2024-05-01"]


def test_missing_date_and_title(make_site):
    _, errors = post(make_site, "x.md", "---\ntitle: T\n---\n")
    assert errors[0].startswith("posts/x.md:2:1: missing 'date'")
    _, errors = post(make_site, "2024-01-01-y.md", "---\ndate: 2024-01-01\n---\n")
    assert errors == ["posts/2024-01-01-y.md:2:1: missing required key 'title' — add 'title: ...' here"]


def test_wrong_type_and_unknown_key(make_site):
    _, errors = post(make_site, "2024-01-01-y.md", "---\ntitle: T\ntags: 5\ndraf: true\n---\n")
    assert errors[0].startswith("posts/2024-01-01-y.md:3:7: 'tags' must be a list, got 5")
    assert errors[1] == "posts/2024-01-01-y.md:4:1: unknown key 'draf' — did you mean 'draft'?"


def test_single_tag_string_is_a_list_and_commas_split_it(make_site):
    p, _ = post(make_site, "2024-01-01-y.md", "---\ntitle: T\ntags: pytorch\n---\n")
    assert p.meta.tags == ["pytorch"]
    p, _ = post(make_site, "2024-01-01-z.md", "---\ntitle: T\ntags: ml, dl ,, nlp\n---\n")
    assert p.meta.tags == ["ml", "dl", "nlp"]


def test_extra_front_matter_is_kept_untouched(make_site):
    p, errors = post(make_site, "2024-01-01-y.md", "---\ntitle: T\nextra:\n  authors: [Ada, Bob]\n"
                     "  venue: {name: NeurIPS, year: 2024}\n---\n")
    assert errors == []
    assert p.extra == {"authors": ["Ada", "Bob"], "venue": {"name": "NeurIPS", "year": 2024}}


def test_front_matter_not_yaml_and_missing(make_site):
    _, errors = post(make_site, "2024-01-01-y.md", "---\ntitle: [a\n---\n")
    assert errors[0].startswith("posts/2024-01-01-y.md:3:1: YAML syntax error")
    _, errors = post(make_site, "2024-01-01-z.md", "Just text\n")
    assert errors[0].startswith("posts/2024-01-01-z.md:1:1: no front matter")
    _, errors = post(make_site, "2024-01-01-w.md", "---\ntitle: a\n")
    assert errors[0].startswith("posts/2024-01-01-w.md:1:1: front matter starts with '---' but never ends")


def test_drafts_are_skipped_unless_asked(make_site):
    site = make_site({"posts/2024-02-01-d.md": "---\ntitle: D\ndraft: true\n---\n"})
    assert [p.slug for p in load_posts(site, Problems(), False, REGISTRY)] == ["hello"]
    assert [p.slug for p in load_posts(site, Problems(), True, REGISTRY)] == ["hello", "d"]


def test_pages_slug_from_path(make_site):
    site = make_site({"pages/research/index.md": "---\ntitle: R\n---\n", "pages/CV.md": "---\ntitle: C\nmenu: 2\n---\n"})
    assert load_document(site / "pages/research/index.md", site, Problems(), REGISTRY).slug == "research"
    page = load_document(site / "pages/CV.md", site, Problems(), REGISTRY)
    assert page.slug == "cv" and page.meta.menu == 2


def test_only_files_a_reader_claims_are_content(make_site):
    site = make_site({"posts/notes.txt": "x", "posts/.hidden.md": "x", "posts/_draft/a.md": "x",
                      "posts/img/fig.png": b"\x89PNG", "posts/2024-02-02-b.markdown": "---\ntitle: B\n---\n"})
    names = [p.name for p in content_files(site / "posts", REGISTRY)]
    assert names == ["2024-02-02-b.markdown", "2024-05-01-hello.md"]


@pytest.mark.parametrize("text, slug", [
    ("Héllo, Wörld! 2024", "hello-world-2024"), ("Straße Ångström", "strasse-angstrom"), ("日本語", "日本語"),
    ("Русский", "русский"), ("🔥", "fire"), ("C", "c"), ("C++", "c-plus-plus"), ("C#", "c-sharp"),
    ("ML & AI", "ml-and-ai"), ("node.js", "node-js"), ("２０２４", "2024"),
])
def test_slugify_keeps_names_apart_in_any_script(text, slug):
    assert slugify(text) == slug


def test_slugify_cuts_long_names_and_names_nothing_readable():
    assert len(slugify("a very long title " * 30)) <= 80
    assert len(slugify("日" * 300).encode()) <= 200
    assert slugify("!!!").startswith("x-") and slugify("!!!") != slugify("???")
