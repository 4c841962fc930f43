"""Hugo shortcodes to Markdown, with notes at their lines."""
from __future__ import annotations

from mlfolio.importers.links import Context, SiteMap
from mlfolio.importers.report import Report
from mlfolio.importers.shortcodes import convert


def run(body: str):
    report = Report("hugo-academic")
    ctx = Context(SiteMap(assets={"media/": "media/"}), report, "content/post/x/index.md", "posts/2021-01-01-x.md",
                  10, local={"fig.png": "/img/x/fig.png"})
    text = convert(body, ctx, {"paper": "ada2021paper"}, {"post/other": "posts/2020-01-01-other.md"})
    return text, [str(n) for n in report.notes]


def test_figure_math_cite_and_links():
    text, notes = run('{{< figure src="fig.png" caption="Loss `curve`" >}}\n'
                      '{{< figure src="logo.svg" library="true" alt="Logo" >}}\n'
                      "{{< math >}}$$x^2$${{< /math >}}\n"
                      '{{< cite page="/publication/paper" view="4" >}} {{< cite page="/publication/gone" >}}\n'
                      '[next]({{< relref "post/other" >}}) {{< ref "post/missing.md" >}}\n'
                      '{{< staticref "uploads/cv.pdf" "newtab" >}}CV{{< /staticref >}}\n')
    assert '![Loss curve](/img/x/fig.png "Loss `curve`")' in text
    assert "![Logo](/media/logo.svg)" in text
    assert "$$x^2$$" in text and "{{<" not in text
    assert "[@ada2021paper] " in text
    assert "[next](2020-01-01-other.md) " in text
    assert "[CV](/uploads/cv.pdf)" in text
    assert notes == [
        "content/post/x/index.md:13: {{< cite page=\"/publication/gone\" >}}: no such publication — cite it by hand",
        "content/post/x/index.md:14: {{< ref \"post/missing.md\" >}}: not an imported post or page — fix the link "
        "by hand"]


def test_callouts_spoilers_videos_and_the_rest():
    text, notes = run("{{% callout warning %}}\nCareful.\n{{% /callout %}}\n"
                      '{{< spoiler text="Answer <b>" >}}\n42\n{{< /spoiler >}}\n'
                      "{{< youtube id=\"abc\" >}} {{< toc >}} {{< icon name=\"x\" >}}\n"
                      '{{< chart data="line-chart" >}}\n{{% mystery %}}inner{{% /mystery %}}\n')
    assert "> **Warning:** \nCareful.\n" in text
    assert "<details><summary>Answer</summary>\n\n\n42\n\n\n</details>" in text
    assert "[▶ Video](https://www.youtube.com/watch?v=abc)" in text and "inner" in text
    assert [n.split(": ", 1)[0] for n in notes] == ["content/post/x/index.md:10", "content/post/x/index.md:16",
                                                     "content/post/x/index.md:17", "content/post/x/index.md:18"]
    assert notes[2] == ("content/post/x/index.md:17: 'chart' shortcode removed (its content, if any, kept) — "
                        "write what it showed as Markdown or HTML")
