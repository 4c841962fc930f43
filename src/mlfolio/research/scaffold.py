"""`mlfolio init --academic`: what a research site adds to the starter site, a .bib and a post citing it."""
from __future__ import annotations

import datetime as dt

CONFIG = """
# Publications from publications.bib (README, "Publications"): the page, selected papers on the home page,
# [@key] citations in posts. Uncomment `citations` to show citation counts from OpenAlex.
publications:
  my_names: [Y. Name]
  citation_style: numbered
  # citations: openalex
"""

BIB = r"""% Your papers, in BibTeX. Export them from Google Scholar, Zotero or your old al-folio site: al-folio's
% fields (abbr, selected, pdf, code, preview, award …) work as they are. Edit or replace these samples.

@string{neurips = {Advances in Neural Information Processing Systems}}

@inproceedings{name2025example,
  title     = {An Example Paper on {$k$}-Shot Calibration},
  author    = {Name, Your* and Coauthor, Ada* and M{\"u}ller, J{\"o}rg},
  booktitle = neurips,
  year      = {2025},
  abbr      = {NeurIPS},
  selected  = {true},
  code      = {https://github.com/},
  abstract  = {One or two sentences of the abstract. It opens under the entry, and math such as
               $\mathcal{O}(n \log n)$ is typeset.},
}

@article{coauthor2024journal,
  title   = {A Journal Article},
  author  = {Coauthor, Ada and Name, Y.},
  journal = {Journal of Machine Learning Research},
  volume  = {25},
  pages   = {1--30},
  year    = {2024},
  doi     = {10.5555/example.2024},
}

@misc{name2023preprint,
  title         = {A Preprint on {arXiv}},
  author        = {Name, Your},
  year          = {2023},
  eprint        = {2301.00001},
  archivePrefix = {arXiv},
}
"""

POST = """---
title: Citing your papers
tags: [meta]
summary: How a post cites entries of publications.bib.
---
Cite a paper with its BibTeX key [@name2025example], or several, with pages
[see @coauthor2024journal, pp. 3--4; @name2023preprint]. A References section is added at the end.
"""


def academic_files(files: dict[str, str], today: dt.date) -> dict[str, str]:
    """The starter site's files with the research additions: mlfolio.yml's `publications:`, the .bib, a post."""
    return {**files, "mlfolio.yml": files["mlfolio.yml"] + CONFIG, "publications.bib": BIB,
            f"posts/{today.isoformat()}-citing-papers.md": POST}


__all__ = ["academic_files"]
