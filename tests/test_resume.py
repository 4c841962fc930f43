"""resume.py: resume.json is valid against the JSON Resume schema (vendored in tests/jsonresume/, checked with
jsonschema and its format checker) for the example site and for a messy profile, and can be turned off."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mlfolio.build import BuildOptions, build_site

SCHEMA = json.loads((Path(__file__).parent / "jsonresume/schema.json").read_text("utf-8"))


def validate(resume: dict) -> None:
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(resume)


def build(site: Path, base_url: str | None = None) -> Path:
    out = site / "_site"
    build_site(BuildOptions(site_dir=site, output=out, offline=True, quiet=True, base_url=base_url))
    return out


def test_example_site_resume_is_valid_json_resume(example_site):
    resume = json.loads((build(example_site, "https://ada.example/sub") / "resume.json").read_text("utf-8"))
    validate(resume)
    assert resume["basics"]["name"] == "Ada Lovelace-Ng" and resume["basics"]["url"] == "https://ada.example/sub/"
    assert resume["basics"]["image"] == "https://ada.example/sub/img/avatar.svg"
    assert {"network": "GitHub", "username": "lovelace-ml", "url": "https://github.com/lovelace-ml"} in \
        resume["basics"]["profiles"]
    work = resume["work"][0]
    assert work["name"] == "Quillfeather Labs" and work["startDate"] == "2024-03" and "endDate" not in work
    assert "(1.5B and 7B)" in work["highlights"][0]
    assert resume["education"][0]["studyType"] == "MSc" and resume["education"][0]["area"] == "Artificial Intelligence"
    assert resume["awards"][0]["awarder"] == "Kaggle" and resume["languages"][0] == {"language": "English",
                                                                                     "fluency": "Native"}
    assert resume["volunteer"][0]["position"] == "Reviewer"
    assert resume["meta"]["canonical"] == "https://ada.example/sub/resume.json"


def test_messy_profile_still_gives_a_valid_resume(make_site):
    site = make_site({"profile.yml": """
        name: "Zoë <script>alert(1)</script>"
        links:
          github: "@zoe"
          mastodon: https://mastodon.example/@zoe
          email: zoe@example.org
        experience:
          - {role: R, organisation: "O & Co", start: 2021-3, end: present}
          - {role: R2, organisation: O2, start: sometime, end: "2019-13"}
          - {role: R3, organisation: O3, start: 2020-01-05}
        education:
          - {degree: Autodidact, organisation: Library}
        certifications:
          - {name: C, date: "2023"}
        projects:
          - {title: P, url: posts/2024-05-01-hello.md, date: 2024-05-01}
    """})
    resume = json.loads((build(site) / "resume.json").read_text("utf-8"))
    validate(resume)
    assert resume["basics"]["name"] == "Zoë <script>alert(1)</script>"        # JSON, not HTML: kept as text
    assert [w.get("startDate") for w in resume["work"]] == ["2021-03", None, "2020-01-05"]
    assert [w.get("endDate") for w in resume["work"]] == [None, None, None]
    assert {"network": "GitHub", "username": "zoe", "url": "https://github.com/zoe"} in resume["basics"]["profiles"]
    assert all(p["network"] != "Email" for p in resume["basics"]["profiles"])
    assert resume["education"] == [{"institution": "Library", "studyType": "Autodidact"}]
    assert resume["projects"][0]["url"] == "https://ada.github.io/blog/hello/"


@pytest.mark.parametrize("setting, exists", [("true", True), ("false", False)])
def test_resume_json_can_be_turned_off(make_site, setting, exists):
    site = make_site({"mlfolio.yml": f"title: T\nurl: https://a.example\ncv:\n  resume_json: {setting}\n"})
    assert (build(site) / "resume.json").exists() is exists
