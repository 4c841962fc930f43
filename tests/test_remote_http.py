"""remote/http.py against the loopback fake API: cache, conditional requests, retries, limits, faults."""
from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from fakeapi import fake_api  # noqa: F401  (fixture)
from mlfolio import __version__
from mlfolio.remote.http import HttpClient, OfflineMiss, RateLimited, RemoteError, Unauthorized, parse_link


@pytest.fixture
def client(tmp_path):
    made = []

    def make(**kw) -> HttpClient:
        kw.setdefault("timeout", 0.5)
        kw.setdefault("backoff", 0.05)
        c = HttpClient(tmp_path / "cache", **kw)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture
def api(fake_api):
    fake_api.add_github_user("ada-ml", repos=5)
    return fake_api


def test_user_agent_names_mlfolio_and_version(api, client):
    client().get_json(f"{api.url}/users/ada-ml")
    assert api.requests[0].header("User-Agent").startswith(f"mlfolio/{__version__}")


def test_second_fetch_is_conditional_and_a_304_serves_the_cached_body(api, client):
    url = f"{api.url}/users/ada-ml"
    first = client().get_json(url)
    assert first.status == 200 and first.data["login"] == "ada-ml"
    assert api.requests[0].header("If-None-Match") is None
    second = client().get_json(url)                 # a new build: new client, same cache folder
    assert second.status == 304 and second.data == first.data
    sent = api.requests[1]
    assert sent.header("If-None-Match") == first.headers["etag"]
    assert sent.header("If-Modified-Since") == "Wed, 01 May 2024 12:00:00 GMT"


def test_offline_makes_no_request(api, client, tmp_path):
    url = f"{api.url}/users/ada-ml"
    client().get_json(url)
    api.clear()
    resp = client(offline=True).get_json(url)
    assert resp.data["login"] == "ada-ml" and resp.from_cache
    with pytest.raises(OfflineMiss):
        client(offline=True).get_json(f"{api.url}/users/someone-else")
    assert api.requests == []


def test_inside_ttl_no_request_and_after_it_a_conditional_one(api, client):
    url = f"{api.url}/users/ada-ml"
    client().get_json(url)
    api.clear()
    assert client(ttl=600).get_json(url).from_cache
    assert api.requests == []
    client(ttl=0).get_json(url)
    assert len(api.requests) == 1 and api.requests[0].header("If-None-Match")


def test_one_request_per_url_per_client_even_from_many_threads(api, client):
    c = client()
    url = f"{api.url}/users/ada-ml"
    threads = [threading.Thread(target=c.get_json, args=(url,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert api.paths() == ["/users/ada-ml"]


def test_500_once_is_retried_with_backoff(api, client):
    api.fault("/users/ada-ml", "500", times=1)
    resp = client().get_json(f"{api.url}/users/ada-ml")
    assert resp.data["login"] == "ada-ml"
    assert api.paths() == ["/users/ada-ml"] * 2


def test_500_always_gives_up_after_bounded_retries(api, client):
    api.fault("/users/ada-ml", "500")
    with pytest.raises(RemoteError, match=r"server error \(500\)"):
        client(retries=2).get_json(f"{api.url}/users/ada-ml")
    assert len(api.requests) == 3


def test_dropped_connection_is_retried_then_reported(api, client):
    api.fault("/users/ada-ml", "drop", times=1)
    assert client().get_json(f"{api.url}/users/ada-ml").data["login"] == "ada-ml"
    api.clear()
    api.fault("/users/ada-ml", "drop")
    with pytest.raises(RemoteError, match="connection"):
        client().get_json(f"{api.url}/users/ada-ml")
    assert len(api.requests) == 3


def test_slow_answer_times_out_quickly(api, client):
    api.fault("/users/ada-ml", "slow", slow_seconds=1.5)
    t0 = time.perf_counter()
    with pytest.raises(RemoteError, match=r"no answer within 0.3 s"):
        client(timeout=0.3).get_json(f"{api.url}/users/ada-ml")
    assert time.perf_counter() - t0 < 1.2
    assert len(api.requests) == 1            # a read timeout is not retried: it would only double the wait


def test_truncated_json_is_an_error_and_keeps_the_good_cache_entry(api, client, tmp_path):
    url = f"{api.url}/users/ada-ml"
    client().get_json(url)
    api.github_users["ada-ml"]["followers"] = 99          # new ETag, so the server sends a (broken) body
    api.fault("/users/ada-ml", "truncated", times=1)
    with pytest.raises(RemoteError, match="invalid JSON"):
        client().get_json(url)
    assert client(offline=True).get_json(url).data["followers"] == 12


def test_primary_rate_limit_is_not_retried_and_says_when_it_resets(api, client):
    api.fault("/users/ada-ml", "ratelimit", reset_in=600)
    with pytest.raises(RateLimited) as info:
        client().get_json(f"{api.url}/users/ada-ml")
    assert len(api.requests) == 1
    assert 500 < info.value.reset - time.time() <= 600


def test_429_waits_retry_after_then_retries(api, client):
    api.fault("/users/ada-ml", "secondary", times=1, retry_after=1)
    t0 = time.perf_counter()
    assert client().get_json(f"{api.url}/users/ada-ml").data["login"] == "ada-ml"
    assert time.perf_counter() - t0 >= 0.95
    assert len(api.requests) == 2


def test_403_with_retry_after_is_a_secondary_limit(api, client):
    api.fault("/users/ada-ml", "secondary403", times=1, retry_after=0.1)
    assert client().get_json(f"{api.url}/users/ada-ml").status == 200
    assert len(api.requests) == 2


def test_secondary_limit_wait_is_bounded(api, client):
    api.fault("/users/ada-ml", "secondary", retry_after=3600)
    t0 = time.perf_counter()
    with pytest.raises(RemoteError, match="secondary rate limit"):
        client().get_json(f"{api.url}/users/ada-ml")
    assert time.perf_counter() - t0 < 1
    api.clear()
    api.fault("/users/ada-ml", "secondary", retry_after=0.05)
    with pytest.raises(RemoteError, match="secondary rate limit"):
        client().get_json(f"{api.url}/users/ada-ml?again")
    assert len(api.requests) == 3                         # waited and retried twice, then gave up


def test_401_and_404_are_typed(api, client):
    api.fault("/users/ada-ml", "401")
    with pytest.raises(Unauthorized):
        client().get_json(f"{api.url}/users/ada-ml")
    with pytest.raises(RemoteError) as info:
        client().get_json(f"{api.url}/users/nobody-here")
    assert info.value.status == 404


def test_connection_refused_is_reported_without_hanging(client):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]                         # closed again: nothing listens there
    t0 = time.perf_counter()
    with pytest.raises(RemoteError, match="connection refused"):
        client().get_json(f"http://127.0.0.1:{port}/users/ada-ml")
    assert time.perf_counter() - t0 < 2


def test_post_bodies_are_cached_per_body(api, client, tmp_path):
    api.add_kaggle_user("ada-ml")
    c = client()
    h = {"Authorization": "Bearer kt"}
    a = c.post_json(f"{api.url}/v1/datasets.DatasetApiService/ListDatasets", {"user": "ada-ml"}, headers=h)
    b = c.post_json(f"{api.url}/v1/kernels.KernelsApiService/ListKernels", {"user": "ada-ml"}, headers=h)
    assert "datasets" in a.data and "kernels" in b.data
    assert api.requests[0].body == {"user": "ada-ml"}
    assert api.requests[0].header("Content-Type") == "application/json"
    off = client(offline=True)
    assert off.post_json(f"{api.url}/v1/datasets.DatasetApiService/ListDatasets", {"user": "ada-ml"}).data == a.data


def test_cache_files_hold_no_credentials(api, client, tmp_path):
    api.github_token = "ghp_SECRET123"
    client().get_json(f"{api.url}/users/ada-ml", headers={"Authorization": "Bearer ghp_SECRET123"})
    files = list((tmp_path / "cache").glob("*.json"))
    assert files
    for f in files:
        text = f.read_text()
        assert "ghp_SECRET123" not in text and "Authorization" not in text
        assert json.loads(text)["data"]["login"] == "ada-ml"


def test_parse_link():
    header = ('<https://api.github.com/user/1/repos?page=2>; rel="next", '
              '<https://api.github.com/user/1/repos?page=3>; rel="last"')
    assert parse_link(header) == {"next": "https://api.github.com/user/1/repos?page=2",
                                  "last": "https://api.github.com/user/1/repos?page=3"}
    assert parse_link("") == {}
    assert parse_link("garbage, <x>; rel=prev") == {"prev": "x"}
