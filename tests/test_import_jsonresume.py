"""import_jsonresume.py: `mlfolio import jsonresume` writes a profile.yml that builds, keeps what maps, lists
every field that does not with file:line:col, round-trips the resume.json mlfolio writes, and turns a file that is
not JSON, or not the schema, into file:line:col errors without writing anything."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mlfolio.build import BuildOptions, build_site
from mlfolio.cli import main
from mlfolio.import_jsonresume import import_resume

SAMPLE = Path(__file__).parent / "jsonresume/sample.resume.json"


def test_sample_resume_becomes_a_profile_that_builds(make_site, capsys):
    site = make_site()
    (site / "profile.yml").unlink()
    assert main(["import", "jsonresume", str(SAMPLE), str(site)]) == 0
    out, err = capsys.readouterr()
    assert "1 experience" in out and "2 skills" in out
    profile = yaml.safe_load((site / "profile.yml").read_text("utf-8"))
    assert profile["name"] == "Richard Hendriks" and profile["headline"] == "Programmer"
    assert profile["location"] == "San Francisco, California, US"
    assert profile["experience"][0]["role"] == "CEO/President" and len(profile["experience"][0]["highlights"]) == 3
    assert profile["education"][0]["degree"] == "Bachelor Information Technology"
    assert profile["service"][0]["organisation"] == "CoderDojo"
    assert profile["links"]["website"] == "http://richardhendricks.example.com"
    assert "“length-limited”" in profile["bio"]                    # unicode kept as it is
    for field in ("basics.phone", "publications[0].name", "skills[0].level", "interests[0].name",
                  "references[0].name", "projects[0].roles"):
        assert f": {field}\n" in err, field
    assert f"{SAMPLE}:8:14: basics.phone" in err
    out = site / "_site"
    build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True, strict=True))
    assert "Pied Piper" in (out / "cv/index.html").read_text("utf-8")


def test_round_trip_of_the_resume_mlfolio_writes(example_site, tmp_path):
    out = tmp_path / "out"
    build_site(BuildOptions(site_dir=example_site, output=out, offline=True, quiet=True))
    result = import_resume(out / "resume.json")
    original = yaml.safe_load((example_site / "profile.yml").read_text("utf-8"))
    imported = result.profile
    assert imported["name"] == original["name"] and imported["bio"].strip() == original["bio"].strip()
    assert [e["role"] for e in imported["experience"]] == [e["role"] for e in original["experience"]]
    assert imported["experience"][0]["highlights"] == original["experience"][0]["highlights"]
    assert imported["skills"] == original["skills"]
    assert [a["title"] for a in imported["awards"]] == [a["title"] for a in original["awards"]]
    assert [lang["language"] for lang in imported["languages"]] == ["English", "French", "Scottish Gaelic"]
    assert imported["links"]["github"] == "https://github.com/lovelace-ml"
    assert [u.path for u in result.unmapped] == []


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "resume.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize("text, message", [
    ('{"basics": {"name": "A",}}', ":1:25: not valid JSON: Expecting property name enclosed in double quotes"),
    ("", ":1:1: not valid JSON: Expecting value"),
    ("<html>oops</html>", ":1:1: not valid JSON"),
    ('["a", "b"]', ":1:1: not a JSON Resume: the file holds a list, not an object"),
    ('{\n  "work": [\n    {"name": "X", "startDate": "March 2020"}\n  ]\n}',
     ":3:32: 'work[0].startDate' must be a date like 2021, 2021-03 or 2021-03-14"),
    ('{"skills": "lots"}', ":1:12: 'skills' must be a list, got the text \"lots\""),
    ('{"basics": {"name": 42, "profiles": [{"url": ["x"]}]}}', ":1:21: 'basics.name' must be text, got 42"),
    ('{"basics": {"profiles": [{"url": ["x"]}]}}', ":1:34: 'basics.profiles[0].url' must be text, got a list"),
    ('{"work": [{"highlights": [1, "ok"]}]}', ":1:27: 'work[0].highlights[0]' must be text"),
    (b'{"basics": {"name": "\xff"}}', ":1:22: file is not UTF-8 text"),
    ("[" * 100_000 + "]" * 100_000, "not a JSON Resume: nested too deeply"),
])
def test_bad_json_resume_is_an_error_at_its_position(tmp_path, capsys, text, message):
    path = write(tmp_path, text)
    site = tmp_path / "site"
    assert main(["import", "jsonresume", str(path), str(site)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (site / "profile.yml").exists()


def test_a_missing_file_says_so(tmp_path, capsys):
    assert main(["import", "jsonresume", str(tmp_path / "nothere.json"), str(tmp_path)]) == 1
    assert "nothere.json: no such file — give the path of the JSON Resume" in capsys.readouterr().err


def test_existing_profile_is_kept_without_force(make_site, tmp_path, capsys):
    site = make_site()
    before = (site / "profile.yml").read_text()
    path = write(tmp_path, json.dumps({"basics": {"name": "New <b>Name</b>: \"quoted\" # not a comment"}}))
    assert main(["import", "jsonresume", str(path), str(site)]) == 1
    assert "already exists: not replaced" in capsys.readouterr().err
    assert (site / "profile.yml").read_text() == before
    assert main(["import", "jsonresume", str(path), str(site), "--force"]) == 0
    assert yaml.safe_load((site / "profile.yml").read_text())["name"] == 'New <b>Name</b>: "quoted" # not a comment'
    other = tmp_path / "elsewhere/profile.yml"
    assert main(["import", "jsonresume", str(path), "-o", str(other)]) == 0 and other.is_file()


def test_entries_missing_what_profile_yml_requires_are_reported(tmp_path, capsys):
    path = write(tmp_path, json.dumps({"work": [{"name": "Org only"}, {"position": "P", "name": "N"}],
                                       "education": [{"area": "Maths"}], "extra": {"x": 1}}, indent=1))
    result = import_resume(path)
    assert result.profile["name"] == "Your Name" and [e["role"] for e in result.profile["experience"]] == ["P"]
    assert [u.path for u in result.unmapped] == ["work[0].name", "education[0].area", "extra.x"]
    assert all(u.line for u in result.unmapped)


def test_import_needs_a_kind(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["import"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "SOURCE_DIR TARGET_DIR | jsonresume FILE [SITE_DIR]" in err
