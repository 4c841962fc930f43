"""Pandoc citations in posts: the Markdown filter, numbered and author-year output, References, unknown keys
at their line, a post's own bibliography, and rebuilds when a .bib changes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlfolio import markdown
from mlfolio.build import BuildOptions, Builder, build_site
from mlfolio.research.citations import citation_filter, parse_citation

MESSY = (Path(__file__).parent / "research" / "messy.bib").read_text("utf-8")
POST = "posts/2024-02-01-citing.md"
BODY = """---
title: Citing
bibliography: refs.bib
---
## Background

Sparse attention [@lovelace2024sparse] and kernels [see @lovelace2023kernels, pp. 3--4; @lovelace2024sparse].

A book [@knuth84] and a typo [@lovelace2024sprase].

Not citations: `[@code]`, write to me@example.org, [a link @x](https://x.org), [@ alone], [email @].

```python
x = "[@inside_code]"
```
"""


@pytest.mark.parametrize("text, items", [
    ("@smith2020", [("smith2020", "", "")]),
    ("see @doe:2021/x, p. 3", [("doe:2021/x", "see", "p. 3")]),
    ("@a; @b, chap. 2", [("a", "", ""), ("b", "", "chap. 2")]),
    ("@{weird key!}", [("weird key!", "", "")]),
    ("@key.", [("key", "", ".")]),
    ("me@example.org", None),
    ("@a @b", None),
    ("no key", None),
    ("@a; nothing", None),
])
def test_parse_citation(text, items):
    got = parse_citation(text)
    assert (None if got is None else [(i.key, i.prefix, i.suffix) for i in got]) == items


def html_of(text: str) -> str:
    return markdown.render_markdown(text, "posts/x.md", markdown.Extensions([citation_filter])).html


def test_the_filter_leaves_code_links_and_images_alone():
    html = html_of("A [@a] b `[@c]` [x @d](https://x.org) ![@e](i.png)\n\n    [@f]\n\n```\n[@g]\n```\n")
    assert html.count("<mlfolio-cite") == 1 and 'data-at="2"' in html
    for kept in ("[@c]", "x @d", "[@f]", "[@g]"):
        assert kept in html


def test_offsets_point_at_the_bracket_after_inline_markup():
    text = "**Bold** and _it_ then [@late] here\n\nNext *para* [@second]\n"
    html = html_of(text)
    offsets = [int(n) for n in re.findall(r'data-at="(\d+)"', html)]
    assert [text[o:o + 3] for o in offsets] == ["[@l", "[@s"]


def site_with_post(make_site, **files):
    return make_site({"profile.yml": "name: Ada Lovelace-Ng\n", "publications.bib": MESSY, POST: BODY,
                      "posts/refs.bib": "@book{knuth84, title={The {\\TeX}book}, author={Knuth, Donald E.},\n"
                                        "  year=1984, publisher={Addison-Wesley}}\n", **files})


def post_html(result) -> str:
    return (result.output / "blog/citing/index.html").read_text("utf-8")


def test_numbered_citations_link_to_references_which_link_to_entries(make_site):
    result = build_site(BuildOptions(site_with_post(make_site)))
    html = post_html(result)
    cites = re.findall(r'<span class="citation">(.*?)</span>', html)
    plain = [re.sub(r"<[^>]+>", "", c) for c in cites]
    assert plain[:3] == ["[1]", "[see 2, pp. 3–4; 1]", "[3]"]
    assert '<a href="#ref-lovelace2024sparse" title="Ada Lovelace-Ng, Jörg Müller, Émile François et al. Sparse' in html
    refs = html[html.index('<section class="references"'):]
    assert [m for m in re.findall(r'<li id="ref-([^"]+)"', refs)] == ["lovelace2024sparse", "lovelace2023kernels",
                                                                      "knuth84"]
    assert '<a href="/publications/#lovelace2024sparse">' in refs and "The TeXbook. <em>Addison-Wesley</em>" in refs
    assert '<a href="#references"' in html                 # in the table of contents
    assert "assets/publications.css" in html
    for kept in ("<code>[@code]</code>", "me@example.org", "[@ alone]", "[email @]", "[@inside_code]"):
        assert kept in html.replace("&quot;", '"')
    assert "<mlfolio-cite" not in html


def test_an_unknown_key_is_a_warning_at_its_line_with_a_suggestion(make_site):
    result = build_site(BuildOptions(site_with_post(make_site)))
    warning = next(w for w in result.warnings if "lovelace2024sprase" in w.message)
    assert (warning.path, warning.line) == (POST, 9) and "lovelace2024sparse" in warning.hint
    assert '<strong class="citation-missing">lovelace2024sprase?</strong>' in post_html(result)


def test_author_year_style(make_site):
    site = site_with_post(make_site, **{"mlfolio.yml": "title: T\nurl: https://ada.github.io\npublications:\n"
                                                       "  citation_style: author-year\n"})
    html = post_html(build_site(BuildOptions(site)))
    plain = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<span class="citation">(.*?)</span>', html)]
    assert plain[:3] == ["(Lovelace-Ng et al., 2024)", "(see Lovelace et al., 2023, pp. 3–4; Lovelace-Ng et al., 2024)",
                         "(Knuth, 1984)"]
    refs = html[html.index('<section class="references"'):]
    assert re.findall(r'<li id="ref-([^"]+)"', refs) == ["knuth84", "lovelace2023kernels", "lovelace2024sparse"]


def test_citation_text_is_escaped(make_site):
    site = site_with_post(make_site, **{POST: '---\ntitle: Citing\n---\nX [see @lovelace2024sparse, p. 3 & "x" <4] '
                                              'and [@{x" onmouseover="alert(1)}]\n'})
    result = build_site(BuildOptions(site))
    body = post_html(result)
    body = body[body.index('<div class="prose'):]
    assert 'p. 3 &amp; &quot;x&quot; &lt;4]' in body
    assert 'onmouseover="' not in body and 'x&quot; onmouseover=&quot;alert(1)?</strong>' in body


def test_editing_a_bib_updates_the_posts_that_cite_it(make_site):
    site = site_with_post(make_site)
    builder = Builder(BuildOptions(site))
    builder.build()
    local = site / "posts/refs.bib"
    local.write_text(local.read_text("utf-8").replace("1984", "1986"), "utf-8")
    result = builder.rebuild({local})
    assert "blog/citing/index.html" in result.changed and "Addison-Wesley</em>. 1986." in post_html(result)
    bib = site / "publications.bib"
    bib.write_text(bib.read_text("utf-8").replace("{Sparse} Attention", "{Dense} Attention"), "utf-8")
    result = build_site(BuildOptions(site))
    assert "Dense Attention" in post_html(result)
    post = site / POST
    post.write_text(post.read_text("utf-8").replace("A book [@knuth84]", "A book"), "utf-8")
    result = builder.rebuild({post})
    assert "ref-knuth84" not in post_html(result) and "Dense Attention" in post_html(result)
