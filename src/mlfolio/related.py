"""Related posts: the posts sharing most tags with a post, newer first among equals. Candidates come from the
post's own tags' lists, so a site of 1,000 posts costs milliseconds, not a million comparisons."""
from __future__ import annotations


def related_posts(post, count: int) -> list:
    """Up to `count` local posts sharing at least one tag with `post`, most shared tags first, then newest."""
    if count <= 0:
        return []
    shared: dict[int, list] = {}
    for tag in post.tags:
        for other in tag._posts:
            if other is post or getattr(other, "external", False):
                continue
            entry = shared.setdefault(id(other), [0, other])
            entry[0] += 1
    ranked = sorted(shared.values(), key=lambda e: (-e[0], -e[1].date.toordinal(), e[1].rel))
    return [other for _, other in ranked[:count]]
