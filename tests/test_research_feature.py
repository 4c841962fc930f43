"""Publications in a real build: the page, warnings at file:line, --strict, mlfolio.yml's section, the menu and
home page, hostile fields, and rebuilds after the .bib is edited."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from mlfolio.build import BuildOptions, Builder, build_site
from mlfolio.errors import MlfolioError

MESSY = Path(__file__).parent / "research" / "messy.bib"


def site_with_bib(make_site, bib: str | None = None, **files):
    site = make_site({
        "profile.yml": "name: Ada Lovelace-Ng\n",
        "static/assets/pdf/sparse.pdf": b"%PDF-1.4\n",
        "static/assets/img/publication_preview/sparse.png": b"\x89PNG\r\n\x1a\n",
        **files,
    })
    if bib is None:
        shutil.copy(MESSY, site / "publications.bib")
    elif bib:
        (site / "publications.bib").write_text(bib, "utf-8")
    return site


def build(site, **kw):
    return build_site(BuildOptions(site, **kw))


def page(result, rel="publications/index.html") -> str:
    return (result.output / rel).read_text("utf-8")


def test_the_messy_bib_builds_with_a_warning_at_each_bad_line(make_site):
    site = site_with_bib(make_site)
    result = build(site)
    warnings = {(w.path, w.line): w.message for w in result.warnings}
    bib = MESSY.read_text("utf-8").splitlines()
    for (path, line), message in warnings.items():
        assert path == "publications.bib", (path, message)
        key = re.search(r"'([^']+)'", message).group(1)
        entry = next(i for i in range(line - 1, -1, -1) if bib[i].startswith("@"))
        assert key in bib[entry] or key in bib[line - 1], (line, message)
    messages = " | ".join(warnings.values())
    for part in ("broken2022", "naturemi", "used twice", "not a DOI", "javascript:alert(1)"):
        assert part in messages
    html = page(result)
    assert html.count('class="pub"') == 7
    assert "An entry whose" not in html and "A Duplicate Key" not in html and "Proceedings of the Workshop on" \
        "Small Data</h3>" not in html


def test_strict_makes_the_warnings_errors_and_writes_nothing(make_site):
    site = site_with_bib(make_site)
    with pytest.raises(MlfolioError) as exc:
        build(site, strict=True)
    assert any(p.path == "publications.bib" and p.line == 52 and "broken2022" in p.message
               for p in exc.value.problems)
    assert not (site / "_site").exists()


def test_entries_show_what_their_fields_hold(make_site):
    result = build(site_with_bib(make_site))
    html = page(result)
    sparse = html[html.index('id="lovelace2024sparse"'):html.index('id="huge2024benchmark"')]
    assert '<span class="pub-abbr">NeurIPS</span>' in sparse
    assert "<math" in sparse and "Transformers" in sparse and "<em>" not in sparse.split("pub-title")[1][:30]
    assert '<strong>Ada Lovelace-Ng</strong><sup title="Equal contribution">*</sup>' in sparse
    assert "Jörg Müller" in sparse and "Émile François" in sparse and "Pieter van der Berg" in sparse
    assert "Nguyễn" in sparse
    assert "Advances in Neural Information Processing Systems 37" in sparse and "pp. 1021–1034" in sparse
    assert 'href="/assets/pdf/sparse.pdf"' in sparse
    assert 'src="/assets/img/publication_preview/sparse.png"' in sparse
    assert 'href="https://arxiv.org/abs/2405.01234"' in sparse and 'href="https://github.com/ada/sparse"' in sparse
    assert "<summary>Oral</summary>" in sparse and "top 1%" in sparse
    assert "<summary class=\"pub-button\">Abstract</summary>" in sparse and "memory—the first" in sparse
    bibtex = sparse[sparse.index("<pre><code>"):sparse.index("</code></pre>")]
    for private in ("pdf =", "selected", "abbr", "preview", "award", "abstract", "bibtex_show"):
        assert private not in bibtex
    assert "@inproceedings{lovelace2024sparse," in bibtex and "month = dec," in bibtex
    kernels = html[html.index('id="lovelace2023kernels"'):]
    assert 'href="https://doi.org/10.5555/3648699.3648816"' in kernels and "Kernels &amp; Margins" in kernels
    assert "“Wide”" in kernels and "Jan Škoda" in kernels and "vol. 24, no. 117, pp. 1–45" in kernels
    preprint = html[html.index('id="lovelace2025preprint"'):]
    assert "arXiv preprint arXiv:2501.00042" in preprint and "et al." in preprint[:preprint.index("</li>")]


def test_long_author_lists_fold_behind_more(make_site):
    html = page(build(site_with_bib(make_site)))
    huge = html[html.index('id="huge2024benchmark"'):]
    huge = huge[:huge.index("</li>")]
    assert '<summary>+19 more</summary>' in huge
    shown = huge[:huge.index("pub-more")]
    assert len(re.findall(r'class="pub-author[ "]', shown)) == 10
    assert "<strong>A. Lovelace-Ng</strong>" in shown              # initials form of profile.name


def test_years_newest_first_and_groups_by_type(make_site):
    html = page(build(site_with_bib(make_site)))
    years = re.findall(r'<h2 id="year-(\w+)"', html)
    assert years == ["2025", "2024", "2023", "2022", "2021"]
    site = site_with_bib(make_site, **{"mlfolio.yml": "title: T\nurl: https://ada.github.io\n"
                                                      "publications:\n  group_by: type\n"})
    html = page(build(site))
    groups = re.findall(r'<h2 id="type-[\w-]+" class="pub-group-title">([^<]+)</h2>', html)
    assert groups == ["Journal articles", "Conference papers", "Theses", "Preprints"]


def test_download_json_ld_menu_and_home(make_site):
    result = build(site_with_bib(make_site))
    bib = page(result, "publications/publications.bib")
    assert bib.count("\n@") == 6 and bib.startswith("@misc{lovelace2025preprint,")
    assert "pdf =" not in bib and "keywords" not in bib and "file =" not in bib
    html = page(result)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    article = next(a for a in data["@graph"] if a["name"].startswith("Sparse"))
    assert article["@type"] == "ScholarlyArticle" and article["datePublished"] == "2024-12"
    assert article["author"][0]["name"] == "Ada Lovelace-Ng" and "https://arxiv.org/abs/2405.01234" in article["sameAs"]
    menu = re.findall(r'<a href="(/[a-z]*/?)"[^>]*>(About|Projects|Publications|Blog)</a>', html)
    assert menu[:4] == [("/about/", "About"), ("/projects/", "Projects"), ("/publications/", "Publications"),
                        ("/blog/", "Blog")]
    home = page(result, "index.html")
    assert "Selected publications" in home and 'id="huge2024benchmark"' in home and "assets/publications.css" in home
    assert 'id="lovelace2023kernels"' not in home


def test_a_site_without_a_bib_has_no_page_and_no_menu_entry(make_site):
    result = build(make_site())
    assert not (result.output / "publications").exists()
    assert "Publications" not in page(result, "index.html")


def test_files_from_mlfolio_yml_and_a_missing_one(make_site):
    site = site_with_bib(make_site, "", **{
        "mlfolio.yml": "title: T\nurl: https://ada.github.io\npublications:\n  files:\n    - data/papers.bib\n"
                       "    - missing.bib\n",
        "data/papers.bib": "@article{a1, title={From Data}, year=2020, author={Lovelace-Ng, Ada}}\n"})
    with pytest.raises(MlfolioError) as exc:
        build(site)
    problem = next(p for p in exc.value.problems if "missing.bib" in p.message)
    assert (problem.path, problem.line) == ("mlfolio.yml", 6)
    (site / "mlfolio.yml").write_text("title: T\nurl: https://ada.github.io\npublications:\n  files: "
                                      "[data/papers.bib]\n  my_names: [A. L. Ng]\n  group_by: month\n")
    with pytest.raises(MlfolioError) as exc:
        build(site)
    assert any(p.path == "mlfolio.yml" and p.line == 6 and "group_by" in p.message for p in exc.value.problems)
    (site / "mlfolio.yml").write_text("title: T\nurl: https://ada.github.io\npublications:\n  files: "
                                      "[data/papers.bib]\n  title: Papers\n")
    result = build(site)
    assert "From Data" in page(result) and '>Papers</a>' in page(result)


def test_hostile_fields_are_escaped_or_dropped(make_site):
    bib = r"""@article{evil, title = {<script>alert(1)</script> $x</math><script>alert(2)</script>$},
  author = {<img src=x onerror=alert(3)> and Lovelace-Ng, Ada},
  abstract = {<iframe src="javascript:alert(4)"></iframe> \emph{<b>bold</b>}},
  url = {javascript:alert(5)}, pdf = {data:text/html,<script>alert(6)</script>},
  code = {https://x.org/"><script>alert(7)</script>}, website = {//evil.example/}, year = 2024,
  abbr = {<b>X</b>}, note = {"><script>alert(8)</script>}}
"""
    result = build(site_with_bib(make_site, bib))
    html = page(result)
    entry = html[html.index('id="evil"'):html.index("</li>", html.index('id="evil"'))]
    assert "<script" not in entry and "<iframe" not in entry and "<img src=x" not in entry and "<b>" not in entry
    assert not re.search(r'(href|src)="(javascript|data|//)', entry) and "evil.example" not in entry.split("<pre>")[0]
    assert "&lt;script&gt;" in entry
    messages = " | ".join(w.message for w in result.warnings)
    assert "javascript:alert(5)" in messages and "data:text/html" in messages and "//evil.example/" in messages


def test_editing_the_bib_rebuilds_its_pages_in_serve_and_in_the_next_build(make_site):
    site = site_with_bib(make_site)
    builder = Builder(BuildOptions(site))
    builder.build()
    bib = site / "publications.bib"
    bib.write_text(bib.read_text("utf-8").replace("Scaling Laws for Tiny Models", "Scaling Laws for Small Models")
                   .replace("{braces never close,", "braces now close},"), "utf-8")
    result = builder.rebuild({bib})
    assert "publications/index.html" in result.changed and "publications/publications.bib" in result.changed
    assert "Small Models" in page(result) and not any("broken2022" in w.message for w in result.warnings)
    bib.write_text(bib.read_text("utf-8").replace("Small Models", "Medium Models"), "utf-8")
    result = build(site)
    assert "Medium Models" in page(result) and result.written >= 1
    bib.write_text(bib.read_text("utf-8").replace("selected  = {true},", ""), "utf-8")
    home = page(build(site), "index.html")
    assert 'id="lovelace2024sparse"' not in home and 'id="huge2024benchmark"' in home


def test_under_a_sub_path_every_link_keeps_it(make_site):
    site = site_with_bib(make_site, **{"mlfolio.yml": "title: T\nurl: https://ada.github.io/portfolio\n"})
    result = build(site)
    bad = []
    for rel in ("publications/index.html", "index.html"):
        for ref in re.findall(r'(?:href|src)="(/[^"]*)"', page(result, rel)):
            if not ref.startswith("/portfolio/"):
                bad.append(f"{rel}: {ref}")
    assert not bad
    assert 'href="/portfolio/assets/pdf/sparse.pdf"' in page(result)


def test_my_names_adds_spellings(make_site):
    site = site_with_bib(make_site, **{"mlfolio.yml": "title: T\nurl: https://ada.github.io\npublications:\n"
                                                      "  my_names: [Ada Lovelace]\n"})
    html = page(build(site))
    thesis = html[html.index('id="lovelace2021thesis"'):]
    assert "<strong>Ada B. Lovelace</strong>" in thesis[:thesis.index("</li>")]
    kernels = html[html.index('id="lovelace2023kernels"'):]
    assert "<strong>Ada Lovelace</strong>" in kernels[:kernels.index("</li>")]


def test_a_page_per_paper_with_google_scholar_tags(make_site):
    site = site_with_bib(make_site, **{"mlfolio.yml": "title: T\nurl: https://ada.github.io\npublications:\n"
                                                      "  pages: true\n"})
    result = build(site)
    html = page(result, "publications/lovelace2024sparse/index.html")
    meta = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html)
    assert meta[0] == ("citation_title", "Sparse Attention Is Not All You Need: O(n log n) Transformers")
    assert [v for k, v in meta if k == "citation_author"][:2] == ["Ada Lovelace-Ng", "Jörg Müller"]
    assert ("citation_publication_date", "2024/12") in meta and ("citation_firstpage", "1021") in meta
    assert ("citation_conference_title", "Advances in Neural Information Processing Systems 37") in meta
    assert ("citation_pdf_url", "https://ada.github.io/assets/pdf/sparse.pdf") in meta
    assert '<h1 class="pub-title">' in html and "<details class=\"pub-panel\" open>" in html
    assert json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))[
        "@type"] == "ScholarlyArticle"
    kernels = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">',
                         page(result, "publications/lovelace2023kernels/index.html"))
    assert ("citation_journal_title", "Journal of Machine Learning Research") in kernels
    assert ("citation_doi", "10.5555/3648699.3648816") in kernels and ("citation_volume", "24") in kernels
    thesis = page(result, "publications/lovelace2021thesis/index.html")
    assert '<meta name="citation_dissertation_institution" content="Université de Montréal">' in thesis
    listing = page(result)
    assert '<a href="/publications/lovelace2024sparse/">' in listing
    assert "https://ada.github.io/publications/lovelace2024sparse/" in page(result, "sitemap.xml")
    assert not (build(make_site(name="plain")).output / "publications").exists()


def test_hostile_titles_stay_escaped_in_meta_tags(make_site):
    bib = '@article{evil, title = {"><script>alert(1)</script>}, author = {"><b>x</b>}, year = 2024}\n'
    site = site_with_bib(make_site, bib, **{"mlfolio.yml": "title: T\nurl: https://ada.github.io\npublications:\n"
                                                           "  pages: true\n"})
    html = page(build(site), "publications/evil/index.html")
    assert "<script>alert" not in html and "<b>x" not in html
    assert '<meta name="citation_title" content="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">' in html


def test_a_hand_written_publications_page_keeps_working_without_a_bib(make_site):
    site = make_site({"pages/publications.md": "---\ntitle: My papers\nmenu: 3\n---\nListed by hand.\n"})
    result = build(site)
    assert "Listed by hand." in page(result)
    (site / "publications.bib").write_text("@article{a, title={T}, year=2020}\n", "utf-8")
    with pytest.raises(MlfolioError) as exc:
        build(site)
    assert any("'publications/index.html' would be written twice" in p.message for p in exc.value.problems)
