"""Problems with a site, reported as `path:line:col: message — hint` and collected so one build shows them all."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    col: int | None
    message: str
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} — {self.hint}" if self.hint else text

    def text(self) -> str:
        """The line the CLI prints and serve's overlay shows: `error: path:line:col: message — hint`."""
        return f"{'warning' if self.warning else 'error'}: {self}"


class MlfolioError(Exception):
    """Raised with every problem of a stage at once; cli.py turns it into messages and exit code 1."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Problems:
    """Collects errors and warnings across files so the user fixes them in one pass, not one per build."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)
    strict: bool = False

    def rel(self, path: Path | str) -> str:
        """The path as the user knows it: relative to the site folder. Symbolic links are not followed (one
        that loops must still be named, not crash the report)."""
        path = Path(path)
        if self.root is not None:
            for here, root in ((os.path.abspath(path), os.path.abspath(self.root)),
                               (os.path.abspath(path), os.path.realpath(self.root))):
                try:
                    return Path(here).relative_to(root).as_posix()
                except ValueError:
                    continue
        return str(path)

    def error(self, path, line, col, message, hint="") -> None:
        self.items.append(Problem(self.rel(path) if path else "", line, col, message, hint))

    def warn(self, path, line, col, message, hint="") -> None:
        """A warning; under --strict it counts as an error."""
        self.items.append(Problem(self.rel(path) if path else "", line, col, message, hint, warning=not self.strict))

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise MlfolioError(self.errors)
