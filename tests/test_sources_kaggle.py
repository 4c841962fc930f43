"""Kaggle: credentials as the kaggle client finds them, POST /v1/{service}/{method} paging, cards, fallbacks."""
from __future__ import annotations

import base64
import json
import logging

import pytest

from fakeapi import fake_api, make_competition, make_dataset, remote_env  # noqa: F401  (fixtures)
from mlfolio.config import FetchSettings, SiteConfig
from mlfolio.errors import Problems
from mlfolio.fetch import fetch_sources, run_fetch
from mlfolio.plugins import core_registry
from mlfolio.sources.kaggle import KaggleSettings, find_credentials

MARKS = {"kaggle.user": (7, 9)}
REGISTRY = core_registry()


def config(api_url: str, **kw) -> SiteConfig:
    settings = KaggleSettings(user=kw.pop("user", "ada-ml"), api_url=api_url, **kw)
    return SiteConfig(fetch=FetchSettings(ttl=600, timeout=0.5), sections={"kaggle": settings})


def fetch(cfg, site, *, offline=False, strict=False):
    """The Kaggle view of one fetch stage, and its problems."""
    problems = Problems(root=site, strict=strict)
    views = fetch_sources(cfg, REGISTRY, site, marks=MARKS, problems=problems, offline=offline, use_ttl=False)
    return views["kaggle"], problems


@pytest.fixture
def site(tmp_path, remote_env):
    (tmp_path / "site").mkdir()
    return tmp_path / "site"


@pytest.fixture
def token(remote_env):
    remote_env.setenv("KAGGLE_API_TOKEN", "KGAT_secret_token_1")
    return "KGAT_secret_token_1"


# --- credentials -------------------------------------------------------------------------------------

def test_credentials_order(tmp_path):
    cfg_dir = tmp_path / "cfg"
    cfg_dir.mkdir()
    (cfg_dir / "kaggle.json").write_text(json.dumps({"username": "filer", "key": "k3"}))
    env = {"KAGGLE_API_TOKEN": "tok", "KAGGLE_USERNAME": "u", "KAGGLE_KEY": "k", "KAGGLE_CONFIG_DIR": str(cfg_dir),
           "HOME": str(tmp_path)}
    c = find_credentials(env)
    assert c.headers == {"Authorization": "Bearer tok"} and c.source == "KAGGLE_API_TOKEN"
    del env["KAGGLE_API_TOKEN"]
    c = find_credentials(env)
    assert c.headers == {"Authorization": "Basic " + base64.b64encode(b"u:k").decode()} and c.username == "u"
    assert c.source == "KAGGLE_USERNAME/KAGGLE_KEY"
    del env["KAGGLE_KEY"]
    c = find_credentials(env)
    assert c.source == str(cfg_dir / "kaggle.json") and c.username == "filer"
    assert "k3" not in repr(c) and "k3" not in str(c)


def test_kaggle_json_in_home(tmp_path, remote_env):
    home = tmp_path / "home"
    (home / ".kaggle").mkdir(parents=True)
    (home / ".kaggle" / "kaggle.json").write_text('{"username": "ada-ml", "key": "abc"}')
    assert find_credentials().username == "ada-ml"
    (home / ".kaggle" / "kaggle.json").write_text("{not json")
    assert find_credentials() is None


# --- requests ----------------------------------------------------------------------------------------

def test_posts_like_kagglesdk_and_walks_page_tokens(fake_api, site, token):
    fake_api.add_kaggle_user("ada-ml", datasets=0, notebooks=3)
    fake_api.kaggle["ada-ml"]["datasets"] = [make_dataset("ada-ml", i) for i in range(230)]
    fake_api.kaggle_entered = [make_competition(1, rank=37, teams=2000)]
    remote, problems = fetch(config(fake_api.url, limit=500), site)
    assert problems.items == []
    assert all(r.method == "POST" for r in fake_api.requests)
    ds = [r for r in fake_api.requests if r.path == "/v1/datasets.DatasetApiService/ListDatasets"]
    assert [r.body.get("pageToken") is not None for r in ds] == [False, True, True]
    assert all(r.body["user"] == "ada-ml" and r.body["pageSize"] == 100 for r in ds)
    comp = [r for r in fake_api.requests if r.path.endswith("/ListCompetitions")]
    assert comp[0].body["group"] == "COMPETITION_LIST_TAB_ENTERED"
    assert {r.header("Authorization") for r in fake_api.requests} == {f"Bearer {token}"}
    assert len(remote.section("datasets")) == 230 and len(remote.section("notebooks")) == 3
    (c,) = remote.section("competitions")
    assert (c.extra["rank"], c.extra["team_count"], c.badge) == (37, 2000, "Top 2%") and c.kind == "competition"
    assert [s.text for s in c.stats] == ["Rank 37 / 2,000"]
    assert c.url == "https://www.kaggle.com/competitions/challenge-1"


def test_cards_and_limits(fake_api, site, token):
    fake_api.add_kaggle_user("ada-ml", datasets=5, notebooks=5)
    remote, _ = fetch(config(fake_api.url, limit=2, notebooks=False, competitions=False), site)
    assert [d.title for d in remote.section("datasets")] == ["Dataset 4", "Dataset 3"]      # most voted first
    d = remote.section("datasets")[0]
    assert (d.kind, d.stat("votes"), d.stat("downloads"), d.stat("usability"), d.tags) == (
        "dataset", 41, 407, 0.88, ["tabular"])
    assert [s.text for s in d.stats] == ["41 votes", "407 downloads", "Usability 8.8"]
    assert d.description == "Rows of data 4" and d.updated.year == 2024
    assert remote.section("notebooks") == [] and remote.section("competitions") == []
    assert not any(r.path.endswith(("ListKernels", "ListCompetitions")) for r in fake_api.requests)
    assert remote.profile_url == "https://www.kaggle.com/ada-ml"
    assert remote.total("votes") == sum(10 * i + 1 for i in range(5))


def test_entered_competitions_only_for_the_signed_in_user(fake_api, site, remote_env):
    remote_env.setenv("KAGGLE_USERNAME", "someone-else")
    remote_env.setenv("KAGGLE_KEY", "k")
    fake_api.add_kaggle_user("ada-ml")
    fetch(config(fake_api.url), site)
    assert not any(r.path.endswith("ListCompetitions") for r in fake_api.requests)


def test_no_credentials_makes_no_request_and_warns_once_without_data(fake_api, site):
    fake_api.add_kaggle_user("ada-ml")
    remote, problems = fetch(config(fake_api.url), site)
    assert fake_api.requests == []
    (w,) = problems.warnings
    assert w.message == "Kaggle skipped: no Kaggle credentials and no earlier data"
    assert "KAGGLE_API_TOKEN" in w.hint and (w.line, w.col) == (7, 9)
    assert remote.section("datasets") == [] and remote.status.ok is False


def test_no_credentials_with_a_snapshot_serves_it_quietly(fake_api, site):
    (site / "data").mkdir()
    (site / "data" / "remote.json").write_text(json.dumps({"format": 1, "kaggle": {
        "user": "ada-ml", "fetched_at": "2024-01-01T00:00:00Z",
        "datasets": [{"ref": "ada-ml/x", "title": "X", "votes": 3}], "notebooks": [], "competitions": []}}))
    remote, problems = fetch(config(fake_api.url), site)
    assert fake_api.requests == [] and problems.items == []
    assert [d.title for d in remote.section("datasets")] == ["X"]
    assert remote.status.ok is True and "no Kaggle credentials" in remote.status.message


def test_rejected_credentials_name_their_source_never_the_secret(fake_api, site, token, caplog):
    caplog.set_level(logging.DEBUG)
    fake_api.add_kaggle_user("ada-ml")
    fake_api.kaggle_auth = {"Bearer the-valid-one"}
    remote, problems = fetch(config(fake_api.url), site)
    (w,) = problems.warnings
    assert "KAGGLE_API_TOKEN" in w.message and "401" in w.message
    assert token not in str(w) and token not in caplog.text
    assert token not in remote.status.message


@pytest.mark.parametrize("kind", ["500", "truncated", "drop", "slow"])
def test_faults_fall_back_to_the_last_good_data(fake_api, site, token, kind):
    fake_api.add_kaggle_user("ada-ml", datasets=2, notebooks=2)
    good, _ = fetch(config(fake_api.url), site)
    fake_api.fault("ListKernels", kind, slow_seconds=1.0)
    remote, problems = fetch(config(fake_api.url), site)
    assert [d.title for d in remote.section("datasets")] == [d.title for d in good.section("datasets")]
    assert [n.title for n in remote.section("notebooks")] == [n.title for n in good.section("notebooks")]
    (w,) = problems.warnings
    assert w.message.startswith("Kaggle data not refreshed: ")


def test_offline_uses_the_cache_without_credentials_or_requests(fake_api, site, token, remote_env):
    fake_api.add_kaggle_user("ada-ml", datasets=2)
    fetch(config(fake_api.url), site)
    fake_api.clear()
    remote_env.delenv("KAGGLE_API_TOKEN")
    remote, problems = fetch(config(fake_api.url), site, offline=True)
    assert fake_api.requests == [] and problems.items == []
    assert len(remote.section("datasets")) == 2 and remote.status.ok


def test_run_fetch_shares_one_http_stats(fake_api, site, token):
    fake_api.add_kaggle_user("ada-ml", datasets=1, notebooks=1)
    run = run_fetch(config(fake_api.url), REGISTRY, site, offline=False, use_ttl=False)
    assert run.stats.requests == len(fake_api.requests) == 3
