"""cli.py: commands, exit codes (0 ok, 1 site problem, 2 usage), init, and the summary line."""
import os
import subprocess
import sys

import pytest

from mlfolio import __version__
from mlfolio.cli import main

SRC = __import__("pathlib").Path(__file__).resolve().parents[1] / "src"


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"mlfolio {__version__}"
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    for command in ("init", "build", "serve", "deploy", "fetch", "gh-actions"):
        assert command in out


@pytest.mark.parametrize("command", ["init", "build", "serve", "deploy", "fetch", "gh-actions"])
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0 and f"mlfolio {command}" in out


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["build", "--no-such-flag"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["nosuchcommand"])
    assert exc.value.code == 2
    assert main([]) == 2


def test_init_then_build(tmp_path, capsys):
    target = tmp_path / "mysite"
    assert main(["init", str(target)]) == 0
    assert (target / "mlfolio.yml").exists() and list((target / "posts").glob("*.md"))
    assert main(["build", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("Built 10 pages (1 post) in ")
    assert (target / "_site/index.html").exists() and (target / "_site/cv/index.html").exists()


def test_init_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("x")
    assert main(["init", str(tmp_path)]) == 1
    assert "folder is not empty" in capsys.readouterr().err
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "keep.txt").read_text() == "x"


def test_build_defaults_to_current_folder(make_site, monkeypatch, capsys):
    site = make_site()
    monkeypatch.chdir(site)
    assert main(["build", "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert (site / "_site/index.html").exists()


def test_verbose_prints_stage_timings(make_site, capsys):
    assert main(["build", str(make_site()), "-v"]) == 0
    err = capsys.readouterr().err
    for stage in ("config", "load+markdown", "site", "render"):
        assert stage in err


def test_console_script_and_module_entry_point(make_site):
    site = make_site()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run([sys.executable, "-m", "mlfolio", "build", str(site), "-o", str(site / "out")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Built" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "mlfolio", "build", str(site / "nope")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "no such folder" in proc.stderr


def test_init_with_github_actions_writes_the_workflow(tmp_path, capsys):
    target = tmp_path / "site"
    assert main(["init", str(target), "--github-actions"]) == 0
    workflow = (target / ".github/workflows/pages.yml").read_text()
    assert "actions/deploy-pages" in workflow and "mlfolio build" in workflow


def test_ctrl_c_in_a_big_build_stops_cleanly(make_site):
    """SIGINT while workers render: exit 130, 'interrupted', no traceback from any process, nothing half-written."""
    import signal
    import time
    posts = {f"posts/2024-01-{i % 28 + 1:02d}-p{i}.md": "---\ntitle: P\n---\n" + ("Words $x^2$ `code`.\n\n" * 200)
             + "```python\n" + f"print({i}, 'a string', [1, 2, 3])\n" * 400 + "```\n" for i in range(400)}
    site = make_site(posts)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-m", "mlfolio", "build", str(site)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)          # as a terminal does: the whole process group
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert "interrupted" in err and "Traceback" not in err and "KeyboardInterrupt" not in err
    assert not (site / "_site").exists()
    assert not [p for p in site.iterdir() if p.name.startswith("._site")]


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_port_out_of_range_is_a_usage_error(port, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--port", port])
    assert exc.value.code == 2 and "is not a port number" in capsys.readouterr().err


def test_symlink_loops_are_problems_not_tracebacks(make_site, capsys):
    site = make_site()
    (site / "posts/self.md").symlink_to("self.md")
    (site / "posts/loop").mkdir()
    (site / "posts/loop/again").symlink_to("..", target_is_directory=True)
    (site / "profile.yml").unlink()
    (site / "profile.yml").symlink_to("profile.yml")
    assert main(["build", str(site)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "error: profile.yml: cannot read file: Too many levels of symbolic links — it is a symbolic link that " \
           "leads back to itself" in err and "error: posts/self.md: cannot read file" in err


@pytest.mark.parametrize("url", ["http://[::1", "ftp://a.io", "ada.github.io", "https://a.io/?x=1"])
def test_base_url_is_validated(make_site, capsys, url):
    assert main(["build", str(make_site()), "--base-url", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: --base-url: '{url}'") and "Traceback" not in err


def test_a_post_with_an_empty_title_is_an_error_not_dropped(make_site, capsys):
    site = make_site({"posts/2024-06-01-x.md": "---\ntitle:\ntags: [a]\n---\nBody\n"})
    assert main(["build", str(site)]) == 1
    assert "error: posts/2024-06-01-x.md:2:1: 'title' is empty" in capsys.readouterr().err
