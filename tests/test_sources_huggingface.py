"""Hugging Face Hub: list requests as the Hub's clients make them, cursor pages, cards, featured, private items
never shown, token handling, and the shared fallbacks — all against the loopback fake API."""
from __future__ import annotations

import json
import logging

import pytest

from fakeapi import fake_api, fetch_view, site, make_hf_dataset, make_hf_model, make_hf_space, remote_env  # noqa: F401  (fixtures)
from mlfolio.config import FetchSettings, SiteConfig
from mlfolio.sources.huggingface import HuggingFaceSettings

MARKS = {"huggingface.user": (4, 9), "huggingface.featured": (5, 13)}


def config(api_url: str, **kw) -> SiteConfig:
    settings = HuggingFaceSettings(user=kw.pop("user", "ada-ml"), api_url=api_url, **kw)
    return SiteConfig(fetch=FetchSettings(ttl=600, timeout=0.5), sections={"huggingface": settings})


def fetch(cfg, site, *, offline=False):
    return fetch_view("huggingface", cfg, site, MARKS, offline=offline)


def test_lists_like_the_hub_clients_and_follows_cursor_pages(fake_api, site):
    fake_api.add_hf_user("ada-ml", models=0, datasets=1, spaces=1)
    fake_api.hf["ada-ml"]["models"] = [make_hf_model("ada-ml", i) for i in range(230)]
    remote, problems = fetch(config(fake_api.url, limit=500), site)
    assert problems.items == []
    models = [r for r in fake_api.requests if r.path == "/api/models"]
    assert len(models) == 3 and [("cursor" in r.query) for r in models] == [False, True, True]
    first = models[0]
    assert first.query["author"] == "ada-ml" and first.query["limit"] == "100"
    assert all(r.header("Authorization") is None for r in fake_api.requests)
    assert len(remote.section("hf-models")) == 230
    assert {r.path for r in fake_api.requests} == {"/api/models", "/api/datasets", "/api/spaces"}


def test_asks_for_the_fields_the_cards_show(fake_api, site):
    fake_api.add_hf_user("ada-ml", models=1, datasets=1, spaces=1)
    fetch(config(fake_api.url), site)
    asked = {r.path: set(r.values("expand")) for r in fake_api.requests}
    assert {"downloads", "likes", "pipeline_tag", "library_name", "lastModified", "tags"} <= asked["/api/models"]
    assert {"downloads", "likes", "description", "tags"} <= asked["/api/datasets"]
    assert {"likes", "sdk", "cardData"} <= asked["/api/spaces"]


def test_cards(fake_api, site):
    fake_api.add_hf_user("ada-ml", models=3, datasets=2, spaces=1)
    remote, _ = fetch(config(fake_api.url), site)
    m = remote.section("hf-models")
    assert [p.title for p in m] == ["ada-ml/model-2", "ada-ml/model-1", "ada-ml/model-0"]   # most downloaded first
    top = m[0]
    assert (top.kind, top.kind_label, top.icon, top.source) == ("hf-model", "Model", "model", "huggingface")
    assert top.url == "https://huggingface.co/ada-ml/model-2"
    assert top.description == "Text generation" and top.language == "transformers"
    assert [s.text for s in top.stats] == ["3k downloads", "6 likes", "apache-2.0 licence"]
    assert top.tags == ["safetensors", "llama", "en"]     # Hub noise and what the card shows anyway dropped
    d = remote.section("hf-datasets")[0]
    assert d.url == "https://huggingface.co/datasets/ada-ml/dataset-1"
    assert d.description == "Dataset 1: curated question–answer pairs." and d.stat("license") == "cc-by-4.0"
    (s,) = remote.section("hf-spaces")
    assert (s.title, s.language, s.url) == ("Demo 0", "Gradio", "https://huggingface.co/spaces/ada-ml/demo-0")
    assert [x.name for x in s.stats] == ["likes", "license"] and s.stat("license") == "mit"
    assert remote.total("hf_downloads") == 1000 + 2000 + 3000 + 50 + 100
    assert remote.total("hf_likes") == (0 + 3 + 6) + (0 + 1) + 7
    assert remote.profile_url == "https://huggingface.co/ada-ml"


def test_featured_first_never_cut_and_on_home(fake_api, site):
    fake_api.add_hf_user("ada-ml", models=5, datasets=0, spaces=2)
    remote, problems = fetch(config(fake_api.url, limit=2, featured=["model-0", "ada-ml/demo-1"]), site)
    assert problems.items == []
    assert [p.title for p in remote.section("hf-models")] == ["ada-ml/model-0", "ada-ml/model-4"]
    assert [p.title for p in remote.featured] == ["ada-ml/model-0", "Demo 1"]
    assert all(p.featured for p in remote.featured)


def test_featured_that_does_not_exist_warns_at_its_line(fake_api, site):
    fake_api.add_hf_user("ada-ml", models=1, datasets=0, spaces=0)
    _, problems = fetch(config(fake_api.url, featured=["no-such-model"]), site)
    (w,) = problems.warnings
    assert "'no-such-model'" in w.message and (w.line, w.col) == (5, 13)


def test_unknown_user_warns_instead_of_showing_nothing_silently(fake_api, site):
    _, problems = fetch(config(fake_api.url, user="nobody-here"), site)
    (w,) = problems.warnings
    assert "no public models, datasets or Spaces" in w.message and (w.line, w.col) == (4, 9)


def test_private_items_are_never_shown_even_with_a_token(fake_api, site, remote_env):
    remote_env.setenv("HF_TOKEN", "hf_secret_token_123")
    fake_api.add_hf_user("ada-ml", models=2, datasets=0, spaces=0)
    fake_api.hf["ada-ml"]["models"].append(make_hf_model("ada-ml", 9, private=True))
    remote, _ = fetch(config(fake_api.url), site)
    assert "ada-ml/model-9" not in [p.title for p in remote.section("hf-models")]
    assert {r.header("Authorization") for r in fake_api.requests} == {"Bearer hf_secret_token_123"}
    snapshot = (site / ".mlfolio-cache" / "remote.json").read_text()
    assert "model-9" not in snapshot and "hf_secret" not in snapshot


def test_hostile_strings_stay_text(fake_api, site):
    fake_api.add_hf_user("ada-ml", models=0, datasets=0, spaces=0)
    fake_api.hf["ada-ml"]["spaces"] = [make_hf_space("ada-ml", 0, cardData={
        "title": "<img src=x onerror=alert(1)>", "emoji": "<b>", "short_description": "<script>x</script>"})]
    fake_api.hf["ada-ml"]["models"] = [make_hf_model("ada-ml", 0, tags="not a list", downloads=-5,
                                                     likes="many", pipeline_tag=None)]
    remote, problems = fetch(config(fake_api.url), site)
    (s,) = remote.section("hf-spaces")
    assert s.title == "<img src=x onerror=alert(1)>"          # text: the template escapes it
    (m,) = remote.section("hf-models")
    assert (m.stat("downloads"), m.stat("likes"), m.tags, m.description) == (0, 0, [], "")


def test_rejected_token_names_its_variable_never_the_secret(fake_api, site, remote_env, caplog):
    caplog.set_level(logging.DEBUG)
    remote_env.setenv("HF_TOKEN", "hf_wrong_token_456")
    fake_api.add_hf_user("ada-ml")
    fake_api.fault("/api/models", "401")
    remote, problems = fetch(config(fake_api.url), site)
    (w,) = problems.warnings
    assert "HF_TOKEN" in w.message and "401" in w.message
    assert "hf_wrong_token_456" not in str(w) + caplog.text + remote.status.message


def test_rate_limit_with_retry_after_is_waited_out(fake_api, site):
    fake_api.add_hf_user("ada-ml", models=1, datasets=0, spaces=0)
    fake_api.fault("/api/models", "secondary", times=1, retry_after=0.2)
    remote, problems = fetch(config(fake_api.url), site)
    assert problems.items == [] and len(remote.section("hf-models")) == 1
    assert [r.path for r in fake_api.requests].count("/api/models") == 2


@pytest.mark.parametrize("kind", ["500", "truncated", "drop", "slow", "ratelimit"])
def test_faults_fall_back_to_the_last_good_data(fake_api, site, kind):
    fake_api.add_hf_user("ada-ml", models=2, datasets=1, spaces=1)
    good, _ = fetch(config(fake_api.url), site)
    fake_api.hf["ada-ml"]["datasets"].append(make_hf_dataset("ada-ml", 5))   # changed: no 304 to hide behind
    fake_api.fault("/api/datasets", kind, slow_seconds=1.0)
    remote, problems = fetch(config(fake_api.url), site)
    for section in ("hf-models", "hf-datasets", "hf-spaces"):
        assert [p.title for p in remote.section(section)] == [p.title for p in good.section(section)]
    (w,) = problems.warnings
    assert w.message.startswith("Hugging Face data not refreshed: ")


def test_next_page_on_another_host_is_not_followed(fake_api, site, remote_env):
    remote_env.setenv("HF_TOKEN", "hf_token_789")
    fake_api.add_hf_user("ada-ml", models=0, datasets=0, spaces=0)
    fake_api.hf["ada-ml"]["models"] = [make_hf_model("ada-ml", i) for i in range(150)]
    fake_api.link_host = "http://evil.invalid"
    remote, problems = fetch(config(fake_api.url), site)
    (w,) = problems.warnings
    assert "another host" in w.message
    assert all(r.path.startswith("/api/") for r in fake_api.requests)


def test_offline_serves_the_snapshot_without_requests(fake_api, site):
    fake_api.add_hf_user("ada-ml", models=2, datasets=0, spaces=0)
    fetch(config(fake_api.url), site)
    data = json.loads((site / ".mlfolio-cache" / "remote.json").read_text())["huggingface"]
    assert [m["id"] for m in data["models"]] == ["ada-ml/model-0", "ada-ml/model-1"]
    fake_api.clear()
    remote, problems = fetch(config(fake_api.url), site, offline=True)
    assert fake_api.requests == [] and problems.items == [] and len(remote.section("hf-models")) == 2


def test_switched_off_kinds_are_not_asked(fake_api, site):
    fake_api.add_hf_user("ada-ml")
    remote, _ = fetch(config(fake_api.url, datasets=False, spaces=False), site)
    assert {r.path for r in fake_api.requests} == {"/api/models"}
    assert [s.id for s in remote.sections] == ["hf-models"]


def test_fetch_then_build_shows_escaped_cards_on_projects_and_home(fake_api, make_site, remote_env, capsys):
    from mlfolio.cli import main

    remote_env.setenv("MLFOLIO_HUGGINGFACE_API_URL", fake_api.url)
    fake_api.add_hf_user("ada-ml", models=2, datasets=0, spaces=0)
    fake_api.hf["ada-ml"]["spaces"] = [make_hf_space("ada-ml", 0, cardData={
        "title": "<img src=x onerror=alert(1)>", "short_description": "<script>alert(2)</script>"})]
    site = make_site({"mlfolio.yml": "title: T\nurl: https://ada.github.io\nhuggingface:\n  user: ada-ml\n"
                                     "  featured: [model-0]\n"})
    assert main(["fetch", str(site)]) == 0
    assert "huggingface ada-ml: 2 models, 0 datasets, 1 Space, 3,000 downloads, 10 likes" in capsys.readouterr().out
    assert main(["build", str(site), "--offline", "--strict", "-q"]) == 0
    projects = (site / "_site/projects/index.html").read_text()
    assert 'href="https://huggingface.co/ada-ml/model-1"' in projects and "Hugging Face Spaces" in projects
    assert "&lt;img src=x onerror=alert(1)&gt;" in projects and "<img src=x" not in projects
    assert "&lt;script&gt;alert(2)" in projects and "<script>alert(2)" not in projects
    home = (site / "_site/index.html").read_text()
    assert "ada-ml/model-0" in home and "Hugging Face likes" in home


def test_second_fetch_is_conditional_and_304s_keep_the_data(fake_api, site):
    fake_api.add_hf_user("ada-ml", models=2, datasets=1, spaces=1)
    fetch(config(fake_api.url), site)
    fake_api.clear()
    remote, problems = fetch(config(fake_api.url), site)
    assert problems.items == [] and len(remote.section("hf-models")) == 2
    assert len(fake_api.requests) == 3 and all(r.header("If-None-Match") for r in fake_api.requests)
