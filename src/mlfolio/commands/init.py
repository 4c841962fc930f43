"""`mlfolio init DIR`: a new site folder that builds as it is."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import subparser


def register(sub) -> None:
    p = subparser(sub, "init", help="create a new site folder",
                  description="Create a site that builds as it is, with a sample post and page.",
                  examples="  mlfolio init mysite\n  mlfolio init mysite --academic --theme paper\n"
                           "  mlfolio init mysite --github-actions")
    p.add_argument("dir", metavar="DIR", help="folder to create (must be empty unless --force)")
    p.add_argument("--force", action="store_true", help="write into a non-empty folder, replacing same-named files")
    p.add_argument("--academic", action="store_true",
                   help="also a publications.bib with sample papers and a post that cites them")
    p.add_argument("--theme", default="default", metavar="NAME",
                   help="the site's theme: default, or paper (single column, publications first); see 'mlfolio themes'")
    p.add_argument("--github-actions", action="store_true",
                   help="also write .github/workflows/pages.yml that builds and publishes to GitHub Pages")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..scaffold import init_site
    from ..theme import installed_themes

    names = [name for name, _, _ in installed_themes()]
    if args.theme not in names:
        print(f"mlfolio init: error: no theme '{args.theme}' (installed: {', '.join(names)})", file=sys.stderr)
        return 2
    target = init_site(Path(args.dir), force=args.force, academic=args.academic, theme=args.theme)
    print(f"Created a new site in {target}/ — next: mlfolio build {args.dir}  (or mlfolio serve {args.dir})")
    if args.github_actions:
        from ..deploy import write_workflow

        workflow = write_workflow(target, force=args.force)
        print(f"Wrote {workflow}: push to GitHub and choose Settings → Pages → Source: GitHub Actions")
    return 0
