"""A loopback server that answers like the GitHub REST API, the Kaggle API (kagglesdk style) and the Hugging Face
Hub API (`/api/models|datasets|spaces?author=…`, cursor pages in `Link`), so the
remote tests never touch the network and never mock `requests`.

    def test_x(fake_api, monkeypatch):
        fake_api.add_github_user("ada-ml", repos=300)
        monkeypatch.setenv("MLFOLIO_GITHUB_API_URL", fake_api.url)
        ...
        assert fake_api.paths() == [...]

Every request is recorded (method, path, query, headers, JSON body) before any fault is applied.
Faults are switched on per test: `fake_api.fault("/users/ada-ml", "ratelimit", times=1)`.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import pytest

LAST_MODIFIED = "Wed, 01 May 2024 12:00:00 GMT"
FAULTS = ("ratelimit", "secondary", "secondary403", "500", "slow", "truncated", "drop", "401", "403", "404")


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict | None = None
    pairs: list[tuple[str, str]] = field(default_factory=list)   # the query in order, repeated keys kept

    def values(self, key: str) -> list[str]:
        return [v for k, v in self.pairs if k == key]

    @property
    def target(self) -> str:
        return self.path + ("?" + "&".join(f"{k}={v}" for k, v in sorted(self.query.items())) if self.query else "")

    def header(self, name: str) -> str | None:
        for k, v in self.headers.items():
            if k.lower() == name.lower():
                return v
        return None


@dataclass
class Fault:
    pattern: re.Pattern
    kind: str
    times: int | None          # None: every time
    retry_after: float = 1
    slow_seconds: float = 2.0
    reset: int = 0


@dataclass
class FakeAPI:
    url: str = ""
    github_users: dict[str, dict] = field(default_factory=dict)
    github_repos: dict[str, list[dict]] = field(default_factory=dict)
    languages: dict[str, dict[str, int]] = field(default_factory=dict)
    kaggle: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    kaggle_entered: list[dict] = field(default_factory=list)
    hf: dict[str, dict[str, list[dict]]] = field(default_factory=dict)   # author -> {'models': [...], ...}
    github_prs: dict[str, list[dict]] = field(default_factory=dict)      # author -> search hits (merged PRs)
    github_other_repos: dict[str, dict] = field(default_factory=dict)    # 'owner/name' -> GET /repos/… answer
    github_pinned: dict[str, list[tuple[str, str]]] = field(default_factory=dict)   # user -> [(owner, name)]
    github_token: str | None = None        # when set, a request with another token gets 401
    kaggle_auth: set[str] = field(default_factory=set)   # accepted Authorization values; empty: any non-empty
    kaggle_requires_auth: bool = True
    link_last: bool = True                 # False: Link headers carry only rel="next" (sequential walk)
    link_host: str = ""                    # set: Link headers name this origin instead (a hostile API)
    latency: float = 0.0                   # seconds added to every answer (a real API's round trip)
    json_routes: dict[str, object] = field(default_factory=dict)   # path -> JSON answer (plugins' sources)
    text_routes: dict[str, tuple[str, bytes]] = field(default_factory=dict)   # path -> (content type, body): feeds
    requests: list[Recorded] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- data -----------------------------------------------------------------------------------------

    def add_github_user(self, login: str, *, repos: int | list[dict] = 3, followers: int = 12,
                        name: str = "Ada Test") -> list[dict]:
        if isinstance(repos, int):
            repos = [make_repo(login, i) for i in range(repos)]
        self.github_users[login.lower()] = {
            "login": login, "id": 1000 + len(self.github_users), "name": name,
            "html_url": f"https://github.com/{login}", "followers": followers, "following": 3, "public_repos": len(repos), "type": "User",
        }
        self.github_repos[login.lower()] = repos
        for r in repos:
            self.languages.setdefault(r["full_name"].lower(), {"Python": 9000, "Jupyter Notebook": 800, "Shell": 200})
        return repos

    def add_kaggle_user(self, user: str, *, datasets: int = 3, notebooks: int = 4) -> None:
        self.kaggle[user.lower()] = {
            "datasets": [make_dataset(user, i) for i in range(datasets)],
            "kernels": [make_kernel(user, i) for i in range(notebooks)],
        }

    def add_hf_user(self, user: str, *, models: int = 3, datasets: int = 2, spaces: int = 1) -> dict:
        self.hf[user.lower()] = {
            "models": [make_hf_model(user, i) for i in range(models)],
            "datasets": [make_hf_dataset(user, i) for i in range(datasets)],
            "spaces": [make_hf_space(user, i) for i in range(spaces)],
        }
        return self.hf[user.lower()]

    def add_merged_prs(self, author: str, repos: dict[str, int], *, stars: int = 1500) -> list[dict]:
        """`repos` maps 'owner/name' to how many merged PRs `author` has there; each repo gets `stars` stars."""
        hits = []
        for n, (full, count) in enumerate(repos.items()):
            self.github_other_repos[full.lower()] = {
                "full_name": full, "html_url": f"https://github.com/{full}", "description": f"The {full} project",
                "stargazers_count": stars + n, "archived": False}
            for i in range(count):
                hits.append(make_pr(full, 100 + 10 * n + i, f"2025-0{1 + (n + i) % 9}-1{i % 10}T12:00:00Z"))
        self.github_prs[author.lower()] = hits
        return hits

    def add_json(self, path: str, payload) -> None:
        """Any other API: GET `path` answers `payload` with an ETag (for sources added by plugins)."""
        self.json_routes[path] = payload

    # --- faults and records ---------------------------------------------------------------------------

    def fault(self, path_regex: str, kind: str, *, times: int | None = None, retry_after: float = 1,
              slow_seconds: float = 2.0, reset_in: int = 1800) -> None:
        assert kind in FAULTS, kind
        self.faults.append(Fault(re.compile(path_regex), kind, times, retry_after, slow_seconds,
                                 int(time.time()) + reset_in))

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.faults.clear()

    def paths(self, method: str | None = None) -> list[str]:
        return [r.target for r in self.requests if method is None or r.method == method]

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.pattern.search(path) and (f.times is None or f.times > 0):
                    if f.times is not None:
                        f.times -= 1
                    return f
        return None


def make_repo(owner: str, i: int, **over) -> dict:
    name = over.pop("name", f"repo-{i:03d}")
    repo = {
        "id": 5000 + i, "name": name, "full_name": f"{owner}/{name}", "private": False,
        "html_url": f"https://github.com/{owner}/{name}", "description": f"Project number {i}",
        "fork": i % 10 == 9, "archived": i % 25 == 24, "homepage": "", "language": ["Python", "Rust", "C++"][i % 3],
        "stargazers_count": (i * 7) % 50, "forks_count": i % 5, "topics": ["ml"] if i % 2 else ["ml", "nlp"],
        "pushed_at": f"2024-0{1 + i % 9}-{1 + i % 28:02d}T10:00:00Z", "owner": {"login": owner},
    }
    repo.update(over)
    return repo


def make_dataset(user: str, i: int) -> dict:
    return {"ref": f"{user}/dataset-{i}", "title": f"Dataset {i}", "subtitle": f"Rows of data {i}",
            "url": f"https://www.kaggle.com/datasets/{user}/dataset-{i}", "voteCount": 10 * i + 1,
            "downloadCount": 100 * i + 7, "usabilityRating": 0.88, "lastUpdated": "2024-03-01T08:00:00.000Z",
            "tags": [{"name": "tabular"}]}


def make_competition(i: int, *, rank: int = 37, teams: int = 2000) -> dict:
    return {"ref": f"https://www.kaggle.com/competitions/challenge-{i}", "title": f"Challenge {i}",
            "url": f"https://www.kaggle.com/competitions/challenge-{i}", "deadline": f"2023-0{1 + i % 9}-15T23:59:00Z",
            "category": "Featured", "teamCount": teams, "userRank": rank, "userHasEntered": True}


def make_pr(full: str, number: int, merged_at: str, **over) -> dict:
    """A hit of `GET /search/issues?q=is:pr+is:merged…`."""
    return {"title": f"Fix off-by-one in {full.split('/')[1]} loader ({number})", "number": number,
            "html_url": f"https://github.com/{full}/pull/{number}", "state": "closed", "closed_at": merged_at,
            "repository_url": f"https://api.github.com/repos/{full}",
            "pull_request": {"url": f"https://api.github.com/repos/{full}/pulls/{number}", "merged_at": merged_at,
                             "html_url": f"https://github.com/{full}/pull/{number}"}, **over}


def make_hf_model(user: str, i: int, **over) -> dict:
    """A model as `GET /api/models?expand=…` lists it."""
    return {"_id": f"65a{i:021x}", "id": f"{user}/model-{i}", "downloads": 1000 * (i + 1), "likes": 3 * i,
            "pipeline_tag": "text-generation", "library_name": "transformers", "private": False, "gated": False,
            "lastModified": f"2025-0{1 + i % 9}-15T10:00:00.000Z",
            "tags": ["transformers", "safetensors", "llama", "text-generation", "license:apache-2.0", "region:us",
                     "endpoints_compatible", "en"], **over}


def make_hf_dataset(user: str, i: int, **over) -> dict:
    return {"_id": f"66b{i:021x}", "id": f"{user}/dataset-{i}", "downloads": 50 * (i + 1), "likes": i,
            "private": False, "gated": False, "lastModified": "2025-02-01T08:00:00.000Z",
            "description": f"Dataset {i}: curated\n  question–answer pairs.",
            "tags": ["task_categories:question-answering", "language:en", "size_categories:1K<n<10K",
                     "license:cc-by-4.0", "format:parquet", "region:us"], **over}


def make_hf_space(user: str, i: int, **over) -> dict:
    return {"_id": f"67c{i:021x}", "id": f"{user}/demo-{i}", "likes": 7 + i, "sdk": "gradio", "private": False,
            "lastModified": "2025-03-01T12:00:00.000Z", "tags": ["gradio", "region:us"],
            "cardData": {"title": f"Demo {i}", "emoji": "🚀", "sdk": "gradio", "short_description": "Try the model",
                         "license": "mit"}, **over}


def make_kernel(user: str, i: int) -> dict:
    return {"ref": f"{user}/notebook-{i}", "title": f"Notebook {i}", "author": user, "totalVotes": 5 * i + 2,
            "language": "python", "lastRunTime": "2024-02-01T08:00:00Z", "kernelType": "notebook"}


# --- the server -----------------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    api: FakeAPI

    def log_message(self, *args):       # keep pytest output clean
        pass

    def do_GET(self):
        self._safely("GET")

    def do_POST(self):
        self._safely("POST")

    def _safely(self, method: str) -> None:
        try:
            self._handle(method)
        except (BrokenPipeError, ConnectionResetError):     # the client gave up (timeout tests)
            self.close_connection = True

    # plumbing ------------------------------------------------------------------------------------------

    def _handle(self, method: str) -> None:
        api = self.api
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        body = None
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"_invalid": raw.decode("latin-1")}
        with api.lock:
            api.requests.append(Recorded(method, parts.path, query, dict(self.headers.items()), body,
                                         parse_qsl(parts.query, keep_blank_values=True)))
        if api.latency:
            time.sleep(api.latency)
        fault = api.take_fault(parts.path)
        if fault and self._apply_fault(fault):
            return
        if parts.path in api.text_routes:
            self._send_bytes(*api.text_routes[parts.path], truncate=bool(fault and fault.kind == "truncated"))
        elif parts.path in api.json_routes:
            self._send(200, api.json_routes[parts.path], etag=True, truncate=bool(fault and fault.kind == "truncated"))
        elif parts.path.startswith("/v1/"):
            self._kaggle(parts.path, body or {}, fault)
        elif parts.path in ("/graphql", "/api/graphql"):
            self._graphql(body or {})
        elif parts.path.startswith("/api/"):
            self._hf(parts.path, parts.query, fault)
        else:
            self._github(parts.path, query, fault)

    def _apply_fault(self, f: Fault) -> bool:
        """True when the fault answered (or killed) the request; 'slow'/'truncated' act later."""
        k = f.kind
        if k == "ratelimit":
            self._send(403, {"message": "API rate limit exceeded for 127.0.0.1.",
                             "documentation_url": "https://docs.github.com/rest/rate-limit"},
                       {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(f.reset)})
        elif k == "secondary":
            self._send(429, {"message": "You have exceeded a secondary rate limit."},
                       {"Retry-After": f"{f.retry_after:g}"})
        elif k == "secondary403":
            self._send(403, {"message": "You have exceeded a secondary rate limit."},
                       {"Retry-After": f"{f.retry_after:g}", "X-RateLimit-Remaining": "40"})
        elif k == "500":
            self._send(500, {"message": "Server Error"})
        elif k == "401":
            self._send(401, {"message": "Bad credentials"})
        elif k == "403":
            self._send(403, {"message": "Forbidden"})
        elif k == "404":
            self._send(404, {"message": "Not Found"})
        elif k == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        elif k == "slow":
            time.sleep(f.slow_seconds)
            return False
        else:
            return False
        return True

    def _send_bytes(self, content_type: str, body: bytes, *, truncate: bool = False) -> None:
        """A non-JSON answer (a feed, an HTML page) with an ETag, answering If-None-Match with 304."""
        tag = '"' + hashlib.sha1(body).hexdigest() + '"'
        if self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = body[: max(1, len(body) // 2)] if truncate else body
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("ETag", tag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def _send(self, status: int, payload, headers: dict | None = None, *, etag: bool = False,
              truncate: bool = False) -> None:
        body = json.dumps(payload).encode()
        headers = dict(headers or {})
        if etag:
            tag = '"' + hashlib.sha1(body).hexdigest() + '"'
            headers["ETag"] = tag
            headers["Last-Modified"] = LAST_MODIFIED
            if self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        if truncate:
            body = body[: max(1, len(body) // 2)]
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    # GitHub ----------------------------------------------------------------------------------------------

    def _github(self, path: str, query: dict, fault: Fault | None) -> None:
        api = self.api
        truncate = bool(fault and fault.kind == "truncated")
        auth = self.headers.get("Authorization")
        if auth is not None and api.github_token is not None and auth != f"Bearer {api.github_token}":
            return self._send(401, {"message": "Bad credentials"})
        rate = {"X-RateLimit-Limit": "5000" if auth else "60", "X-RateLimit-Remaining": "59"}
        m = re.fullmatch(r"/users/([^/]+)", path)
        if m:
            user = api.github_users.get(m.group(1).lower())
            if not user:
                return self._send(404, {"message": "Not Found"}, rate)
            return self._send(200, user, rate, etag=True, truncate=truncate)
        m = re.fullmatch(r"/users/([^/]+)/repos", path)
        if m:
            repos = api.github_repos.get(m.group(1).lower())
            if repos is None:
                return self._send(404, {"message": "Not Found"}, rate)
            per = min(int(query.get("per_page", 30)), 100)
            page = int(query.get("page", 1))
            last = max(1, -(-len(repos) // per))
            chunk = repos[(page - 1) * per: page * per]
            base = f"{api.link_host or api.url}{path}?type={query.get('type', 'owner')}&per_page={per}"
            links = []
            if page < last:
                links.append(f'<{base}&page={page + 1}>; rel="next"')
                if api.link_last:
                    links.append(f'<{base}&page={last}>; rel="last"')
            if page > 1:
                links += [f'<{base}&page={page - 1}>; rel="prev"', f'<{base}&page=1>; rel="first"']
            if links:
                rate["Link"] = ", ".join(links)
            return self._send(200, chunk, rate, etag=True, truncate=truncate)
        if path == "/search/issues":
            q = query.get("q", "")
            author = (re.search(r"author:(\S+)", q) or [None, ""])[1].lower()
            if "is:merged" not in q or f"-user:{author}" not in q.lower():
                return self._send(422, {"message": "Validation Failed"}, rate)
            hits = api.github_prs.get(author, [])
            per, page = min(int(query.get("per_page", 30)), 100), int(query.get("page", 1))
            rate["X-RateLimit-Limit"], rate["X-RateLimit-Resource"] = "30", "search"
            return self._send(200, {"total_count": len(hits), "incomplete_results": False,
                                    "items": hits[(page - 1) * per: page * per]}, rate, etag=True, truncate=truncate)
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)", path)
        if m:
            info = api.github_other_repos.get(f"{m.group(1)}/{m.group(2)}".lower())
            if info is None:
                return self._send(404, {"message": "Not Found"}, rate)
            return self._send(200, info, rate, etag=True, truncate=truncate)
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/languages", path)
        if m:
            langs = api.languages.get(f"{m.group(1)}/{m.group(2)}".lower())
            if langs is None:
                return self._send(404, {"message": "Not Found"}, rate)
            return self._send(200, langs, rate, etag=True, truncate=truncate)
        self._send(404, {"message": "Not Found"})

    def _graphql(self, body: dict) -> None:
        """GitHub's GraphQL endpoint, for the one query mlfolio sends (pinned repositories)."""
        auth = self.headers.get("Authorization") or ""
        if not auth or (self.api.github_token is not None and auth != f"Bearer {self.api.github_token}"):
            return self._send(401, {"message": "This endpoint requires you to be authenticated."})
        login = str((body.get("variables") or {}).get("login", "")).lower()
        if "pinnedItems" not in str(body.get("query")):
            return self._send(200, {"errors": [{"message": "Field 'x' doesn't exist on type 'Query'"}]})
        if login not in self.api.github_users:
            return self._send(200, {"data": {"user": None}, "errors": [
                {"type": "NOT_FOUND", "message": f"Could not resolve to a User with the login of '{login}'."}]})
        nodes = [{"name": name, "owner": {"login": owner}} for owner, name in self.api.github_pinned.get(login, [])]
        self._send(200, {"data": {"user": {"pinnedItems": {"nodes": nodes}}}})

    # Kaggle ----------------------------------------------------------------------------------------------

    def _kaggle(self, path: str, body: dict, fault: Fault | None) -> None:
        api = self.api
        truncate = bool(fault and fault.kind == "truncated")
        auth = self.headers.get("Authorization") or ""
        if api.kaggle_requires_auth and (not auth or (api.kaggle_auth and auth not in api.kaggle_auth)):
            return self._send(401, {"code": 401, "message": "Unauthenticated"})
        m = re.fullmatch(r"/v1/([\w.]+)/(\w+)", path)
        if not m:
            return self._send(404, {"code": 404, "message": "Not found"})
        service, method = m.groups()
        if (service, method) == ("datasets.DatasetApiService", "ListDatasets"):
            items, key = api.kaggle.get(str(body.get("user", "")).lower(), {}).get("datasets", []), "datasets"
        elif (service, method) == ("kernels.KernelsApiService", "ListKernels"):
            items, key = api.kaggle.get(str(body.get("user", "")).lower(), {}).get("kernels", []), "kernels"
        elif (service, method) == ("competitions.CompetitionApiService", "ListCompetitions"):
            items, key = (api.kaggle_entered if body.get("group") == "COMPETITION_LIST_TAB_ENTERED" else []), \
                "competitions"
        else:
            return self._send(404, {"code": 404, "message": "Not found"})
        size = int(body.get("pageSize") or 20)
        start = int(base64.b64decode(body["pageToken"]).decode()) if body.get("pageToken") else 0
        out = {key: items[start:start + size]}
        if start + size < len(items):
            out["nextPageToken"] = base64.b64encode(str(start + size).encode()).decode()
        self._send(200, out, truncate=truncate)


    # Hugging Face Hub ------------------------------------------------------------------------------------

    def _hf(self, path: str, raw_query: str, fault: Fault | None) -> None:
        api = self.api
        m = re.fullmatch(r"/api/(models|datasets|spaces)", path)
        if not m:
            return self._send(404, {"error": "Sorry, we can't find the page you are looking for."})
        query = parse_qs(raw_query)
        author = (query.get("author") or [""])[-1].lower()
        items = api.hf.get(author, {}).get(m.group(1), [])
        size = min(int((query.get("limit") or ["1000"])[-1]), 1000)
        start = int(base64.b64decode((query.get("cursor") or [""])[-1] or "MA==").decode())
        headers = {}
        if start + size < len(items):
            cursor = base64.b64encode(str(start + size).encode()).decode()
            keep = [(k, v) for k, vs in query.items() if k != "cursor" for v in vs] + [("cursor", cursor)]
            headers["Link"] = f'<{api.link_host or api.url}{path}?{urlencode(keep)}>; rel="next"'
        self._send(200, items[start:start + size], headers, etag=True,
                   truncate=bool(fault and fault.kind == "truncated"))


def start(api: FakeAPI) -> tuple[ThreadingHTTPServer, threading.Thread]:
    handler = type("Handler", (_Handler,), {"api": api})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


SECRET_VARS = ("GITHUB_TOKEN", "KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR",
               "MLFOLIO_GITHUB_API_URL", "MLFOLIO_KAGGLE_API_URL", "MLFOLIO_READING_API_URL", "HF_TOKEN",
               "HUGGING_FACE_HUB_TOKEN", "MLFOLIO_HUGGINGFACE_API_URL")


@pytest.fixture
def remote_env(monkeypatch, tmp_path):
    """No credential or API override of the developer's machine leaks into a test; HOME is empty."""
    for var in SECRET_VARS:
        monkeypatch.delenv(var, raising=False)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    return monkeypatch


def fetch_view(name: str, cfg, site, marks: dict, *, offline: bool = False, use_ttl: bool = False):
    """One source's view after a fetch stage (as a build runs it), and the problems it reported."""
    from mlfolio.errors import Problems
    from mlfolio.fetch import fetch_sources
    from mlfolio.plugins import core_registry

    problems = Problems(root=site)
    views = fetch_sources(cfg, core_registry(), site, marks=marks, problems=problems, offline=offline,
                          use_ttl=use_ttl)
    return views[name], problems


@pytest.fixture
def site(tmp_path, remote_env):
    """An empty site folder for a source's fetch (its cache and snapshot go there), in a clean environment."""
    (tmp_path / "site").mkdir()
    return tmp_path / "site"


@pytest.fixture
def fake_api():
    api = FakeAPI()
    server, thread = start(api)
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- `python tests/fakeapi.py`: the request counts and times of docs/readme/remote.md -------------------

def bench(latency: float = 0.0, link_last: bool = True, rounds: int = 5) -> list[tuple[str, str, float]]:
    """Cold / warm / TTL / offline fetches of a 300-repo user (2 featured) plus a Kaggle user."""
    import statistics
    import tempfile
    from pathlib import Path

    from mlfolio.config import FetchSettings, SiteConfig
    from mlfolio.fetch import run_fetch
    from mlfolio.plugins import core_registry
    from mlfolio.sources.github import GitHubSettings
    from mlfolio.sources.kaggle import KaggleSettings

    api = FakeAPI(latency=latency, link_last=link_last)
    server, _ = start(api)
    api.add_github_user("ada-ml", repos=300)
    api.add_kaggle_user("ada-ml", datasets=3, notebooks=4)
    api.kaggle_entered = [make_competition(1)]
    cfg = SiteConfig(fetch=FetchSettings(ttl=600, timeout=5), sections={
        "github": GitHubSettings(user="ada-ml", api_url=api.url, featured=["repo-001", "repo-002"]),
        "kaggle": KaggleSettings(user="ada-ml", api_url=api.url)})
    registry = core_registry()
    env = {"KAGGLE_API_TOKEN": "bench"}
    times: dict[str, list[float]] = {}
    counts: dict[str, str] = {}
    try:
        for _ in range(rounds):
            site = Path(tempfile.mkdtemp(prefix="mlfolio-bench-"))
            for name, kw in (("cold (empty cache)", {}), ("warm (cache, conditional)", {}),
                             ("serve, inside fetch.ttl", {"use_ttl": True}), ("--offline", {"offline": True})):
                api.requests.clear()
                t0 = time.perf_counter()
                run = run_fetch(cfg, registry, site, offline=kw.get("offline", False),
                                use_ttl=kw.get("use_ttl", False), env=env)
                times.setdefault(name, []).append(time.perf_counter() - t0)
                gh = [r for r in api.requests if not r.path.startswith("/v1/")]
                kg = [r for r in api.requests if r.path.startswith("/v1/")]
                counts[name] = f"{len(gh)} GitHub + {len(kg)} Kaggle = {run.stats.requests} ({run.stats.summary()})"
    finally:
        server.shutdown()
        server.server_close()
    return [(name, counts[name], statistics.median(ts) * 1000) for name, ts in times.items()]


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "src"))
    for latency, link_last in ((0.0, True), (0.05, True), (0.05, False)):
        label = f"latency {latency * 1000:.0f} ms" + ("" if link_last else ", no rel=last (sequential pages)")
        print(f"\n{label}")
        for name, count, ms in bench(latency, link_last):
            print(f"| {name} | {count} | {ms:.0f} ms |")
