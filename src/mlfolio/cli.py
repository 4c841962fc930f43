"""The command line: builds the parser from `commands/` and is the only place an MlfolioError becomes printed
problems and an exit code (1; 2 for usage errors, 130 for Ctrl-C)."""
from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .commands import COMMANDS, MODULES
from .commands.common import print_problems
from .errors import MlfolioError

EXAMPLES = """\
examples:
  mlfolio init mysite               a new site that builds as it is
  mlfolio build mysite              mysite/_site/, ready for any static host
  mlfolio serve mysite              preview with live reload on http://127.0.0.1:8000/
  mlfolio deploy mysite             publish to the gh-pages branch
"""


def make_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; given a known command name, only that command's module is imported (a build of a
    small site should not pay for setting up every other command)."""
    parser = argparse.ArgumentParser(
        prog="mlfolio", description="Build a machine-learning portfolio site from a profile, Markdown posts "
        "and your GitHub and Kaggle work.", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mlfolio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [COMMANDS[command]] if command in COMMANDS else MODULES:
        importlib.import_module(f"mlfolio.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = make_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except MlfolioError as exc:
        print_problems(exc.problems)
        n = len(exc.problems)
        print(f"{n} problem{'s' if n != 1 else ''}; nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
