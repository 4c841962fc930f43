"""math.py: LaTeX → MathML by Temml in QuickJS; equation numbers and references; macros; problems at file:line;
hostile formulas stay text; memoised; the 40-formula post of tests/fixtures renders clean in Chromium."""
from __future__ import annotations

import functools
import hashlib
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from mlfolio import math
from mlfolio.build import BuildOptions, build_site
from mlfolio.errors import MlfolioError
from mlfolio.markdown import render_markdown

FIXTURE = Path(__file__).parent / "fixtures" / "math_post.md"
MACROS_YML = """
    title: Math
    url: https://ada.github.io/notes
    math:
      macros:
        \\R: \\mathbb{R}
        \\E: \\mathbb{E}
        \\norm: '\\left\\lVert #1 \\right\\rVert'
"""


def mathml(tex: str, display: bool = False, macros: math.Macros = math.NO_MACROS) -> str:
    result = math.typeset(tex, display, macros)
    assert not result.error, result.error
    return result.html


@pytest.mark.parametrize("tex, display, expected", [
    # aligned: one mtable, the cell before '&' right-aligned and the one after left-aligned, '&' itself gone
    ("\\begin{aligned} a &= b + c \\\\ d &= e \\end{aligned}", True,
     ['<mtable displaystyle="true" class="tml-jot"><mtr><mtd class="tml-right"', '<mtd class="tml-left"',
      "<mrow><mo>=</mo><mi>b</mi>"]),
    # limits under arg max and ∑ in display; beside them inline
    ("\\operatorname*{arg\\,max}_{\\theta} f", True, ["<munder><mi>arg\u2009max</mi><mi>θ</mi></munder>"]),
    ("\\arg\\max_\\theta f", True, ["<mi>arg</mi>", "<munder><mi>max</mi><mi>θ</mi></munder>"]),
    ("\\sum_{i=1}^{n} x_i", True, ['<munderover><mo movablelimits="false">∑</mo>']),
    ("\\sum_{i=1}^{n} x_i", False, ['<msubsup><mo movablelimits="false">∑</mo>']),
    # \left \right: fences that stretch
    ("\\left( \\frac{a}{b} \\right)", False,
     ['<mo fence="true" form="prefix" stretchy="true">(</mo><mfrac>', '<mo fence="true" form="postfix" stretchy="true">)</mo>']),
    ("\\mathbb{R} \\mathbbm{1} \\mathcal{L} \\boldsymbol{\\theta}", False,
     ["<mi>ℝ</mi>", "<mn>𝟙</mn>", '<mi class="mathcal">ℒ</mi>', "<mi>𝜽</mi>"]),
    ("\\underbrace{a+b}_{\\text{sum}}", True, ['<mo stretchy="true" style="math-depth:0;">⏟</mo></munder><mtext>sum</mtext>']),
    ("\\begin{cases} 0 & x<0 \\\\ 1 & \\text{otherwise} \\end{cases}", True,
     ['<mo fence="true" form="prefix" stretchy="true">{</mo><mtable>', "<mtext>otherwise</mtext>"]),
    ("\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}", True, ['stretchy="true">(</mo><mtable>', "<mi>d</mi>"]),
    ("\\begin{bmatrix} a \\end{bmatrix}", True, ['stretchy="true">[</mo><mtable>']),
    ("\\hat{p} = \\log p", False, ["<mover><mi>p</mi><mo", "<mi>log</mi><mo>\u2061</mo><mspace"]),
])
def test_constructs_become_the_right_mathml(tex, display, expected):
    html = mathml(tex, display)
    assert html.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert ('display="block"' in html) == display
    for part in expected:
        assert part in html


def test_equations_are_numbered_as_latex_numbers_them_and_referenced_across_the_post():
    doc = ("The loss \\eqref{eq:loss} is defined below; row~\\ref{m} of \\eqref{eq:adam} too.\n\n"
           "$$\nL = -\\log p \\label{eq:loss}\n$$\n\n"
           "$$\n\\begin{align}\nm &= a \\label{m} \\\\\nv &= b \\nonumber \\\\\nw &= c\n\\end{align}\n$$\n\n"
           "$$\nJ = L + R \\tag{R} \\label{eq:adam}\n$$\n\n"
           "$$\n\\begin{gather*}\nx = y\n\\end{gather*}\n$$\n\n"
           "$$\n\\begin{equation}\nz = \\eqref{eq:loss}\n\\end{equation}\n$$\n")
    r = render_markdown(doc, "posts/a.md")
    assert r.problems == []
    numbers = re.findall(r'<mtext class="(?:tml-tag )?eqno">([^<]*)</mtext>', r.html)
    assert numbers == ["(1)", "(2)", "(3)", "(R)", "(4)"]          # \nonumber and gather* have none
    assert '<mtr id="eq-loss">' in r.html and '<mtr id="m">' not in r.html and '<mtr id="eq-m">' in r.html
    assert r.html.startswith('<p>The loss <a class="eqref" href="#eq-loss">(1)</a> is defined below; '
                             'row\u00a0<a class="eqref" href="#eq-m">2</a> of <a class="eqref" href="#eq-adam">(R)</a>')
    assert '<mi>z</mi><mo>=</mo><mtext><a class="eqref" href="#eq-loss">(1)</a></mtext>' in r.html
    assert r.excerpt == "The loss (1) is defined below; row\u00a02 of (R) too."


def test_label_ids_never_clash_with_headings_and_labels_may_be_anything():
    r = render_markdown("## Eq loss\n\n$$\na \\label{eq loss}\n$$\n\n$$\nb \\label{ünï/ code}\n$$\n\n"
                        "\\eqref{ünï/ code}")
    assert '<h2 id="eq-loss">' in r.html and '<mtr id="eq-loss-2">' in r.html
    assert '<mtr id="eq-ün-code">' not in r.html and 'href="#eq-code"' not in r.html
    ids = re.findall(r'<mtr id="([^"]+)"', r.html)
    assert len(set(ids)) == 2 and f'<a class="eqref" href="#{ids[1]}">(2)</a>' in r.html


@pytest.mark.parametrize("doc, problem", [
    ("See \\eqref{nope}.\n", (1, "\\eqref{nope}: no numbered equation has \\label{nope}")),
    ("$$\na \\label{x}\n$$\n\n$$\nb \\label{x}\n$$\n", (6, "\\label{x} is used twice (also 4 lines above)")),
    ("Inline $a \\label{x}$ here.\n", (1, "\\label{x} is not on a numbered equation")),
    ("$$\n\\begin{align}\na \\label{x} \\nonumber\n\\end{align}\n$$\n",
     (2, "\\label{x} is not on a numbered equation")),
])
def test_reference_mistakes_are_problems_at_their_line(doc, problem):
    r = render_markdown(doc, "posts/a.md")
    assert [(line, message) for line, message, _ in r.problems] == [problem]
    if "eqref" in doc:
        assert '<span class="math-error">(??)</span>' in r.html


def test_macros_of_the_site_with_arguments_and_the_default_package_ones():
    macros = math.site_macros({"\\R": "\\mathbb{R}", "\\norm": "\\left\\lVert #1 \\right\\rVert"})
    html = mathml("x \\in \\R^d, \\norm{x}_2, \\mathds{1}", False, macros)
    assert "<mi>ℝ</mi>" in html and html.count('stretchy="true">‖</mo>') == 2 and "𝟙" in html
    assert math.typeset("\\R", False).error == "unknown command \\R"      # without the site's macros
    assert dict(macros)["\\mathbbm"] == "\\mathbb"
    looping = math.site_macros({"\\loop": "\\loop x"})
    assert math.typeset("\\loop", False, looping).error.startswith("a macro expands without end")


def test_an_unknown_command_is_a_warning_at_its_line_and_shows_its_source():
    doc = "Intro $\\alpha$.\n\n$$\n\\begin{aligned}\na &= b \\\\\nc &= \\foo{d}\n\\end{aligned}\n$$\n\nAnd $\\bar x + \\baz$."
    r = render_markdown(doc, "posts/a.md")
    assert [(line, message) for line, message, _ in r.problems] == [
        (6, "math could not be typeset: unknown command \\foo"), (10, "math could not be typeset: unknown command \\baz")]
    assert r.problems[0][2] == "check its spelling, or define it in mlfolio.yml under 'math: macros:'"
    assert ('<pre class="math-error" title="unknown command \\foo"><code>\\begin{aligned}\na &amp;= b \\\\\n'
            'c &amp;= \\foo{d}\n\\end{aligned}</code></pre>') in r.html
    assert '<code class="math-error" title="unknown command \\baz">\\bar x + \\baz</code>' in r.html
    assert render_markdown("Cost $\\foo(n)$ per step.").excerpt == "Cost … per step."   # never LaTeX


def test_in_a_build_the_warning_is_at_the_file_line_and_strict_makes_it_an_error(make_site):
    site = make_site({"posts/2024-05-02-bad.md": "---\ntitle: Bad\n---\nFine $x$.\n\n$$\n\\E[x] + \\foo\n$$\n"})
    result = build_site(BuildOptions(site_dir=site, quiet=True))
    assert [str(w) for w in result.warnings] == [
        "posts/2024-05-02-bad.md:7: math could not be typeset: unknown command \\E — check its spelling, or "
        "define it in mlfolio.yml under 'math: macros:'"]
    page = (site / "_site" / "blog" / "bad" / "index.html").read_text(encoding="utf-8")
    assert 'class="math-error"' in page and "math.css" in page
    with pytest.raises(MlfolioError, match=r"posts/2024-05-02-bad.md:7: math could not be typeset"):
        build_site(BuildOptions(site_dir=site, strict=True, quiet=True, output=site / "strict-out"))
    assert not (site / "strict-out").exists()


HOSTILE = [
    "$\\text{</math><script>alert(1)</script>}$",
    "$\\text{<img src=x onerror=alert(1)>}$",
    "$$\n\\text{</script><img src=x onerror=alert(1)>} \\label{<img src=x onerror=alert(2)>}\n$$\n\n"
    "$\\eqref{<img src=x onerror=alert(2)>}$",
    "$$\nx \\tag{<script>alert(1)</script>}\n$$",
    "$\\href{javascript:alert(1)}{x}$ $\\url{javascript:alert(1)}$",
    "$\\htmlData{onclick=alert(1)}{x}$ $\\style{background:url(javascript:alert(1))}{x}$",
    "$\\foo{<img src=x onerror=alert(1)>}$",
    "$\\operatorname{<svg onload=alert(1)>}$",
]


@pytest.mark.parametrize("doc", HOSTILE)
def test_hostile_formulas_never_become_live_html(doc):
    html = render_markdown(doc, "posts/a.md").html
    assert not re.search(r"<(script|img|svg|iframe)\b", html, re.I)
    assert not re.search(r"<[^>]*(javascript:|\son\w+=)", html)       # only as escaped text of the source


def test_the_vendored_temml_is_the_version_the_code_and_the_vendor_table_name():
    table = (math.TEMML_JS.parents[1] / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(math.TEMML_JS.read_bytes()).hexdigest()
    assert f"| {math.TEMML_VERSION} | MIT" in table and f"`{digest}`" in table
    assert f'version:"{math.TEMML_VERSION}"' in math.TEMML_JS.read_text(encoding="utf-8")
    css = (Path(__file__).parents[1] / "themes/default/static/assets/math/math.css").read_text(encoding="utf-8")
    assert f"Temml {math.TEMML_VERSION}" in css


def test_formulas_are_memoised_and_the_engine_is_made_once(monkeypatch):
    math.typeset.cache_clear()
    engine = math._context()
    calls = []

    def counting(*args):
        calls.append(args[0])
        return engine(*args)

    monkeypatch.setattr(math, "_engine", counting)
    doc = "$a^2$ and $a^2$ and $$a^2$$ and $b$\n"
    render_markdown(doc)
    render_markdown(doc)
    assert calls == ["a^2", "a^2", "b"]              # inline and display are two formulas; nothing twice
    assert math.typeset.cache_info().hits >= 5
    assert math._context() is counting


def test_too_long_or_too_deep_formulas_are_refused_with_a_reason():
    long = math.typeset("x+" * (math.MAX_LENGTH // 2 + 1), False)
    assert long.error.startswith("the formula is 20,002 characters long")
    deep = math.typeset("\\sqrt{" * 600 + "x" + "}" * 600, True)
    assert deep.error == "the formula nests too deeply to typeset"
    assert not math.typeset("x", False).error                     # the engine still works afterwards


@pytest.mark.parametrize("tex, text", [
    ("\\mathcal{O}(n^2)", "𝒪(n²)"),
    ("\\hat{\\theta}_i", "θ̂ᵢ"),
    ("\\frac{a+b}{2}", "(a+b)/2"),
    ("\\sqrt{d_k}", "√(dₖ)"),
    ("\\mathbb{R}^{d}", "ℝᵈ"),
    ("\\log p", "log p"),
    ("x^{\\top} y", "xᵀy"),
    ("\\sum_{i=1}^{N} x_i", "∑ᵢ₌₁ᴺxᵢ"),
])
def test_plain_text_of_a_formula(tex, text):
    assert math.plain(mathml(tex)) == text


def test_excerpts_and_feed_show_formulas_as_text_never_latex(make_site):
    site = make_site({"posts/2024-05-02-m.md": "---\ntitle: M\n---\nCost $\\mathcal{O}(n^2)$ per step, "
                      "$\\hat{\\theta} = \\frac{1}{n}\\sum_i x_i$.\n"})
    build_site(BuildOptions(site_dir=site, quiet=True))
    feed = (site / "_site" / "feed.xml").read_text(encoding="utf-8")
    summary = re.search(r"<summary>(.*?)</summary>", feed, re.S)[1]
    assert summary == "Cost 𝒪(n²) per step, θ̂=1/n∑ᵢxᵢ."
    listing = (site / "_site" / "blog" / "index.html").read_text(encoding="utf-8")
    assert "Cost 𝒪(n²) per step" in listing and "\\mathcal" not in listing


def visible_text(html: str) -> str:
    """The page's text outside formulas and code (where LaTeX is meant to be seen)."""
    body = re.search(r"<main\b.*</main>", html, re.S)[0]
    body = re.sub(r"<math\b.*?</math>|<code\b.*?</code>|<pre\b.*?</pre>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.fixture
def forty_formulas(make_site, tmp_path):
    """The fixture post built in a site with its macros, served on 127.0.0.1: (base URL, output folder)."""
    site = make_site({"mlfolio.yml": MACROS_YML})
    shutil.copy(FIXTURE, site / "posts" / "2025-03-01-forty-formulas.md")
    out = tmp_path / "www" / "notes"                  # the site's sub-path, as on GitHub Pages
    result = build_site(BuildOptions(site_dir=site, output=out, quiet=True))
    handler = functools.partial(_Quiet, directory=str(out.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/notes/", out, result
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


def test_the_forty_formula_post_renders_without_warnings_or_raw_latex(forty_formulas):
    _, out, result = forty_formulas
    assert result.warnings == []
    html = (out / "blog" / "forty-formulas" / "index.html").read_text(encoding="utf-8")
    assert html.count("<math ") >= 40 and "math-error" not in html
    text = visible_text(html)
    assert not re.search(r"\\[A-Za-z]+|\$", text), re.findall(r".{30}(?:\\[A-Za-z]+|\$).{30}", text)
    assert 'href="/notes/assets/math/math.css"' in html
    about = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert "math.css" not in about and "NotoSansMath" not in about


def test_in_chromium_the_math_font_loads_and_numbers_sit_at_the_right(browser, forty_formulas):
    base, _, _ = forty_formulas
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(base.split("/notes/")[0]):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(base + "blog/forty-formulas/")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Math\"', '∑')")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Noto Sans Math') && f.status === 'loaded')")
    layout = page.evaluate("""() => {
        const row = document.getElementById('eq-nll'), eqno = row.querySelector('.eqno');
        const formula = row.querySelector('mtd:nth-child(2)'), display = row.closest('.math-display');
        const sums = [...document.querySelectorAll('munderover > mo')].filter(m => m.textContent === '∑');
        const inline = [...document.querySelectorAll('p msub > mo, p msubsup > mo')].find(m => m.textContent === '∑');
        const paren = [...document.querySelectorAll('.math-display mo[stretchy="true"]')].find(m => m.textContent === '(');
        const r = el => el.getBoundingClientRect();
        return {eqRight: r(eqno).right, eqLeft: r(eqno).left, formulaRight: r(formula).right,
                boxRight: r(display).right, sumHeight: r(sums[0]).height, inlineSumHeight: r(inline).height,
                parenHeight: r(paren).height, fontSize: parseFloat(getComputedStyle(display).fontSize)};
    }""")
    assert layout["eqLeft"] > layout["formulaRight"] and layout["boxRight"] - layout["eqRight"] < 2
    assert layout["sumHeight"] > 1.3 * layout["inlineSumHeight"]      # display ∑ is large, inline ∑ is not
    assert layout["parenHeight"] > 1.4 * layout["fontSize"]           # \left( \right) stretch around a fraction
    assert outside == []
    context.close()


def test_changing_a_macro_in_mlfolio_yml_re_renders_the_posts(make_site):
    site = make_site({"mlfolio.yml": MACROS_YML, "posts/2024-05-02-m.md": "---\ntitle: M\n---\nIn $\\R^d$.\n"})
    page = site / "_site" / "blog" / "m" / "index.html"
    build_site(BuildOptions(site_dir=site, quiet=True))
    assert "<mi>ℝ</mi>" in page.read_text(encoding="utf-8")
    (site / "mlfolio.yml").write_text((site / "mlfolio.yml").read_text().replace("\\mathbb{R}", "\\mathcal{R}"))
    result = build_site(BuildOptions(site_dir=site, quiet=True))
    assert result.warnings == [] and "<mi class=\"mathcal\">ℛ</mi>" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("tex, rest, found", [
    ("\\newcommand{\\R}{\\mathbb{R}} x\\in\\R", " x\\in\\R", {"\\R": "\\mathbb{R}"}),
    ("\\renewcommand\\vec[1]{\\mathbf{#1}}", "", {"\\vec": "\\mathbf{#1}"}),
    ("\\def\\E{\\mathbb{E}}\\E", "\\E", {"\\E": "\\mathbb{E}"}),
    ("\\def\\pow#1#2{#1^{#2}}", "", {"\\pow": "#1^{#2}"}),
    ("\\DeclareMathOperator*{\\argmax}{arg\\,max}", "", {"\\argmax": "\\operatorname*{arg\\,max}"}),
    ("\\DeclareMathOperator{\\Tr}{Tr} \\Tr A", " \\Tr A", {"\\Tr": "\\operatorname{Tr}"}),
    ("\\def\\set{\\{x\\}} \\set", " \\set", {"\\set": "\\{x\\}"}),
    ("\\newcommand{\\opt}[1][x]{#1}", "\\newcommand{\\opt}[1][x]{#1}", {}),     # a default argument: Temml's
    ("\\newcommand{\\bad}{\\frac{a}{b}", "\\newcommand{\\bad}{\\frac{a}{b}", {}),  # unclosed: Temml reports it
    ("\\newcommandx", "\\newcommandx", {}),
])
def test_definitions_are_taken_out_of_a_formula(tex, rest, found):
    assert math.definitions(tex) == (rest, found)


def test_definitions_hold_for_the_rest_of_the_document_only():
    text = ("Intro.\n\n$$\n\\DeclareMathOperator*{\\argmax}{arg\\,max}\n\\newcommand{\\R}{\\mathbb{R}}\n$$\n\n"
            "We pick $\\argmax_{\\theta \\in \\R^d} f$ and $\\def\\E{\\mathbb{E}} \\E[x]$, then $\\E[y]$.\n\n"
            "$$\\newcommand{\\R}{\\mathbb{Q}} \\R$$\n")
    r = render_markdown(text, "posts/a.md")
    assert r.problems == []
    assert '<div class="math-display"></div>' not in r.html and r.html.count("math-display") == 1
    assert "<msub><mi>arg\u2009max</mi>" in r.html                   # \operatorname*, inline: limits beside
    assert r.html.count("<mi>𝔼</mi>") == 2 and "<mi>ℝ</mi>" in r.html and "<mi>ℚ</mi>" in r.html
    inside = render_markdown("Text $$\\def\\Q{\\mathbb{Q}}$$ more $\\Q$.\n", "posts/c.md")
    assert inside.html.startswith("<p>Text  more <math") and inside.html.count("<p>") == 1   # not split in two
    other = render_markdown("Is $\\R$ defined here?\n", "posts/b.md")
    assert other.problems and "unknown command \\R" in other.problems[0][1]


def test_eqnarray_and_flalign_are_read_as_align():
    text = ("$$\n\\begin{eqnarray}\na &=& b + c \\label{eq:one} \\\\\nd &\\le& e \\nonumber \\\\[2pt]\nf &=& g\n"
            "\\end{eqnarray}\n$$\n\nSee \\eqref{eq:one}.\n\n$$\\begin{flalign*} x &= 1 & y &= 2 \\end{flalign*}$$\n\n"
            "$$\\begin{eqnarray*} u &=& \\begin{cases} 1 & x \\end{cases} \\end{eqnarray*}$$\n")
    r = render_markdown(text, "posts/a.md")
    assert re.findall(r'class="eqno">([^<]*)', r.html) == ["(1)", "(2)"]         # \nonumber skips the middle row
    assert '<mtr id="eq-one">' in r.html and '<a class="eqref" href="#eq-one">(1)</a>' in r.html
    assert r.html.count('<mo>=</mo><mi>b</mi>') == 1                           # '&=&': '=' joins the right side
    assert [p[1] for p in r.problems] == ["math could not be typeset: No such environment: eqnarray* (at '{eqnarray*}')"]


def test_intertext_cuts_the_environment_and_numbers_go_on():
    text = ("$$\n\\begin{align}\na &= b + c \\label{eq:a} \\\\\n\\intertext{and, since $c > 0$,}\nd &\\le e \\\\\n"
            "f &= g \\label{eq:f}\n\\end{align}\n$$\n\nBy \\eqref{eq:a} and \\eqref{eq:f}.\n\n"
            "$$\\begin{align*} x &= 1 \\intertext{so}\n y &= \\oops \\end{align*}$$\n\n"
            "$$\\begin{equation}\\begin{aligned} u &= v \\intertext{no} \\end{aligned}\\end{equation}$$\n")
    r = render_markdown(text, "posts/a.md")
    assert re.findall(r'class="eqno">([^<]*)', r.html) == ["(1)", "(2)", "(3)"]
    assert '<a class="eqref" href="#eq-a">(1)</a>' in r.html and '<a class="eqref" href="#eq-f">(3)</a>' in r.html
    said = re.search(r'<p class="math-intertext">and, since (<math .*?</math>),</p>', r.html)   # text that wraps
    assert said and "<mi>c</mi><mo>&gt;</mo>" in said[1] and '<p class="math-intertext">so</p>' in r.html
    assert [(line, message.split(":")[-1].strip()) for line, message, _ in r.problems] == [
        (13, "unknown command \\oops"),                       # the line of the part that fails
        (15, "unknown command \\intertext")]                  # inside `aligned`: not an environment of its own


def test_a_paragraph_that_is_one_environment_is_display_math_as_with_mathjax():
    text = ("\\begin{align*}\nx_1 &= a*b*c \\\\\ny &= \\frac{1}{2}\n\\end{align*}\n\nThe first sentence.\n\n"
            "> \\begin{equation} q \\label{eq:q} \\end{equation}\n\nSee \\eqref{eq:q}.\n\n"
            "Text with \\begin{equation} x \\end{equation} inside.\n\n`\\begin{equation}` is code.\n")
    r = render_markdown(text, "posts/a.md")
    assert r.html.startswith('<div class="math-display"><math')
    assert "<mo>∗</mo><mi>b</mi><mo>∗</mo>" in r.html and "<em>" not in r.html      # '*' was not emphasis
    assert r.html.count("<mtr>") == 2                                              # '\\\\' was not an escape
    assert '<blockquote>\n<div class="math-display">' in r.html and '<a class="eqref" href="#eq-q">(1)</a>' in r.html
    assert r.excerpt == "The first sentence."                                      # LaTeX is no excerpt
    assert [(line, message) for line, message, _ in r.problems] == [
        (12, "a math environment inside a sentence is left as text")]


def test_a_tight_list_item_that_is_one_environment_is_display_math():
    text = ("Steps:\n\n- first\n- \\begin{align} a &= b*c \\\\ d &= e \\label{eq:d} \\end{align}\n"
            "- [x] \\begin{equation*}\n  x_1 = y \\\\\n  z\n  \\end{equation*}\n"
            "- words \\begin{equation} E \\end{equation} around\n  - nested \\begin{gather} q \\end{gather}\n\n"
            "1. \\begin{gather} u \\\\ v \\end{gather}\n\nSee \\eqref{eq:d}.\n")
    r = render_markdown(text, "posts/a.md")
    items = re.findall(r"<li[^>]*>(.*?)</li>", r.html, re.S)
    assert items[0] == "first"
    assert items[1].startswith('<div class="math-display"><math') and items[1].count("<mtr") == 2
    assert "<em>" not in items[1] and '<a class="eqref" href="#eq-d">(2)</a>' in r.html    # its second row
    assert items[2].startswith('<input aria-label="done"') and '<div class="math-display"><math' in items[2]
    assert items[3].startswith("words \\begin{equation}")
    assert [(line, message) for line, message, _ in r.problems] == [
        (10, "a math environment inside a list item's sentence is left as text"),
        (9, "a math environment inside a list item's sentence is left as text")]
