"""Related posts: most shared tags first, then newest; never itself, never external; shown under posts."""
from __future__ import annotations

from mlfolio.build import BuildOptions, build_site

POSTS = {
    "posts/2024-01-01-a.md": "---\ntitle: A\ntags: [nlp, llm, eval]\n---\nA.\n",
    "posts/2024-02-01-b.md": "---\ntitle: B\ntags: [nlp, llm]\n---\nB.\n",
    "posts/2024-03-01-c.md": "---\ntitle: C\ntags: [eval]\n---\nC.\n",
    "posts/2024-04-01-d.md": "---\ntitle: D\ntags: [NLP]\n---\nD.\n",
    "posts/2024-05-01-e.md": "---\ntitle: E\ntags: [vision]\n---\nE.\n",
}


def related(site, slug) -> list[str]:
    html = (site / f"_site/blog/{slug}/index.html").read_text()
    if 'class="related"' not in html:
        return []
    block = html.split('class="related"', 1)[1].split("</section>", 1)[0]
    return [part.split("</a>")[0].split(">")[-1] for part in block.split("<li>")[1:]]


def test_ranked_by_shared_tags_then_newest(make_site):
    site = make_site(POSTS)
    build_site(BuildOptions(site_dir=site))
    assert related(site, "a") == ["B", "D", "C"]          # B shares 2; D (newer) and C share 1
    assert related(site, "b") == ["A", "D"]
    assert related(site, "e") == [] and related(site, "hello") == []


def test_count_is_a_theme_option_and_edits_update_related_lists(make_site):
    site = make_site({**POSTS, "mlfolio.yml": "title: T\nurl: https://a.github.io\ntheme_options:\n  related_posts: 1\n"})
    build_site(BuildOptions(site_dir=site))
    assert related(site, "a") == ["B"]
    (site / "posts/2024-02-01-b.md").write_text("---\ntitle: B renamed\ntags: [nlp, llm]\n---\nB.\n")
    build_site(BuildOptions(site_dir=site))
    assert related(site, "a") == ["B renamed"]
