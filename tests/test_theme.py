"""The default theme in a real browser: accessibility (axe-core), the dark-mode toggle, phone widths.

The example site is built offline and served from 127.0.0.1; any request to another host fails the test,
so the theme can never start depending on a CDN or a web font.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import serve_folder

from mlfolio.build import BuildOptions, build_site

SERIOUS = {"serious", "critical"}


@pytest.fixture
def served(example_site: Path, tmp_path: Path):
    """Builds the example site offline and serves it; yields (base URL, output folder)."""
    out = tmp_path / "out"
    build_site(BuildOptions(site_dir=example_site, output=out, offline=True, quiet=True))
    with serve_folder(out) as base:
        yield base, out


def richest_post(out: Path) -> str:
    """Path of the post that exercises the most Markdown styling (code, tables, math, footnotes, tasks)."""
    features = ('class="highlight"', "<table", "<math", 'class="footnotes', "contains-task-list", "<img")
    posts = sorted((out / "blog").glob("*/index.html"))
    posts = [p for p in posts if p.parent.name != "page"]
    assert posts, "the example site has no posts"
    best = max(posts, key=lambda p: sum(f in p.read_text(encoding="utf-8") for f in features))
    return f"blog/{best.parent.name}/"


def new_page(browser, base: str, *, width: int = 1280, height: int = 800, scheme: str = "light",
             stored: str | None = None):
    """A page in a fresh context; requests to anything but the local server are blocked and recorded."""
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    if stored:
        context.add_init_script(f"try {{ localStorage.setItem('mlfolio-theme', '{stored}') }} catch (e) {{}}")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, outside, errors


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    lines = []
    for v in results.response["violations"]:
        if v.get("impact") in SERIOUS:
            for node in v["nodes"][:5]:
                lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(map(str, node['target']))}: "
                             f"{node.get('failureSummary', '').strip()} | {node.get('html', '')[:160]}")
    return lines


# light: system light; dark: system dark (the prefers-color-scheme rules);
# dark-stored: system light, reader chose dark (the data-theme rules and the no-flash script).
MODES = {"light": ("light", None), "dark": ("dark", None), "dark-stored": ("light", "dark")}


@pytest.mark.parametrize("mode", list(MODES))
def test_axe_finds_no_serious_violations(browser, served, mode):
    base, out = served
    scheme, stored = MODES[mode]
    problems = []
    for path in ("", richest_post(out), "projects/", "cv/", "publications/", "blog/learning-rate-sweep/",
                 "blog/calibrating-small-judges/"):
        context, page, outside, errors = new_page(browser, base, scheme=scheme, stored=stored)
        try:
            page.goto(base + path, wait_until="load")
            if stored:
                assert page.evaluate("document.documentElement.dataset.theme") == stored
            problems += [f"/{path} [{mode}] {line}" for line in serious_violations(page)]
            assert not errors, f"JavaScript errors on /{path}: {errors}"
            assert not outside, f"/{path} requested other hosts: {outside}"
        finally:
            context.close()
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)


def test_dark_mode_toggle_switches_and_is_remembered(browser, served):
    base, _ = served
    context, page, outside, errors = new_page(browser, base, scheme="light")
    try:
        page.goto(base, wait_until="load")
        html = page.locator("html")
        toggle = page.locator(".theme-toggle")
        assert toggle.is_visible()
        assert toggle.get_attribute("aria-label")
        assert toggle.get_attribute("aria-pressed") == "false"
        assert html.get_attribute("data-theme") in (None, "light")
        light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")

        toggle.click()
        assert html.get_attribute("data-theme") == "dark"
        assert toggle.get_attribute("aria-pressed") == "true"
        dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert dark_bg != light_bg

        page.reload(wait_until="load")
        assert html.get_attribute("data-theme") == "dark"
        assert toggle.get_attribute("aria-pressed") == "true"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark_bg

        toggle.click()
        assert html.get_attribute("data-theme") == "light"
        page.reload(wait_until="load")
        assert html.get_attribute("data-theme") == "light"
        assert toggle.get_attribute("aria-pressed") == "false"
        assert not errors and not outside
    finally:
        context.close()


def test_toggle_starts_from_the_system_dark_scheme(browser, served):
    base, _ = served
    context, page, _, _ = new_page(browser, base, scheme="dark")
    try:
        page.goto(base, wait_until="load")
        toggle = page.locator(".theme-toggle")
        assert toggle.get_attribute("aria-pressed") == "true"
        toggle.click()
        assert page.locator("html").get_attribute("data-theme") == "light"
    finally:
        context.close()


def test_no_horizontal_overflow_on_a_360px_phone(browser, served):
    base, out = served
    paths = ["", "projects/", "about/", "blog/", "publications/", richest_post(out)]
    paths += [f"blog/{p.parent.name}/" for p in sorted((out / "blog").glob("*/index.html"))
              if p.parent.name != "page" and f"blog/{p.parent.name}/" not in paths]
    context, page, _, _ = new_page(browser, base, width=360, height=740)
    wide = []
    try:
        for path in paths:
            page.goto(base + path, wait_until="load")
            sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if sizes[0] > sizes[1]:
                culprit = page.evaluate("""() => {
                    const w = window.innerWidth;
                    const el = [...document.querySelectorAll('body *')].find(e => e.getBoundingClientRect().right > w + 1
                        && !e.closest('pre, table, .math-display, math'));
                    return el ? el.outerHTML.slice(0, 160) : '';
                }""")
                wide.append(f"/{path}: scrollWidth {sizes[0]} > {sizes[1]} {culprit}")
    finally:
        context.close()
    assert not wide, "pages wider than a 360 px phone:\n" + "\n".join(wide)


def test_templates_never_mark_text_safe():
    """Remote and user strings must stay escaped: the theme never uses |safe (generated HTML arrives as Markup)."""
    themes = Path(__file__).resolve().parents[1] / "themes" / "default" / "templates"
    offenders = [str(p.relative_to(themes)) for p in themes.rglob("*.html")
                 if re.search(r"\|\s*safe\b", p.read_text(encoding="utf-8"))]
    assert not offenders, f"|safe in {offenders}"


def test_site_templates_and_static_override_the_theme(make_site, tmp_path):
    """A site's templates/ wins by name, blocks of base.html can be filled, extra_head.html is the head hook,
    and a site's static/ file wins over the theme's on the same path."""
    site = make_site({
        "templates/tags.html": """
            {% extends "base.html" %}
            {% block title %}All the topics{% endblock %}
            {% block content %}<p id="mine">{{ tags|length }} tags</p>{% endblock %}
        """,
        "templates/partials/extra_head.html": '<meta name="x-extra" content="yes">\n',
        "static/assets/theme.js": "/* mine */\n",
    })
    out = tmp_path / "out"
    build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True))
    tags = (out / "tags" / "index.html").read_text(encoding="utf-8")
    assert "<title>All the topics</title>" in tags
    assert '<p id="mine">1 tags</p>' in tags
    assert '<meta name="x-extra" content="yes">' in tags
    assert (out / "assets" / "theme.js").read_text(encoding="utf-8") == "/* mine */\n"
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<meta name="x-extra" content="yes">' in home
    assert 'href="/assets/style.css"' in home and 'class="hero"' in home


def test_every_link_goes_through_the_base_path(make_site, tmp_path):
    """Under https://ada.github.io/portfolio/ no theme link or asset may point at the domain root."""
    site = make_site({"mlfolio.yml": "title: Test Site\nurl: https://ada.github.io/portfolio\n"})
    out = tmp_path / "out"
    build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True))
    bad = []
    for page in out.rglob("*.html"):
        for ref in re.findall(r'(?:href|src)="(/[^"]*)"', page.read_text(encoding="utf-8")):
            if not ref.startswith("/portfolio/"):
                bad.append(f"{page.relative_to(out)}: {ref}")
    assert not bad, "links outside the base path:\n" + "\n".join(bad)


def test_a_theme_holds_only_what_it_changes_and_takes_options(make_site, tmp_path):
    """A site theme with one template and a theme.yml: everything else comes from the default theme; options
    have defaults, are set in mlfolio.yml and reach templates as theme.options."""
    site = make_site({
        "mlfolio.yml": "title: T\ntheme: mine\ntheme_options:\n  accent: teal\n  recent_posts: 1\n",
        "themes/mine/theme.yml": "name: mine\noptions:\n  accent: {type: choice, choices: [teal, plum], "
                                 "default: plum, doc: Accent}\n  wide: {type: boolean, default: false}\n",
        "themes/mine/templates/post.html": "{% extends 'base.html' %}{% block content %}<article data-accent="
                                           "'{{ theme.options.accent }}' data-wide='{{ theme.options.wide }}'>"
                                           "{{ post.title }}</article>{% endblock %}",
        "themes/mine/static/assets/mine.css": "a{}",
        "posts/2024-06-01-b.md": "---\ntitle: B\n---\n",
    })
    out = tmp_path / "out"
    result = build_site(BuildOptions(site_dir=site, output=out, strict=True))
    assert result.warnings == []
    post = (out / "blog/hello/index.html").read_text()
    assert "<article data-accent='teal' data-wide='False'>Hello</article>" in post
    assert 'class="site-header"' in post                          # base.html from the default theme
    assert (out / "assets/mine.css").exists() and (out / "assets/style.css").exists()
    assert (out / "index.html").read_text().count('class="post-item"') == 1     # recent_posts: 1


def test_an_override_extends_the_themes_own_template(make_site, tmp_path):
    site = make_site({"templates/base.html": "{% extends 'default:base.html' %}"
                                             "{% block scripts %}<script src=mine.js></script>{% endblock %}"})
    out = tmp_path / "out"
    build_site(BuildOptions(site_dir=site, output=out))
    html = (out / "index.html").read_text()
    assert "<script src=mine.js></script>" in html and 'class="site-header"' in html


@pytest.mark.parametrize("files, expected", [
    ({"mlfolio.yml": "theme: mine\ntheme_options: {accent: red}\n",
      "themes/mine/theme.yml": "options:\n  accent: {type: choice, choices: [teal], default: teal}\n"},
     "mlfolio.yml:2:25: 'theme_options.accent' must be one of teal; got 'red'"),
    ({"mlfolio.yml": "theme: mine\n", "themes/mine/theme.yml": "extends: nope\n"},
     "themes/mine/theme.yml:1:10: theme 'mine' extends 'nope', which is not found"),
    ({"mlfolio.yml": "theme: mine\n", "themes/mine/theme.yml": "extends: other\n",
      "themes/other/theme.yml": "extends: mine\n"},
     "themes/other/theme.yml: themes extend each other in a loop: mine → other → mine"),
    ({"mlfolio.yml": "theme: mine\n", "themes/mine/theme.yml": "options:\n  n: {type: integer, default: x}\n"},
     "themes/mine/theme.yml:2:31: default of option 'n' must be a whole number, got 'x'"),
    ({"mlfolio.yml": "theme: mine\n", "themes/mine/theme.yml": "optoins: {}\n"},
     "themes/mine/theme.yml:1:1: unknown key 'optoins' — did you mean 'options'?"),
])
def test_theme_errors_have_positions(make_site, files, expected):
    from mlfolio.errors import MlfolioError
    site = make_site(files)
    with pytest.raises(MlfolioError) as exc:
        build_site(BuildOptions(site_dir=site))
    assert str(exc.value.problems[0]).startswith(expected)


def test_readme_example_extra_data_in_an_extended_post_template(make_site, tmp_path):
    site = make_site({
        "templates/post.html": '{% extends "default:post.html" %}\n{% block content %}\n'
                               '{% if post.extra.authors is defined %}<p class="wrap">With {{ post.extra.authors|join(", ") }}'
                               '</p>{% endif %}\n{{ super() }}\n{% endblock %}\n',
        "posts/2024-06-01-b.md": "---\ntitle: B\nextra:\n  authors: [Ada, <Bob>]\n---\nBody.\n",
    })
    out = tmp_path / "out"
    assert build_site(BuildOptions(site_dir=site, output=out, strict=True)).warnings == []
    html = (out / "blog/b/index.html").read_text()
    assert '<p class="wrap">With Ada, &lt;Bob&gt;</p>' in html and 'class="article-title">B</h1>' in html
    assert "With" not in (out / "blog/hello/index.html").read_text()


def test_theme_options_accent_fonts_width_in_one_style_block(make_site):
    site = make_site({"mlfolio.yml": "title: T\nurl: https://a.github.io\ntheme_options:\n  accent: '#0f766e'\n"
                                     "  accent_dark: hsl(170 70% 60%)\n  font_sans: '\"Inter\", system-ui, sans-serif'\n"
                                     "  width: 80\n"})
    build_site(BuildOptions(site_dir=site))
    html = (site / "_site/index.html").read_text()
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "--accent: #0f766e;" in style and '--font: "Inter", system-ui, sans-serif;' in style
    assert "--wrap: 80rem;" in style and ':root[data-theme="dark"] { --accent: hsl(170 70% 60%);' in style
    plain = make_site(name="plain")
    build_site(BuildOptions(site_dir=plain))
    assert "<style>" not in (plain / "_site/index.html").read_text()


@pytest.mark.parametrize("option, expected, code", [
    ("accent: chartreuze", "mlfolio.yml:4:11: theme_options.accent: 'chartreuze' is not a CSS colour", 1),
    ("font_sans: 'x;} body {display:none'", "mlfolio.yml:4:14: theme_options.font_sans: 'x;} body {display:none' is not a font stack", 1),
    ("accent: '#7dd3fc'", "warning: mlfolio.yml:4:11: theme_options.accent: #7dd3fc on #ffffff has a contrast of 1.7:1, below WCAG AA (4.5:1) for text", 0),
    ("accent_dark: navy", "theme_options.accent_dark: navy on #0f1115 has a contrast of 1.2:1, below WCAG AA (4.5:1) for text — choose a lighter colour", 0),
    ("home_sections: [featured, blog]", "mlfolio.yml:4:29: 'theme_options.home_sections[1]' must be one of featured, publications, posts, news", 1),
    ("width: 2", "mlfolio.yml:4:10: 'theme_options.width' must be a whole number from 40 to 160, got 2", 1),
    ("recent_posts: -3", "mlfolio.yml:4:17: 'theme_options.recent_posts' must be a whole number of at least 0", 1),
])
def test_bad_theme_options(make_site, capsys, option, expected, code):
    from mlfolio.cli import main

    site = make_site({"mlfolio.yml": f"title: T\nurl: https://a.github.io\ntheme_options:\n  {option}\n"})
    assert main(["build", str(site)]) == code
    assert expected in capsys.readouterr().err


def test_home_sections_order_and_hiding(make_site):
    profile = "name: Ada\nnews:\n  - date: 2024-01-01\n    text: A news item\n"
    site = make_site({"profile.yml": profile, "mlfolio.yml": "title: T\nurl: https://a.github.io\n"
                      "theme_options:\n  home_sections: [news, featured]\n"})
    build_site(BuildOptions(site_dir=site))
    html = (site / "_site/index.html").read_text()
    assert 'id="news-title"' in html and 'id="recent-title"' not in html
    site2 = make_site({"profile.yml": profile}, name="two")
    build_site(BuildOptions(site_dir=site2))
    html = (site2 / "_site/index.html").read_text()
    assert html.index('id="recent-title"') < html.index('id="news-title"') and 'home-columns has-two' in html


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_paper_theme_is_accessible_and_single_column(browser, example_site, tmp_path, scheme):
    with open(example_site / "mlfolio.yml", "a", encoding="utf-8") as f:
        f.write("\ntheme: paper\n")
    out = tmp_path / "paper"
    build_site(BuildOptions(site_dir=example_site, output=out, offline=True, quiet=True, strict=True))
    home = (out / "index.html").read_text()
    assert 'href="/assets/paper.css"' in home and "--wrap: 52rem;" in home
    assert home.index('id="selected-pubs-title"') < home.index('id="recent-title"')       # publications first
    problems = []
    with serve_folder(out) as base:
        for path in ("", "publications/", richest_post(out)):
            context, page, outside, errors = new_page(browser, base, scheme=scheme)
            try:
                page.goto(base + path, wait_until="load")
                problems += [f"/{path} [{scheme}] {line}" for line in serious_violations(page)]
                assert not errors and not outside
                if path == "":
                    tops = page.evaluate("[...document.querySelectorAll('main .section')].map(s => s.getBoundingClientRect().left)")
                    assert len(set(round(t) for t in tops)) == 1                                 # one column
                    rows = page.evaluate("['.brand', '.site-nav', '.search-toggle', '.theme-toggle'].map(s => "
                                         "Math.round(document.querySelector(s).getBoundingClientRect().top))")
                    assert max(rows) - min(rows) < 16, rows              # the header, search included: one row
            finally:
                context.close()
    assert not problems, "\n".join(problems)


def test_init_with_a_theme_and_the_themes_command(tmp_path, capsys):
    from mlfolio.cli import main

    assert main(["init", str(tmp_path / "a"), "--academic", "--theme", "paper"]) == 0
    assert "\ntheme: paper\n" in (tmp_path / "a/mlfolio.yml").read_text()
    assert main(["build", str(tmp_path / "a"), "--strict", "-q"]) == 0
    assert "paper.css" in (tmp_path / "a/_site/index.html").read_text()
    capsys.readouterr()
    assert main(["init", str(tmp_path / "b"), "--theme", "papr"]) == 2
    assert "no theme 'papr' (installed: default, paper)" in capsys.readouterr().err
    (tmp_path / "a/themes/mine/templates").mkdir(parents=True)
    (tmp_path / "a/themes/mine/theme.yml").write_text("description: My own look.\n")
    assert main(["themes", str(tmp_path / "a")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("mine") and "My own look. (this site's)" in lines[0]
    assert any(line.startswith("paper ") and "publications first" in line for line in lines)
