"""Prints README's reference tables from the schema dataclasses, so the docs cannot drift from the code.

Usage: python scripts/reference.py > /tmp/ref.md   (then paste the tables into README.md)
"""
from mlfolio.config import Profile, SiteConfig
from mlfolio.content import PageMeta, PostMeta
from mlfolio.schema import describe


def table(cls) -> str:
    rows = ["| key | type | default | what it does |", "|---|---|---|---|"]
    for key, kind, default, doc in describe(cls):
        shown = "**required**" if default == "required" else default.replace("|", "\\|")
        rows.append(f"| `{key}` | {kind} | {shown} | {doc} |")
    return "\n".join(rows)


if __name__ == "__main__":
    for title, cls in (("mlfolio.yml", SiteConfig), ("profile.yml", Profile), ("Post front matter", PostMeta),
                       ("Page front matter", PageMeta)):
        print(f"### {title}\n\n{table(cls)}\n")
