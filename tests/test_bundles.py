"""bundles.py: a post that is a folder (posts/x/index.md) publishes its other files beside its page; links to
them, to other bundles and from other posts resolve, under a sub-path too; serve republishes an edited file."""
from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from mlfolio.build import BuildOptions, Builder, build_site
from mlfolio.errors import MlfolioError


def png(width: int, height: int) -> bytes:
    """A real PNG (one grey pixel row repeated): its header says width × height."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


BUNDLE = {
    "mlfolio.yml": "title: Test Site\nurl: https://ada.github.io/sub/\n",
    "posts/2024-03-02-my post/index.md": """
        ---
        title: Bundled
        ---
        ![Loss über epochs](<loss curve é.png> "Training loss")

        ![Again](loss%20curve%20é.png)

        Data: [the CSV](data/results.csv), [paper](paper.pdf#page=2), [next](../other-post/) and
        [again](../other-post/index.md#intro), [single](../2024-05-01-hello.md).
    """,
    "posts/2024-03-02-my post/loss curve é.png": png(64, 48),
    "posts/2024-03-02-my post/data/results.csv": "epoch,loss\n1,0.9\n",
    "posts/2024-03-02-my post/paper.pdf": b"%PDF-1.4\n",
    "posts/2024-03-02-my post/notes.md": "---\ntitle: not a post\n---\nscratch\n",
    "posts/2024-03-02-my post/.hidden.png": png(2, 2),
    "posts/other-post/index.md": "---\ntitle: Other\ndate: 2024-04-01\n---\n## Intro\n\n[back](../2024-03-02-my%20post/)\n",
}


def test_a_folder_with_an_index_is_one_post_with_its_files_beside_it(make_site):
    site = make_site(BUNDLE)
    result = build_site(BuildOptions(site_dir=site))
    out = site / "_site"
    assert result.posts == 3                         # notes.md inside the bundle is a file, not a post
    page = (out / "blog/my-post/index.html").read_text()
    assert (out / "blog/my-post/loss curve é.png").read_bytes() == png(64, 48)
    assert (out / "blog/my-post/data/results.csv").is_file() and (out / "blog/my-post/paper.pdf").is_file()
    assert (out / "blog/my-post/notes.md").is_file()
    assert not (out / "blog/my-post/.hidden.png").exists() and not (out / "blog/notes").exists()
    assert not (out / "blog/my-post/index.md").exists()
    assert 'src="/sub/blog/my-post/loss%20curve%20%C3%A9.png"' in page
    assert 'width="64" height="48"' in page
    assert 'href="/sub/blog/my-post/data/results.csv"' in page
    assert 'href="/sub/blog/my-post/paper.pdf#page=2"' in page
    assert 'href="/sub/blog/other-post/"' in page and 'href="/sub/blog/other-post/#intro"' in page
    assert 'href="/sub/blog/hello/"' in page
    assert "2024-03-02" in page                        # the date comes from the folder's name
    assert 'href="/sub/blog/my-post/"' in (out / "blog/other-post/index.html").read_text()
    assert not [w for w in result.warnings if "no such" in w.message]


def test_missing_files_and_posts_are_warnings_at_their_line(make_site):
    site = make_site({"posts/x/index.md": "---\ntitle: X\ndate: 2024-01-01\n---\nText.\n\n"
                                          "![A plot](plot.PNG)\n\n[gone](../nowhere/)\n"})
    result = build_site(BuildOptions(site_dir=site))
    found = {(w.path, w.line, w.message) for w in result.warnings}
    assert ("posts/x/index.md", 7, "link to 'plot.PNG': no such file in this post's folder") in found
    assert ("posts/x/index.md", 9, "link to '../nowhere/': no such post") in found
    hint = next(w.hint for w in result.warnings if "plot.PNG" in w.message)
    assert "posts/x/" in hint and "case-sensitive" in hint
    with pytest.raises(MlfolioError, match="plot.PNG"):
        build_site(BuildOptions(site_dir=site, strict=True, output=site / "strict"))
    assert not (site / "strict").exists()


def test_a_link_out_of_the_bundle_folder_is_not_published(make_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("key")
    site = make_site({"posts/x/index.md": "---\ntitle: X\ndate: 2024-01-01\n---\nText.\n"})
    os.symlink(secret, site / "posts/x/leak.txt")
    result = build_site(BuildOptions(site_dir=site))
    assert not (site / "_site/blog/x/leak.txt").exists()
    assert any(w.path == "posts/x/leak.txt" and "not published" in w.message for w in result.warnings)


def test_a_bundle_is_found_by_any_readers_extension(make_site):
    """Bundle discovery goes by the registered readers, so a plugin's or the notebook reader's index works."""
    plugin = """
        from mlfolio.plugins import Plugin
        from mlfolio.readers import Reader, Rendered, split_front_matter

        class Text(Reader):
            name, version, extensions = "text", "1", (".txt",)
            def split(self, text):
                return split_front_matter(text)
            def render(self, body, rel):
                return Rendered(html="<p>" + body.strip() + "</p>")

        plugin = Plugin(name="text", readers=[Text()])
    """
    site = make_site({"mlfolio.yml": "title: T\nurl: https://a.github.io\nplugins: [plugins/text.py]\n",
                      "plugins/text.py": plugin,
                      "posts/plain-text/index.txt": "---\ntitle: From text\ndate: 2024-01-01\n---\nhello\n",
                      "posts/plain-text/fig.png": png(3, 2)})
    build_site(BuildOptions(site_dir=site))
    assert "hello" in (site / "_site/blog/plain-text/index.html").read_text()
    assert (site / "_site/blog/plain-text/fig.png").is_file()


def test_serve_republishes_an_edited_bundle_file_and_its_new_size(make_site):
    site = make_site(BUNDLE)
    builder = Builder(BuildOptions(site_dir=site))
    builder.build()
    image = site / "posts/2024-03-02-my post/loss curve é.png"
    image.write_bytes(png(100, 30))
    builder.rebuild({image})
    out = builder.output
    assert (out / "blog/my-post/loss curve é.png").read_bytes() == png(100, 30)
    assert 'width="100" height="30"' in (out / "blog/my-post/index.html").read_text()
    added = site / "posts/2024-03-02-my post/extra.txt"
    added.write_text("new")
    builder.rebuild({added})
    assert (out / "blog/my-post/extra.txt").read_text() == "new"
    notes = site / "posts/2024-03-02-my post/notes.md"
    notes.write_text("---\ntitle: still not a post\n---\n")
    result = builder.rebuild({notes})
    assert result.posts == 3 and not (out / "blog/notes").exists()
    assert (out / "blog/my-post/notes.md").read_text().startswith("---\ntitle: still")


def test_a_single_file_post_named_index_stays_a_post(make_site):
    site = make_site({"posts/index.md": "---\ntitle: Top\ndate: 2024-01-01\n---\nx\n"})
    build_site(BuildOptions(site_dir=site))
    assert (site / "_site/blog/index/index.html").is_file()


def test_the_readme_example_of_a_bundle_builds(make_site, tmp_path: Path):
    site = make_site({"posts/2024-06-01-attention/index.md": "---\ntitle: Attention\n---\n"
                                                             "![Heads](heads.png \"Attention heads\")\n",
                      "posts/2024-06-01-attention/heads.png": png(10, 10),
                      "posts/2024-06-01-attention/heads.dark.png": png(10, 10)})
    result = build_site(BuildOptions(site_dir=site))
    page = (site / "_site/blog/attention/index.html").read_text()
    assert "<figure>" in page and 'media="(prefers-color-scheme: dark)"' in page
    assert not result.warnings
