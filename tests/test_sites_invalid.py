"""One broken site per expected message (tests/sites_invalid/<case>/): exit 1, the exact lines, no traceback,
and nothing written. Each case is the minimal valid site with the case's files laid over it."""
import shutil
from pathlib import Path

import pytest

from mlfolio.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "sites_invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_site(case, make_site, capsys):
    site = make_site()
    for path in case.rglob("*"):
        rel = path.relative_to(case)
        if path.is_dir() or rel.name in ("expected.txt", "args.txt"):
            continue
        if path.name.endswith(".delete"):
            (site / rel.as_posix()[: -len(".delete")]).unlink()
        else:
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, site / rel)
    args = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []
    code = main(["build", str(site), *args])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    expected = (case / "expected.txt").read_text("utf-8").splitlines()
    lines = err.splitlines()
    for line in expected:
        assert line in lines, f"missing line:\n{line}\nin:\n{err}"
    assert lines[-1].endswith("nothing was written."), err
    assert not (site / "_site").exists()
