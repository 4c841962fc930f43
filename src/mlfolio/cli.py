"""Command line: flags become calls; the only place an MlfolioError turns into messages and an exit code."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from . import __version__
from .errors import MlfolioError, Problem

# Modules that add their own subcommands through register(subparsers).
COMMAND_MODULES = ("mlfolio.serve", "mlfolio.deploy", "mlfolio.remote")

EXAMPLES = """\
examples:
  mlfolio init mysite               a new site that builds as it is
  mlfolio build mysite              mysite/_site/, ready for any static host
  mlfolio serve mysite              preview with live reload on http://127.0.0.1:8000/
  mlfolio deploy mysite             publish to the gh-pages branch
"""


def print_problems(problems: list[Problem], stream=None) -> None:
    stream = stream or sys.stderr
    for p in problems:
        print(f"{'warning' if p.warning else 'error'}: {p}", file=stream)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildOptions, build_site

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
                print(f"  {stage:<10} {seconds * 1000:8.1f} ms", file=sys.stderr)
        print(result.summary())
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .scaffold import init_site

    target = init_site(Path(args.dir), force=args.force)
    print(f"Created a new site in {target}/ — next: mlfolio build {args.dir}  (or mlfolio serve {args.dir})")
    if args.github_actions:
        from .deploy import write_workflow

        workflow = write_workflow(target, force=args.force)
        print(f"Wrote {workflow}: push to GitHub and choose Settings → Pages → Source: GitHub Actions")
    return 0


def add_build_flags(p: argparse.ArgumentParser) -> None:
    """Flags shared by build, serve and deploy, so they mean the same everywhere."""
    p.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR",
                   help="site folder holding mlfolio.yml (default: current folder)")
    p.add_argument("--drafts", action="store_true", help="include posts and pages with draft: true")
    p.add_argument("--offline", action="store_true", help="make no network request; use cached GitHub/Kaggle data")
    p.add_argument("--strict", action="store_true", help="treat warnings (broken links, stale remote data) as errors")
    p.add_argument("--base-url", metavar="URL", help="override 'url' from mlfolio.yml (e.g. for a preview)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlfolio", description="Build a machine-learning portfolio site from a profile, Markdown posts "
        "and your GitHub and Kaggle work.", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mlfolio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="create a new site folder", description="Create a site that builds as it is, "
                       "with a sample post and page.", epilog="examples:\n  mlfolio init mysite\n  mlfolio init mysite --github-actions",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir", metavar="DIR", help="folder to create (must be empty unless --force)")
    p.add_argument("--force", action="store_true", help="write into a non-empty folder, replacing same-named files")
    p.add_argument("--github-actions", action="store_true",
                   help="also write .github/workflows/pages.yml that builds and publishes to GitHub Pages")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("build", help="build the site into SITE_DIR/_site", description="Build the site.",
                       epilog="examples:\n  mlfolio build\n  mlfolio build mysite -o public --base-url "
                       "https://ada.github.io/portfolio", formatter_class=argparse.RawDescriptionHelpFormatter)
    add_build_flags(p)
    p.add_argument("-o", "--output", metavar="OUTPUT", help="output folder (default: SITE_DIR/_site)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    g.add_argument("-v", "--verbose", action="store_true", help="also print the time of each stage")
    p.set_defaults(func=cmd_build)

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        register = getattr(module, "register", None)
        if register:
            register(sub, add_build_flags)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
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
