"""Open-source contributions: pull requests by the user merged into repositories they do not own, found with
GitHub's issue search (`is:pr is:merged author:USER -user:USER`) and grouped by repository, with each
repository's stars and description. The search API allows 30 requests a minute (10 without a token): one
search page holds 100 pull requests, so a portfolio needs one or two."""
from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

from ..projects import CardItem, Project, Stat, number
from ..remote.errors import RemoteError
from ..remote.snapshot import parse_time, safe_url

SEARCH_PAGES = 3            # 300 merged pull requests: more than any card section shows
MAX_REPOS = 40              # repositories whose stars and description are asked for (most PRs first)


def search_url(api: str, user: str, page: int = 1) -> str:
    query = f"is:pr is:merged author:{user} -user:{user}"
    return f"{api}/search/issues?" + urlencode({"q": query, "per_page": 100, "page": page, "sort": "created",
                                                "order": "desc"})


def fetch_contributions(client, pool, user: str) -> list[dict]:
    """The snapshot's 'contributions': one record per repository, its merged pull requests newest first."""
    prs: list[dict] = []
    for page in range(1, SEARCH_PAGES + 1):
        answer = client.get(search_url(client.api, user, page)).data
        if not isinstance(answer, dict) or not isinstance(answer.get("items"), list):
            raise RemoteError("unexpected answer from the search API (no 'items')")
        prs += [pr for pr in (normalise_pr(x) for x in answer["items"] if isinstance(x, dict)) if pr]
        total = answer.get("total_count")
        if len(answer["items"]) < 100 or not isinstance(total, int) or page * 100 >= total:
            break
    by_repo: dict[str, list[dict]] = {}
    for pr in prs:
        if pr["repo"].split("/")[0].lower() != user.lower():
            by_repo.setdefault(pr["repo"], []).append(pr)
    ranked = sorted(by_repo, key=lambda r: (-len(by_repo[r]), r.lower()))[:MAX_REPOS]
    infos = list(pool.map(lambda r: client.get(f"{client.api}/repos/{quote(r, safe='/')}").data, ranked))
    out = []
    for repo, info in zip(ranked, infos):
        info = info if isinstance(info, dict) else {}
        out.append({
            "repo": repo, "url": safe_url(info.get("html_url")) or f"https://github.com/{quote(repo, safe='/')}",
            "description": info.get("description").strip() if isinstance(info.get("description"), str) else "",
            "stars": _int(info.get("stargazers_count")), "archived": bool(info.get("archived")),
            "prs": sorted(by_repo[repo], key=lambda p: (p["merged_at"], p["number"]), reverse=True),
        })
    return sorted(out, key=lambda r: r["repo"].lower())


def normalise_pr(x: dict) -> dict | None:
    """A search hit as the snapshot keeps it; None when it is not a merged pull request of a repository."""
    repo = _repo_of(x.get("repository_url"))
    pull = x.get("pull_request") if isinstance(x.get("pull_request"), dict) else {}
    merged = pull.get("merged_at") or x.get("closed_at")
    if not repo or not isinstance(merged, str) or not pull:
        return None
    title = x.get("title") if isinstance(x.get("title"), str) else ""
    return {"repo": repo, "title": " ".join(title.split())[:200], "url": safe_url(x.get("html_url")),
            "number": _int(x.get("number")), "merged_at": merged}


def _repo_of(api_url) -> str:
    """'https://api.github.com/repos/owner/name' → 'owner/name'."""
    if not isinstance(api_url, str):
        return ""
    parts = urlsplit(api_url).path.rstrip("/").split("/")
    if len(parts) >= 3 and parts[-3] == "repos" and all(parts[-2:]):
        return f"{parts[-2]}/{parts[-1]}"
    return ""


def _int(v) -> int:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 else 0


def contribution_cards(data: dict, settings) -> list[Project]:
    """Applies contributions_min_stars and contributions_exclude; newest merge first; cut at the limit."""
    excluded = {e.lower() for e in settings.contributions_exclude}
    kept = []
    for r in data.get("contributions") or []:
        if not isinstance(r, dict) or not r.get("repo") or not r.get("prs"):
            continue
        owner = r["repo"].split("/")[0].lower()
        if r["repo"].lower() in excluded or owner in excluded or (r.get("stars") or 0) < settings.contributions_min_stars:
            continue
        kept.append(r)
    kept.sort(key=lambda r: (max(p.get("merged_at") or "" for p in r["prs"]), r["repo"].lower()), reverse=True)
    return [contribution_card(r) for r in kept[:settings.contributions_limit]]


def contribution_card(r: dict) -> Project:
    prs = [p for p in r["prs"] if isinstance(p, dict)]
    newest = parse_time(prs[0].get("merged_at")) if prs else None
    stars, count = r.get("stars") or 0, len(prs)
    items = []
    for p in prs[:5]:
        merged = parse_time(p.get("merged_at"))
        items.append(CardItem(title=p.get("title") or "", url=safe_url(p.get("url")),
                              date=merged.date() if merged else None,
                              label=f"#{p['number']}" if p.get("number") else ""))
    return Project(
        kind="contribution", title=r["repo"], url=safe_url(r.get("url")), description=r.get("description") or "",
        source="github", kind_label="Contribution", icon="merge", items=items, updated=newest,
        stats=[Stat("prs", count, f"{count} merged PR{'s' if count != 1 else ''}", "Merged pull requests", "merge"),
               Stat("stars", stars, number(stars), "Stars of the repository", "star")],
        extra={"repo": r["repo"], "stars": stars, "prs": count})


def merged_count(data: dict, settings) -> int:
    """Merged pull requests into others' repositories that the filters keep, for the home page."""
    return sum(c.stat("prs") or 0 for c in contribution_cards(data, _unlimited(settings)))


def _unlimited(settings):
    from dataclasses import replace

    return replace(settings, contributions_limit=10**9)
