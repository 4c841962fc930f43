"""This repository's own workflows: CI runs the README's test command on every supported Python, and a version tag
publishes to PyPI with trusted publishing. actionlint (with shellcheck) must find nothing in either."""
from pathlib import Path

import pytest
import yaml

from test_deploy import lint

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github/workflows"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_workflow_passes_actionlint(name):
    lint(WORKFLOWS / name)


def test_ci_runs_the_test_command_on_every_supported_python():
    job = load("ci.yml")["jobs"]["test"]
    assert job["runs-on"] == "ubuntu-latest"
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13", "3.14"]
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ matrix.python-version }}"
    assert job["steps"][-1]["run"] == "bash .ci/run"


def test_release_publishes_version_tags_with_trusted_publishing():
    wf = load("release.yml")
    assert wf[True] == {"push": {"tags": ["v*"]}}              # YAML 1.1 reads the key 'on' as True
    assert wf["permissions"] == {"contents": "read"}
    build, publish = wf["jobs"]["build"], wf["jobs"]["publish"]
    runs = "\n".join(s.get("run", "") for s in build["steps"])
    assert "python -m build" in runs and "twine check --strict dist/*" in runs
    assert publish["needs"] == "build" and publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}     # only the uploading job can get the OIDC token
    upload = publish["steps"][-1]
    assert upload["uses"] == "pypa/gh-action-pypi-publish@release/v1" and "password" not in upload.get("with", {})
