"""Liquid and kramdown to Markdown, one construct at a time, with the line each note points at."""
from __future__ import annotations

from mlfolio.importers.liquid import convert
from mlfolio.importers.links import Context, SiteMap
from mlfolio.importers.report import Report


def run(body: str, line: int = 5, **site):
    report = Report("jekyll")
    smap = SiteMap(assets={"assets/img/": "img/"}, posts={"2020-01-01-a": "posts/2020-01-01-a.md"},
                   files={"_pages/cv.md": "pages/cv-page.md"}, values={"site.title": "Ada's site"}, **site)
    text = convert(body, Context(smap, report, "_posts/x.md", "posts/2021-01-01-x.md", line))
    return text, [str(n) for n in report.notes], report


def test_figure_include_variants():
    text, notes, _ = run('{% include figure.liquid path="assets/img/a.png" caption="The <b>best</b> [run]" %}\n'
                         "{% include figure image_path=\"/assets/img/b.jpg\" alt=\"b\" %}\n"
                         "{% include figure.liquid path=page.img %}\n")
    assert '![The best (run)](/img/a.png "The <b>best</b> [run]")' in text
    assert "![b](/img/b.jpg)" in text
    assert notes == ["_posts/x.md:7: '{% include figure.liquid %}' without a literal path removed — add the image "
                     "as ![description](/img/file.png \"caption\")"]


def test_links_outputs_and_blocks():
    text, notes, _ = run("[a]({% post_url 2020-01-01-a %}) [cv]({% link _pages/cv.md %}) "
                         "[img]({{ site.baseurl }}/assets/img/c.png) [pdf]({{ '/assets/img/d.png' | relative_url }})\n"
                         "Title: {{ site.title }} {{ page.mystery | upcase }}\n"
                         "{% highlight ruby %}\nputs 1\n{% endhighlight %}\n"
                         "{% raw %}{{ kept }}{% endraw %}\n{% comment %}gone{% endcomment %}\n"
                         "[b]({% post_url 1999-01-01-missing %})\n")
    assert "[a](2020-01-01-a.md) [cv](../pages/cv-page.md) [img](/assets/img/c.png) [pdf](/assets/img/d.png)" in text
    assert "Title: Ada's site \n" in text
    assert "```ruby\nputs 1\n```" in text and "{{ kept }}" in text and "gone" not in text
    assert notes == [
        "_posts/x.md:6: Liquid output '{{ page.mystery | upcase }}' removed — write its value as text (mlfolio "
        "does not run Liquid)",
        "_posts/x.md:12: '{% post_url 1999-01-01-missing %}': no such post — fix the link by hand"]


def test_highlight_options_become_fence_options():
    text, notes, _ = run("{% highlight python linenos %}\nx = 1\n{% endhighlight %}\n"
                         "{% highlight js mark_lines=\"1 3\" %}\na\nb\nc\n{% endhighlight %}\n")
    assert "```python linenos\nx = 1\n```" in text and '```js hl_lines="1 3"\na\nb\nc\n```' in text
    assert notes == []


def test_kramdown_and_bootstrap_layout_keep_lines():
    body = ('<div class="row">\n    <div class="col-sm">\n        Indented text is not code.\n    </div>\n</div>\n'
            "* toc\n{:toc}\n\nA paragraph.\n{: .lead #intro}\nInline {:.note} list.\n"
            "```\n{: .kept-in-code}\n```\n{::options parse_block_html=\"true\" /}\n")
    text, notes, _ = run(body, line=1)
    assert text.count("\n") == body.count("\n")
    assert "\nIndented text is not code.\n" in text and "<div" not in text
    assert "{:toc}" not in text and "* toc" not in text
    assert "{: .kept-in-code}" in text and "Inline  list." in text
    assert notes == [
        "_posts/x.md:10: kramdown attribute list '{: .lead #intro}' removed — style the element from your theme's "
        "CSS, or write the element as HTML",
        "_posts/x.md:11: kramdown attribute list '{:.note}' removed — style the element from your theme's CSS, or "
        "write the element as HTML",
        "_posts/x.md:15: kramdown directive '{::options parse_block_html=\"true\" /}' removed — mlfolio's Markdown "
        "has no such options"]


def test_logic_tags_are_removed_once_per_kind_and_citations_kept():
    text, notes, report = run("{% if a %}A{% else %}B{% endif %}\n{% if c %}C{% endif %}\n{% cite x y %}\n"
                              "{% assign v = 1 %}{% unknown_tag z %}\n{% capture c %}made{% endcapture %}\n")
    assert text.startswith("AB\nC\n(x, y)\n")                  # no bibliography: the keys stay text
    assert "made" not in text
    assert [n.split(":")[1] for n in notes] == ["5", "5", "5", "7", "7", "8", "8", "9"]
    assert any("'{% unknown_tag %}' removed" in n for n in notes)


def test_citations_become_pandoc_citations_only_for_known_keys():
    report = Report("jekyll")
    ctx = Context(SiteMap(), report, "_posts/x.md", "posts/x.md", 3, citable=frozenset({"einstein1905", "b"}))
    text = convert("Intro.\n{% cite einstein1905 b --file papers %} and {% cite nobody %}.\n", ctx)
    assert text == "Intro.\n[@einstein1905; @b] and (nobody).\n"
    assert [str(n) for n in report.notes] == [
        "_posts/x.md:4: citation 'nobody' kept as text: no entry has this key — add the entry to publications.bib, "
        "then write [@nobody]"]
