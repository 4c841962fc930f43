"""The migration report: how many things of each kind arrived, which pages mlfolio now makes from them in place
of the old site's, and every construct that could not be converted, each as `file:line: what — suggestion`."""
from __future__ import annotations

from dataclasses import dataclass, field

COUNTED = ("posts", "pages", "images", "publications", "news", "projects", "talks", "teaching", "notebooks",
           "files")


@dataclass(frozen=True)
class Note:
    """One construct of the source site, named by its file (relative to the source folder) and line."""

    path: str
    line: int | None
    what: str
    suggestion: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.what} — {self.suggestion}" if self.suggestion else f"{where}: {self.what}"


@dataclass
class Report:
    kind: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))
    made: list[str] = field(default_factory=list)        # what mlfolio makes from the imported data
    notes: list[Note] = field(default_factory=list)      # not converted
    build: list[str] = field(default_factory=list)       # why the imported site does not build with --strict

    def count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    def note(self, path: str, line: int | None, what: str, suggestion: str = "") -> None:
        self.notes.append(Note(path, line, what, suggestion))

    def made_from(self, text: str) -> None:
        if text not in self.made:
            self.made.append(text)

    def text(self, source: str, target: str) -> str:
        lines = [f"Imported the {self.kind} site {source} into {target}:"]
        lines += [f"  {kind:<13} {n}" for kind, n in self.counts.items() if n or kind in COUNTED[:6]]
        if self.made:
            lines.append("Made by mlfolio from the imported data:")
            lines += [f"  {text}" for text in self.made]
        notes = sorted(dict.fromkeys(self.notes), key=lambda n: (n.path, n.line or 0))
        if notes:
            lines.append(f"Not converted ({len(notes)}):")
            lines += [f"  {n}" for n in notes]
        if self.build:
            lines.append(f"The imported site does not build with --strict yet ({len(self.build)} problem"
                         f"{'s' if len(self.build) != 1 else ''}):")
            lines += [f"  {p}" for p in self.build]
        else:
            lines.append(f"It builds with --strict. Next: mlfolio serve {target}")
        return "\n".join(lines)
