"""`mlfolio fetch`: refresh every configured remote source and write the committed snapshot."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import add_site_dir, print_problems, subparser


def register(sub) -> None:
    p = subparser(
        sub, "fetch", help="refresh GitHub/Kaggle/Hugging Face data and write data/remote.json",
        description="Fetch the data of every remote source the site uses (GitHub, Kaggle, Hugging Face, plugins' sources) and\n"
        "write the normalised snapshot data/remote.json (no tokens in it). Commit it so CI and offline builds\n"
        "show the same cards; builds use it when .mlfolio-cache/ is empty or the network fails. Exits with 1\n"
        "when a source could not be refreshed (a source without credentials is only skipped).",
        examples="  mlfolio fetch\n  GITHUB_TOKEN=... mlfolio fetch mysite && git add mysite/data/remote.json")
    add_site_dir(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..fetch import refresh

    result = refresh(Path(args.site_dir))
    print_problems(result.warnings)
    if not result.lines:
        print("Nothing to fetch: mlfolio.yml configures no remote source (github.user, kaggle.user, …).")
        return 0
    for line in result.lines:
        print(line)
    for line in result.notes:
        print(line, file=sys.stderr)
    return result.exit_code
