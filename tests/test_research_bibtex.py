"""Reading .bib files as they are found on academic sites: macros, crossref, comments, broken entries."""
from __future__ import annotations

from pathlib import Path

from mlfolio.research.bibtex import parse, to_bibtex

MESSY = (Path(__file__).parent / "research" / "messy.bib").read_text("utf-8")


def entries(text: str = MESSY):
    parsed = parse(text)
    return parsed, {e.key: e for e in parsed.entries}


def test_every_good_entry_is_read_with_its_line_despite_the_broken_one():
    parsed, by_key = entries()
    assert list(by_key) == ["lovelace2024sparse", "lovelace2023kernels", "lovelace2025preprint",
                            "huge2024benchmark", "child2022", "ws2022", "lovelace2021thesis", "lovelace2021typo"]
    lines = MESSY.splitlines()
    for e in parsed.entries:
        assert lines[e.line - 1].lstrip().lower().startswith("@"), e.key
        assert e.key in lines[e.line - 1]


def test_problems_name_the_key_at_their_line():
    parsed, _ = entries()
    problems = {line: message for line, message, hint in parsed.problems}
    lines = MESSY.splitlines()
    broken = next(line for line, m in problems.items() if "broken2022" in m)
    assert "broken2022" in lines[broken - 1] and "braces" in problems[broken]
    typo = next(line for line, m in problems.items() if "naturemi" in m)
    assert "naturemi" in lines[typo - 1] and "lovelace2021typo" in problems[typo]
    dup = next(line for line, m in problems.items() if "used twice" in m)
    assert lines[dup - 1].startswith("@article{lovelace2024sparse") and "first at line 11" in problems[dup]
    assert len(parsed.problems) == 3
    assert all(hint for _, _, hint in parsed.problems)


def test_string_macros_concatenation_and_months():
    _, by_key = entries()
    sparse, kernels, huge = by_key["lovelace2024sparse"], by_key["lovelace2023kernels"], by_key["huge2024benchmark"]
    assert sparse.fields["booktitle"] == "Advances in Neural Information Processing Systems 37"
    assert sparse.fields["month"] == "December" and sparse.fields["year"] == "2024"
    assert kernels.fields["journal"] == "Journal of Machine Learning Research"       # @String( … ) form
    assert huge.fields["booktitle"] == "International Conference on Machine Learning"
    assert kernels.fields["volume"] == "24" and kernels.fields["month"] == "jul"       # quoted: as written
    assert by_key["lovelace2021typo"].fields["journal"] == ""


def test_comments_and_preamble_are_not_entries():
    parsed, by_key = entries()
    assert "fake" not in by_key and all(e.type != "comment" for e in parsed.entries)


def test_crossref_fills_missing_fields_and_hides_the_container():
    parsed, by_key = entries()
    child = by_key["child2022"]
    assert child.fields["booktitle"] == "Proceedings of the Workshop on Small Data"
    assert child.fields["year"] == "2022" and child.fields["publisher"] == "PMLR"
    assert child.fields["pages"] == "5--9"                       # its own fields win
    assert set(child.inherited) >= {"booktitle", "year", "publisher"}
    assert parsed.containers == {"ws2022"}


def test_crossref_to_a_missing_entry_is_a_problem():
    parsed = parse("@inproceedings{a, title={T}, crossref={nowhere}, year=2020}\n")
    assert parsed.entries[0].key == "a"
    assert any("crossref 'nowhere'" in m for _, m, _ in parsed.problems)


def test_unknown_type_missing_key_and_repeated_field():
    parsed = parse("@webpage{w1, title={A}, title={B}, year=2020}\n@article{, title={No key}}\n")
    assert parsed.entries[0].type == "misc" and parsed.entries[0].fields["title"] == "A"
    messages = " | ".join(m for _, m, _ in parsed.problems)
    assert "unknown entry type '@webpage'" in messages and "given twice" in messages and "has no key" in messages


def test_an_unterminated_last_entry_is_reported():
    parsed = parse("@article{ok, title={Fine}, year=2020}\n\n@article{cut, title={Cut off\n")
    assert [e.key for e in parsed.entries] == ["ok"]
    assert parsed.problems and parsed.problems[0][0] == 3 and "cut" in parsed.problems[0][1]


def test_clean_bibtex_drops_private_fields_and_marks_and_stands_alone():
    _, by_key = entries()
    text = to_bibtex(by_key["lovelace2024sparse"], frozenset({"pdf", "selected", "abbr", "preview"}))
    assert text.startswith("@inproceedings{lovelace2024sparse,")
    assert "pdf" not in text and "selected" not in text and "abbr" not in text
    assert "Lovelace-Ng, Ada and M{\\\"u}ller, J{\\\"o}rg and" in text          # '*' marks gone, LaTeX kept
    assert "month = dec," in text and "booktitle = {Advances in Neural" in text
    child = to_bibtex(by_key["child2022"])
    assert "crossref" not in child and "publisher = {PMLR}" in child
    assert parse(child).entries[0].fields["booktitle"] == "Proceedings of the Workshop on Small Data"


def test_five_hundred_entries_parse_without_problems():
    """Every entry of a long file is read (speed is not asserted: tests do not time things)."""
    import re
    good = MESSY.split("@inproceedings{broken2022")[0]
    text = "\n".join(re.sub(r"(@(?!string)\w+\{\s*)", rf"\g<1>k{i}", good, flags=re.I) for i in range(167))
    parsed = parse(text)
    assert len(parsed.entries) == 501 and not parsed.problems
