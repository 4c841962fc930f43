"""config.py and schema.py: typed YAML with positions, hints, and every problem at once."""
from pathlib import Path

import pytest

from mlfolio.config import SiteConfig, load_config
from mlfolio.errors import MlfolioError, Problems
from mlfolio.schema import describe


def load(site: Path):
    problems = Problems(root=site)
    loaded = load_config(site, problems)
    return loaded, [str(p) for p in problems.errors]


def test_valid_config_and_profile(make_site):
    site = make_site({
        "mlfolio.yml": """
            title: Ada's site
            url: https://ada.github.io/portfolio/
            posts_per_page: 3
            github:
              user: ada-ml
              featured: [tiny-gpt]
            kaggle:
              user: ada
        """,
        "profile.yml": """
            name: Ada
            links: {github: ada-ml}
            skills:
              ML: [PyTorch, JAX]
            experience:
              - role: Engineer
                organization: Lab
                start: 2021
            news:
              - date: 2024-05-01
                text: Joined **Lab**
        """,
    })
    loaded, errors = load(site)
    assert errors == []
    cfg = loaded.config
    assert cfg.title == "Ada's site" and cfg.posts_per_page == 3
    assert cfg.base_path == "/portfolio/" and cfg.origin == "https://ada.github.io"
    github = cfg.section("github")
    assert github.user == "ada-ml" and github.featured == ["tiny-gpt"] and github.sort == "stars"
    assert cfg.section("kaggle").datasets is True
    assert loaded.profile.experience[0].organisation == "Lab"      # alias
    assert loaded.profile.experience[0].start == "2021"            # numbers become text
    assert loaded.marks["github.user"] == (5, 9)


def test_root_url_has_root_base_path():
    assert SiteConfig(url="https://ada.github.io").base_path == "/"


def test_unknown_key_with_hint_and_position(make_site):
    site = make_site({"mlfolio.yml": "title: X\ntittle: Y\ngithub:\n  usr: a\n"})
    _, errors = load(site)
    assert errors == [
        "mlfolio.yml:2:1: unknown key 'tittle' — did you mean 'title'?",
        "mlfolio.yml:4:3: unknown key 'github.usr' — did you mean 'user'?",
    ]


def test_wrong_types_and_choices(make_site):
    site = make_site({"mlfolio.yml": "posts_per_page: ten\ngithub:\n  user: a\n  sort: stras\n  topics: 5\n"})
    _, errors = load(site)
    assert errors[0].startswith("mlfolio.yml:1:17: 'posts_per_page' must be a whole number, got ten")
    assert errors[1] == "mlfolio.yml:4:9: 'github.sort' must be one of stars, pushed, name; got 'stras' — did you mean 'stars'?"
    assert errors[2].startswith("mlfolio.yml:5:11: 'github.topics' must be a list, got 5")


def test_yaml_syntax_error_position(make_site):
    site = make_site({"mlfolio.yml": "title: a\nurl: [unclosed\n"})
    _, errors = load(site)
    assert len(errors) == 1 and errors[0].startswith("mlfolio.yml:3:1: YAML syntax error")
    assert "line 2" in errors[0]


def test_missing_profile_and_required_name(make_site, tmp_path):
    site = make_site({"profile.yml": "headline: x\n"})
    _, errors = load(site)
    assert errors == ["profile.yml:1:1: missing required key 'name' — add 'name: ...' here"]
    (site / "profile.yml").unlink()
    _, errors = load(site)
    assert errors[0].startswith("profile.yml: profile.yml is missing — create it")


def test_not_utf8(make_site):
    site = make_site({"profile.yml": "name: Caf\xe9\n".encode("latin-1")})
    _, errors = load(site)
    assert errors == ["profile.yml:1:10: file is not UTF-8 text — re-save it as UTF-8 in your editor"]


def test_no_config_is_an_error(tmp_path):
    with pytest.raises(MlfolioError) as exc:
        load_config(tmp_path, Problems())
    assert "no mlfolio.yml here" in str(exc.value)


@pytest.mark.parametrize("url, expected", [
    ("ada.github.io", "'url': 'ada.github.io' must start with http:// or https:// and name a host"),
    ("httpfoo://x", "'url': 'httpfoo://x' must start with http:// or https:// and name a host"),
    ("'http://[::1'", "'url': 'http://[::1' is not a valid address (Invalid IPv6 URL)"),
    ("https://a.io:99999", "'url': 'https://a.io:99999' is not a valid address"),
    ("https://a.io/x?y=1", "'url': 'https://a.io/x?y=1' must be a plain address"),
])
def test_bad_site_urls_are_errors_at_their_line(make_site, url, expected):
    site = make_site({"mlfolio.yml": f"url: {url}\n"})
    _, errors = load(site)
    assert errors[0].startswith(f"mlfolio.yml:1:6: {expected}")


@pytest.mark.parametrize("text, expected", [
    ("fetch:\n  timeout: .inf\n", "mlfolio.yml:2:12: 'fetch.timeout' must be a number from 0.1 to 300, got .inf"),
    ("fetch:\n  timeout: .nan\n", "mlfolio.yml:2:12: 'fetch.timeout' must be a number from 0.1 to 300, got .nan"),
    ("fetch:\n  timeout: 0\n", "mlfolio.yml:2:12: 'fetch.timeout' must be a number from 0.1 to 300, got 0"),
    ("fetch:\n  ttl: -1\n", "mlfolio.yml:2:8: 'fetch.ttl' must be a whole number of at least 0, got -1"),
    ("posts_per_page: 0\n", "mlfolio.yml:1:17: 'posts_per_page' must be a whole number of at least 1, got 0"),
])
def test_numbers_out_of_range_are_errors(make_site, text, expected):
    _, errors = load(make_site({"mlfolio.yml": text}))
    assert errors[0].startswith(expected)


@pytest.mark.parametrize("profile, expected", [
    ("name: A\nlinks:\n  website: 'javascript:alert(1)'\n", "profile.yml:3:12: 'links.website' must be a web "
     "address (https://…), an email (mailto:…) or a path on this site, got 'javascript:alert(1)'"),
    ("name: A\nprojects:\n  - {title: P, url: 'data:text/html,x'}\n", "profile.yml:3:21: 'projects[0].url' must"),
    ("name: A\navatar: ' JAVASCRIPT:x'\n", "profile.yml:2:9: 'avatar' must"),
])
def test_links_with_dangerous_schemes_are_errors(make_site, profile, expected):
    _, errors = load(make_site({"profile.yml": profile}))
    assert errors[0].startswith(expected)


@pytest.mark.parametrize("profile, expected", [
    ("name:\n", "profile.yml:1:1: 'name' is empty — write a value after 'name:'; it is required"),
    ("name: ''\n", "profile.yml:1:7: 'name' is empty"),
    ("name: A\nprojects:\n  - title:\n    url: /x/\n", "profile.yml:3:5: 'projects[0].title' is empty"),
    ("name: A\nlinks:\n  github: a\n  github: b\n", "profile.yml:4:3: key 'links.github' appears twice"),
    ("name: A\nskills:\n  ML: [a]\n  ML: [b]\n", "profile.yml:4:3: key 'skills.ML' appears twice"),
])
def test_empty_required_values_and_duplicate_keys_are_errors(make_site, profile, expected):
    _, errors = load(make_site({"profile.yml": profile}))
    assert errors[0].startswith(expected)


def test_yaml_merge_keys_work_and_explicit_keys_win(make_site):
    site = make_site({"mlfolio.yml": "extra:\n  defaults: &d {language: fr, title: Base}\n<<: *d\ntitle: Mine\n"})
    loaded, errors = load(site)
    assert errors == [] and loaded.config.language == "fr" and loaded.config.title == "Mine"


@pytest.mark.parametrize("text, expected", [
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nextra: {f: [*e, *e]}\n",
     "mlfolio.yml:5:4: this YAML expands to more than 100,000 values through aliases"),
    ("extra: &x [1, *x]\n", "mlfolio.yml:1:8: an alias refers to the value it is part of"),
    ("? [a, b]\n: c\n", "mlfolio.yml:1:3: a key must be plain text"),
    ("<<: 5\n", "mlfolio.yml:1:5: '<<' merges a mapping"),
    ("extra: {x: !!python/object/apply:os.system [ls]}\n", "mlfolio.yml:1:12: 'extra.x' cannot be read"),
])
def test_hostile_yaml_is_one_clear_error(make_site, text, expected):
    _, errors = load(make_site({"mlfolio.yml": text}))
    assert errors[0].startswith(expected), errors


def test_env_overrides_api_urls(make_site, monkeypatch):
    site = make_site({"mlfolio.yml": "github:\n  user: a\n  api_url: https://ghe/api/v3\nkaggle:\n  user: b\n"})
    monkeypatch.setenv("MLFOLIO_GITHUB_API_URL", "http://127.0.0.1:9/gh")
    monkeypatch.setenv("MLFOLIO_KAGGLE_API_URL", "http://127.0.0.1:9/kg")
    loaded, _ = load(site)
    assert loaded.config.section("github").api_url == "http://127.0.0.1:9/gh"
    assert loaded.config.section("kaggle").api_url == "http://127.0.0.1:9/kg"


def test_describe_lists_every_key_with_docs():
    rows = describe(SiteConfig)
    keys = [r[0] for r in rows]
    assert "fetch.ttl" in keys and "menu[].title" in keys and "sections" not in keys
    assert all(doc for _, _, _, doc in rows)


def test_absent_source_is_off_and_extra_is_kept(make_site):
    site = make_site({"mlfolio.yml": "title: T\nextra:\n  analytics_id: X-1\n  nested: {a: [1, 2]}\n",
                      "profile.yml": "name: A\nextra: {pronouns: she/her}\n"})
    loaded, errors = load(site)
    assert errors == []
    assert loaded.config.section("github") is None and loaded.config.section("kaggle") is None
    assert loaded.config.extra == {"analytics_id": "X-1", "nested": {"a": [1, 2]}}
    assert loaded.profile.extra == {"pronouns": "she/her"}


def test_every_list_field_splits_a_comma_string(make_site):
    site = make_site({"mlfolio.yml": "github:\n  user: a\n  exclude: dotfiles, scratch\n  featured: tiny-gpt\n",
                      "profile.yml": "name: A\nskills:\n  ML: PyTorch, JAX\n"})
    loaded, errors = load(site)
    assert errors == []
    assert loaded.config.section("github").exclude == ["dotfiles", "scratch"]
    assert loaded.config.section("github").featured == ["tiny-gpt"]
    assert loaded.profile.skills == {"ML": ["PyTorch", "JAX"]}


def test_theme_options_are_checked_against_theme_yml(make_site):
    site = make_site({"mlfolio.yml": "title: T\ntheme_options:\n  recent_posts: 3\n"})
    loaded, errors = load(site)
    assert errors == [] and loaded.theme.options.recent_posts == 3 and loaded.theme.options.news_items == 5
    site = make_site({"mlfolio.yml": "title: T\ntheme_options:\n  recent_post: 3\n  news_items: many\n"})
    _, errors = load(site)
    assert errors[0] == "mlfolio.yml:3:3: unknown key 'theme_options.recent_post' — did you mean 'recent_posts'?"
    assert errors[1].startswith("mlfolio.yml:4:15: 'theme_options.news_items' must be a whole number, got many")


def test_unknown_section_suggests_a_source(make_site):
    site = make_site({"mlfolio.yml": "title: T\ngithb:\n  user: a\n"})
    _, errors = load(site)
    assert errors == ["mlfolio.yml:2:1: unknown key 'githb' — did you mean 'github'?"]


def test_math_macros_are_checked_at_their_line(make_site):
    site = make_site({"mlfolio.yml": """
        title: T
        math:
          macros:
            \\R: \\mathbb{R}
            R2: \\mathbb{R}^2
            \\two: 2
            \\norm: \\left\\lVert #1 \\right\\rVert
            \\abs: "\\\\left| #1 \\\\right|"
            \\list: [a, b]
    """})
    loaded, errors = load(site)
    assert errors == [
        "mlfolio.yml:9:12: 'math.macros.\\list' must be text, got a list — remove the nested list or mapping",
        "mlfolio.yml:5:5: 'math.macros': 'R2' is not a LaTeX command name — write it with one backslash and "
        "letters, e.g. '\\R'",
        "mlfolio.yml:7:5: 'math.macros.\\norm': YAML read what follows ' #' as a comment, so the macro is only "
        "'\\left\\lVert' — put the value in quotes: \\norm: '\\left\\lVert #1 \\right\\rVert'",
    ]
    assert loaded.config.math.macros == {"\\R": "\\mathbb{R}", "\\two": "2", "\\abs": "\\left| #1 \\right|"}
