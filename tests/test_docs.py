"""README is the manual: every config key, front-matter key, command and template name must be in it."""
import re
from pathlib import Path

import pytest

from mlfolio.cli import make_parser
from mlfolio.config import Profile, SiteConfig
from mlfolio.content import PageMeta, PostMeta
from mlfolio.render import TEMPLATE_NAMES
from mlfolio.schema import describe

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


@pytest.mark.parametrize("cls", [SiteConfig, Profile, PostMeta, PageMeta], ids=lambda c: c.__name__)
def test_every_key_is_documented(cls):
    missing = [key for key, *_ in describe(cls) if f"| `{key}` |" not in README]
    assert missing == [], f"run python scripts/reference.py and update README: {missing}"


def test_every_command_is_documented():
    sub = next(a for a in make_parser()._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"mlfolio {name}" not in README]
    assert missing == []


def test_every_template_name_is_documented():
    assert [n for n in TEMPLATE_NAMES if f"`{n}`" not in README] == []


def test_quick_start_has_two_commands_and_ci_runs_the_second():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [c.strip() for c in re.findall(r"```\n(.+?)\n *```", quick, re.S)]
    assert len(commands) == 2
    ci = (Path(__file__).resolve().parents[1] / ".ci/run").read_text()
    assert commands[1].strip().lstrip("./") in ci


def test_benchmark_table_is_present():
    assert re.search(r"\| *mlfolio *\| *clean build *\|", README, re.I)
