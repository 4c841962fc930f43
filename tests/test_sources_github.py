"""GitHub: page walking, conditional requests, auth, filters and cards, errors and fallbacks."""
from __future__ import annotations

import logging
import time

import pytest

from fakeapi import fake_api, make_repo, remote_env  # noqa: F401  (fixtures)
from mlfolio.config import FetchSettings, SiteConfig
from mlfolio.errors import Problems
from mlfolio.fetch import fetch_sources, fingerprint, run_fetch
from mlfolio.plugins import core_registry
from mlfolio.remote.http import HttpClient
from mlfolio.sources.github import GitHubClient, GitHubSettings, language_shares, to_projects

MARKS = {"github.user": (3, 9), "github.featured": (4, 13)}
REGISTRY = core_registry()


def config(api_url: str, **gh) -> SiteConfig:
    settings = GitHubSettings(user=gh.pop("user", "ada-ml"), api_url=api_url, **gh)
    return SiteConfig(fetch=FetchSettings(ttl=600, timeout=0.5), sections={"github": settings})


def fetch(cfg, site, *, offline=False, use_ttl=False, strict=False):
    """The GitHub view of one fetch stage, and its problems."""
    problems = Problems(root=site, strict=strict)
    views = fetch_sources(cfg, REGISTRY, site, marks=MARKS, problems=problems, offline=offline, use_ttl=use_ttl)
    return views["github"], problems


@pytest.fixture
def site(tmp_path, remote_env):
    (tmp_path / "site").mkdir()
    return tmp_path / "site"


def test_300_repos_walks_all_three_pages_and_fetches_2_and_3_in_parallel(fake_api, site):
    fake_api.add_github_user("ada-ml", repos=300)
    fake_api.fault(r"/repos$", "slow", slow_seconds=0.4)        # every repos page answers in 0.4 s
    t0 = time.perf_counter()
    cfg = config(fake_api.url, limit=1000, include_forks=True, include_archived=True)
    cfg.fetch.timeout = 2
    run = run_fetch(cfg, REGISTRY, site, offline=False, use_ttl=False)
    elapsed = time.perf_counter() - t0
    assert len(run.outcomes["github"].data["repos"]) == 300
    pages = sorted(r.query.get("page", "1") for r in fake_api.requests if r.path.endswith("/repos"))
    assert pages == ["1", "2", "3"]
    assert all(r.query["per_page"] == "100" and r.query["type"] == "owner"
               for r in fake_api.requests if r.path.endswith("/repos"))
    assert elapsed < 0.4 * 3 - 0.05, f"pages 2 and 3 were not fetched concurrently ({elapsed:.2f} s)"
    assert len(run.views["github"].section("repositories")) == 300


def test_without_rel_last_pages_are_followed_one_by_one(fake_api, site):
    fake_api.add_github_user("ada-ml", repos=250)
    fake_api.link_last = False
    run = run_fetch(config(fake_api.url), REGISTRY, site, offline=False, use_ttl=False)
    assert len(run.outcomes["github"].data["repos"]) == 250
    assert sorted(r.query.get("page", "1") for r in fake_api.requests if r.path.endswith("/repos")) == ["1", "2", "3"]


def test_second_build_sends_only_conditional_requests_and_gets_304s(fake_api, site):
    fake_api.add_github_user("ada-ml", repos=120)
    cfg = config(fake_api.url, featured=["repo-001"])
    first, _ = fetch(cfg, site)
    cold = fake_api.paths()
    fake_api.clear()
    second, problems = fetch(cfg, site)
    assert sorted(fake_api.paths()) == sorted(cold)            # the same URLs, each once
    assert len(set(fake_api.paths())) == len(fake_api.paths())
    for r in fake_api.requests:
        assert r.header("If-None-Match"), r.target
    assert problems.items == []
    assert fingerprint({"github": second}) == fingerprint({"github": first})


def test_token_is_sent_only_when_set_and_never_stored(fake_api, site, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    fake_api.add_github_user("ada-ml", repos=2)
    fetch(config(fake_api.url), site)
    assert all(r.header("Authorization") is None for r in fake_api.requests)
    fake_api.clear()
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_TOPSECRET42")
    fetch(config(fake_api.url), site)
    assert fake_api.requests and all(r.header("Authorization") == "Bearer ghp_TOPSECRET42"
                                     for r in fake_api.requests)
    for f in (site / ".mlfolio-cache").rglob("*"):
        if f.is_file():
            assert "ghp_TOPSECRET42" not in f.read_text(errors="replace"), f
    assert "ghp_TOPSECRET42" not in caplog.text


def test_bad_token_falls_back_and_names_the_variable_not_the_token(fake_api, site, monkeypatch):
    fake_api.add_github_user("ada-ml", repos=3)
    fetch(config(fake_api.url), site)                         # a good fetch to fall back to
    fake_api.github_token = "the-right-one"
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_WRONG_TOKEN_99")
    remote, problems = fetch(config(fake_api.url), site)
    assert len(remote.section("repositories")) == 3
    (w,) = problems.warnings
    text = str(w)
    assert "GITHUB_TOKEN" in text and "401" in text and "ghp_WRONG_TOKEN_99" not in text
    assert (w.line, w.col) == (3, 9)
    assert remote.status.ok is False and "ghp_WRONG" not in remote.status.message


def test_unknown_user_is_an_error_at_the_config_line(fake_api, site):
    remote, problems = fetch(config(fake_api.url, user="ada-mll"), site)
    (e,) = problems.errors
    assert str(e) .startswith("mlfolio.yml:3:9: GitHub user 'ada-mll' not found")
    assert remote.section("repositories") == []


def test_primary_rate_limit_warns_with_reset_time_and_token_hint(fake_api, site):
    fake_api.add_github_user("ada-ml", repos=3)
    fetch(config(fake_api.url), site)
    fake_api.clear()
    fake_api.fault("/users/", "ratelimit", reset_in=1200)
    remote, problems = fetch(config(fake_api.url), site)
    (w,) = problems.warnings
    assert "rate limit exceeded" in w.message and "resets at" in w.message and "in 2" in w.message
    assert "GITHUB_TOKEN" in w.hint
    assert "using .mlfolio-cache data fetched just now" in w.message
    assert len(remote.section("repositories")) == 3
    assert len(fake_api.paths("GET")) <= 2                      # user + first page; nothing retried


def test_strict_turns_the_fallback_into_an_error(fake_api, site):
    fake_api.add_github_user("ada-ml", repos=3)
    fake_api.fault("/users/", "500")
    _, problems = fetch(config(fake_api.url), site, strict=True)
    assert len(problems.errors) == 1 and "server error (500)" in problems.errors[0].message


@pytest.mark.parametrize("kind", ["500", "slow", "truncated", "drop", "secondary", "401", "403"])
def test_every_fault_falls_back_to_the_last_good_data(fake_api, site, kind):
    fake_api.add_github_user("ada-ml", repos=3)
    good, _ = fetch(config(fake_api.url), site)
    fake_api.github_users["ada-ml"]["followers"] = 77          # new ETag: the server must send a body
    fake_api.fault("/users/ada-ml$", kind, slow_seconds=1.0, retry_after=3600)
    t0 = time.perf_counter()
    remote, problems = fetch(config(fake_api.url), site)
    assert time.perf_counter() - t0 < 3
    assert [p.title for p in remote.section("repositories")] == [p.title for p in good.section("repositories")]
    assert remote.total("followers") == 12                        # the old data, not half of the new
    (w,) = problems.warnings
    assert w.message.startswith("GitHub data not refreshed: ") and "fetched just now" in w.message


def test_no_data_at_all_still_succeeds_with_a_warning(fake_api, site):
    fake_api.fault("/users/", "500")
    remote, problems = fetch(config(fake_api.url), site)
    (w,) = problems.warnings
    assert "no earlier data" in w.message and "mlfolio fetch" in w.hint
    assert remote.section("repositories") == [] and remote.status.ok is False
    assert remote.profile_url == "https://github.com/ada-ml"


def test_filters_sort_limit_and_featured_first(fake_api, site):
    repos = [
        make_repo("ada-ml", 0, name="tiny-gpt", stargazers_count=5, topics=["nlp"], fork=False, archived=False),
        make_repo("ada-ml", 1, name="big", stargazers_count=90, topics=["vision"], fork=False, archived=False),
        make_repo("ada-ml", 2, name="forked", stargazers_count=500, fork=True, archived=False),
        make_repo("ada-ml", 3, name="old", stargazers_count=400, archived=True, fork=False),
        make_repo("ada-ml", 4, name="mid", stargazers_count=40, topics=["nlp"], fork=False, archived=False,
                  pushed_at="2024-12-01T00:00:00Z"),
        make_repo("ada-ml", 5, name="hidden", stargazers_count=60, fork=False, archived=False),
        make_repo("ada-ml", 6, name="tiny", stargazers_count=1, fork=False, archived=False, topics=["web"],
                  description="<script>alert(1)</script>", homepage="javascript:alert(1)"),
    ]
    fake_api.add_github_user("ada-ml", repos=repos)
    fake_api.languages["ada-ml/tiny-gpt"] = {"Python": 7000, "Cuda": 2000, "Shell": 1000}
    cfg = config(fake_api.url, featured=["tiny-gpt"], exclude=["hidden"])
    remote, problems = fetch(cfg, site)
    assert [p.title for p in remote.section("repositories")] == ["tiny-gpt", "big", "mid", "tiny"]
    tg = remote.section("repositories")[0]
    assert tg.featured and tg.kind == "repo" and tg.extra["full_name"] == "ada-ml/tiny-gpt"
    assert [(s.name, s.percent) for s in tg.languages] == [("Python", 70.0), ("Cuda", 20.0), ("Shell", 10.0)]
    assert tg.language == "Python" and tg.language_color == "#3572A5"
    assert tg.updated.year == 2024 and tg.tags == ["nlp"]
    assert remote.section("repositories")[3].description == "<script>alert(1)</script>"   # text; the theme escapes it
    assert remote.section("repositories")[3].homepage == ""                                 # never a javascript: link
    languages = [r for r in fake_api.paths() if r.endswith("/languages")]
    assert languages == ["/repos/ada-ml/tiny-gpt/languages"]              # only featured repos
    assert remote.total("stars") == 5 + 90 + 400 + 40 + 60 + 1             # own repos, forks excluded
    assert remote.total("followers") == 12 and remote.data["public_repos"] == 7

    data = {"repos": [r for r in _data(site)["repos"]]}
    names = lambda **kw: [p.title for p in to_projects(data, GitHubSettings(user="x", **kw))]  # noqa: E731
    assert names(include_forks=True, include_archived=True, limit=3) == ["forked", "old", "big"]
    assert names(min_stars=40) == ["big", "hidden", "mid"]
    assert names(topics=["NLP"]) == ["mid", "tiny-gpt"]
    assert names(sort="pushed")[0] == "mid"
    assert names(sort="name") == ["big", "hidden", "mid", "tiny", "tiny-gpt"]
    assert names(featured=["tiny", "big"], limit=1) == ["tiny", "big"]     # featured are never cut


def test_unknown_featured_repo_is_a_warning_at_its_line(fake_api, site):
    fake_api.add_github_user("ada-ml", repos=2)
    _, problems = fetch(config(fake_api.url, featured=["nope"]), site)
    (w,) = problems.warnings
    assert (w.line, w.col) == (4, 13) and "'nope'" in w.message


def test_language_shares_fold_the_tail():
    shares = language_shares({f"L{i}": 10 for i in range(8)} | {"Python": 920})
    assert shares[0].name == "Python" and shares[0].percent == 92.0
    assert shares[-1].name == "Other" and len(shares) == 7
    assert language_shares({}) == []


def test_enterprise_api_url_and_headers(fake_api, site):
    fake_api.add_github_user("ada-ml", repos=1)
    with HttpClient(None, timeout=0.5) as http:
        data = GitHubClient(http, api_url=fake_api.url + "/").fetch("ada-ml", [])
    assert data["user"] == "ada-ml" and len(data["repos"]) == 1
    r = fake_api.requests[0]
    assert r.header("Accept") == "application/vnd.github+json"
    assert r.header("X-GitHub-Api-Version") == "2022-11-28"


def _data(site):
    import json
    return json.loads((site / ".mlfolio-cache" / "remote.json").read_text())["github"]


def test_the_token_never_goes_to_a_host_named_by_a_link_header(fake_api, site, monkeypatch):
    """A compromised or spoofed API answer must not make mlfolio send GITHUB_TOKEN elsewhere."""
    from fakeapi import start, FakeAPI
    other = FakeAPI()
    server, thread = start(other)
    try:
        fake_api.add_github_user("ada-ml", repos=150)
        fake_api.link_host = other.url                 # page 2 is "on" another server
        monkeypatch.setenv("GITHUB_TOKEN", "ghp_SECRET")
        remote, problems = fetch(config(fake_api.url), site)
        assert other.requests == []
        (w,) = problems.warnings
        assert "another host" in w.message and "ghp_SECRET" not in str(w)
    finally:
        server.shutdown()
        server.server_close()
