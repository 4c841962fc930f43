"""`mlfolio import`: a new site from an al-folio, Jekyll or Hugo Academic site (`import SOURCE_DIR TARGET_DIR`),
or profile.yml from a JSON Resume (`import jsonresume FILE [SITE_DIR]`)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .common import subparser


def register(sub) -> None:
    from ..importers import KINDS

    p = subparser(
        sub, "import", help="create a site from an al-folio, Jekyll or Hugo Academic site, or a profile from a JSON Resume",
        description="mlfolio import SOURCE_DIR TARGET_DIR [--from KIND]: write a new mlfolio site in TARGET_DIR from\n"
        "the site in SOURCE_DIR (never modified): configuration, profile, posts, pages, images, publications, news\n"
        "and projects, then print a report of what arrived and of every construct that could not be converted, as\n"
        "file:line: what — suggestion. Exits with 1 when SOURCE_DIR is no known kind of site.\n\n"
        "mlfolio import jsonresume FILE [SITE_DIR] [-o FILE]: write SITE_DIR/profile.yml from a JSON Resume; every\n"
        "field with no place in profile.yml is listed with its line.",
        examples="  mlfolio import ~/src/me.github.io mysite\n"
        "  mlfolio import old-site mysite --from jekyll --force\n"
        "  mlfolio import jsonresume resume.json mysite")
    p.add_argument("paths", nargs="+", metavar="SOURCE_DIR TARGET_DIR | jsonresume FILE [SITE_DIR]",
                   help="what to import and where")
    p.add_argument("--from", dest="kind", choices=sorted(KINDS), help="the kind of site (default: detected)")
    p.add_argument("-o", "--output", metavar="FILE", help="jsonresume: write here instead of SITE_DIR/profile.yml")
    p.add_argument("--force", action="store_true", help="write into a non-empty TARGET_DIR / replace profile.yml")
    p.set_defaults(func=lambda args: run(args, p))


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.paths[0] == "jsonresume":
        if not 2 <= len(args.paths) <= 3:
            parser.error("import jsonresume takes FILE and an optional SITE_DIR")
        return run_jsonresume(Path(args.paths[1]), Path(args.paths[2] if len(args.paths) == 3 else "."), args)
    if len(args.paths) != 2:
        parser.error("import takes SOURCE_DIR and TARGET_DIR (or: jsonresume FILE [SITE_DIR])")
    if args.output:
        parser.error("-o/--output is for 'import jsonresume'")
    from ..importers import import_site

    report = import_site(Path(args.paths[0]), Path(args.paths[1]), args.kind, args.force)
    print(report.text(args.paths[0], args.paths[1]))
    return 0


def run_jsonresume(source: Path, site_dir: Path, args: argparse.Namespace) -> int:
    from ..import_jsonresume import import_resume, write_profile

    result = import_resume(source)
    target = Path(args.output) if args.output else site_dir / "profile.yml"
    write_profile(result, target, source.name, args.force)
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items() if n)
    print(f"Wrote {os.path.relpath(target)}: {counts or 'the name only'}.")
    if result.unmapped:
        print(f"Not imported ({len(result.unmapped)} field{'s' if len(result.unmapped) != 1 else ''} with no place "
              "in profile.yml; copy what you need by hand):", file=sys.stderr)
        for field in result.unmapped:
            where = ":".join(str(x) for x in (source, field.line, field.col) if x is not None)
            print(f"  {where}: {field.path}", file=sys.stderr)
    return 0
