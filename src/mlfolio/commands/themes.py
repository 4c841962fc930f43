"""`mlfolio themes [SITE_DIR]`: the themes a site can name in `theme:`, its own and those shipped."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import add_site_dir, subparser


def register(sub) -> None:
    p = subparser(sub, "themes", help="list the themes a site can use",
                  description="List the themes a site can name in mlfolio.yml's 'theme:': the site's own\n"
                  "themes/ folder first, then the themes that come with mlfolio.",
                  examples="  mlfolio themes\n  mlfolio themes mysite")
    add_site_dir(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..theme import installed_themes

    site = Path(args.site_dir)
    themes = installed_themes(site)
    width = max(len(name) for name, _, _ in themes)
    for name, description, folder in themes:
        own = " (this site's)" if folder.is_relative_to(site.resolve() / "themes") or \
            folder.is_relative_to(site / "themes") else ""
        print(f"{name:<{width}}  {description}{own}")
    return 0
