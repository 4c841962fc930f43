"""`mlfolio deploy` (build and push to gh-pages) and `mlfolio gh-actions` (write the Pages workflow)."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import MlfolioError, Problem
from .common import add_build_flags, add_site_dir

DEPLOY_EPILOG = """\
examples:
  mlfolio deploy                          build (strict) and push to the gh-pages branch of origin
  mlfolio deploy mysite --cname ada.dev   also write CNAME for a custom domain (later deploys keep it)
  mlfolio deploy --no-push                commit to the local gh-pages branch only, to look first
  mlfolio deploy --force                  replace the branch's history with one commit

The site appears at https://USER.github.io/ for a repository named USER.github.io, and at
https://USER.github.io/REPO/ for any other: 'url' in mlfolio.yml must say the same.
"""


def register(sub) -> None:
    p = sub.add_parser(
        "deploy", help="build and publish the site to the gh-pages branch",
        description="Build the site in strict mode and commit it to a branch (default gh-pages) that GitHub Pages "
        "serves, then push it. Your checked-out branch, index and working tree are never touched.",
        epilog=DEPLOY_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_build_flags(p)
    p.add_argument("--remote", default="origin", help="git remote to push to (default: origin)")
    p.add_argument("--branch", default="gh-pages", help="branch to publish to (default: gh-pages)")
    p.add_argument("-m", "--message", metavar="MSG", help="commit message (default: 'Publish site from <commit>')")
    domain = p.add_mutually_exclusive_group()
    domain.add_argument("--cname", metavar="DOMAIN", help="custom domain written to CNAME (default: 'cname' in "
                        "mlfolio.yml, else the CNAME of the previous deploy)")
    domain.add_argument("--no-cname", action="store_true", help="publish without CNAME, even if the previous "
                        "deploy had one (and mlfolio.yml sets none)")
    p.add_argument("--no-push", action="store_true", help="only commit to the local branch; push later yourself")
    p.add_argument("--force", action="store_true",
                   help="make a commit without parent and force-push it (drops the branch's history)")
    p.set_defaults(func=run_deploy, _deploy_parser=p)

    p = sub.add_parser(
        "gh-actions", help="write a GitHub Actions workflow that builds and publishes the site",
        description="Write .github/workflows/pages.yml (at the top of the git repository holding SITE_DIR) that "
        "builds the site on every push, daily and on demand, and publishes it with the GitHub Pages actions. "
        "The workflow installs this version of mlfolio (mlfolio==VERSION).",
        epilog="examples:\n  mlfolio gh-actions mysite\n  mlfolio gh-actions mysite --force      "
        "after upgrading mlfolio: the workflow installs the new version\n\nThen commit the file, push, and set "
        "Settings → Pages → Source to 'GitHub Actions'.", formatter_class=argparse.RawDescriptionHelpFormatter)
    add_site_dir(p)
    p.add_argument("--force", action="store_true", help="replace an existing workflow file")
    p.add_argument("--install", metavar="REQUIREMENT", help="what the workflow installs with pip (default: "
                   "mlfolio==VERSION); before a PyPI release: "
                   "\"mlfolio @ git+https://github.com/OWNER/mlfolio@vX.Y.Z\"")
    p.set_defaults(func=run_gh_actions)


def run_deploy(args: argparse.Namespace) -> int:
    from ..deploy import deploy

    if args.drafts:
        args._deploy_parser.error("deploy never publishes drafts (preview them with 'mlfolio serve --drafts')")
    result = deploy(Path(args.site_dir), remote=args.remote, branch=args.branch, message=args.message,
                    cname=args.cname, keep_cname=not args.no_cname, push=not args.no_push, force=args.force,
                    offline=args.offline, base_url=args.base_url)
    if result.pushed:
        print(f"Published {result.commit[:12]} to {args.remote}/{args.branch}.")
        if result.url:
            print(f"The site will appear at {result.url} within a minute or two.")
        if result.first:
            print(f"First deploy: in the repository's Settings → Pages, set Source to 'Deploy from a branch', "
                  f"branch '{args.branch}', folder '/ (root)'.")
    else:
        print(f"Not pushed: 'git push {args.remote} {args.branch}' publishes it"
              + (f" at {result.url}" if result.url else "") + ".")
    return 0


def run_gh_actions(args: argparse.Namespace) -> int:
    from ..deploy import write_workflow

    site_dir = Path(args.site_dir)
    if not (site_dir / "mlfolio.yml").is_file():
        raise MlfolioError(Problem(str(site_dir / "mlfolio.yml"), None, None, "no mlfolio.yml here",
                                   "run it in a site folder, or give the folder: mlfolio gh-actions mysite"))
    target = write_workflow(site_dir, force=args.force, requirement=args.install)
    shown = os.path.relpath(target)
    print(f"Wrote {shown}. Next: commit and push it, then in the repository's Settings → Pages set Source to "
          "'GitHub Actions'.")
    return 0
