"""Publishing to GitHub Pages: `mlfolio deploy` (a gh-pages commit made with git plumbing) and `mlfolio gh-actions`.

deploy builds the site (strict) into a temporary folder, then writes that folder as the whole tree of a new
commit on the target branch. Everything goes through a temporary index (GIT_INDEX_FILE) and
hash-object/update-index/write-tree/commit-tree/update-ref, so the user's HEAD, index, working tree and
uncommitted changes are never written (a status without optional locks reads them, to say whether the site
has local changes). The only refs it moves are refs/heads/BRANCH (restored if the push fails) and, through a
fetch, refs/remotes/REMOTE/BRANCH.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .errors import MlfolioError, Problem
from .paths import MANIFEST

WORKFLOW = Path(".github/workflows/pages.yml")


def warn(problem: Problem) -> None:
    """Prints a warning on stderr after what stdout already holds, so the two read in order in a terminal."""
    sys.stdout.flush()
    print(problem.text(), file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- URLs

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/@\s]+)@")


def redact(text: str) -> str:
    """Hides credentials embedded in URLs (https://user:token@host → https://***@host); keeps ssh's 'git@'."""
    return _USERINFO.sub(lambda m: m.group(0) if m.group(2) == "git" else f"{m.group(1)}***@", text)


def github_repo(remote_url: str) -> tuple[str, str] | None:
    """(owner, repo) of a github.com remote in https, ssh or scp-like form; None for any other host."""
    url = remote_url.strip()
    m = re.fullmatch(r"(?:[\w.-]+@)?([\w.-]+):(?!//)/?(.+)", url)   # scp-like: git@github.com:owner/repo.git
    if m and "://" not in url:
        host, path = m.group(1), m.group(2)
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http", "ssh", "git", "git+ssh", "ssh+git"):
            return None
        host, path = parts.hostname or "", parts.path
    if host.lower() not in ("github.com", "www.github.com", "ssh.github.com"):
        return None
    segments = [s for s in path.strip("/").split("/") if s]
    if len(segments) != 2:
        return None
    owner, repo = segments
    if repo.endswith(".git"):
        repo = repo[:-4]
    return (owner, repo) if owner and repo else None


def pages_url(remote_url: str, cname: str = "") -> str | None:
    """The address GitHub Pages serves a branch of this remote at; None when the remote isn't on github.com.

    USER.github.io repository → https://user.github.io/ ; any other → https://user.github.io/REPO/ ;
    with a custom domain → https://DOMAIN/ (Pages serves every repository at the domain's root then).
    """
    found = github_repo(remote_url)
    if not found:
        return None
    if cname:
        return f"https://{cname}/"
    owner, repo = found
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/" if repo.lower() == host else f"https://{host}/{repo}/"


def same_site(url_a: str, url_b: str) -> bool:
    """True when two addresses have the same host and path (scheme and trailing slash aside)."""
    a, b = urlsplit(url_a), urlsplit(url_b)
    return ((a.hostname or "").lower(), a.path.strip("/")) == ((b.hostname or "").lower(), b.path.strip("/"))


# ---------------------------------------------------------------------------------------------- git


class Git:
    """Runs git in one repository with a controlled environment; failures become MlfolioError."""

    def __init__(self, exe: str, cwd: Path, index_file: Path | None = None):
        self.exe, self.cwd = exe, cwd
        self.env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C"}
        if index_file is not None:
            self.env["GIT_INDEX_FILE"] = str(index_file)

    def run(self, *args: str, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([self.exe, *args], cwd=self.cwd, env=self.env, input=input,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if check and proc.returncode != 0:
            raise MlfolioError(Problem(str(self.cwd), None, None, f"git {args[0]} failed: {git_message(proc.stderr)}",
                                       "run the same git command yourself to see what is wrong"))
        return proc

    def out(self, *args: str, **kw) -> str:
        return self.run(*args, **kw).stdout.decode("utf-8", "replace").strip()

    def ref(self, name: str) -> str | None:
        proc = self.run("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False)
        return (proc.stdout.decode().strip() or None) if proc.returncode == 0 else None


def git_message(stderr: bytes) -> str:
    """git's own error lines and the server's words ('remote: …'), credentials redacted; hints left out."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("hint:")]
    important = [ln for ln in lines if ln.lower().startswith(("!", "remote:", "error", "fatal"))]
    return redact("; ".join((important or lines)[-4:])) or "no message"


def find_git() -> str:
    exe = shutil.which("git")
    if not exe:
        raise MlfolioError(Problem("", None, None, "git is not installed (or not on PATH)",
                                   "install git (https://git-scm.com/downloads), or publish with "
                                   "'mlfolio gh-actions' instead"))
    return exe


def repo_top(exe: str, site_dir: Path) -> Path | None:
    """The top folder of the git work tree holding site_dir, or None."""
    proc = subprocess.run([exe, "rev-parse", "--show-toplevel"], cwd=site_dir, env={**os.environ, "LC_ALL": "C"},
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.decode("utf-8", "replace").strip()
    return Path(out) if proc.returncode == 0 and out else None


def checked_out_branches(git: Git) -> set[str]:
    """Branches checked out in any work tree of the repository (refs/heads/... names)."""
    out = git.out("worktree", "list", "--porcelain", check=False)
    return {line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("branch ")}


def has_local_changes(exe: str, top: Path, site_dir: Path) -> bool:
    """True when the site folder is not exactly HEAD's: tracked files modified or staged, or untracked files.

    Reads the user's own index (not deploy's temporary one); without optional locks, status never rewrites it.
    """
    git = Git(exe, top)
    git.env.update(GIT_OPTIONAL_LOCKS="0", GIT_LITERAL_PATHSPECS="1")
    return bool(git.out("status", "--porcelain", "--untracked-files=all", "--", os.path.relpath(site_dir, top)))


def push_hint(stderr: bytes, remote: str, branch: str) -> str:
    """What to do about a refused push: only a non-fast-forward rejection is fixed by --force."""
    raw = stderr.decode("utf-8", "replace")
    if "[remote rejected]" in raw:
        return (f"the server refused the push (a hook or a rule such as branch protection): check the rules of "
                f"'{remote}' for {branch} and your permissions there")
    if "non-fast-forward" in raw or "fetch first" in raw:
        return f"the remote {branch} has commits this one lacks: 'mlfolio deploy --force' replaces them"
    return f"check that 'git push {remote}' works with your credentials"


# ---------------------------------------------------------------------------------------------- deploy


@dataclass
class DeployResult:
    commit: str                 # sha of the branch tip after deploy
    created: bool               # False when the tree was the same as the previous deploy's
    files: int                  # files in the published tree
    pushed: bool
    url: str | None             # where GitHub Pages serves it, when the remote is on github.com
    first: bool                 # the remote had no such branch before


def collect_files(output: Path) -> list[str]:
    """Output-relative posix paths of every file the build wrote, except its manifest."""
    files = []
    for root, dirs, names in os.walk(output):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in sorted(names):
            rel = (Path(root) / name).relative_to(output).as_posix()
            if rel != MANIFEST:
                files.append(rel)
    return files


def check_cname(domain: str) -> str:
    """The domain as GitHub Pages expects it in CNAME: a bare host name, lower case, without a trailing dot."""
    domain = domain.strip()
    if not re.fullmatch(r"(?i)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\.?", domain):
        raise MlfolioError(Problem("", None, None, f"the custom domain must be a bare host name, got '{domain}'",
                                   "write it like portfolio.example.com, without https:// or a path"))
    return domain.rstrip(".").lower()


def commit_tree(git: Git, output: Path, extra: dict[str, bytes], tmp: Path) -> tuple[str, int]:
    """Writes output/ (minus the manifest) plus `extra` files as git objects; returns (tree sha, file count).

    Only the temporary index in `tmp` is used: the repository's own index is never read or written.
    """
    files = [f for f in collect_files(output) if f not in extra]
    if not files:
        raise MlfolioError(Problem(str(output), None, None, "the build wrote no files; there is nothing to publish",
                                   "check that the site has content and that 'mlfolio build' works"))
    (tmp / "extra").mkdir(exist_ok=True)
    for name, data in extra.items():
        (tmp / "extra" / name).write_bytes(data)
    paths = [os.path.realpath(output / f) for f in files] + [str(tmp / "extra" / n) for n in extra]
    names = files + list(extra)
    # --no-filters: the exact bytes, whatever .gitattributes (eol, lfs) the source repository has.
    shas = git.out("hash-object", "-w", "--no-filters", "--stdin-paths",
                   input="\n".join(paths).encode() + b"\n").split()
    if len(shas) != len(names):
        raise MlfolioError(Problem(str(output), None, None, "git hash-object returned an unexpected answer", ""))
    entries = b"".join(f"100644 {sha}\t{name}".encode() + b"\0" for sha, name in zip(shas, names))
    git.run("update-index", "-z", "--add", "--index-info", input=entries)
    return git.out("write-tree"), len(names)


def previous_cname(git: Git, tip: str) -> str:
    """The custom domain in CNAME of the branch's previous tip ('' if none), so a domain set once is kept."""
    proc = git.run("cat-file", "blob", f"{tip}:CNAME", check=False)
    text = proc.stdout.decode("utf-8", "replace").strip() if proc.returncode == 0 else ""
    try:
        return check_cname(text.splitlines()[0]) if text else ""
    except MlfolioError:
        return ""                   # not a domain GitHub Pages would use either: nothing worth keeping


def deploy(site_dir: Path, *, remote: str = "origin", branch: str = "gh-pages", message: str | None = None,
           cname: str | None = None, keep_cname: bool = True, push: bool = True, force: bool = False,
           offline: bool = False, base_url: str | None = None, log=print) -> DeployResult:
    """Builds site_dir (strict) and publishes it as a commit on `branch`; see the module docstring.

    Without `cname` (nor cname: in mlfolio.yml), the previous deploy's CNAME is kept unless keep_cname is False.
    """
    from .build import BuildOptions, build_site
    from .config import load_config
    from .errors import Problems

    site_dir = Path(site_dir)
    exe = find_git()
    if not site_dir.is_dir():
        raise MlfolioError(Problem(str(site_dir), None, None, "no such folder", "give the site folder"))
    site_dir = site_dir.resolve()
    top = repo_top(exe, site_dir)
    if top is None:
        raise MlfolioError(Problem(str(site_dir), None, None, "not inside a git repository",
                                   "deploy pushes a branch to GitHub: run 'git init' and "
                                   "'git remote add origin https://github.com/USER/REPO.git' first"))
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch) or subprocess.run(
            [exe, "check-ref-format", f"refs/heads/{branch}"], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL).returncode:
        raise MlfolioError(Problem("", None, None, f"'{branch}' is not a valid branch name", "use e.g. gh-pages"))
    ref = f"refs/heads/{branch}"
    cname = check_cname(cname) if cname else None

    with tempfile.TemporaryDirectory(prefix="mlfolio-deploy-") as tmpname:
        tmp = Path(tmpname)
        git = Git(exe, top, index_file=tmp / "index")
        if ref in checked_out_branches(git):
            raise MlfolioError(Problem(str(top), None, None, f"branch '{branch}' is checked out, and deploy "
                                       "replaces its contents", "switch to your source branch (git switch main) "
                                       "or publish to another branch with --branch"))
        remote_url = None
        proc = git.run("remote", "get-url", remote, check=False)
        if proc.returncode == 0:
            remote_url = proc.stdout.decode("utf-8", "replace").strip()
        elif push:
            names = git.out("remote").split()
            raise MlfolioError(Problem(str(top), None, None, f"no git remote named '{remote}'",
                                       (f"remotes here: {', '.join(names)}; pick one with --remote" if names else
                                        "add one: git remote add origin https://github.com/USER/REPO.git")))

        # 1. The previous tip: the local branch, or the remote's when it is ahead (a deploy from elsewhere).
        old_local = git.ref(ref)
        remote_tip, first = None, False
        if push:
            probe = git.run("ls-remote", "--exit-code", "--heads", remote, ref, check=False)
            if probe.returncode == 2:
                first = True
            elif probe.returncode != 0:
                raise MlfolioError(Problem(str(top), None, None, f"cannot reach remote '{remote}' "
                                           f"({redact(remote_url)}): {git_message(probe.stderr)}",
                                           f"check the network and that 'git fetch {remote}' works"))
            else:
                git.run("fetch", "--quiet", "--no-tags", remote, f"+{ref}:refs/remotes/{remote}/{branch}")
        if remote_url and not first:
            remote_tip = git.ref(f"refs/remotes/{remote}/{branch}")     # with --no-push: as last fetched
        previous = old_local
        if remote_tip and (old_local is None or git.run("merge-base", "--is-ancestor", old_local, remote_tip,
                                                        check=False).returncode == 0):
            previous = remote_tip
        parent = None if force else previous

        # 2. Build. A failed build raises here, before anything is written to the repository. Local changes are
        # looked at first, so whatever the build writes into the site folder never counts as one.
        head = git.ref("HEAD")
        dirty = bool(head) and has_local_changes(exe, top, site_dir)
        if dirty:
            log(f"{os.path.relpath(site_dir)} has uncommitted changes: publishing {head[:12]} + local changes.")
        result = build_site(BuildOptions(site_dir=site_dir, output=tmp / "site", strict=True, offline=offline,
                                         drafts=False, base_url=base_url))
        log(f"Built {result.pages} pages ({result.posts} posts) in {result.seconds:.2f} s")
        loaded = load_config(site_dir, Problems(root=site_dir))
        config = loaded.config
        try:
            domain = cname or (check_cname(config.cname) if config.cname else "")
        except MlfolioError as exc:
            line, col = loaded.marks.get("cname", (None, None))
            raise MlfolioError(Problem(os.path.relpath(site_dir / "mlfolio.yml"), line, col,
                                       exc.problems[0].message, exc.problems[0].hint)) from None
        if not domain and keep_cname and previous:
            domain = previous_cname(git, previous)
            if domain:
                log(f"Kept CNAME {domain} from the previous deploy (--cname sets another, --no-cname drops it).")

        # 3. Where it will be served, and whether the links the build made point there.
        url = pages_url(remote_url, domain) if remote_url else None
        site_url = base_url or config.url
        if url and not same_site(site_url, url):
            if base_url:
                where, (line, col) = "--base-url", (None, None)
            else:
                where, (line, col) = os.path.relpath(site_dir / "mlfolio.yml"), loaded.marks.get("url", (None, None))
            warn(Problem(where, line, col, f"'url' is {site_url} but the site will appear at {url}: links, "
                         "CSS and feeds would point to the wrong place",
                         f"set url: {url.rstrip('/')} in mlfolio.yml", warning=True))

        # 4. The commit: built files + .nojekyll (so Pages serves _-prefixed files) + CNAME.
        extra = {".nojekyll": b""}
        if domain:
            extra["CNAME"] = f"{domain}\n".encode()
        tree, nfiles = commit_tree(git, tmp / "site", extra, tmp)
        if parent and git.out("rev-parse", f"{parent}^{{tree}}") == tree:
            new, created = parent, False
            log(f"Nothing changed since the last deploy ({parent[:12]}).")
        else:
            if not message:
                message = f"Publish site from {head[:12]}" if head else "Publish site"
                message += f"{' + local changes' if dirty else ''}\n\nBuilt by mlfolio {__version__}."
            args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
            proc = git.run(*args, check=False)
            if proc.returncode != 0:
                detail = git_message(proc.stderr)
                raw = proc.stderr.decode("utf-8", "replace").lower()
                hint = ("tell git who you are: git config user.name 'Your Name'; git config user.email you@example.com"
                        if "who you are" in raw or "ident" in raw else "run 'git commit-tree' yourself to see why")
                raise MlfolioError(Problem(str(top), None, None, f"git could not make the commit: {detail}", hint))
            new, created = proc.stdout.decode().strip(), True
        if new != old_local:
            git.run("update-ref", "-m", "mlfolio deploy", ref, new, old_local or "")
        if created:
            log(f"Committed {nfiles} files to {branch}: {new[:12]}" + (f" (parent {parent[:12]})" if parent else
                                                                      " (no parent)"))

        # 5. Push; on failure the local branch goes back to where it was.
        pushed = False
        if push:
            log(f"Pushing {branch} to {remote} …")
            proc = git.run("push", "--quiet", *(["--force"] if force else []), remote, f"{ref}:{ref}", check=False)
            if proc.returncode != 0:
                if new != old_local:
                    if old_local:
                        git.run("update-ref", "-m", "mlfolio deploy: push failed", ref, old_local, new)
                    else:
                        git.run("update-ref", "-d", ref, new)
                raise MlfolioError(Problem(str(top), None, None, f"push to '{remote}' failed: "
                                           f"{git_message(proc.stderr)}; the local branch {branch} is back where "
                                           "it was", push_hint(proc.stderr, remote, branch)))
            pushed = True
    return DeployResult(commit=new, created=created, files=nfiles, pushed=pushed, url=url, first=first)


# ---------------------------------------------------------------------------------------------- workflow


def default_branch(exe: str | None, top: Path) -> str:
    """The branch pushes to which should publish: origin's default, else the checked-out one, else main."""
    if exe:
        for args in (["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"],
                     ["symbolic-ref", "--quiet", "--short", "HEAD"]):
            proc = subprocess.run([exe, *args], cwd=top, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            name = proc.stdout.decode("utf-8", "replace").strip()
            if proc.returncode == 0 and name:
                name = name.removeprefix("origin/")
                if name != "gh-pages":
                    return name
    return "main"


def render_workflow(site_rel: str, branch: str, requirement: str | None = None) -> str:
    """The workflow text for a site at `site_rel` (posix, relative to the repository top) built on `branch`.

    It installs `requirement`, by default this very version (mlfolio==X.Y.Z), so a new mlfolio release never
    changes the published site until the user upgrades the pin.
    """
    requirement = (requirement or f"mlfolio=={__version__}").strip()
    if not re.match(r"(?i)mlfolio\s*(?:$|[\[=<>!~@;])", requirement):
        raise MlfolioError(Problem("--install", None, None, f"must name the mlfolio package, got '{requirement}'",
                                   'write e.g. mlfolio==1.2.0 or "mlfolio @ git+https://github.com/OWNER/mlfolio'
                                   '@v1.2.0"'))
    template = resources.files("mlfolio").joinpath("pages_workflow.yml").read_text(encoding="utf-8")
    cache = ".mlfolio-cache" if site_rel == "." else f"{site_rel}/.mlfolio-cache"
    # JSON strings are YAML double-quoted scalars: any folder name or requirement stays one safe value.
    return (template.replace("@SITE_LABEL@", "at the repository root" if site_rel == "." else f"in {site_rel}/")
            .replace("@VERSION@", __version__).replace("@BRANCH@", json.dumps(branch))
            .replace("@SITE_DIR@", json.dumps(site_rel)).replace("@CACHE_DIR@", json.dumps(cache))
            .replace("@REQUIREMENT@", json.dumps(requirement)))


def write_workflow(site_dir: Path, force: bool = False, requirement: str | None = None) -> Path:
    """Writes .github/workflows/pages.yml at the top of the git repository holding site_dir (else in site_dir).

    Outside a repository it still writes the file but warns: GitHub only runs workflows from a repository's top.
    """
    site_dir = Path(site_dir).resolve()
    exe = shutil.which("git")
    found = repo_top(exe, site_dir) if exe and site_dir.is_dir() else None
    top = found or site_dir
    target = top / WORKFLOW
    if target.exists() and not force:
        raise MlfolioError(Problem(str(target), None, None, "a workflow file is already there",
                                   "pass --force to replace it"))
    rel = os.path.relpath(site_dir, top)
    text = render_workflow(Path(rel).as_posix(), default_branch(exe, top), requirement)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    if found is None:
        warn(Problem(str(site_dir), None, None, f"not inside a git repository: {WORKFLOW} is written here, and "
                     "GitHub runs it only from the top of the repository you push",
                     "run 'git init' in this folder, or run 'mlfolio gh-actions' on the site inside your "
                     "repository's clone", warning=True))
    return target
