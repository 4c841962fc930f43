"""codeblocks.py: fence options (title, highlighted lines, line numbers) in the forms people bring from other
tools; the wrapper the theme's copy button goes in; bad options are warnings at the block's line."""
from __future__ import annotations

import re

import pytest
from conftest import serve_folder

from mlfolio.build import BuildOptions, build_site
from mlfolio.codeblocks import CodeOptions, parse_info
from mlfolio.markdown import render_markdown

CODE = 'import torch\nx = """a\nb"""\nloss = model(x)\nloss.backward()\n'


@pytest.mark.parametrize("info, expected", [
    ("python", CodeOptions("python")),
    ('python title="train.py" {3,5-7}', CodeOptions("python", "train.py", ((3, 3), (5, 7)))),
    ('python title="train.py" hl_lines="3 5-7"', CodeOptions("python", "train.py", ((3, 3), (5, 7)))),
    ('python {hl_lines=[3,"5-7"]}', CodeOptions("python", "", ((3, 3), (5, 7)))),
    ('{.python filename="my train.py"}', CodeOptions("python", "my train.py")),
    ("Python {2} linenos", CodeOptions("python", "", ((2, 2),), True)),
    ("python title='say \"hi\".py'", CodeOptions("python", 'say "hi".py')),
    ('python title="it\'s {here}.py"', CodeOptions("python", "it's {here}.py")),
    ("python linenos=false", CodeOptions("python")),
])
def test_info_strings(info, expected):
    assert parse_info(info) == expected


@pytest.mark.parametrize("info, problem", [
    ("python {0,4-2}", "'0' is not a line"),
    ("python {a-b}", "option 'a-b' is not supported"),
    ('python colour="red"', "option 'colour' is not supported"),
    ('python title="unclosed', "cannot read"),
])
def test_bad_options_are_problems(info, problem):
    assert any(problem in p for p in parse_info(info).problems)


def lines_of(html: str) -> list[str]:
    return re.findall(r'<span class="line( hll)?">(.*?)</span>\n', html, re.S)


def test_highlighted_lines_wrap_whole_lines_even_inside_a_multiline_string():
    r = render_markdown(f"```python {{2-3}} linenos\n{CODE}```\n", "posts/a.md")
    assert r.html.startswith('<div class="code-block has-lines has-numbers"><pre class="highlight"')
    marked = re.findall(r'<span class="line( hll)?">', r.html)
    assert marked == ["", " hll", " hll", "", ""]
    body = re.search(r"<code[^>]*>(.*)</code>", r.html, re.S).group(1)
    assert body.count("<span") == body.count("</span>")           # every token closed on its own line
    text = re.sub(r"<[^>]+>", "", body).replace("&quot;", '"')
    assert text == CODE
    assert r.problems == []


def test_a_title_is_escaped_and_the_block_keeps_its_language_label():
    r = render_markdown("```python title='<script>alert(1)</script> \"x\".py'\nprint(1)\n```\n", "posts/a.md")
    assert ('<div class="code-block has-title"><div class="code-title">&lt;script&gt;alert(1)&lt;/script&gt; '
            "&quot;x&quot;.py</div><pre") in r.html
    assert 'data-lang="python"' in r.html and "<script>" not in r.html


def test_problems_are_warnings_at_the_fence_line():
    r = render_markdown(f"Intro.\n\n```python {{9}} frobnicate\n{CODE}```\n", "posts/a.md")
    assert [(line, message) for line, message, _ in r.problems] == [
        (3, "code block option 'frobnicate' is not supported"),
        (3, "highlighted line 9 past the end of this 5-line block")]


def test_every_code_block_gets_the_wrapper_the_copy_button_goes_in():
    r = render_markdown("```\nplain <b>\n```\n\n    indented\n\n```nosuchlang {1}\nx\n```\n", "posts/a.md")
    assert r.html.count('<div class="code-block') == 3
    assert "plain &lt;b&gt;" in r.html
    assert '<span class="line hll">x\n</span>' in r.html


def test_the_copy_button_copies_the_code_without_line_numbers(browser, make_site):
    site = make_site({"posts/2024-05-01-hello.md": f"---\ntitle: Hello\n---\nIntro.\n\n"
                                                   f"```python title=\"train.py\" {{2}} linenos\n{CODE}```\n\n"
                                                   "```\nno language\n```\n"})
    build_site(BuildOptions(site_dir=site))
    with serve_folder(site / "_site") as base:
        context = browser.new_context(viewport={"width": 1000, "height": 700})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
        page = context.new_page()
        try:
            page.goto(base + "blog/hello/", wait_until="load")
            pre_box = page.locator(".code-block pre").first.bounding_box()
            buttons = page.locator(".code-block .copy-code")
            assert buttons.count() == 2
            button_box = buttons.first.bounding_box()
            assert button_box["y"] + button_box["height"] <= pre_box["y"] + 1    # in the title bar, not on code
            for _ in range(40):                           # from the skip link to the first copy button
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.className") == "copy-code":
                    break
            page.keyboard.press("Enter")                  # a real button: the keyboard works
            assert buttons.first.inner_text() == "Copied"
            assert page.evaluate("navigator.clipboard.readText()") == CODE
            assert page.locator("[role=status]").inner_text() == "Code copied to clipboard"
            page.wait_for_function("document.querySelector('.copy-code').textContent === 'Copy'", timeout=5000)
        finally:
            context.close()
        context = browser.new_context(java_script_enabled=False)
        try:
            page = context.new_page()
            page.goto(base + "blog/hello/", wait_until="load")
            assert page.locator(".copy-code").count() == 0 and page.locator(".code-block pre").count() == 2
        finally:
            context.close()
