"""Comments under posts through giscus (GitHub Discussions) or utterances (GitHub issues): one mlfolio.yml
section, checked per provider, rendered by the theme only in built sites (never in `serve`) and loaded lazily."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .schema import opt

PROVIDERS = ("giscus", "utterances")
REQUIRED = {"giscus": ("repo", "repo_id", "category", "category_id"), "utterances": ("repo",)}
_REPO = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")


@dataclass
class CommentsSettings:
    provider: str = opt("", "`giscus` (GitHub Discussions) or `utterances` (GitHub issues); empty: no comments.", choices=("", *PROVIDERS))
    repo: str = opt("", "The public GitHub repository holding the threads: `owner/name`.")
    repo_id: str = opt("", "giscus: the repository's id (giscus.app shows it).")
    category: str = opt("", "giscus: the discussion category for new threads.")
    category_id: str = opt("", "giscus: that category's id.")
    mapping: str = opt("pathname", "How a post finds its thread.", choices=("pathname", "url", "title", "og:title"))
    reactions: bool = opt(True, "giscus: reactions on the post itself.")
    input_position: str = opt("bottom", "giscus: the comment box above (`top`) or below the comments.", choices=("top", "bottom"))
    label: str = opt("", "utterances: a label for the issues it opens.")


def check_comments(settings: CommentsSettings, marks: dict, report) -> None:
    """`report(line, col, message, hint)` for each missing or malformed key the provider needs."""
    if not settings.provider:
        return
    here = marks.get("comments.provider") or marks.get("comments", (None, None))
    for key in REQUIRED[settings.provider]:
        if not getattr(settings, key).strip():
            report(*here, f"comments: {settings.provider} needs '{key}'",
                   "copy it from giscus.app (it shows every value for your repository)"
                   if settings.provider == "giscus" else "name the repository: repo: owner/name")
    if settings.repo and not _REPO.match(settings.repo):
        report(*marks.get("comments.repo", here), f"comments.repo: '{settings.repo}' is not 'owner/name'",
               "write the repository as owner/name, e.g. ada/ada.github.io")
