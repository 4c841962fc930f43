"""`github.featured: pinned`: GraphQL with a token, the Enterprise URL, and the fallbacks (no token, errors)
with their one warning — against the loopback fake API."""
from __future__ import annotations

import pytest

from fakeapi import fake_api, fetch_view, site, remote_env  # noqa: F401  (fixtures)
from mlfolio.config import FetchSettings, SiteConfig
from mlfolio.sources.github import GitHubSettings
from mlfolio.sources.github_pinned import effective_featured, graphql_url

MARKS = {"github.user": (3, 9), "github.featured": (4, 13)}


def config(api_url: str, featured) -> SiteConfig:
    settings = GitHubSettings(user="ada-ml", api_url=api_url, featured=featured)
    return SiteConfig(fetch=FetchSettings(ttl=600, timeout=0.5), sections={"github": settings})


def fetch(cfg, site):
    return fetch_view("github", cfg, site, MARKS)


@pytest.fixture
def api(fake_api):
    fake_api.add_github_user("ada-ml", repos=8)           # repo-000 … repo-007
    fake_api.github_pinned["ada-ml"] = [("ada-ml", "repo-002"), ("some-org", "their-repo"), ("ada-ml", "repo-005")]
    return fake_api


def test_graphql_urls():
    assert graphql_url("https://api.github.com") == "https://api.github.com/graphql"
    assert graphql_url("https://ghe.example.com/api/v3/") == "https://ghe.example.com/api/graphql"


def test_pinned_with_a_token_features_the_users_own_pinned_repos(api, site, remote_env):
    remote_env.setenv("GITHUB_TOKEN", "ghp_pinned_token")
    remote, problems = fetch(config(api.url, ["pinned"]), site)
    assert problems.items == []
    (gql,) = [r for r in api.requests if r.path == "/graphql"]
    assert gql.method == "POST" and gql.body["variables"] == {"login": "ada-ml"}
    assert "pinnedItems" in gql.body["query"] and gql.header("Authorization") == "Bearer ghp_pinned_token"
    assert [p.title for p in remote.featured] == ["repo-002", "repo-005"]
    assert all(p.languages for p in remote.featured)           # their language bars were fetched
    langs = sorted(r.path for r in api.requests if r.path.endswith("/languages"))
    assert langs == ["/repos/ada-ml/repo-002/languages", "/repos/ada-ml/repo-005/languages"]


def test_without_a_token_falls_back_to_top_stars_with_one_warning(api, site):
    remote, problems = fetch(config(api.url, ["pinned"]), site)
    assert not any(r.path == "/graphql" for r in api.requests)
    top = sorted(api.github_repos["ada-ml"], key=lambda r: -r["stargazers_count"])
    expected = [r["name"] for r in top if not r["fork"] and not r["archived"]][:6]
    assert [p.title for p in remote.featured] == expected
    (w,) = problems.warnings
    assert "pinned repositories unknown" in w.message and "GITHUB_TOKEN" in w.message
    assert "most-starred" in w.message and (w.line, w.col) == (4, 13)


def test_without_a_token_falls_back_to_the_rest_of_the_list(api, site):
    remote, problems = fetch(config(api.url, ["pinned", "repo-001"]), site)
    assert [p.title for p in remote.featured] == ["repo-001"]
    (w,) = problems.warnings
    assert "the rest of github.featured" in w.message


@pytest.mark.parametrize("fault", ["500", "drop"])
def test_graphql_failures_fall_back_without_failing_the_source(api, site, remote_env, fault):
    remote_env.setenv("GITHUB_TOKEN", "ghp_secret_token")
    api.fault("/graphql", fault)
    remote, problems = fetch(config(api.url, ["pinned"]), site)
    assert remote.status.ok and len(remote.section("repositories")) == 8 and len(remote.featured) == 6
    (w,) = problems.warnings
    assert w.message.startswith("pinned repositories unknown: the GraphQL API failed")
    assert "ghp_secret_token" not in str(w)


def test_nothing_pinned_features_nothing_without_a_warning(api, site, remote_env):
    remote_env.setenv("GITHUB_TOKEN", "ghp_secret_token")
    api.github_pinned.clear()
    remote, problems = fetch(config(api.url, ["pinned"]), site)
    assert remote.featured == [] and problems.items == []


def test_effective_featured_is_the_plain_list_without_pinned():
    assert effective_featured({"pinned": ["x"]}, ["a", "b"]) == ["a", "b"]
    assert effective_featured({"pinned": []}, ["pinned", "a"]) == []        # nothing pinned: nothing featured
