"""What every command shares: the build flags and how problems are printed."""
from __future__ import annotations

import argparse
import sys

from ..errors import Problem


def print_problems(problems: list[Problem], stream=None) -> None:
    stream = stream or sys.stderr
    for p in problems:
        print(p.text(), file=stream)


def add_build_flags(p: argparse.ArgumentParser) -> None:
    """Flags shared by build, serve and deploy, so they mean the same everywhere."""
    add_site_dir(p)
    p.add_argument("--drafts", action="store_true", help="include posts and pages with draft: true")
    p.add_argument("--offline", action="store_true", help="make no network request; use cached remote data")
    p.add_argument("--strict", action="store_true", help="treat warnings (broken links, stale remote data) as errors")
    p.add_argument("--base-url", metavar="URL", help="override 'url' from mlfolio.yml (e.g. for a preview)")


def add_site_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR",
                   help="site folder holding mlfolio.yml (default: current folder)")


def subparser(sub, name: str, *, help: str, description: str, examples: str) -> argparse.ArgumentParser:
    """A subcommand whose help ends with examples (tests check every command has some)."""
    return sub.add_parser(name, help=help, description=description, epilog=f"examples:\n{examples}",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
