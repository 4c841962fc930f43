"""`mlfolio init`: a new site folder that builds as it is, to edit rather than to write from nothing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import MlfolioError, Problem
from .paths import CONFIG


def _files(today: dt.date) -> dict[str, str]:
    return {
        "mlfolio.yml": """\
# Site settings: every key is described in mlfolio's README ("mlfolio.yml").
title: My ML portfolio
url: https://your-name.github.io        # with the sub-path if any: https://your-name.github.io/portfolio
description: Machine-learning projects, notes and write-ups.
language: en
posts_per_page: 10

# Project cards from your GitHub repositories, Kaggle work and Hugging Face models, datasets and Spaces
# (run `mlfolio fetch` to refresh):
# github:
#   user: your-github-handle
#   featured: [your-best-repo]
# kaggle:
#   user: your-kaggle-handle
# huggingface:
#   user: your-hf-handle
""",
        "profile.yml": """\
# About you: shown on the home and about pages. Markdown works in bio and descriptions.
name: Your Name
headline: Machine-learning engineer
location: Somewhere on Earth
email: you@example.com
bio: |
  I build and evaluate machine-learning systems. Edit `profile.yml` to tell your own story.
links:
  github: your-github-handle
  linkedin: your-linkedin-handle
skills:
  Languages: [Python, SQL]
  ML: [PyTorch, scikit-learn]
experience:                  # also the CV at /cv/ (see README, "CV and résumé")
  - role: ML Engineer
    organisation: Example Labs
    start: "2022"
    description: Trained and shipped models.
    highlights:
      - One line per achievement, with a number when you have one.
education:
  - degree: MSc Computer Science
    organisation: Example University
    start: "2020"
    end: "2022"
projects:
  - title: My first project
    description: What it does, in one sentence.
    url: https://github.com/
    tags: [python]
    featured: true
""",
        f"posts/{today.isoformat()}-hello-world.md": """\
---
title: Hello, world
tags: [meta]
summary: The first post of this site.
---
This is a sample post. Write posts in Markdown under `posts/`; the file name's date is the post date.

## Code and math

```python
import numpy as np
print(np.mean([1, 2, 3]))
```

Inline math like $e^{i\\pi} + 1 = 0$, and display math:

$$
\\mathcal{L}(\\theta) = -\\sum_{i=1}^{n} \\log p_\\theta(y_i \\mid x_i)
$$

| model | accuracy |
|-------|---------:|
| baseline | 0.71 |
| ours | 0.83 |
""",
        "pages/now.md": """\
---
title: Now
menu: 50
---
A standalone page: what you are working on now. Your CV is made from `profile.yml` at /cv/.
""",
        "static/.gitkeep": "",
        ".gitignore": "_site/\n.mlfolio-cache/\n",
    }


def init_site(target: Path, force: bool = False, academic: bool = False, theme: str = "default") -> Path:
    if target.exists() and not target.is_dir():
        raise MlfolioError(Problem(str(target), None, None, "exists and is not a folder",
                                   "choose a new folder name"))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise MlfolioError(Problem(str(target), None, None, "folder is not empty",
                                   "choose a new folder, or pass --force to add the sample files anyway"))
    files = _files(dt.date.today())
    if academic:
        from .research.scaffold import academic_files
        files = academic_files(files, dt.date.today())
    if theme != "default":
        files[CONFIG] = files[CONFIG].replace("\nlanguage: en\n", f"\nlanguage: en\ntheme: {theme}\n", 1)
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target
