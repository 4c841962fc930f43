"""Citation counts through the source machinery, against the loopback fake API: batching, Retry-After, 500s,
bad JSON, the fallback to the last good counts, --strict, --offline with the data/remote.json snapshot."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from fakeapi import fake_api, remote_env  # noqa: F401  (fixtures)
from mlfolio.build import BuildOptions, build_site
from mlfolio.errors import MlfolioError
from mlfolio.fetch import refresh

MESSY = Path(__file__).parent / "research" / "messy.bib"
KERNELS, SPARSE, PREPRINT = "10.5555/3648699.3648816", "10.48550/arxiv.2405.01234", "10.48550/arxiv.2501.00042"
WORKS = {"results": [{"doi": f"https://doi.org/{KERNELS}", "cited_by_count": 42},
                     {"doi": f"https://doi.org/{SPARSE.replace('arxiv', 'arXiv')}", "cited_by_count": 7},
                     {"doi": "https://doi.org/10.9999/not-ours", "cited_by_count": 1000}]}


@pytest.fixture
def counted(make_site, remote_env, fake_api):
    for var in ("MLFOLIO_OPENALEX_API_URL", "MLFOLIO_SEMANTICSCHOLAR_API_URL", "MLFOLIO_SEMANTICSCHOLAR_API_KEY",
                "MLFOLIO_OPENALEX_MAILTO"):
        remote_env.delenv(var, raising=False)
    remote_env.setenv("MLFOLIO_OPENALEX_API_URL", fake_api.url)
    remote_env.setenv("MLFOLIO_SEMANTICSCHOLAR_API_URL", fake_api.url)
    site = make_site({"profile.yml": "name: Ada Lovelace-Ng\n",
                      "mlfolio.yml": "title: T\nurl: https://ada.github.io\npublications:\n  citations: openalex\n"})
    shutil.copy(MESSY, site / "publications.bib")
    fake_api.add_json("/works", WORKS)
    return site


def build(site, **kw):
    return build_site(BuildOptions(site, **kw))


def cited(result) -> dict[str, str]:
    html = (result.output / "publications/index.html").read_text("utf-8")
    return dict(re.findall(r'<li class="pub" id="([^"]+)">.*?(?:Cited by (\d+)|</li>)', html, re.S))


def test_counts_by_doi_and_arxiv_id_on_the_page_and_as_a_total_at_home(counted, fake_api):
    result = build(counted)
    got = cited(result)
    assert got["lovelace2023kernels"] == "42" and got["lovelace2024sparse"] == "7"
    assert got["lovelace2025preprint"] == "" and got["child2022"] == ""
    home = (result.output / "index.html").read_text("utf-8")
    assert '<span class="stat-value">49</span><span class="stat-label">Citations (OpenAlex)</span>' in home
    [request] = fake_api.requests
    assert request.path == "/works" and request.query["per-page"] == "50"
    assert sorted(request.query["filter"].removeprefix("doi:").split("|")) == sorted([KERNELS, PREPRINT, SPARSE])
    assert not [w for w in result.warnings if "Citation" in w.message]


def test_a_429_waits_for_retry_after_and_a_warm_build_sends_the_etag(counted, fake_api):
    fake_api.fault("^/works$", "secondary", times=1, retry_after=0.2)
    assert cited(build(counted))["lovelace2023kernels"] == "42"
    assert len(fake_api.requests) == 2
    fake_api.clear()
    (counted / "posts/2024-05-01-hello.md").write_text("---\ntitle: Hello again\n---\nText.\n")
    build(counted)
    assert fake_api.requests[0].header("If-None-Match")


@pytest.mark.parametrize("fault", ["500", "truncated"])
def test_a_failing_service_falls_back_to_the_last_counts_with_a_warning(counted, fake_api, fault):
    build(counted)
    shutil.rmtree(counted / ".mlfolio-cache/http")     # else the ETag gets a 304 before any fault
    fake_api.fault("^/works$", fault)
    (counted / "posts/2024-05-01-hello.md").write_text("---\ntitle: Hello again\n---\nText.\n")
    result = build(counted)
    assert cited(result)["lovelace2023kernels"] == "42"
    warning = next(w for w in result.warnings if "Citation counts" in w.message)
    assert (warning.path, warning.line) == ("mlfolio.yml", 4) and "using .mlfolio-cache data" in warning.message
    with pytest.raises(MlfolioError):
        build(counted, strict=True)


def test_without_any_earlier_counts_the_page_still_builds(counted, fake_api):
    fake_api.fault("^/works$", "500")
    result = build(counted)
    assert set(cited(result).values()) == {""}
    assert any("Citation counts data not refreshed" in w.message for w in result.warnings)


def test_the_snapshot_serves_offline_builds(counted, fake_api):
    out = refresh(counted)
    assert out.exit_code == 0 and any("citations" in line and "49 citations" in line for line in out.lines)
    snap = json.loads((counted / "data/remote.json").read_text("utf-8"))
    assert "citations" in json.dumps(snap)
    shutil.rmtree(counted / ".mlfolio-cache")
    fake_api.clear()
    result = build(counted, offline=True)
    assert cited(result)["lovelace2023kernels"] == "42" and fake_api.requests == []


def test_requests_are_batched_fifty_works_at_a_time(counted, fake_api):
    (counted / "publications.bib").write_text("".join(
        f"@article{{p{i}, title={{Paper {i}}}, year=2020, doi={{10.1234/p{i}}}}}\n" for i in range(120)), "utf-8")
    build(counted)
    assert [len(r.query["filter"].split("|")) for r in fake_api.requests] == [50, 50, 20]


def test_semantic_scholar_batch_with_an_api_key_that_never_leaks(counted, fake_api, remote_env):
    remote_env.setenv("MLFOLIO_SEMANTICSCHOLAR_API_KEY", "s2-secret-key")
    (counted / "mlfolio.yml").write_text("title: T\nurl: https://ada.github.io\npublications:\n"
                                         "  citations: semanticscholar\n")
    fake_api.add_json("/graph/v1/paper/batch", [{"citationCount": 3}, {"citationCount": 5}, None])
    result = build(counted)
    [request] = fake_api.requests
    assert request.method == "POST" and request.header("x-api-key") == "s2-secret-key"
    assert request.body == {"ids": ["ARXIV:2405.01234", "ARXIV:2501.00042", f"DOI:{KERNELS}"]}
    got = cited(result)
    assert (got["lovelace2024sparse"], got["lovelace2025preprint"], got["lovelace2023kernels"]) == ("3", "5", "")
    fake_api.fault("batch", "401")
    (counted / "posts/2024-05-01-hello.md").write_text("---\ntitle: Hello again\n---\nText.\n")
    result = build(counted)
    assert all("s2-secret-key" not in str(w) for w in result.warnings)
    assert "s2-secret-key" not in (result.output / "publications/index.html").read_text("utf-8")


def test_an_unknown_service_is_an_error_at_its_line(counted):
    (counted / "mlfolio.yml").write_text("title: T\nurl: https://ada.github.io\npublications:\n"
                                         "  citations: scholar\n")
    with pytest.raises(MlfolioError) as exc:
        build(counted)
    assert any(p.path == "mlfolio.yml" and p.line == 4 and "citations" in p.message for p in exc.value.problems)
