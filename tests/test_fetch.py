"""The fetch stage end to end: `mlfolio build` and `mlfolio fetch` against the loopback fake API.

Cards in the HTML, escaping of API text, fallback warnings, --strict, --offline, the TTL, the snapshot."""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from fakeapi import fake_api, make_competition, make_repo, remote_env  # noqa: F401  (fixtures)
from mlfolio.cli import main
from mlfolio.config import load_config
from mlfolio.errors import Problems
from mlfolio.fetch import fetch_sources, fingerprint, run_fetch
from mlfolio.projects import SourceStatus, SourceView

REPO = Path(__file__).resolve().parents[1]
GH_TOKEN = "ghp_NEVER_PRINT_ME_123"
KG_TOKEN = "KGAT_never_print_me_456"

CONFIG = """
    title: Test Site
    url: https://ada.github.io
    github:
      user: {user}
      featured: [repo-001]
    kaggle:
      user: ada-ml
    fetch:
      timeout: 0.5
"""


@pytest.fixture
def api(fake_api, remote_env):
    repos = [make_repo("ada-ml", i) for i in range(6)]
    repos[2]["description"] = '<script>alert("pwned")</script> & more'
    repos[2]["homepage"] = "javascript:alert(1)"
    repos[5]["fork"] = True                                          # hidden: include_forks is false
    fake_api.add_github_user("ada-ml", repos=repos, followers=321)
    fake_api.add_kaggle_user("ada-ml", datasets=2, notebooks=2)
    fake_api.kaggle_entered = [make_competition(1, rank=37, teams=2000)]
    remote_env.setenv("MLFOLIO_GITHUB_API_URL", fake_api.url)
    remote_env.setenv("MLFOLIO_KAGGLE_API_URL", fake_api.url)
    remote_env.setenv("KAGGLE_API_TOKEN", KG_TOKEN)
    return fake_api


@pytest.fixture
def site(make_site):
    return make_site({"mlfolio.yml": CONFIG.format(user="ada-ml")})


def build(site: Path, *flags: str) -> int:
    return main(["build", str(site), "-o", str(site / "_site"), *flags])


def html(site: Path, rel: str = "projects/index.html") -> str:
    return (site / "_site" / rel).read_text(encoding="utf-8")


def all_output(site: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in (site / "_site").rglob("*") if p.is_file())


# --- build --------------------------------------------------------------------------------------------

def test_build_renders_repo_and_kaggle_cards(api, site, capsys):
    assert build(site) == 0
    page = html(site)
    assert page.count("card card-repo") == 5                         # 6 repos, one of them a fork
    assert "repo-001" in page and 'class="langbar"' in page          # the featured repo has a language bar
    assert "card card-dataset" in page and "card card-notebook" in page
    assert "Rank 37 / 2,000" in page and "Top 2%" in page
    assert "https://github.com/ada-ml/repo-003" in page
    assert "repo-001" in html(site, "index.html")                    # featured → home page
    err = capsys.readouterr().err
    assert "warning" not in err


def test_api_text_is_escaped_never_run(api, site):
    assert build(site) == 0
    out = all_output(site)
    assert '<script>alert("pwned")' not in out
    assert "&lt;script&gt;alert(" in html(site)
    assert "javascript:alert" not in out


def test_tokens_never_reach_output_snapshot_logs_or_terminal(api, site, remote_env, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    remote_env.setenv("GITHUB_TOKEN", GH_TOKEN)
    assert main(["fetch", str(site)]) == 0
    assert build(site) == 0
    api.github_token = "a-different-token"                          # now GitHub answers 401
    assert build(site) == 0
    captured = capsys.readouterr()
    assert "GITHUB_TOKEN" in captured.err                           # the 401 warning names the variable
    haystack = [captured.out, captured.err, caplog.text, all_output(site),
                (site / "data" / "remote.json").read_text()]
    haystack += [p.read_text(errors="replace") for p in (site / ".mlfolio-cache").rglob("*.json")]
    for text in haystack:
        assert GH_TOKEN not in text and KG_TOKEN not in text
    assert {r.header("Authorization") for r in api.requests if not r.path.startswith("/v1/")} == {
        f"Bearer {GH_TOKEN}"}


def test_second_build_sends_only_conditional_requests(api, site):
    assert build(site) == 0
    cold = [r.target for r in api.requests if r.method == "GET"]
    assert len(cold) == len(set(cold))                               # one request per URL per build
    api.clear()
    assert build(site) == 0
    warm = [r for r in api.requests if r.method == "GET"]
    assert sorted(r.target for r in warm) == sorted(cold)
    assert all(r.header("If-None-Match") for r in warm)


def test_fallback_warning_printed_and_strict_fails(api, site, capsys):
    assert build(site) == 0
    capsys.readouterr()
    api.fault("/users/ada-ml", "500")
    assert build(site) == 0
    err = capsys.readouterr().err
    assert ("warning: mlfolio.yml:4:9: GitHub data not refreshed: server error (500); using .mlfolio-cache data "
            "fetched just now") in err
    assert "repo-001" in html(site)                                    # last good data still shown
    assert "GitHub: server error (500)" in html(site)                  # and the page says it is stale
    assert build(site) == 0                                            # again: still reported
    assert "warning: mlfolio.yml:4:9: GitHub data not refreshed: server error (500)" in capsys.readouterr().err
    assert build(site, "--strict") == 1
    err = capsys.readouterr().err
    assert "error: mlfolio.yml:4:9: GitHub data not refreshed" in err


def test_unknown_github_user_is_an_error_with_position(api, make_site, capsys):
    site = make_site({"mlfolio.yml": CONFIG.format(user="ada-mll")})
    assert build(site) == 1
    err = capsys.readouterr().err
    assert "error: mlfolio.yml:4:9: GitHub user 'ada-mll' not found" in err
    assert not (site / "_site").exists()


def test_offline_build_makes_no_request(api, site):
    assert build(site) == 0
    api.clear()
    assert build(site, "--offline") == 0
    assert api.requests == []
    assert "repo-001" in html(site)


def test_offline_without_any_data_builds_with_a_warning(api, site, capsys):
    assert build(site, "--offline") == 0
    assert api.requests == []
    err = capsys.readouterr().err
    assert "no GitHub data: offline" in err and "no Kaggle data: offline" in err
    assert "Nothing here yet" in html(site)
    assert build(site, "--offline", "--strict") == 1


# --- mlfolio fetch and the snapshot -----------------------------------------------------------------

def test_fetch_writes_a_normalised_snapshot_that_offline_builds_use(api, site, capsys):
    assert main(["fetch", str(site)]) == 0
    out = capsys.readouterr().out
    assert "github  ada-ml: 6 repositories" in out and "kaggle  ada-ml: 2 datasets, 2 notebooks, 1 competitions" in out
    assert "requests (" in out and "Wrote data/remote.json" in out
    snap = site / "data" / "remote.json"
    data = json.loads(snap.read_text())
    assert data["format"] == 1 and set(data) == {"format", "github", "kaggle"}
    names = [r["name"] for r in data["github"]["repos"]]
    assert names == sorted(names)
    assert snap.read_text() == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert "languages" in next(r for r in data["github"]["repos"] if r["name"] == "repo-001")

    first = snap.read_text()
    assert main(["fetch", str(site)]) == 0                            # nothing changed: only fetched_at moves
    strip = lambda t: "\n".join(x for x in t.splitlines() if '"fetched_at"' not in x)  # noqa: E731
    assert strip(snap.read_text()) == strip(first)

    shutil.rmtree(site / ".mlfolio-cache")                            # a fresh CI checkout
    api.clear()
    capsys.readouterr()
    assert build(site, "--offline", "--strict") == 0
    assert api.requests == []
    assert "repo-001" in html(site) and "card card-dataset" in html(site)


def test_fetch_exit_code_and_messages_when_a_source_fails(api, site, capsys):
    api.fault("ListDatasets", "500")
    assert main(["fetch", str(site)]) == 1
    captured = capsys.readouterr()
    assert "warning: mlfolio.yml:7:9: Kaggle data not refreshed: server error (500)" in captured.err
    assert "(not refreshed: server error (500))" in captured.out
    data = json.loads((site / "data" / "remote.json").read_text())
    assert "github" in data and "kaggle" not in data                    # only what was fetched is written


def test_fetch_with_nothing_configured(make_site, capsys):
    site = make_site()
    assert main(["fetch", str(site)]) == 0
    assert "Nothing to fetch" in capsys.readouterr().out


def test_newest_of_cache_and_snapshot_wins(api, site):
    assert main(["fetch", str(site)]) == 0                            # cache and snapshot both written now
    snap = site / "data" / "remote.json"
    data = json.loads(snap.read_text())
    data["github"]["repos"] = [r for r in data["github"]["repos"] if r["name"] == "repo-001"]
    data["github"]["fetched_at"] = "2099-01-01T00:00:00Z"             # a newer snapshot (e.g. git pull)
    snap.write_text(json.dumps(data))
    loaded = load_config(site, Problems())
    views = fetch_sources(loaded.config, loaded.registry, site, marks=loaded.marks, problems=Problems(),
                          offline=True, use_ttl=False)
    assert [p.title for p in views["github"].section("repositories")] == ["repo-001"]


# --- serve's TTL, fingerprints, the example site -------------------------------------------------------

def test_inside_ttl_no_request_at_all(api, site):
    loaded = load_config(site, Problems())
    run_fetch(loaded.config, loaded.registry, site, offline=False, use_ttl=False)
    api.clear()
    run = run_fetch(loaded.config, loaded.registry, site, offline=False, use_ttl=True)
    assert api.requests == [] and run.stats.requests == 0
    assert len(run.views["github"].section("repositories")) == 5 and all(v.status.ok for v in run.views.values())
    loaded.config.fetch.ttl = 0
    run_fetch(loaded.config, loaded.registry, site, offline=False, use_ttl=True)
    assert all(r.header("If-None-Match") for r in api.requests if r.method == "GET")


def test_ttl_refetches_when_a_newly_featured_repo_lacks_languages(api, site):
    loaded = load_config(site, Problems())
    run_fetch(loaded.config, loaded.registry, site, offline=False, use_ttl=False)
    api.clear()
    loaded.config.section("github").featured = ["repo-001", "repo-003"]
    run = run_fetch(loaded.config, loaded.registry, site, offline=False, use_ttl=True)
    assert "/repos/ada-ml/repo-003/languages" in api.paths()
    assert run.views["github"].section("repositories")[1].languages


def test_fingerprint_ignores_fetch_times_but_not_staleness():
    import datetime as dt

    def views(ok, message="", when=None):
        return {"github": SourceView("github", "GitHub", "ada", SourceStatus("github", ok, message, when))}
    a = fingerprint(views(True, "", dt.datetime(2024, 1, 1)))
    b = fingerprint(views(True, "", dt.datetime(2024, 5, 1)))
    assert a == b
    c = fingerprint(views(False, "server error (500); showing data fetched 3 hours ago"))
    d = fingerprint(views(False, "server error (500); showing data fetched 4 hours ago"))
    assert c == d != a


def test_example_site_snapshot_builds_offline_with_cards(tmp_path, remote_env):
    site = tmp_path / "example"
    shutil.copytree(REPO / "example-site", site, ignore=shutil.ignore_patterns("_site", ".mlfolio-cache"))
    problems = Problems(root=site, strict=True)
    loaded = load_config(site, problems)
    views = fetch_sources(loaded.config, loaded.registry, site, marks=loaded.marks, problems=problems, offline=True,
                          use_ttl=False)
    assert problems.items == []
    repos = views["github"].section("repositories")
    assert [p.title for p in repos[:2]] == loaded.config.section("github").featured
    assert all(p.languages for p in repos[:2])
    kaggle = views["kaggle"]
    assert kaggle.section("datasets") and kaggle.section("notebooks") and kaggle.section("competitions")
    assert views["github"].total("stars") > 0 and views["github"].total("followers") > 0
    assert kaggle.total("votes") > 0
    text = (site / "data" / "remote.json").read_text()
    assert "token" not in text.lower().replace("tokenized", "").replace("tokenizer", "").replace("tokenization", "")


def test_fingerprint_ignores_when_the_data_was_fetched():
    def views(when):
        data = {"user": "ada", "fetched_at": when, "repos": [{"name": "x"}]}
        return {"github": SourceView("github", "GitHub", "ada", SourceStatus("github", True), data=data)}
    assert fingerprint(views("2024-01-01T00:00:00Z")) == fingerprint(views("2024-01-01T00:00:01Z"))
