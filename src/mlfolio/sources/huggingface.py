"""Hugging Face Hub: a user's (or organisation's) public models, datasets and Spaces, asked the way the Hub's
own clients do — `GET {base}/api/models?author=USER&limit=…&expand=…`, pages followed through
`Link: <…&cursor=…>; rel="next"`. Plain requests through the shared HTTP client rather than `huggingface_hub`,
so the Hub gets our ETag cache, timeouts, fallback and `--offline` like every other source."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from ..projects import CardSection, Project, SourceView, Stat, compact, number
from ..remote.errors import RateLimited, RemoteError, Unauthorized
from ..remote.snapshot import now_iso, parse_time
from ..schema import opt
from .base import ApiClient, Credentials, Source

DEFAULT_API = "https://huggingface.co"
SITE = "https://huggingface.co"
PAGE_SIZE = 100
MAX_PAGES = 20

# What each list asks the Hub to include (its `expand` parameter); `tags` carries the licence ('license:mit').
KINDS = {
    "models": ("downloads", "likes", "pipeline_tag", "library_name", "lastModified", "tags", "private", "gated"),
    "datasets": ("downloads", "likes", "lastModified", "tags", "private", "gated", "description"),
    "spaces": ("likes", "sdk", "lastModified", "tags", "private", "cardData"),
}
# Tags the Hub adds by itself: shown elsewhere on the card (licence, library) or noise on a portfolio.
_HIDDEN_TAG_PREFIXES = ("license:", "region:", "endpoints_compatible", "autotrain_compatible", "arxiv:",
                        "base_model:", "dataset:", "doi:", "format:", "size_categories:", "modality:",
                        "library:", "task_categories:", "task_ids:", "language:", "text-generation-inference",
                        "deploy:", "template:", "has_space", "sdk:")


@dataclass
class HuggingFaceSettings:
    user: str = opt("", "Hugging Face user or organisation whose models, datasets and Spaces become cards; empty disables it.")
    api_url: str = opt("", "Hub base URL; env `MLFOLIO_HUGGINGFACE_API_URL` wins.")
    models: bool = opt(True, "Show the user's models.")
    datasets: bool = opt(True, "Show the user's datasets.")
    spaces: bool = opt(True, "Show the user's Spaces.")
    featured: list[str] = opt([], "Repo ids (`user/name`, or just `name`) shown first and on the home page.")
    sort: str = opt("downloads", "Order of the cards: `downloads`, `likes` or `updated`.", choices=("downloads", "likes", "updated"))
    limit: int = opt(12, "At most this many cards of each kind (featured ones are never cut).", min=0)


class HuggingFaceSource(Source):
    name = "huggingface"
    label = "Hugging Face"
    settings = HuggingFaceSettings
    api_env = "MLFOLIO_HUGGINGFACE_API_URL"
    link_kind = "huggingface"

    def credentials(self, env) -> Credentials | None:
        for var in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
            token = (env.get(var) or "").strip()
            if token:
                return Credentials({"Authorization": f"Bearer {token}"}, var, (token,))
        return None

    def fetch(self, http, settings, user, credentials) -> dict:
        client = HubClient(http, api_url=settings.api_url, credentials=credentials)
        return client.fetch(user, models=settings.models, datasets=settings.datasets, spaces=settings.spaces)

    def fresh_enough(self, data, settings) -> bool:
        """A kind switched on since the last fetch needs a fetch."""
        return all(kind in data for kind in KINDS if getattr(settings, kind))

    def explain(self, exc, credentials) -> tuple[str, str]:
        if isinstance(exc, Unauthorized):
            if credentials:
                return (f"the Hub rejected the token from {credentials.source} (401)",
                        "create a new read token at huggingface.co/settings/tokens, or unset it for public data")
            return "the Hub answered 401 Unauthorized", "check huggingface.api_url"
        if isinstance(exc, RateLimited):
            return ("Hugging Face Hub rate limit exceeded",
                    "wait a few minutes, set HF_TOKEN for a higher limit, or build with --offline")
        return super().explain(exc, credentials)

    def view(self, data, settings, user, status) -> SourceView:
        cards = to_projects(data, settings) if data else {kind: [] for kind in KINDS}
        titles = {"models": ("hf-models", "Hugging Face models", "model"),
                  "datasets": ("hf-datasets", "Hugging Face datasets", "dataset"),
                  "spaces": ("hf-spaces", "Hugging Face Spaces", "space")}
        sections = [CardSection(titles[k][0], titles[k][1], cards[k], titles[k][2])
                    for k in KINDS if getattr(settings, k) or cards[k]]
        downloads, likes = totals(data)
        return SourceView(
            self.name, self.label, user, status,
            profile_url=data.get("profile_url") or f"{SITE}/{quote(user)}", sections=sections,
            featured=[p for k in KINDS for p in cards[k] if p.featured],
            totals=[Stat("hf_downloads", downloads, compact(downloads), "Hugging Face downloads (30 days)",
                         "download"),
                    Stat("hf_likes", likes, number(likes), "Hugging Face likes", "heart")] if data else [],
            data=data)

    def check(self, data, settings):
        problems = []
        if data and not any(data.get(k) for k in KINDS):
            problems.append(("user", f"'{data.get('user')}' has no public models, datasets or Spaces on the Hub",
                             "check the spelling of huggingface.user (the name in your huggingface.co URL)"))
        ids = {_short(r.get("id", "")).lower() for k in KINDS for r in data.get(k) or []}
        ids |= {str(r.get("id", "")).lower() for k in KINDS for r in data.get(k) or []}
        for f in settings.featured:
            if f.lower() not in ids:
                problems.append(("featured", f"featured item '{f}' is not a public model, dataset or Space of "
                                 f"'{data.get('user')}'", "check the id in huggingface.featured"))
        return problems

    def summary(self, data, view) -> str:
        downloads, likes = totals(data)
        counts = [_count(len(data.get(k) or []), noun) for k, noun in
                  (("models", "model"), ("datasets", "dataset"), ("spaces", "Space")) if k in data]
        return ", ".join(counts + [_count(downloads, "download"), _count(likes, "like")])


class HubClient(ApiClient):
    default_api = DEFAULT_API

    def list_all(self, kind: str, user: str) -> list[dict]:
        """Every page of one list. A `rel="next"` to another host is refused: the token goes only to the Hub."""
        query = [("author", user), ("limit", str(PAGE_SIZE)), ("full", "false")]
        query += [("expand", key) for key in KINDS[kind]]
        url = f"{self.api}/api/{kind}?{urlencode(query)}"
        items: list[dict] = []
        for _ in range(MAX_PAGES):
            if _origin(url) != _origin(self.api):
                raise RemoteError(f"the Hub pointed to another host ({_origin(url)[1]}) for the next page; not "
                                  "followed", url=url)
            page = self.http.get_json(url, headers=self.headers())
            if not isinstance(page.data, list):
                raise RemoteError(f"unexpected answer from /api/{kind} (not a list)", url=page.url)
            items.extend(x for x in page.data if isinstance(x, dict))
            url = page.links.get("next", "")
            if not url:
                break
        return items

    def fetch(self, user: str, *, models: bool = True, datasets: bool = True, spaces: bool = True) -> dict:
        """The snapshot's 'huggingface' section: public items only, even when a token would list private ones."""
        wanted = [k for k, on in (("models", models), ("datasets", datasets), ("spaces", spaces)) if on]
        with ThreadPoolExecutor(3, thread_name_prefix="mlfolio-hf") as pool:
            raw = dict(zip(wanted, pool.map(lambda k: self.list_all(k, user), wanted)))
        normalise = {"models": normalise_model, "datasets": normalise_dataset, "spaces": normalise_space}
        out = {"user": user, "profile_url": f"{SITE}/{quote(user)}", "fetched_at": now_iso()}
        for kind in wanted:
            out[kind] = sorted((normalise[kind](x) for x in raw[kind]
                                if _str(x.get("id")) and x.get("private") is not True),
                               key=lambda r: r["id"].lower())
        return out


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.netloc or "").lower()


# --- normalised records ------------------------------------------------------------------------------

def _int(v) -> int:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 else 0


def _str(v) -> str:
    return v.strip() if isinstance(v, str) else ""


def _short(repo_id: str) -> str:
    return repo_id.rsplit("/", 1)[-1]


def _tags(raw) -> tuple[str, list[str]]:
    """(licence, the tags worth showing) from the Hub's tag list."""
    tags = [t.strip() for t in raw if isinstance(t, str) and t.strip()] if isinstance(raw, list) else []
    licence = next((t.split(":", 1)[1] for t in tags if t.startswith("license:")), "")
    shown = [t for t in tags if not t.startswith(_HIDDEN_TAG_PREFIXES) and len(t) <= 40]
    return licence, list(dict.fromkeys(shown))


def _repo_url(kind: str, repo_id: str) -> str:
    prefix = {"models": "", "datasets": "datasets/", "spaces": "spaces/"}[kind]
    return f"{SITE}/{prefix}{quote(repo_id, safe='/')}"


def normalise_model(m: dict) -> dict:
    repo_id = _str(m.get("id"))
    licence, tags = _tags(m.get("tags"))
    return {"id": repo_id, "url": _repo_url("models", repo_id), "downloads": _int(m.get("downloads")),
            "likes": _int(m.get("likes")), "pipeline_tag": _str(m.get("pipeline_tag")),
            "library": _str(m.get("library_name")), "license": licence, "updated": _str(m.get("lastModified")),
            "tags": tags[:12], "gated": bool(m.get("gated"))}


def normalise_dataset(d: dict) -> dict:
    repo_id = _str(d.get("id"))
    licence, tags = _tags(d.get("tags"))
    description = " ".join(_str(d.get("description")).split())
    return {"id": repo_id, "url": _repo_url("datasets", repo_id), "downloads": _int(d.get("downloads")),
            "likes": _int(d.get("likes")), "license": licence, "updated": _str(d.get("lastModified")),
            "description": description[:300], "tags": tags[:12], "gated": bool(d.get("gated"))}


def normalise_space(s: dict) -> dict:
    repo_id = _str(s.get("id"))
    card = s.get("cardData") if isinstance(s.get("cardData"), dict) else {}
    licence, tags = _tags(s.get("tags"))
    return {"id": repo_id, "url": _repo_url("spaces", repo_id), "likes": _int(s.get("likes")),
            "sdk": _str(s.get("sdk")) or _str(card.get("sdk")), "license": licence or _str(card.get("license")),
            "updated": _str(s.get("lastModified")), "title": _str(card.get("title"))[:120],
            "emoji": _str(card.get("emoji"))[:8], "description": _str(card.get("short_description"))[:300],
            "tags": tags[:12]}


# --- cards --------------------------------------------------------------------------------------------

PIPELINE_LABELS = {"text-generation": "Text generation", "text-classification": "Text classification",
                   "token-classification": "Token classification", "image-classification": "Image classification",
                   "text-to-image": "Text to image", "automatic-speech-recognition": "Speech recognition",
                   "feature-extraction": "Feature extraction", "sentence-similarity": "Sentence similarity",
                   "fill-mask": "Fill mask", "translation": "Translation", "summarization": "Summarization",
                   "question-answering": "Question answering", "object-detection": "Object detection",
                   "image-text-to-text": "Image-text to text", "zero-shot-classification": "Zero-shot classification"}
SDK_LABELS = {"gradio": "Gradio", "streamlit": "Streamlit", "docker": "Docker", "static": "Static"}


def _featured_rank(settings) -> dict[str, int]:
    return {f.lower(): i for i, f in enumerate(settings.featured)}


def _rank_of(record: dict, ranks: dict[str, int]) -> int | None:
    rid = record["id"].lower()
    return ranks.get(rid, ranks.get(_short(rid)))


def _order(records: list[dict], settings) -> list[dict]:
    if settings.sort == "updated":
        return sorted(records, key=lambda r: (r.get("updated") or "", r["id"].lower()), reverse=True)
    key = "likes" if settings.sort == "likes" else "downloads"
    return sorted(records, key=lambda r: (-(r.get(key) or 0), -(r.get("likes") or 0), r["id"].lower()))


def to_projects(data: dict, settings) -> dict[str, list[Project]]:
    """Cards per kind: featured first (in the configured order), then by `sort`, cut at `limit`."""
    ranks = _featured_rank(settings)
    out: dict[str, list[Project]] = {}
    for kind in KINDS:
        records = [r for r in data.get(kind) or [] if isinstance(r, dict) and r.get("id")] \
            if getattr(settings, kind) else []
        featured = sorted((r for r in records if _rank_of(r, ranks) is not None), key=lambda r: _rank_of(r, ranks))
        rest = _order([r for r in records if _rank_of(r, ranks) is None], settings)
        room = max(settings.limit - len(featured), 0)
        out[kind] = [card(kind, r, featured=True) for r in featured] + [card(kind, r) for r in rest[:room]]
    return out


def card(kind: str, r: dict, *, featured: bool = False) -> Project:
    updated = parse_time(r.get("updated"))
    likes = r.get("likes") or 0
    stats = []
    if kind != "spaces":
        downloads = r.get("downloads") or 0
        stats.append(Stat("downloads", downloads, f"{compact(downloads)} downloads", "Downloads (last 30 days)",
                          "download"))
    stats.append(Stat("likes", likes, f"{number(likes)} likes", "Likes", "heart"))
    if r.get("license"):
        stats.append(Stat("license", r["license"], f"{r['license']} licence", "Licence"))
    shown_elsewhere = {r.get("library"), r.get("pipeline_tag"), r.get("sdk")}
    common = dict(url=r.get("url") or _repo_url(kind, r["id"]), featured=featured, source="huggingface",
                  tags=[t for t in r.get("tags") or [] if t not in shown_elsewhere][:6], stats=stats, updated=updated,
                  date=updated.date() if updated else None, extra=dict(r))
    if kind == "models":
        pipeline = r.get("pipeline_tag") or ""
        return Project(kind="hf-model", title=r["id"], kind_label="Model", icon="model",
                       description=PIPELINE_LABELS.get(pipeline, pipeline.replace("-", " ").capitalize()),
                       language=r.get("library") or "", badge="Gated" if r.get("gated") else "", **common)
    if kind == "datasets":
        return Project(kind="hf-dataset", title=r["id"], kind_label="Dataset", icon="dataset",
                       description=r.get("description") or "", badge="Gated" if r.get("gated") else "", **common)
    return Project(kind="hf-space", title=r.get("title") or _short(r["id"]), kind_label="Space", icon="space",
                   description=r.get("description") or "", language=SDK_LABELS.get(r.get("sdk", ""), r.get("sdk", "")),
                   **common)


def totals(data: dict) -> tuple[int, int]:
    """(downloads, likes) over every public item."""
    downloads = sum(_int(x.get("downloads")) for k in ("models", "datasets") for x in data.get(k) or []
                    if isinstance(x, dict))
    likes = sum(_int(x.get("likes")) for k in KINDS for x in data.get(k) or [] if isinstance(x, dict))
    return downloads, likes
