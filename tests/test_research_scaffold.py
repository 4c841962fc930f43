"""`mlfolio init --academic`: a research site that builds with --strict as it is."""
from __future__ import annotations

from mlfolio.cli import main


def test_init_academic_builds_strict_with_publications_and_a_citing_post(tmp_path, capsys):
    target = tmp_path / "lab"
    assert main(["init", str(target), "--academic"]) == 0
    assert "publications:" in (target / "mlfolio.yml").read_text("utf-8")
    assert main(["build", str(target), "--strict", "--offline"]) == 0
    out = target / "_site"
    listing = (out / "publications/index.html").read_text("utf-8")
    assert listing.count('class="pub"') == 3 and "<strong>Your Name</strong>" in listing
    assert "<strong>Y. Name</strong>" in listing                 # my_names
    post = next((out / "blog").glob("citing-papers/index.html")).read_text("utf-8")
    assert 'href="#ref-name2025example"' in post and '<section class="references"' in post
    assert "Selected publications" in (out / "index.html").read_text("utf-8")


def test_plain_init_has_no_publications(tmp_path, capsys):
    target = tmp_path / "plain"
    assert main(["init", str(target)]) == 0
    assert not (target / "publications.bib").exists()
    assert "publications:" not in (target / "mlfolio.yml").read_text("utf-8")
