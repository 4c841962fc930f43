"""`mlfolio build`: the whole pipeline once, into the output folder."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import add_build_flags, print_problems, subparser


def register(sub) -> None:
    p = subparser(sub, "build", help="build the site into SITE_DIR/_site", description="Build the site.",
                  examples="  mlfolio build\n  mlfolio build mysite -o public --base-url https://ada.github.io/portfolio")
    add_build_flags(p)
    p.add_argument("-o", "--output", metavar="OUTPUT", help="output folder (default: SITE_DIR/_site)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    g.add_argument("-v", "--verbose", action="store_true", help="also print the time of each stage")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..build import BuildOptions, build_site

    options = BuildOptions(
        site_dir=Path(args.site_dir), output=Path(args.output) if args.output else None,
        drafts=args.drafts, offline=args.offline, strict=args.strict, base_url=args.base_url,
        verbose=args.verbose, quiet=args.quiet, progress=sys.stderr.isatty() and not args.quiet,
    )
    result = build_site(options)
    if not args.quiet:
        print_problems(result.warnings)
        if args.verbose:
            for stage, seconds in result.timings.items():
                print(f"  {stage:<14} {seconds * 1000:8.1f} ms", file=sys.stderr)
        print(result.summary())
    return 0
