"""GitHub REST v3: a user's profile, all their repositories (pages fetched concurrently) and, for
featured repositories, the language breakdown; optionally pinned repositories (github_pinned.py) and merged
pull requests to others' projects (github_contributions.py). Raw answers become a small normalised dict (the
snapshot format); `to_projects` applies the site's filters and turns it into cards."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ..projects import CardSection, LanguageShare, Project, SourceView, Stat, number
from ..remote.errors import RateLimited, RemoteError, Unauthorized
from ..remote.snapshot import now_iso, parse_time, safe_url
from ..schema import opt
from .base import Credentials, Source, SourceNotFound
from .github_contributions import contribution_cards, fetch_contributions, merged_count
from .github_pinned import effective_featured, fetch_pinned, wants_pinned

DEFAULT_API = "https://api.github.com"
PER_PAGE = 100
MAX_PAGES = 50                      # 5,000 repositories is plenty for a portfolio

# GitHub linguist colours of the languages ML portfolios use most (github-linguist languages.yml).
LANGUAGE_COLORS = {
    "Python": "#3572A5", "Jupyter Notebook": "#DA5B0B", "C++": "#f34b7d", "C": "#555555", "Cuda": "#3A4E3A",
    "Rust": "#dea584", "Go": "#00ADD8", "Java": "#b07219", "Kotlin": "#A97BFF", "Scala": "#c22d40",
    "Julia": "#a270ba", "R": "#198CE7", "MATLAB": "#e16737", "JavaScript": "#f1e05a", "TypeScript": "#3178c6",
    "HTML": "#e34c26", "CSS": "#563d7c", "SCSS": "#c6538c", "Vue": "#41b883", "Svelte": "#ff3e00",
    "Shell": "#89e051", "PowerShell": "#012456", "Dockerfile": "#384d54", "Makefile": "#427819",
    "CMake": "#DA3434", "TeX": "#3D6117", "Swift": "#F05138", "Ruby": "#701516", "PHP": "#4F5D95",
    "C#": "#178600", "Haskell": "#5e5086", "Lua": "#000080", "Perl": "#0298c3", "Fortran": "#4d41b1",
    "Cython": "#fedf5b", "Mojo": "#ff4c1f", "Zig": "#ec915c", "Dart": "#00B4AB", "Elixir": "#6e4a7e",
    "Nix": "#7e7eff", "Batchfile": "#C1F12E", "Starlark": "#76d275", "SQL": "#e38c00",
    "Objective-C": "#438eff", "OCaml": "#ef7a08", "Clojure": "#db5855", "Elm": "#60B5CC",
}


@dataclass
class GitHubSettings:
    user: str = opt("", "GitHub user whose repositories become project cards; empty disables GitHub.")
    api_url: str = opt("", "API base URL (GitHub Enterprise: `https://HOST/api/v3`); env `MLFOLIO_GITHUB_API_URL` wins.")
    include_forks: bool = opt(False, "Show forked repositories.")
    include_archived: bool = opt(False, "Show archived repositories.")
    min_stars: int = opt(0, "Hide repositories with fewer stars.", min=0)
    topics: list[str] = opt([], "Keep only repositories with any of these topics (empty: all).")
    exclude: list[str] = opt([], "Repository names to hide.")
    featured: list[str] = opt([], "Shown first (in this order) and on the home page, with a language bar; only `exclude` hides them, and `limit` never cuts them. `pinned`: the repositories pinned on your profile (needs GITHUB_TOKEN; otherwise the rest of the list, else the most-starred).")
    sort: str = opt("stars", "Order of repository cards: `stars`, `pushed` (last push) or `name`.", choices=("stars", "pushed", "name"))
    limit: int = opt(24, "At most this many repository cards.", min=0)
    contributions: bool = opt(False, "Show pull requests you got merged into other people's repositories (a section on the projects page and a count on the home page).")
    contributions_min_stars: int = opt(0, "Hide contributions to repositories with fewer stars.", min=0)
    contributions_exclude: list[str] = opt([], "Repositories (`owner/name`) or owners whose contributions to hide.")
    contributions_limit: int = opt(12, "At most this many contribution cards (one per repository).", min=0)


class GitHubSource(Source):
    name = "github"
    label = "GitHub"
    settings = GitHubSettings
    api_env = "MLFOLIO_GITHUB_API_URL"
    link_kind = "github"

    def credentials(self, env) -> Credentials | None:
        token = (env.get("GITHUB_TOKEN") or "").strip()
        if not token:
            return None
        return Credentials({"Authorization": f"Bearer {token}"}, "GITHUB_TOKEN", (token,))

    def fetch(self, http, settings, user, credentials) -> dict:
        client = GitHubClient(http, api_url=settings.api_url, credentials=credentials)
        try:
            return client.fetch(user, settings.featured, contributions=settings.contributions)
        except UserNotFound as exc:
            raise SourceNotFound(exc.reason, "check the spelling of github.user (the handle in your "
                                 "github.com URL)") from None

    def fresh_enough(self, data, settings) -> bool:
        """A newly featured repository needs its language breakdown, and newly asked contributions or pinned
        repositories their data, which only a fetch brings."""
        if (settings.contributions and "contributions" not in data) or \
                (wants_pinned(settings.featured) and "pinned" not in data):
            return False
        wanted = {f.lower() for f in effective_featured(data, settings.featured)}
        return all("languages" in r for r in data.get("repos", []) if r.get("name", "").lower() in wanted)

    def explain(self, exc, credentials) -> tuple[str, str]:
        if isinstance(exc, RateLimited):
            when = ""
            if exc.reset:
                left = max(0, int(exc.reset - time.time()))
                when = f", resets at {time.strftime('%H:%M UTC', time.gmtime(exc.reset))} (in {left // 60 + 1} min)"
            hint = ("the limit of this GITHUB_TOKEN is used up; wait for the reset or build with --offline"
                    if credentials else "set GITHUB_TOKEN to raise the limit from 60 to 5,000 requests an hour, or "
                    "build with --offline")
            return f"GitHub API rate limit exceeded{when}", hint
        if isinstance(exc, Unauthorized):
            if credentials:
                return ("GitHub rejected the token from GITHUB_TOKEN (401 Bad credentials)",
                        "create a new token, or unset GITHUB_TOKEN to fetch public data without one")
            return "GitHub answered 401 Unauthorized", "check github.api_url"
        return super().explain(exc, credentials)

    def view(self, data, settings, user, status) -> SourceView:
        repos = to_projects(data, settings) if data else []
        sections = [CardSection("repositories", "Open source", repos, "repo")]
        totals = [Stat("stars", total_stars(data), number(total_stars(data)), "GitHub stars", "star"),
                  Stat("followers", _int(data.get("followers")), number(_int(data.get("followers"))),
                       "GitHub followers", "users")] if data else []
        if settings.contributions:
            sections.append(CardSection("contributions", "Contributions to other projects",
                                        contribution_cards(data, settings) if data else [], "merge"))
            if data:
                merged = merged_count(data, settings)
                totals.append(Stat("merged_prs", merged, number(merged), "Pull requests merged into others' "
                                   "projects", "merge"))
        return SourceView(
            self.name, self.label, user, status,
            profile_url=data.get("profile_url") or f"https://github.com/{quote(user)}",
            sections=sections, featured=[p for p in repos if p.featured], totals=totals, data=data)

    def check(self, data, settings):
        names = {r.get("name", "").lower() for r in data.get("repos", [])}
        out = [("featured", f"featured repository '{f}' is not a public repository of '{data.get('user')}'",
                "check the name in github.featured") for f in effective_featured(data, settings.featured)
               if f.lower() not in names]
        if wants_pinned(settings.featured) and not isinstance(data.get("pinned"), list):
            rest = [f for f in settings.featured if f.strip().lower() != "pinned"]
            instead = "the rest of github.featured" if rest else "the most-starred repositories"
            out.append(("featured", f"pinned repositories unknown: {data.get('pinned_error') or 'not fetched'}; "
                        f"featuring {instead} instead", "set GITHUB_TOKEN (any token works) and build again"))
        return out

    def summary(self, data, view) -> str:
        return (f"{len(data.get('repos', []))} repositories ({len(view.section('repositories'))} shown), "
                f"{view.total('stars') or 0:,} stars, {view.total('followers') or 0:,} followers")


class UserNotFound(RemoteError):
    pass


class GitHubClient:
    def __init__(self, http, *, api_url: str = "", credentials: Credentials | None = None,
                 workers: int = 8):
        self.http = http
        self.api = (api_url or DEFAULT_API).rstrip("/")
        self.credentials = credentials
        self.workers = workers

    def headers(self) -> dict[str, str]:
        h = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if self.credentials:
            h.update(self.credentials.headers)
        return h

    def get(self, url: str):
        """One page of the API. Only the API's own host gets the token: a `Link: rel="next"` naming another
        host is refused, not followed."""
        if _origin(url) != _origin(self.api):
            raise RemoteError(f"the API pointed to another host ({_origin(url)[1]}) for the next page; not "
                              "followed", url=url)
        return self.http.get_json(url, headers=self.headers())

    def fetch(self, user: str, featured: list[str], *, contributions: bool = False) -> dict:
        """Everything the site shows for `user`, as the snapshot's 'github' section."""
        user_url = f"{self.api}/users/{quote(user)}"
        repos_url = f"{self.api}/users/{quote(user)}/repos?" + urlencode(
            {"type": "owner", "per_page": PER_PAGE})
        with ThreadPoolExecutor(self.workers, thread_name_prefix="mlfolio-github") as pool:
            f_user = pool.submit(self.get, user_url)
            f_first = pool.submit(self.get, repos_url)
            f_pinned = pool.submit(fetch_pinned, self, user) if wants_pinned(featured) else None
            try:
                profile = f_user.result()
            except RemoteError as exc:
                if exc.status == 404:
                    raise UserNotFound(f"GitHub user '{user}' not found", url=user_url, status=404) from None
                raise
            raw = self._all_pages(pool, f_first.result())
            repos = [normalise_repo(r) for r in raw if isinstance(r, dict) and r.get("name")]
            extra = {}
            if f_pinned is not None:
                extra["pinned"], why = f_pinned.result()
                if why:
                    extra["pinned_error"] = why
            if contributions:
                extra["contributions"] = fetch_contributions(self, pool, user)
            wanted = {f.lower() for f in effective_featured({"repos": repos, **extra}, featured)}
            chosen = [r for r in repos if r["name"].lower() in wanted]
            langs = list(pool.map(lambda r: self.get(
                f"{self.api}/repos/{quote(r['full_name'], safe='/')}/languages").data, chosen))
        for repo, data in zip(chosen, langs):
            repo["languages"] = {str(k): int(v) for k, v in (data or {}).items()
                                 if isinstance(v, (int, float)) and not isinstance(v, bool)}
        p = profile.data if isinstance(profile.data, dict) else {}
        return {
            "user": p.get("login") or user,
            "name": p.get("name") or "",
            "profile_url": safe_url(p.get("html_url")) or f"https://github.com/{quote(user)}",
            "followers": _int(p.get("followers")),
            "public_repos": _int(p.get("public_repos")),
            "fetched_at": now_iso(),
            "repos": sorted(repos, key=lambda r: r["name"].lower()),
            **extra,
        }

    def _all_pages(self, pool: ThreadPoolExecutor, first) -> list:
        """Walks Link rel="next"; when page 1 names rel="last", pages 2..N are fetched in parallel."""
        items = _as_list(first)
        links = first.links
        last = _page_number(links.get("last"))
        if last and links.get("next") and last > 1:
            last = min(last, MAX_PAGES)
            urls = [_with_page(links["last"], n) for n in range(2, last + 1)]
            pages = list(pool.map(self.get, urls))
            for page in pages:
                items.extend(_as_list(page))
            links = pages[-1].links if pages else {}
            seen = last
        else:
            seen = 1
        while links.get("next") and seen < MAX_PAGES:     # no rel="last", or the list grew meanwhile
            page = self.get(links["next"])
            items.extend(_as_list(page))
            links = page.links
            seen += 1
        return items


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.netloc or "").lower()


def _as_list(resp) -> list:
    if not isinstance(resp.data, list):
        raise RemoteError("unexpected answer (not a list of repositories)", url=resp.url)
    return list(resp.data)


def _page_number(url: str | None) -> int | None:
    if not url:
        return None
    for k, v in parse_qsl(urlsplit(url).query):
        if k == "page" and v.isdigit():
            return int(v)
    return None


def _with_page(url: str, n: int) -> str:
    parts = urlsplit(url)
    query = [(k, str(n) if k == "page" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _int(v) -> int:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0


def _str(v) -> str:
    return v.strip() if isinstance(v, str) else ""


def normalise_repo(r: dict) -> dict:
    """The fields of a repository that mlfolio uses, with stable types (None → '' or 0)."""
    return {
        "name": _str(r.get("name")),
        "full_name": _str(r.get("full_name")) or _str(r.get("name")),
        "url": safe_url(r.get("html_url")),
        "description": _str(r.get("description")),
        "topics": sorted(str(t) for t in (r.get("topics") or []) if isinstance(t, str)),
        "homepage": safe_url(r.get("homepage"), bare_host=True),
        "language": _str(r.get("language")),
        "stars": _int(r.get("stargazers_count")),
        "forks": _int(r.get("forks_count")),
        "pushed_at": _str(r.get("pushed_at")),
        "fork": bool(r.get("fork")),
        "archived": bool(r.get("archived")),
    }


# --- cards --------------------------------------------------------------------------------------------

def to_projects(data: dict, settings) -> list[Project]:
    """Applies include_forks, include_archived, min_stars, topics, exclude, sort, limit; featured first."""
    repos = [r for r in data.get("repos") or [] if isinstance(r, dict) and r.get("name")]
    featured_order = {name.lower(): i for i, name in enumerate(effective_featured(data, settings.featured))}
    excluded = {name.lower() for name in settings.exclude}
    topics = {t.lower() for t in settings.topics}

    def keep(r: dict) -> bool:
        if r["name"].lower() in excluded:
            return False
        if r.get("fork") and not settings.include_forks:
            return False
        if r.get("archived") and not settings.include_archived:
            return False
        if (r.get("stars") or 0) < settings.min_stars:
            return False
        if topics and not topics & {t.lower() for t in r.get("topics") or []}:
            return False
        return True

    featured = sorted((r for r in repos if r["name"].lower() in featured_order
                       and r["name"].lower() not in excluded),
                      key=lambda r: featured_order[r["name"].lower()])
    others = [r for r in repos if r["name"].lower() not in featured_order and keep(r)]
    if settings.sort == "pushed":
        others.sort(key=lambda r: (r.get("pushed_at") or "", r["name"].lower()), reverse=True)
    elif settings.sort == "name":
        others.sort(key=lambda r: r["name"].lower())
    else:
        others.sort(key=lambda r: (-(r.get("stars") or 0), r["name"].lower()))
    room = max(settings.limit - len(featured), 0)
    return [repo_project(r, featured=True) for r in featured] + [repo_project(r) for r in others[:room]]


def repo_project(r: dict, *, featured: bool = False) -> Project:
    pushed = parse_time(r.get("pushed_at"))
    language = r.get("language") or ""
    stars, forks = r.get("stars") or 0, r.get("forks") or 0
    return Project(
        kind="repo", title=r["name"], url=safe_url(r.get("url")), description=r.get("description") or "",
        tags=list(r.get("topics") or []), featured=featured, date=pushed.date() if pushed else None,
        source="github", kind_label="Repository", icon="repo",
        homepage=safe_url(r.get("homepage")), language=language, language_color=LANGUAGE_COLORS.get(language, ""),
        languages=language_shares(r.get("languages") or {}) if featured else [],
        stats=[Stat("stars", stars, number(stars), "Stars", "star"), Stat("forks", forks, number(forks), "Forks", "fork")],
        updated=pushed, extra={"full_name": r.get("full_name") or r["name"], "stars": stars, "forks": forks},
    )


def language_shares(byte_counts: dict[str, int], top: int = 6) -> list[LanguageShare]:
    """Bytes per language → percentages (one decimal), the largest first, the tail folded into 'Other'."""
    total = sum(v for v in byte_counts.values() if v > 0)
    if not total:
        return []
    ranked = sorted(((k, v) for k, v in byte_counts.items() if v > 0), key=lambda kv: (-kv[1], kv[0]))
    shares = [LanguageShare(k, round(100.0 * v / total, 1), LANGUAGE_COLORS.get(k, "")) for k, v in ranked[:top]]
    rest = sum(v for _, v in ranked[top:])
    if rest:
        shares.append(LanguageShare("Other", round(100.0 * rest / total, 1), "#8b949e"))
    return shares


def total_stars(data: dict) -> int:
    """Stars of the user's own (non-fork) repositories, whatever the card filters hide."""
    return sum(r.get("stars") or 0 for r in data.get("repos") or [] if isinstance(r, dict) and not r.get("fork"))


__all__ = ["GitHubClient", "GitHubSettings", "GitHubSource", "UserNotFound", "to_projects", "total_stars",
           "LANGUAGE_COLORS"]
