"""mlfolio as users get it: the sdist and wheel built as the release workflow builds them, the wheel installed (not
editable) into a fresh venv and run from there, far from this source tree. Offline: hatchling and build come from
the test extra, and the fresh venv borrows the test venv's dependencies instead of downloading them."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from mlfolio import __version__
from test_deploy import install_step

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / ".github/workflows/release.yml"


def run(*args: str | Path, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{' '.join(map(str, args))}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """dist/ with the sdist and the wheel built from it (python -m build, as in release.yml, minus isolation)."""
    out = tmp_path_factory.mktemp("release") / "dist"
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT)
    return out


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> tuple[Path, dict]:
    """A fresh venv with only the wheel installed in it, and the environment to run it in.

    Its dependencies come from the test venv through a .pth line: a plain path, so the .pth files there (the
    editable mlfolio's among them) are not run, and the venv's own site-packages comes first on sys.path.
    """
    home = tmp_path_factory.mktemp("user")
    target = home / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", target)
    python = target / "bin/python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                             env=env).stdout.strip())
    borrowed = dict.fromkeys(sysconfig.get_path(k) for k in ("purelib", "platlib"))
    (site_packages / "test_venv_dependencies.pth").write_text("\n".join(borrowed) + "\n")
    [wheel] = dist.glob("mlfolio-*.whl")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel, env=env)
    return target, env


def test_dist_holds_an_sdist_and_a_wheel_of_this_version(dist):
    assert sorted(p.name for p in dist.iterdir()) == [f"mlfolio-{__version__}-py3-none-any.whl",
                                                     f"mlfolio-{__version__}.tar.gz"]


def test_wheel_runs_from_a_fresh_venv(venv, tmp_path):
    target, env = venv
    mlfolio = str(target / "bin/mlfolio")

    where = run(target / "bin/python", "-c", "import mlfolio; print(mlfolio.__file__)", cwd=tmp_path, env=env).stdout
    package = Path(where.strip()).resolve().parent
    assert package.is_relative_to(target.resolve()), f"imported {package}, not the wheel in {target}"
    assert (package / "themes/default/theme.yml").is_file() and (package / "pages_workflow.yml").is_file()
    assert run(mlfolio, "--version", env=env).stdout.strip() == f"mlfolio {__version__}"

    run(mlfolio, "init", "site", cwd=tmp_path, env=env)
    run(mlfolio, "build", "site", "--offline", cwd=tmp_path, env=env)
    assert (tmp_path / "site/_site/index.html").is_file() and (tmp_path / "site/_site/assets/style.css").is_file()
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "site/_site/blog").glob("*/index.html")]
    assert any("<math" in page for page in pages) and not any("math-error" in page for page in pages)

    run("git", "init", "-q", tmp_path / "site")
    run(mlfolio, "gh-actions", "site", cwd=tmp_path, env=env)
    assert install_step(tmp_path / "site/.github/workflows/pages.yml")["env"]["MLFOLIO_REQUIREMENT"] == \
        f"mlfolio=={__version__}"

    server = subprocess.Popen([mlfolio, "serve", "site", "--port", "0", "--offline"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = next((ln for ln in server.stdout if ln.startswith("Serving ")), "")
        assert line, server.stderr.read() if server.poll() is not None else "serve printed no 'Serving' line"
        port = int(line.split(" at ", 1)[1].split()[0].rstrip("/").rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


@pytest.mark.parametrize("tag, matches", [(f"v{__version__}", True), ("v99.0.0", False)])
def test_release_checks_the_tag_against_the_built_version(dist, tag, matches):
    step = next(s for s in yaml.safe_load(RELEASE.read_text())["jobs"]["build"]["steps"]
                if s.get("name") == "Check that the tag is the package version")
    proc = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=dist.parent,
                          env={**os.environ, "GITHUB_REF_NAME": tag}, capture_output=True, text=True)
    assert (proc.returncode == 0) is matches, proc.stdout + proc.stderr
    if not matches:
        assert f"::error::tag {tag} does not match" in proc.stdout
