"""README is the manual: its reference tables are generated from the code and must be current; every command
and template name is in it."""
import importlib.util
import re
from pathlib import Path

from mlfolio.cli import make_parser
from mlfolio.plugins import core_registry

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def reference():
    spec = importlib.util.spec_from_file_location("reference", ROOT / "scripts" / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_reference_tables_are_current():
    assert reference().render(README) == README, "run python scripts/reference.py to update README.md"


def test_every_command_is_documented():
    sub = next(a for a in make_parser()._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"mlfolio {name}" not in README]
    assert missing == []


def test_every_template_name_is_documented():
    names = {r.template for r in core_registry().routes if r.template} | {"base.html"}
    assert sorted(n for n in names if f"`{n}`" not in README) == []


def test_quick_start_has_two_commands_and_ci_runs_the_second():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [c.strip() for c in re.findall(r"```\n(.+?)\n *```", quick, re.S)]
    assert len(commands) == 2
    ci = (ROOT / ".ci/run").read_text()
    assert commands[1].strip().lstrip("./") in ci


def test_benchmark_table_is_present():
    assert re.search(r"\| *mlfolio *\| *clean build *\|", README, re.I)
