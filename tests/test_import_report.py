"""The migration report's exact format."""
from __future__ import annotations

from mlfolio.importers.report import Report


def test_report_text():
    report = Report("al-folio")
    report.count("posts", 2)
    report.count("images", 3)
    report.count("files")
    report.made_from("the publications page (/publications/) from publications.bib, in place of _pages/pubs.md")
    report.made_from("the publications page (/publications/) from publications.bib, in place of _pages/pubs.md")
    report.note("_posts/b.md", 9, "kramdown attribute list '{: .x}' removed", "style it in CSS")
    report.note("_posts/a.md", 12, "Liquid tag '{% x %}' removed", "write the result by hand")
    report.note("_posts/a.md", 3, "second on the line")
    report.note("_config.yml", None, "'giscus' not carried over", "enable comments later")
    report.note("_posts/b.md", 9, "kramdown attribute list '{: .x}' removed", "style it in CSS")
    report.build = ["posts/x.md:4: link to 'y.md': no such post or page — check the file name"]
    assert report.text("old", "new") == """\
Imported the al-folio site old into new:
  posts         2
  pages         0
  images        3
  publications  0
  news          0
  projects      0
  files         1
Made by mlfolio from the imported data:
  the publications page (/publications/) from publications.bib, in place of _pages/pubs.md
Not converted (4):
  _config.yml: 'giscus' not carried over — enable comments later
  _posts/a.md:3: second on the line
  _posts/a.md:12: Liquid tag '{% x %}' removed — write the result by hand
  _posts/b.md:9: kramdown attribute list '{: .x}' removed — style it in CSS
The imported site does not build with --strict yet (1 problem):
  posts/x.md:4: link to 'y.md': no such post or page — check the file name"""


def test_report_of_a_clean_import():
    report = Report("jekyll")
    report.count("posts")
    assert report.text("a", "b").splitlines()[-2:] == ["  projects      0",
                                                       "It builds with --strict. Next: mlfolio serve b"]
