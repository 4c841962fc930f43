"""Publications, talks and teaching on the CV: their sections in order, and tailored CVs selecting them by a
.bib entry's `keywords` and a talk's or course's `tags`."""
from __future__ import annotations

from mlfolio.build import BuildOptions, build_site

BIB = r"""
@inproceedings{small2025, title = {Small Judges, Honest Scores}, author = {Lovelace-Ng, Ada and Okafor, Chinedu},
  booktitle = {NeurIPS}, year = {2025}, keywords = {llm; evaluation}}
@article{tab2023, title = {Leaderboard Overfitting in Tabular Benchmarks}, author = {Lovelace-Ng, Ada},
  journal = {DMLR}, year = {2023}, keywords = {tabular}}
"""
PROFILE = """
name: Ada Lovelace-Ng
experience:
  - role: ML engineer
    organisation: Quillfeather
    start: 2024-03
    tags: [llm]
talks:
  - title: Calibrating judges
    date: 2025-06-01
    event: PyData
    tags: [llm]
  - title: Boosted trees in production
    date: 2024-02-01
    event: Meetup
teaching:
  - title: Machine learning
    start: 2023-09
    role: Teaching assistant
    organisation: University of Caledonia
"""


def test_research_sections_on_the_cv_and_in_a_variant(make_site):
    site = make_site({"publications.bib": BIB, "profile.yml": PROFILE,
                      "mlfolio.yml": "title: T\nurl: https://a.github.io\ncv:\n  variants:\n    llm:\n"
                                     "      include_tags: [llm]\n      keep_untagged: false\n"})
    build_site(BuildOptions(site_dir=site, strict=True))
    cv = (site / "_site/cv/index.html").read_text()
    order = [cv.index(f'id="cv-{s}"') for s in ("experience", "publications", "talks", "teaching")]
    assert order == sorted(order)
    assert "Small Judges, Honest Scores" in cv and "Leaderboard Overfitting" in cv and "Ada Lovelace-Ng, Chinedu Okafor" in cv
    assert "Boosted trees in production" in cv and "Teaching assistant, University of Caledonia" in cv
    llm = (site / "_site/cv/llm/index.html").read_text()
    assert "Small Judges" in llm and "Calibrating judges" in llm and "ML engineer" in llm
    assert "Leaderboard Overfitting" not in llm and "Boosted trees" not in llm and 'id="cv-teaching"' not in llm
