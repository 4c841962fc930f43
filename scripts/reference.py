"""README's reference tables, generated from the code so the docs cannot drift from it.

    python scripts/reference.py           rewrite the generated blocks of README.md in place
    python scripts/reference.py --check   exit 1 when README.md is not current (tests/test_docs.py runs this)

A generated block sits between `<!-- reference:NAME -->` and `<!-- /reference:NAME -->`.
"""
from __future__ import annotations

import dataclasses
import re
import sys
import typing
from pathlib import Path

from mlfolio import contexts, cv, projects, site
from mlfolio.config import Profile, SiteConfig
from mlfolio.content import Page, PageMeta, Post, PostMeta, TocEntry
from mlfolio.plugins import core_registry
from mlfolio.research import publications, talks
from mlfolio.schema import describe
from mlfolio.theme import load_theme
from mlfolio.errors import Problems

README = Path(__file__).resolve().parents[1] / "README.md"


def config_table(cls, prefix: str = "") -> list[str]:
    rows = []
    for key, kind, default, doc in describe(cls, prefix):
        shown = "**required**" if default == "required" else default.replace("|", "\\|")
        rows.append(f"| `{key}` | {kind} | {shown} | {doc} |")
    return rows


def table(cls, head=("key", "type", "default", "what it does")) -> str:
    return "\n".join([f"| {' | '.join(head)} |", "|" + "---|" * len(head), *config_table(cls)])


def mlfolio_yml() -> str:
    reg = core_registry()
    rows = config_table(SiteConfig)
    for name, source in reg.sources.items():
        if source.settings is None:          # configured elsewhere (publications.citations)
            continue
        rows.append(f"| `{name}` | section | — | {source.label} (see below); absent: no {source.label} cards. |")
        rows += config_table(source.settings, f"{name}.")
    rows.append("| `theme_options` | section | — | Options of the theme (see the theme's options below). |")
    return "\n".join(["| key | type | default | what it does |", "|---|---|---|---|", *rows])


def theme_options() -> str:
    theme = load_theme("default", Path("."), Problems(), ("", None, None))
    rows = ["| option | type | default | what it does |", "|---|---|---|---|"]
    for name, spec in theme.specs.items():
        rows.append(f"| `{name}` | {spec.type} | {spec.default!r} | {spec.doc} |")
    return "\n".join(rows)


def routes() -> str:
    rows = ["| route | URL | template | context | sitemap | default menu | what it is |", "|---|---|---|---|---|---|---|"]
    for r in core_registry().routes:
        template = f"`{r.template}`" if r.template else "(generated)"
        context = f"`{r.context.__name__}`" if r.context else "—"
        menu = f"{r.menu[0]} ({r.menu[1]})" if r.menu else "—"
        urls = ", ".join(f"`{u.strip()}`" for u in r.pattern.split(","))
        rows.append(f"| `{r.name}` | {urls} | {template} | {context} | {'yes' if r.sitemap else 'no'} | {menu} | {r.doc} |")
    return "\n".join(rows)


def _type(tp) -> str:
    if isinstance(tp, str):
        return tp
    origin = typing.get_origin(tp)
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if origin is list:
        return f"list of {_type(args[0])}" if args else "list"
    if origin is dict:
        return "mapping"
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)) and args:
        return f"{_type(args[0])} or None"
    if tp is typing.Any:
        return "object"
    return getattr(tp, "__name__", str(tp))


def members(cls) -> list[tuple[str, str, str]]:
    """(name, type, doc) of a class's documented fields and properties."""
    out = []
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
        for f in dataclasses.fields(cls):
            doc = f.metadata.get("doc", "")
            if doc and not f.name.startswith("_"):
                out.append((f.name, _type(hints.get(f.name, f.type)), doc))
    for name, attr in getattr(cls, "__contract__", {}).items():
        out.append((name, attr[0], attr[1]))
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, property) and value.__doc__ and not name.startswith("_"):
                hint = typing.get_type_hints(value.fget).get("return", "")
                out = [m for m in out if m[0] != name]
                out.append((name, _type(hint) if hint else "", value.__doc__.strip().splitlines()[0]))
    return out


def contract() -> str:
    parts = ["Variables of every template: `site` (`Site`), `page` (`PageInfo`), `menu` (list of `MenuEntry`), "
             "`theme` (`name`, `options`). Each route's context adds:\n"]
    for r in core_registry().routes:
        if r.context is None:
            continue
        names = [m for m in members(r.context) if m[0] != "page"]
        inner = "; ".join(f"`{n}` ({t}): {d}" for n, t, d in names) or "—"
        parts.append(f"- `{r.template}` (`{r.context.__name__}`): {inner}")
    parts.append("")
    for cls in (site.Site, contexts.PageInfo, contexts.MenuEntry, contexts.Paginator, contexts.SitemapEntry,
                Post, Page, TocEntry, site.Tag, site.MenuLink, site.ProfileView, site.ProfileLink, site.SkillGroup,
                site.TimelineEntry, site.NewsView, projects.SourceView, projects.SourceStatus, projects.CardSection,
                projects.Project, projects.Stat, projects.CardItem, projects.LanguageShare, cv.CvData, cv.CvSection,
                cv.CvItem, publications.Publications, publications.PubGroup, publications.Publication,
                publications.Author, publications.PubLink, talks.Research, talks.YearGroup, talks.TalkView,
                talks.CourseView):
        parts.append(f"**`{cls.__name__}`**: {(cls.__doc__ or '').strip().splitlines()[0] if cls.__doc__ else ''}\n")
        parts.append("| attribute | type | what it is |\n|---|---|---|")
        parts += [f"| `{n}` | {t.replace('|', '/')} | {d} |" for n, t, d in members(cls)]
        parts.append("")
    return "\n".join(parts).rstrip()


def example_plugin() -> str:
    root = Path(__file__).resolve().parents[1] / "tests" / "plugins"
    code = (root / "reading.py").read_text("utf-8").rstrip()
    template = (root / "reading_templates" / "reading.html").read_text("utf-8").rstrip()
    return (f"```python\n# plugins/reading.py\n{code}\n```\n\n"
            f"```jinja\n{{# plugins/reading_templates/reading.html #}}\n{template}\n```")


BLOCKS = {
    "mlfolio-yml": mlfolio_yml,
    "profile-yml": lambda: table(Profile),
    "post-front-matter": lambda: table(PostMeta),
    "page-front-matter": lambda: table(PageMeta),
    "theme-options": theme_options,
    "routes": routes,
    "contract": contract,
    "example-plugin": example_plugin,
}


def render(readme: str) -> str:
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- reference:{name} -->\n)(?:.*?\n)?(<!-- /reference:{name} -->)", re.S)
        if not pattern.search(readme):
            raise SystemExit(f"README.md has no block <!-- reference:{name} --> … <!-- /reference:{name} -->")
        readme = pattern.sub(lambda m: m.group(1) + make() + "\n" + m.group(2), readme)
    return readme


def main(argv: list[str]) -> int:
    text = README.read_text("utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print("README.md is not current: run python scripts/reference.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
