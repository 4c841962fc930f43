"""Talks and teaching from profile.yml: pages by year, upcoming vs past by the build's date, the home page,
bad input at profile.yml:line."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from mlfolio.build import BuildOptions, build_site
from mlfolio.errors import MlfolioError

NEXT_YEAR = dt.date.today().year + 1
PROFILE = f"""name: Ada Lovelace-Ng
talks:
  - title: Small judges, honest scores
    date: {NEXT_YEAR}-03-02
    event: ML Seminar
    kind: Invited talk
    location: Edinburgh
    slides: /slides/judges.pdf
  - title: Calibration under shift
    date: 2025-06-10
    event: ICML Workshop <Vienna>
    video: https://example.org/v
    description: A *short* talk.
  - title: An older one
    date: 2023-01-15
teaching:
  - course: Machine Learning Practical
    start: 2023-09
    end: 2024-04
    role: Teaching assistant
    institution: University of Edinburgh
  - title: Probabilistic Modelling
    start: "2025"
    url: https://example.org/pm
"""


def test_talks_and_teaching_pages(make_site):
    site = make_site({"profile.yml": PROFILE, "static/slides/judges.pdf": b"%PDF"})
    result = build_site(BuildOptions(site))
    talks = (result.output / "talks/index.html").read_text("utf-8")
    assert re.findall(r'<h2 id="([^"]+)"', talks) == ["upcoming", "year-2025", "year-2023"]
    upcoming = talks[talks.index('id="upcoming"'):talks.index('id="year-2025"')]
    assert "Small judges" in upcoming and "talk-upcoming" in upcoming and 'href="/slides/judges.pdf"' in upcoming
    assert "ICML Workshop &lt;Vienna&gt;" in talks and "<em>short</em>" in talks
    teaching = (result.output / "teaching/index.html").read_text("utf-8")
    assert re.findall(r'<h2 id="([^"]+)"', teaching) == ["year-2025", "year-2023"]
    assert "Teaching assistant, University of Edinburgh · 2023-09 – 2024-04" in teaching
    assert '<a href="https://example.org/pm">Probabilistic Modelling</a>' in teaching
    home = (result.output / "index.html").read_text("utf-8")
    assert "Upcoming talks" in home and "Small judges" in home and "An older one" not in home
    menu = re.findall(r'<a href="/([a-z]*)/"[^>]*>(Talks|Teaching|Blog)</a>', home)
    assert [t for _, t in menu][:3] == ["Talks", "Teaching", "Blog"]


def test_without_upcoming_talks_the_home_page_shows_the_latest(make_site):
    profile = PROFILE.replace(f"{NEXT_YEAR}-03-02", "2024-03-02")
    result = build_site(BuildOptions(make_site({"profile.yml": profile, "static/slides/judges.pdf": b"%PDF"})))
    home = (result.output / "index.html").read_text("utf-8")
    assert "Recent talks" in home and "Calibration under shift" in home


def test_no_talks_no_pages(make_site):
    result = build_site(BuildOptions(make_site()))
    assert not (result.output / "talks").exists() and not (result.output / "teaching").exists()


@pytest.mark.parametrize("bad, line, words", [
    ("    slides: javascript:alert(1)\n", 8, "slides"),
    ("    date: soon\n", 8, "date"),
])
def test_bad_talk_fields_are_errors_at_their_line(make_site, bad, line, words):
    profile = PROFILE.replace("    slides: /slides/judges.pdf\n", bad)
    with pytest.raises(MlfolioError) as exc:
        build_site(BuildOptions(make_site({"profile.yml": profile})))
    assert any(p.path == "profile.yml" and p.line == line and words in p.message for p in exc.value.problems)
