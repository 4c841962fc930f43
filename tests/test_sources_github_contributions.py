"""Open-source contributions: the search query, pages, grouping by repository, filters, cards, the home count,
rate limits and fallbacks — against the loopback fake API."""
from __future__ import annotations

import json

import pytest

from fakeapi import fake_api, fetch_view, site, make_pr, remote_env  # noqa: F401  (fixtures)
from mlfolio.config import FetchSettings, SiteConfig
from mlfolio.sources.github import GitHubSettings
from mlfolio.sources.github_contributions import normalise_pr

MARKS = {"github.user": (3, 9), "github.contributions": (4, 18)}


def config(api_url: str, **gh) -> SiteConfig:
    settings = GitHubSettings(user="ada-ml", api_url=api_url, contributions=gh.pop("contributions", True), **gh)
    return SiteConfig(fetch=FetchSettings(ttl=600, timeout=0.5), sections={"github": settings})


def fetch(cfg, site, *, offline=False):
    return fetch_view("github", cfg, site, MARKS, offline=offline)


@pytest.fixture
def api(fake_api):
    fake_api.add_github_user("ada-ml", repos=2)
    fake_api.add_merged_prs("ada-ml", {"huggingface/transformers": 3, "pytorch/pytorch": 1, "tiny/lib": 2})
    return fake_api


def test_searches_merged_prs_in_others_repositories_and_groups_them(api, site):
    remote, problems = fetch(config(api.url), site)
    assert problems.items == []
    (search,) = [r for r in api.requests if r.path == "/search/issues"]
    assert search.query["q"] == "is:pr is:merged author:ada-ml -user:ada-ml"
    assert search.query["per_page"] == "100"
    cards = remote.section("contributions")
    assert {c.title for c in cards} == {"huggingface/transformers", "pytorch/pytorch", "tiny/lib"}
    hf = next(c for c in cards if c.title == "huggingface/transformers")
    assert (hf.kind, hf.icon, hf.url) == ("contribution", "merge", "https://github.com/huggingface/transformers")
    assert [s.text for s in hf.stats] == ["3 merged PRs", "1,500"] and hf.description.startswith("The huggingface")
    assert [i.label for i in hf.items] == ["#102", "#101", "#100"]            # newest merge first
    assert hf.items[0].url == "https://github.com/huggingface/transformers/pull/102"
    assert remote.total("merged_prs") == 6
    repo_info = sorted(r.path for r in api.requests if r.path.count("/") == 3 and r.path.startswith("/repos/"))
    assert repo_info == ["/repos/huggingface/transformers", "/repos/pytorch/pytorch", "/repos/tiny/lib"]


def test_cards_newest_merge_first_with_filters(api, site):
    remote, _ = fetch(config(api.url, contributions_min_stars=1501, contributions_exclude=["TINY"]), site)
    assert [c.title for c in remote.section("contributions")] == ["pytorch/pytorch"]
    assert remote.total("merged_prs") == 1
    remote, _ = fetch(config(api.url, contributions_limit=1), site)
    assert len(remote.section("contributions")) == 1 and remote.total("merged_prs") == 6


def test_off_by_default_costs_no_request(fake_api, site):
    fake_api.add_github_user("ada-ml", repos=1)
    remote, _ = fetch(config(fake_api.url, contributions=False), site)
    assert not any(r.path == "/search/issues" for r in fake_api.requests)
    assert [s.id for s in remote.sections] == ["repositories"] and remote.total("merged_prs") is None


def test_pages_of_the_search_are_followed(fake_api, site):
    fake_api.add_github_user("ada-ml", repos=1)
    fake_api.add_merged_prs("ada-ml", {"big/project": 230})
    remote, _ = fetch(config(fake_api.url), site)
    pages = [r.query["page"] for r in fake_api.requests if r.path == "/search/issues"]
    assert pages == ["1", "2", "3"]
    (card,) = remote.section("contributions")
    assert card.stat("prs") == 230 and len(card.items) == 5


def test_own_repositories_and_broken_hits_are_left_out():
    assert normalise_pr({"repository_url": "https://api.github.com/repos/a/b", "title": "x"}) is None   # an issue
    assert normalise_pr(make_pr("a/b", 1, "2025-01-01T00:00:00Z", repository_url=None)) is None
    hit = normalise_pr(make_pr("a/b", 7, "2025-01-01T00:00:00Z", title="  Fix\n\tthe   <script>  "))
    assert hit == {"repo": "a/b", "title": "Fix the <script>", "url": "https://github.com/a/b/pull/7", "number": 7,
                   "merged_at": "2025-01-01T00:00:00Z"}


def test_search_rate_limit_falls_back_to_the_last_good_data(api, site):
    good, _ = fetch(config(api.url), site)
    api.add_merged_prs("ada-ml", {"huggingface/transformers": 4})           # changed: no 304 to hide behind
    api.fault("/search/issues", "ratelimit")
    remote, problems = fetch(config(api.url), site)
    (w,) = problems.warnings
    assert w.message.startswith("GitHub data not refreshed: GitHub API rate limit exceeded")
    assert [c.title for c in remote.section("contributions")] == [c.title for c in good.section("contributions")]


def test_secondary_limit_on_search_is_waited_out(api, site):
    api.fault("/search/issues", "secondary", times=1, retry_after=0.2)
    remote, problems = fetch(config(api.url), site)
    assert problems.items == [] and len(remote.section("contributions")) == 3


def test_snapshot_keeps_contributions_and_offline_builds_them(api, site):
    fetch(config(api.url), site)
    data = json.loads((site / ".mlfolio-cache" / "remote.json").read_text())["github"]
    assert [c["repo"] for c in data["contributions"]] == ["huggingface/transformers", "pytorch/pytorch", "tiny/lib"]
    api.clear()
    remote, problems = fetch(config(api.url), site, offline=True)
    assert api.requests == [] and problems.items == [] and len(remote.section("contributions")) == 3


def test_switching_contributions_on_refetches_inside_the_ttl(api, site):
    fetch_view("github", config(api.url, contributions=False), site, MARKS, use_ttl=True)
    api.clear()
    fetch_view("github", config(api.url), site, MARKS, use_ttl=True)
    assert any(r.path == "/search/issues" for r in api.requests)


def test_build_shows_escaped_contribution_cards_and_home_count(api, make_site, remote_env):
    from mlfolio.cli import main

    api.github_prs["ada-ml"].append(make_pr("evil/repo", 9, "2025-09-09T00:00:00Z",
                                            title='<img src=x onerror="alert(1)">'))
    api.github_other_repos["evil/repo"] = {"html_url": "javascript:alert(1)", "description": "<script>x</script>",
                                           "stargazers_count": 3}
    remote_env.setenv("MLFOLIO_GITHUB_API_URL", api.url)
    site = make_site({"mlfolio.yml": "title: T\nurl: https://ada.github.io\ngithub:\n  user: ada-ml\n"
                                     "  contributions: true\n"})
    assert main(["build", str(site), "--strict", "-q"]) == 0
    html = (site / "_site/projects/index.html").read_text()
    assert "Contributions to other projects" in html and "https://github.com/pytorch/pytorch/pull/" in html
    assert "&lt;img src=x onerror=" in html and "<img src=x" not in html and "<script>x" not in html
    assert 'href="javascript:' not in html and 'href="https://github.com/evil/repo"' in html
    assert "merged into others" in (site / "_site/index.html").read_text()


def test_second_fetch_is_conditional(api, site):
    fetch(config(api.url), site)
    api.clear()
    remote, problems = fetch(config(api.url), site)
    searches = [r for r in api.requests if r.path == "/search/issues"]
    assert problems.items == [] and searches and all(r.header("If-None-Match") for r in searches)
    assert len(remote.section("contributions")) == 3


@pytest.mark.parametrize("kind", ["truncated", "slow", "500"])
def test_bad_json_timeouts_and_errors_on_a_repository_fall_back(api, site, kind):
    good, _ = fetch(config(api.url), site)
    api.github_other_repos["pytorch/pytorch"]["stargazers_count"] = 99     # changed: no 304
    api.fault("/repos/pytorch/pytorch$", kind, slow_seconds=1.0)
    remote, problems = fetch(config(api.url), site)
    (w,) = problems.warnings
    assert w.message.startswith("GitHub data not refreshed")
    assert [c.title for c in remote.section("contributions")] == [c.title for c in good.section("contributions")]
