"""The new site is gathered in memory and written at once; names never collide; notebooks get front matter."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from mlfolio.errors import MlfolioError
from mlfolio.importers.output import NewSite, check_target, document, notebook_with_front_matter


def test_names_are_made_unique_and_written(tmp_path):
    site = NewSite(config={"title": "T"}, profile={"bio": "Line 1\nLine 2", "name": "Ada"})
    assert site.add_text("posts/2020-01-01-a.md", "one") == "posts/2020-01-01-a.md"
    assert site.add_text("posts/2020-01-01-a.md", "two") == "posts/2020-01-01-a-2.md"
    assert site.reserve("posts/b/index.md") == "posts/b/index.md"
    assert site.reserve("posts/b/index.md") == "posts/b-2/index.md"
    site.write(tmp_path / "new", force=False)
    assert (tmp_path / "new/profile.yml").read_text() == "name: Ada\nbio: |-\n  Line 1\n  Line 2\n"
    assert (tmp_path / "new/posts/2020-01-01-a-2.md").read_text() == "two"
    with pytest.raises(MlfolioError, match="folder is not empty"):
        check_target(tmp_path / "new", force=False)
    (tmp_path / "file").write_text("x")
    with pytest.raises(MlfolioError, match="exists and is not a folder"):
        check_target(tmp_path / "file", force=True)


def test_document_collapses_blank_runs_outside_fences():
    assert document({"title": "A: b"}, "\n\nx\n\n\n\ny\n```\n\n\n\n```\n") == \
        "---\ntitle: 'A: b'\n---\nx\n\ny\n```\n\n\n\n```\n"


def test_notebook_front_matter():
    nb = {"cells": [], "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    out = json.loads(notebook_with_front_matter(json.dumps(nb), "Plots", dt.date(2023, 7, 4)))
    assert out["metadata"]["mlfolio"] == {"title": "Plots", "date": "2023-07-04"}
    assert notebook_with_front_matter("{not json", "x", dt.date(2023, 1, 1)) is None
    assert notebook_with_front_matter("[1, 2]", "x", dt.date(2023, 1, 1)) is None
