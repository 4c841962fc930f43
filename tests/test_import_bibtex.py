"""BibTeX written from front matter: safe field text and unique keys."""
from __future__ import annotations

from mlfolio.importers.bibtex import cite_key, entry, field_text


def test_field_text_escapes_and_balances():
    assert field_text("Fast & <i>Furious</i> 100% #1") == "Fast \\& Furious 100\\% \\#1"
    assert field_text("{Balanced} braces") == "{Balanced} braces"
    assert field_text("un}balanced{") == "unbalanced"
    assert field_text("&quot;Quoted&quot; already \\& escaped") == '"Quoted" already \\& escaped'


def test_cite_keys_are_ascii_and_unique():
    used: set[str] = set()
    assert cite_key(["Gödel, Kurt"], "1931", "Über formal unentscheidbare Sätze", used) == "godel1931uber"
    assert cite_key(["Kurt Gödel"], "1931", "Über formal", used) == "godel1931ubera"
    assert cite_key(["Kurt Gödel"], "1931", "Über formal", used) == "godel1931uberb"
    assert cite_key([], "", "", used) == "paper"


def test_entry_skips_empty_fields():
    assert entry("article", "k", {"title": "T", "doi": "", "pages": None, "year": "2020"}) == \
        "@article{k,\n  title = {T},\n  year = {2020},\n}\n"
