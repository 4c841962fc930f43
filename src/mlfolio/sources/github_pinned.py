"""`github.featured: pinned`: the repositories pinned on the user's GitHub profile. Only the GraphQL API knows
them and it needs a token, so without one (or when it fails) the featured cards fall back to the rest of the
`featured` list, else to the most-starred repositories, with one warning."""
from __future__ import annotations

from ..remote.errors import RemoteError

PINNED = "pinned"
FALLBACK_COUNT = 6          # GitHub pins at most six

QUERY = ("query($login: String!) { user(login: $login) { pinnedItems(first: 6, types: REPOSITORY) { "
         "nodes { ... on Repository { name owner { login } } } } } }")


def graphql_url(api: str) -> str:
    """api.github.com → /graphql; GitHub Enterprise's `https://HOST/api/v3` → `https://HOST/api/graphql`."""
    api = api.rstrip("/")
    if api.endswith("/api/v3"):
        return api[: -len("/v3")] + "/graphql"
    return api + "/graphql"


def wants_pinned(featured: list[str]) -> bool:
    return any(f.strip().lower() == PINNED for f in featured)


def fetch_pinned(client, user: str) -> tuple[list[str] | None, str]:
    """(names of the user's own pinned repositories, '') or (None, why not)."""
    if client.credentials is None:
        return None, "GitHub shows pinned repositories only to the GraphQL API, which needs GITHUB_TOKEN"
    try:
        answer = client.http.post_json(graphql_url(client.api), {"query": QUERY, "variables": {"login": user}},
                                       headers=client.headers()).data
    except RemoteError as exc:
        return None, f"the GraphQL API failed ({exc.reason})"
    if not isinstance(answer, dict) or answer.get("errors") or not isinstance(answer.get("data"), dict):
        errors = answer.get("errors") if isinstance(answer, dict) else None
        first = errors[0].get("message") if isinstance(errors, list) and errors and isinstance(errors[0], dict) else ""
        return None, f"the GraphQL API answered an error{': ' + str(first)[:120] if first else ''}"
    nodes = (((answer["data"].get("user") or {}).get("pinnedItems") or {}).get("nodes")) or []
    names = []
    for node in nodes:
        if not isinstance(node, dict) or not isinstance(node.get("name"), str):
            continue
        owner = (node.get("owner") or {}).get("login") if isinstance(node.get("owner"), dict) else ""
        if not owner or str(owner).lower() == user.lower():      # cards show the user's own repositories
            names.append(node["name"])
    return names, ""


def effective_featured(data: dict, featured: list[str]) -> list[str]:
    """The repository names to feature: pinned ones when known, else the rest of the list, else the top stars."""
    if not wants_pinned(featured):
        return list(featured)
    pinned = data.get("pinned")
    if isinstance(pinned, list):
        return [str(n) for n in pinned]
    rest = [f for f in featured if f.strip().lower() != PINNED]
    if rest:
        return rest
    own = [r for r in data.get("repos") or [] if isinstance(r, dict) and r.get("name") and not r.get("fork")
           and not r.get("archived")]
    own.sort(key=lambda r: (-(r.get("stars") or 0), r["name"].lower()))
    return [r["name"] for r in own[:FALLBACK_COUNT]]
