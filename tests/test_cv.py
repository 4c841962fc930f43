"""cv.py: /cv/ from a messy profile (missing dates, 'present', unicode, hostile text), tailored variants (filtered,
ordered by relevance, noindex), a hand-written pages/cv.md winning, sections added by a plugin, sub-path links,
the print stylesheet in a real Chromium, and `mlfolio cv --pdf` printing the example site."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import CHROMIUM
from mlfolio.build import BuildOptions, build_site
from mlfolio.cli import main
from mlfolio.cv import iso_date, sort_date, when
from mlfolio.errors import MlfolioError

PROFILE = """
    name: Zoë Ñúñez-O'Brien
    headline: ML engineer <b>bold</b>
    location: Zürich
    email: zoe@example.org
    links:
      github: zoe
    skills:
      Languages: [Python, "<script>alert(1)</script>"]
      Frameworks: [PyTorch]
    experience:
      - role: Staff engineer <script>alert('role')</script>
        organisation: "Ünïcode & Co"
        start: 2023-02
        end: present
        location: Remote
        url: https://unicode.example
        description: Builds **things**. See [my post](/blog/hello/).
        highlights:
          - Cut latency by *40%*
          - "Shipped `v2`"
        tags: [llm, infra]
      - role: Data scientist
        organisation: Old Corp
        start: "2019"
        end: "2022"
        tags: [tabular]
      - role: Intern
        organisation: No Dates Ltd
      - role: Research assistant
        organisation: LLM Lab
        start: 2018-01
        end: sometime in 2018
        tags: [llm, nlp]
    education:
      - degree: MSc Data Science
        organisation: Universität Bern
        start: "2016"
        end: "2018"
    awards:
      - title: Best paper
        awarder: NeurIPS workshop
        date: 2021-12
        tags: [nlp]
    certifications:
      - name: Cloud ML
        issuer: Some Cloud
    languages:
      - language: Deutsch
        fluency: C2
    service:
      - role: Reviewer
        organisation: ACL
        start: "2022"
        tags: [nlp]
"""


def build(site: Path, **kw) -> Path:
    out = site / "_site"
    build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True, **kw))
    return out


def sections(html: str) -> list[str]:
    return re.findall(r'<h2 id="cv-([a-z]+)">', html)


def titles(html: str, section: str) -> list[str]:
    block = html.split(f'id="cv-{section}"', 1)[1].split("</section>", 1)[0]
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r'<h3 class="cv-item-title">(.*?)</h3>', block, re.S)]


def test_dates_are_shown_as_written_or_as_month_and_year():
    assert when("2021-03", "") == "Mar 2021 – Present"
    assert when("2021-03", "PRESENT") == "Mar 2021 – Present"
    assert when("2019", "2022") == "2019 – 2022"
    assert when("", "") == "" and when("", "2020") == "2020"
    assert when("2021-13", "later") == "2021-13 – later"
    assert when("2024-11", "", single=True) == "Nov 2024"
    assert sort_date("2021-03", "") == "9999-12" and sort_date("2019", "2022") == "2022-00"
    assert sort_date("", "") == "" and sort_date("x", "y") == ""
    assert [iso_date(v) for v in ("2021", "2021-3", "2021-03-04", "present", "2021-13", "")] == \
        ["2021", "2021-03", "2021-03-04", "", "", ""]


def test_cv_page_from_a_messy_profile(make_site):
    site = make_site({"profile.yml": PROFILE,
                      "posts/2024-05-01-hello.md": "---\ntitle: Hello\n---\nHi.\n"})
    html = (build(site) / "cv/index.html").read_text("utf-8")
    assert sections(html) == ["experience", "education", "awards", "certifications", "service", "skills",
                              "languages"]                         # no projects: the section is left out
    assert "<script>alert" not in html                           # plain-text fields are text, not HTML
    assert "&lt;script&gt;alert(&#39;role&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html       # a skill is text
    assert "Zoë Ñúñez-O&#39;Brien" in html and "Ünïcode &amp; Co" in html
    assert "Feb 2023 – Present" in html and "2019 – 2022" in html and "Jan 2018 – sometime in 2018" in html
    assert "Cut latency by <em>40%</em>" in html and "<code>v2</code>" in html
    assert 'href="https://ada.github.io/blog/hello/"' in html     # absolute: the PDF links the public site
    assert '<meta name="robots"' not in html and "Download PDF" not in html
    assert 'href="/assets/cv.css"' in html and "size: A4" in html
    assert titles(html, "experience")[2] == "Intern"                # order as written
    sitemap = (site / "_site/sitemap.xml").read_text()
    assert "https://ada.github.io/cv/" in sitemap


def test_variants_filter_and_order_by_relevance_and_stay_out_of_search(make_site):
    site = make_site({"profile.yml": PROFILE, "mlfolio.yml": """
        title: T
        url: https://ada.github.io
        cv:
          paper: Letter
          variants:
            nlp:
              include_tags: [NLP, llm]
              headline: NLP engineer & more
            tabular:
              include_tags: [tabular]
              keep_untagged: false
              index: true
    """})
    out = build(site)
    nlp = (out / "cv/nlp/index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex">' in nlp and "NLP engineer &amp; more" in nlp
    # two matching tags first (newest first among equals), then one; untagged entries stay, in their order
    assert [t.split(" ")[0] for t in titles(nlp, "experience")] == ["Research", "Staff", "Intern"]
    assert "Old Corp" not in nlp and "size: letter" in nlp
    assert sections(nlp) == ["experience", "education", "awards", "certifications", "service", "skills",
                             "languages"]
    tabular = (out / "cv/tabular/index.html").read_text("utf-8")
    assert sections(tabular) == ["experience"] and titles(tabular, "experience") == ["Data scientist"]
    assert '<meta name="robots"' not in tabular
    locs = [e.text for e in ET.parse(out / "sitemap.xml").getroot().iter() if e.tag.endswith("loc")]
    assert "https://ada.github.io/cv/tabular/" in locs and "https://ada.github.io/cv/nlp/" not in locs


def test_relevance_puts_more_matching_tags_first(make_site):
    site = make_site({"profile.yml": """
        name: A
        experience:
          - {role: One, organisation: O, start: "2024", tags: [a]}
          - {role: Two, organisation: O, start: "2010", end: "2012", tags: [a, b]}
          - {role: Three, organisation: O, start: "2015", end: "2016", tags: [b]}
          - {role: Untagged, organisation: O, start: "2001"}
    """, "mlfolio.yml": "title: T\nurl: https://a.example\ncv:\n  variants:\n    ab: {include_tags: [a, b]}\n"})
    html = (build(site) / "cv/ab/index.html").read_text("utf-8")
    assert titles(html, "experience") == ["Two", "One", "Three", "Untagged"]


@pytest.mark.parametrize("config, message", [
    ("cv:\n  variants:\n    NLP stuff: {include_tags: [nlp]}\n", "mlfolio.yml:5:5: 'cv.variants.NLP stuff'"),
    ("cv:\n  variants:\n    nlp: {headline: x}\n", "mlfolio.yml:5:5: 'cv.variants.nlp' selects nothing"),
    ("cv:\n  variants:\n    nlp: {include_tag: [x]}\n", "mlfolio.yml:5:11: unknown key 'cv.variants.nlp.include_tag'"),
    ("cv:\n  paper: A5\n", "mlfolio.yml:4:10: 'cv.paper' must be one of A4, Letter"),
    ("cv:\n  pdf: sometimes\n", "mlfolio.yml:4:8: 'cv.pdf' must be true or false"),
])
def test_bad_cv_settings_are_errors_at_their_line(make_site, config, message, capsys):
    site = make_site({"mlfolio.yml": "title: T\nurl: https://a.example\n" + config})
    assert main(["build", str(site), "-q"]) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("profile, message", [
    ("awards:\n  - title: X\n    year: 2020\n", "profile.yml:4:5: unknown key 'awards[0].year'"),
    ("languages:\n  - fluency: C1\n", "profile.yml:3:5: missing required key 'languages[0].language'"),
    ("service:\n  - role: R\n    organisation: O\n    url: javascript:alert(1)\n",
     "profile.yml:5:10: 'service[0].url' must be a web address"),
    ("experience:\n  - role: R\n    organisation: O\n    highlights: {a: b}\n",
     "profile.yml:5:17: 'experience[0].highlights' must be a list"),
])
def test_bad_profile_cv_sections_are_errors_at_their_line(make_site, profile, message, capsys):
    site = make_site({"profile.yml": "name: A\n" + profile})
    assert main(["build", str(site), "-q"]) == 1
    assert message in capsys.readouterr().err


def test_a_hand_written_cv_page_wins(make_site):
    site = make_site({"profile.yml": PROFILE, "pages/cv.md": "---\ntitle: My CV\nmenu: 5\n---\nHand-written.\n",
                      "mlfolio.yml": "title: T\nurl: https://a.example\ncv:\n  variants:\n    nlp: {include_tags: [nlp]}\n"})
    out = build(site)
    page = (out / "cv/index.html").read_text("utf-8")
    assert "Hand-written." in page and "cv-section" not in page
    assert "cv-section" in (out / "cv/nlp/index.html").read_text("utf-8")
    nav = page.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert nav.count('href="/cv/"') == 1 and "My CV" in nav


def test_sub_path_pdf_link_and_static_pdf(make_site):
    site = make_site({"profile.yml": PROFILE,
                      "mlfolio.yml": "title: T\nurl: https://ada.github.io/sub\ncv:\n  variants:\n    nlp: {include_tags: [nlp]}\n",
                      "static/cv.pdf": b"%PDF-1.4 mine"})
    out = build(site)
    html = (out / "cv/index.html").read_text("utf-8")
    assert 'href="/sub/cv.pdf"' in html and 'href="/sub/assets/cv.css"' in html
    assert 'href="https://ada.github.io/sub/blog/hello/"' in html
    assert "Download PDF" not in (out / "cv/nlp/index.html").read_text("utf-8")     # no cv-nlp.pdf
    build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True, cv_pdf=True))
    assert 'href="/sub/cv-nlp.pdf"' in (out / "cv/nlp/index.html").read_text("utf-8")


PLUGIN = '''
from mlfolio.cv import CvItem, CvSection
from mlfolio.plugins import Plugin


def talks(site):
    return [CvSection("talks", "Talks", [CvItem(title="On <b>LLMs</b>", when="2025", tags=["llm"]),
                                         CvItem(title="On trees", when="2020", tags=["tabular"])], order=50)]


def broken(site):
    raise ValueError("no talks file")


plugin = Plugin(name="talks", cv_sections=[talks] + ([broken] if "BROKEN" in __file__ else []))
'''


def test_a_plugin_adds_a_section_that_variants_filter(make_site, capsys):
    config = "title: T\nurl: https://a.example\nplugins: [plugins/talks.py]\ncv:\n  variants:\n    llm: {include_tags: [llm]}\n"
    site = make_site({"profile.yml": PROFILE, "mlfolio.yml": config, "plugins/talks.py": PLUGIN})
    out = build(site)
    full = (out / "cv/index.html").read_text("utf-8")
    assert sections(full).index("talks") == sections(full).index("awards") - 1
    assert "On &lt;b&gt;LLMs&lt;/b&gt;" in full and "On trees" in full
    assert "On trees" not in (out / "cv/llm/index.html").read_text("utf-8")

    broken = make_site({"profile.yml": PROFILE, "plugins/BROKEN.py": PLUGIN,
                        "mlfolio.yml": config.replace("talks.py", "BROKEN.py")}, name="broken")
    assert main(["build", str(broken), "-q"]) == 1
    assert "CV section provider broken failed: ValueError: no talks file" in capsys.readouterr().err


def test_print_stylesheet_hides_the_site_and_is_black_on_white_in_dark_mode(browser, make_site):
    import functools
    import http.server
    import threading

    out = build(make_site({"profile.yml": PROFILE}))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = browser.new_context(color_scheme="dark")
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/cv/")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
        page.emulate_media(media="print")
        style = "(s) => getComputedStyle(document.querySelector(s))"
        assert page.evaluate(f"({style})('body').backgroundColor") == "rgb(255, 255, 255)"
        assert page.evaluate(f"({style})('body').color") == "rgb(0, 0, 0)"
        for hidden in (".site-header", ".site-footer", ".theme-toggle"):
            assert page.evaluate(f"({style})('{hidden}').display") == "none", hidden
        assert page.evaluate(f"({style})('.cv-item').breakInside") == "avoid"
        assert page.evaluate(f"({style})('.cv-print-url').display") == "block"
        context.close()
    finally:
        server.shutdown()
        server.server_close()


def pdf_text(path: Path) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.timeout(300)
def test_mlfolio_cv_pdf_prints_the_example_site_under_a_sub_path(example_site, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MLFOLIO_CHROMIUM", CHROMIUM)
    out = tmp_path / "out"
    assert main(["cv", str(example_site), "--pdf", "--offline", "--strict", "--output-dir", str(out),
                 "--base-url", "https://ada.example/portfolio"]) == 0
    assert "cv.pdf" in capsys.readouterr().out
    pages, text = pdf_text(out / "cv.pdf")
    assert 1 <= pages <= 2, pages
    flat = " ".join(text.split())
    assert "Ada Lovelace-Ng" in flat and "Quillfeather Labs" in flat and "Northwind Rail Data" in flat
    assert "Skip to content" not in flat and "Download PDF" not in flat and "Built with" not in flat
    assert "quillfeather.example" in flat                              # link addresses are written out
    pages, text = pdf_text(out / "cv-llm.pdf")
    flat = " ".join(text.split())
    assert 1 <= pages <= 2 and "language models" in flat and "Northwind" not in flat
    html = (out / "cv/index.html").read_text("utf-8")
    assert 'href="/portfolio/cv.pdf"' in html and "Download PDF" in html
    assert 'href="/portfolio/cv-llm.pdf"' in (out / "cv/llm/index.html").read_text("utf-8")

    target = tmp_path / "mine" / "resume.pdf"
    assert main(["cv", str(example_site), "--pdf", "--offline", "-o", str(target), "--output-dir",
                 str(tmp_path / "out2")]) == 0
    assert target.read_bytes()[:5] == b"%PDF-" and (tmp_path / "mine/resume-llm.pdf").is_file()
    assert "Download PDF" not in (tmp_path / "out2/cv/index.html").read_text("utf-8")


def test_mlfolio_cv_without_a_browser_says_so(make_site, monkeypatch, capsys):
    site = make_site()
    monkeypatch.setenv("MLFOLIO_CHROMIUM", "/nowhere/chrome")
    assert main(["cv", str(site), "--pdf"]) == 1
    assert "'/nowhere/chrome' is not an executable browser" in capsys.readouterr().err
    monkeypatch.delenv("MLFOLIO_CHROMIUM")
    monkeypatch.setenv("PATH", str(site))
    assert main(["cv", str(site), "--pdf"]) == 1
    err = capsys.readouterr().err
    assert "no Chromium or Chrome found" in err and "Print → Save as PDF" in err
    assert not (site / "_site").exists()                     # nothing built for nothing
    with pytest.raises(SystemExit) as exc:
        main(["cv", str(site)])
    assert exc.value.code == 2


def test_a_browser_that_fails_is_one_clear_problem(make_site, tmp_path, monkeypatch, capsys):
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("MLFOLIO_CHROMIUM", str(fake))
    site = make_site()
    assert main(["cv", str(site), "--pdf"]) == 1
    err = capsys.readouterr().err
    assert "the browser could not print" in err and "(exit 3): cannot open display" in err
    assert not list((site / "_site").glob("*.pdf*"))


def test_cv_of_an_empty_profile_still_builds(make_site):
    html = (build(make_site({"profile.yml": "name: Solo\n"})) / "cv/index.html").read_text("utf-8")
    assert "Solo" in html and sections(html) == []
    with pytest.raises(MlfolioError):
        build_site(BuildOptions(site_dir=make_site({"profile.yml": "name: A\nawards: oops\n"}, name="b"),
                                offline=True, quiet=True))


def test_the_pages_workflow_prints_the_cv_after_the_build(make_site):
    import yaml

    from mlfolio.deploy import write_workflow

    steps = yaml.safe_load(write_workflow(make_site()).read_text())["jobs"]["build"]["steps"]
    run = next(s for s in steps if "mlfolio build" in s.get("run", ""))["run"].splitlines()
    build, cv = (next(i for i, line in enumerate(run) if line.startswith(cmd)) for cmd in ("mlfolio build", "mlfolio cv"))
    manifest = next(i for i, line in enumerate(run) if line.startswith("rm -f"))
    assert build < cv < manifest and "--pdf --offline" in run[cv] and '--output-dir "$RUNNER_TEMP/site"' in run[cv]
