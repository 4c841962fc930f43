"""`mlfolio import KIND …`: bring a profile or content from another format into a site; `jsonresume` is the
first kind, each further one is another subcommand of the group."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .common import add_site_dir


def register(sub) -> None:
    group = sub.add_parser("import", help="create site files from another format (JSON Resume …)",
                           description="Create site files from another format.",
                           epilog="examples:\n  mlfolio import jsonresume resume.json mysite",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = group.add_subparsers(dest="kind", metavar="KIND")
    group.set_defaults(func=lambda args: group.error("say what to import: mlfolio import jsonresume FILE"))

    p = kinds.add_parser(
        "jsonresume", help="write profile.yml from a JSON Resume (resume.json)",
        description="Write SITE_DIR/profile.yml from a JSON Resume (https://jsonresume.org/schema). What has a "
        "place in profile.yml is kept; every field that has none is listed with its line, and nothing is written "
        "when the file is not JSON or not shaped like the schema.",
        epilog="examples:\n  mlfolio import jsonresume resume.json mysite\n"
        "  mlfolio import jsonresume ~/resume.json . --force      replace the existing profile.yml\n"
        "  mlfolio import jsonresume resume.json -o /tmp/profile.yml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="the JSON Resume file")
    add_site_dir(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of SITE_DIR/profile.yml")
    p.add_argument("--force", action="store_true", help="replace an existing profile.yml")
    p.set_defaults(func=run_jsonresume)


def run_jsonresume(args: argparse.Namespace) -> int:
    from ..import_jsonresume import import_resume, write_profile

    source = Path(args.file)
    result = import_resume(source)
    target = Path(args.output) if args.output else Path(args.site_dir) / "profile.yml"
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
