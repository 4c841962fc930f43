"""`mlfolio import SOURCE_DIR TARGET_DIR`: a new site from an al-folio, Jekyll or Hugo Academic site."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import subparser


def register(sub) -> None:
    from ..importers import KINDS

    p = subparser(
        sub, "import", help="create a site from an al-folio, Jekyll or Hugo Academic site",
        description="Write a new mlfolio site in TARGET_DIR from the site in SOURCE_DIR (never modified): "
        "configuration, profile, posts, pages, images, publications, news and projects, then print a report of "
        "what arrived and of every construct that could not be converted, as file:line: what — suggestion. "
        "Exits with 1 when SOURCE_DIR is no known kind of site.",
        examples="  mlfolio import ~/src/me.github.io mysite\n"
        "  mlfolio import old-site mysite --from jekyll --force")
    p.add_argument("source", metavar="SOURCE_DIR", help="the site to import (its top folder)")
    p.add_argument("target", metavar="TARGET_DIR", help="folder for the new site (must be empty unless --force)")
    p.add_argument("--from", dest="kind", choices=sorted(KINDS), help="the kind of site (default: detected)")
    p.add_argument("--force", action="store_true", help="write into a non-empty TARGET_DIR, replacing same-named files")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..importers import import_site

    report = import_site(Path(args.source), Path(args.target), args.kind, args.force)
    print(report.text(args.source, args.target))
    return 0
