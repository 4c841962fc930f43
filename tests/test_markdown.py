"""markdown.py: the Markdown features a portfolio needs, rendered once and cacheable."""
from mlfolio.markdown import code_css, render_inline, render_markdown
from mlfolio.readers import resolve_links

DOC = """\
Intro paragraph with *emphasis* and $E = mc^2$.

## First section

| model | acc |
|---|---:|
| base | 0.7 |

- [x] shipped
- [ ] tested

~~old~~ new[^n].

$$
\\sum_{i=1}^{n} x_i
$$

```python
def f(x):
    return x + 1
```

### Detail

See [the other post](other.md#results), ![diagram](/img/d.svg) and [abs](https://example.com).

[^n]: The footnote.
"""


def test_features():
    r = render_markdown(DOC, "posts/this.md")
    html = r.html
    assert "<table>" in html and '<th style="text-align:right">acc</th>' in html
    assert 'aria-label="done"' in html and 'aria-label="to do"' in html
    assert "<s>old</s>" in html and 'class="footnotes"' in html
    assert '<p>Intro paragraph with <em>emphasis</em> and <math xmlns="http://www.w3.org/1998/Math/MathML">' in html
    assert '<div class="math-display"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block"' in html
    assert "<munderover>" in html
    assert '<pre class="highlight" tabindex="0" data-lang="python"><code class="language-python"><span class="k">def</span>' in html
    assert '<h2 id="first-section">' in html
    assert r.toc == [(2, "first-section", "First section"), (3, "detail", "Detail")]
    assert r.excerpt.startswith("Intro paragraph with emphasis and")
    assert r.words > 10
    assert 'href="https://example.com"' in html


def test_local_links_become_markers_with_lines():
    r = render_markdown(DOC, "posts/this.md")
    assert [(link.kind, link.target, link.suffix, link.line) for link in r.links] == [
        ("ref", "posts/other.md", "#results", 25), ("root", "/img/d.svg", "", 25)]
    html = resolve_links(r, lambda link: f"/site/{link.target}{link.suffix}")
    assert 'href="/site/posts/other.md#results"' in html and 'src="/site//img/d.svg"' in html


def test_relative_paths_are_relative_to_the_file():
    r = render_markdown("[cv](../pages/cv.md) [sib](sub/x.md)", "posts/2024/a.md")
    assert [link.target for link in r.links] == ["posts/pages/cv.md", "posts/2024/sub/x.md"]


def test_dollar_amounts_are_not_math():
    assert "<math" not in render_markdown("It costs $5 and $10 today.").html


def test_bad_math_is_a_problem_not_a_crash():
    r = render_markdown("Para\n\n$$\n\\left( x\n$$\n")
    assert '<pre class="math-error" title="Expected &#x27;\\right&#x27;, got &#x27;EOF&#x27;"><code>\\left( x</code></pre>' in r.html
    assert r.problems == [(4, "math could not be typeset: Expected '\\right', got 'EOF'",
                           "fix the LaTeX; the page shows its source meanwhile")]


def test_math_the_parser_refuses_is_reported_not_silent():
    r = render_markdown("Para\n\nSee $\\frac{a}{$ here.\n\n$$\n\\frac{a}{\n$$\n\nCosts $5 and $10.\n")
    assert [(line, message.split(":")[0]) for line, message, _ in r.problems] == [(3, "math left as text"),
                                                                               (5, "math left as text")]


def test_unknown_code_language_is_escaped():
    html = render_markdown("```nosuchlang\n<b>x</b>\n```\n").html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_render_inline_and_css():
    assert render_inline("Joined **Lab**") == "Joined <strong>Lab</strong>"
    css = code_css("friendly", "github-dark")
    assert ".highlight .k" in css and ':root[data-theme="dark"] .highlight' in css and "prefers-color-scheme" in css


def test_output_is_deterministic():
    assert render_markdown(DOC, "posts/a.md").html == render_markdown(DOC, "posts/a.md").html


def test_excerpt_keeps_spaces_at_line_breaks():
    assert render_markdown("First line\nsecond line.\n").excerpt == "First line second line."


def test_highlighting_matches_pygments_html_formatter():
    """Our lean span writer must give the same text and the same CSS classes as Pygments' own formatter."""
    import html
    import re

    from pygments import highlight as pyg
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    from mlfolio.markdown import highlight

    code = 'import torch\n\n@torch.no_grad()\ndef f(x: int) -> str:\n    """Doc <b>."""\n    return f"{x!r}" * 2  # & done\n'
    ours = highlight(code, "python", "")
    body = re.search(r'<code class="language-python">(.*)</code>', ours, re.S).group(1)
    theirs = pyg(code, PythonLexer(stripnl=False), HtmlFormatter(nowrap=True))
    strip = lambda h: html.unescape(re.sub(r"<[^>]+>", "", h))  # noqa: E731
    assert strip(body) == strip(theirs) == code
    assert set(re.findall(r'class="(\w+)"', body)) == set(re.findall(r'class="(\w+)"', theirs))


def test_text_in_math_cannot_close_the_math_and_inject_markup():
    r = render_markdown("$\\text{</math><script>alert(1)</script>}$ and $x < y$")
    assert "<script>" not in r.html and "&lt;script&gt;" in r.html
    assert "<mo>&lt;</mo>" in r.html and r.html.count("</math>") == 2
