"""End to end: example-site builds offline and every internal link and asset resolves, at the domain root
and under a GitHub Pages project sub-path; the feed and sitemap parse; the draft stays out."""
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from mlfolio.cli import main

LINK_ATTRS = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"),
              ("meta", "content")}


class Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for t, a in LINK_ATTRS:
            if tag == t and attrs.get(a):
                if tag == "meta" and not (attrs.get("property", "") in ("og:url", "og:image")):
                    continue
                self.refs.append(attrs[a])
        if tag == "link" and attrs.get("rel") == "canonical":
            self.refs.append(attrs["href"])


def parse(path: Path) -> Refs:
    p = Refs()
    p.feed(path.read_text("utf-8"))
    return p


def check_links(out: Path, site_url: str) -> int:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    base = urlsplit(site_url).path.rstrip("/") + "/"
    pages = {p: parse(p) for p in out.rglob("*.html")}
    broken, checked = [], 0
    for page, refs in pages.items():
        for ref in refs.refs:
            if ref.startswith(("mailto:", "data:", "#")) and not ref.startswith("#"):
                continue
            if ref.startswith(("http://", "https://")):
                if not ref.startswith(origin + base):
                    continue
                ref = ref[len(origin):]
            if ref.startswith("#"):
                if unquote(ref[1:]) and unquote(ref[1:]) not in refs.ids:
                    broken.append(f"{page.relative_to(out)}: fragment {ref}")
                continue
            parts = urlsplit(ref)
            path = unquote(parts.path)
            if not path.startswith("/"):
                broken.append(f"{page.relative_to(out)}: relative link {ref} (breaks under sub-paths)")
                continue
            if not path.startswith(base):
                broken.append(f"{page.relative_to(out)}: {ref} is outside the base path {base}")
                continue
            target = out / path[len(base):]
            if path.endswith("/") or target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(out)}: {ref} → missing {target.relative_to(out)}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(out)}: {ref} → no id '{parts.fragment}'")
    assert broken == [], "\n".join(broken)
    return checked


@pytest.mark.parametrize("url", ["https://lovelace-ml.github.io", "https://lovelace-ml.github.io/portfolio"])
def test_every_internal_link_resolves(example_site, url, capsys):
    out = example_site / "_site"
    assert main(["build", str(example_site), "--offline", "--base-url", url]) == 0
    checked = check_links(out, url)
    assert checked > 200
    base = urlsplit(url).path
    html = (out / "index.html").read_text()
    assert f'href="{base}/assets/style.css' in html or f'href="{base}/assets/style.css"' in html


def test_feed_sitemap_drafts_and_jsonld(example_site, capsys):
    assert main(["build", str(example_site), "--offline"]) == 0
    out = example_site / "_site"
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) >= 6
    sitemap = ET.fromstring((out / "sitemap.xml").read_bytes())
    assert len(list(sitemap)) > 10
    drafts = [p for p in (example_site / "posts").glob("*.md") if re.search(r"^draft:\s*true", p.read_text(), re.M)]
    assert len(drafts) == 1
    text = "\n".join(p.read_text() for p in out.rglob("*.html"))
    draft_title = re.search(r"^title:\s*(.+)$", drafts[0].read_text(), re.M).group(1).strip().strip("\"'")
    assert draft_title not in text
    for page in out.rglob("*.html"):
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(), re.S):
            json.loads(block)
    assert main(["build", str(example_site), "--offline", "--drafts", "-o", str(example_site / "with-drafts")]) == 0
    assert draft_title in "\n".join(p.read_text() for p in (example_site / "with-drafts").rglob("*.html"))


def test_example_site_builds_without_warnings_offline(example_site, capsys):
    assert main(["build", str(example_site), "--offline", "--strict"]) == 0
    err = capsys.readouterr().err
    assert "warning" not in err and "error" not in err
