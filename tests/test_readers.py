"""readers/: the reader interface, front matter splitting and link markers."""
import pytest

from mlfolio.readers import Link, Rendered, SplitError, resolve_links, split_front_matter
from mlfolio.markdown import Extensions
from mlfolio.readers.markdown import MarkdownReader


def test_split_front_matter():
    s = split_front_matter("---\ntitle: T\n---\nBody\n")
    assert (s.front_matter, s.body, s.body_line, s.front_matter_line) == ("title: T", "Body\n", 4, 2)
    s = split_front_matter("no front matter")
    assert (s.front_matter, s.body, s.body_line) == (None, "no front matter", 1)
    assert split_front_matter("---\na: 1\n...\nx").front_matter == "a: 1"
    with pytest.raises(SplitError) as exc:
        split_front_matter("---\ntitle: a\n")
    assert (exc.value.line, exc.value.col) == (1, 1) and "never ends" in exc.value.message


def test_resolve_links_swaps_markers_and_escapes():
    r = Rendered('<a href="@mlfolio-link-0@">x</a><img src="@mlfolio-link-1@">',
                 links=[Link("ref", "posts/a.md", "", 1, "a.md"), Link("root", "/x.png", "", 2, "/x.png")])
    html = resolve_links(r, lambda link: "/blog/a/?q=1&b" if link.kind == "ref" else "/x.png")
    assert html == '<a href="/blog/a/?q=1&amp;b">x</a><img src="/x.png">'


def test_markdown_reader_applies_plugin_extensions():
    def shout(events):
        return [({"Text": e["Text"].upper()}, span) if isinstance(e, dict) and "Text" in e else (e, span)
                for e, span in events]
    plain, loud = MarkdownReader(), MarkdownReader(Extensions(filters=[shout]))
    assert "<p>hello</p>" in plain.render("hello", "posts/a.md").html
    assert "<p>HELLO</p>" in loud.render("hello", "posts/a.md").html
    assert loud.inline("*hi*") == "<em>HI</em>"
