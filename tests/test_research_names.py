"""BibTeX names ('First von Last', 'von Last, Jr, First'), al-folio marks, and the owner's name."""
from __future__ import annotations

import pytest

from mlfolio.research.names import Owner, parse_name, split_names


def test_split_names_respects_braces_and_others():
    names, others = split_names("Smith, J. and {Barnes and Noble} and\n  Doe, Jane AND others")
    assert names == ["Smith, J.", "{Barnes and Noble}", "Doe, Jane"]
    assert others
    assert split_names("Anderson, A.") == (["Anderson, A."], False)     # 'and' inside a word is no separator


@pytest.mark.parametrize("raw, first, von, last, jr", [
    ("Ada Lovelace", "Ada", "", "Lovelace", ""),
    ("Lovelace-Ng, Ada B.", "Ada B.", "", "Lovelace-Ng", ""),
    ("Pieter van der Berg", "Pieter", "van der", "Berg", ""),
    ("van der Berg, Pieter", "Pieter", "van der", "Berg", ""),
    ("King, Jr, Martin Luther", "Martin Luther", "", "King", "Jr"),
    (r"M{\"u}ller, J{\"o}rg", "Jörg", "", "Müller", ""),
    (r"{\'E}mile Fran\c{c}ois", "Émile", "", "François", ""),
    (r"Nguy\~{\^e}n, Th\d{i}", "Thị", "", "Nguyễn", ""),
    ("{Google DeepMind}", "", "", "Google DeepMind", ""),
    ("Ludwig {van Beethoven}", "Ludwig", "", "van Beethoven", ""),
])
def test_parse_name(raw, first, von, last, jr):
    n = parse_name(raw)
    assert (n.first, n.von, n.last, n.jr) == (first, von, last, jr)


def test_al_folio_marks_are_taken_off_the_name():
    assert parse_name("Einstein*, Albert").marks == ["*"]
    assert parse_name("Lovelace, Ada*").last == "Lovelace"
    n = parse_name("∗Pang, Ce†")
    assert (n.last, n.first, n.marks) == ("Pang", "Ce", ["∗", "†"])


def test_owner_matches_initials_and_aliases():
    owner = Owner.of(["Ada Bea Lovelace-Ng", "Ada Lovelace"])
    for written in ("Ada Lovelace-Ng", "A. Lovelace-Ng", "Lovelace-Ng, A. B.", "Lovelace-Ng, Ada*", "A. B. Lovelace",
                    "lovelace-ng, ada", "Lovelace Ng, Ada", "Lovelace-Ng"):
        assert owner.matches(parse_name(written)), written
    for other in ("Alan Lovelace-Ng", "B. Lovelace", "Ada Byron", "Ada Lovelace-Ngo"):
        assert not owner.matches(parse_name(other)), other


def test_owner_accents_fold():
    assert Owner.of(["Jörg Müller"]).matches(parse_name(r"M{\"u}ller, J."))
    assert Owner.of(["Jorg Muller"]).matches(parse_name(r"M{\"u}ller, J{\"o}rg"))
