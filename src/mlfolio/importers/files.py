"""Reading the source site safely: it is someone else's folder, so nothing in it is trusted. A symbolic link
that leads outside it is not followed, a file too big, binary or not UTF-8 where text is expected is one note,
and the source is never written to."""
from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

from .report import Report

MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_FILE_BYTES = 50 * 1024 * 1024       # images, PDFs and other copied files
IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp", ".ico", ".tif", ".tiff"}
SKIPPED_DIRS = {".git", ".github", "node_modules", "_site", ".jekyll-cache", ".sass-cache", "vendor", "public",
                "resources", ".venv", "__pycache__", ".bundle", ".devcontainer", ".vscode", ".idea"}


@dataclass
class FrontMatter:
    meta: dict
    body: str
    body_line: int          # line of the file where the body starts


class SourceTree:
    def __init__(self, root: Path, report: Report, skip: Path | None = None):
        self.root = root
        self.real = os.path.realpath(root)
        self.report = report
        self.skip = os.path.realpath(skip) if skip else None

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def exists(self, rel: str) -> bool:
        path = self.root / rel
        return os.path.lexists(path) and self._inside(path, quiet=True)

    def _inside(self, path: Path, quiet: bool = False) -> bool:
        real = os.path.realpath(path)
        if real == self.real or real.startswith(self.real + os.sep):
            return True
        if not quiet:
            self.report.note(self.rel(path), None, "a symbolic link that leads outside the site (or nowhere) "
                             "was not followed", "copy the file into the site if it belongs to it")
        return False

    def files(self, rel_dir: str = "", exts: set[str] | None = None, recursive: bool = True) -> list[Path]:
        """Files under `rel_dir` (sorted), hidden names and build folders skipped, links outside left out."""
        top = self.root / rel_dir
        if not top.is_dir() or not self._inside(top):
            return []
        out = []
        for folder, dirs, names in os.walk(top, followlinks=True):
            here = Path(folder)
            if here != top and not self._inside(here):
                dirs[:] = []
                continue
            if self.skip and os.path.realpath(here) == self.skip:
                dirs[:] = []
                continue
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS) if recursive else []
            for name in sorted(names):
                path = here / name
                if name.startswith(".") or (exts is not None and path.suffix.lower() not in exts):
                    continue
                if self._inside(path) and path.is_file():
                    out.append(path)
        return out

    def text(self, path: Path) -> str | None:
        """The file as text, or None after one note saying why not."""
        rel = self.rel(path)
        if not self._inside(path):
            return None
        try:
            size = path.stat().st_size
            if size > MAX_TEXT_BYTES:
                self.report.note(rel, None, f"file is {size // (1024 * 1024)} MB, more than the "
                                 f"{MAX_TEXT_BYTES // (1024 * 1024)} MB a text file may have; not imported",
                                 "split it, or copy what matters by hand")
                return None
            data = path.read_bytes()
        except OSError as exc:
            self.report.note(rel, None, f"cannot read file: {exc.strerror or exc}", "check its permissions")
            return None
        if b"\0" in data[:8192]:
            self.report.note(rel, None, "binary file where text was expected; not imported",
                             "remove it, or move it to the site's images or files folder")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.report.note(rel, line, "file is not UTF-8 text; not imported", "re-save it as UTF-8")
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def copyable(self, path: Path) -> bool:
        """Whether a file may be copied as it is (not too big, not a link outside)."""
        if not self._inside(path):
            return False
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self.report.note(self.rel(path), None, f"file is {size // (1024 * 1024)} MB; not copied",
                             "host big files elsewhere and link to them")
            return False
        return True

    def yaml(self, path: Path):
        """A YAML data file, or None after a note with the line of the error."""
        text = self.text(path)
        return None if text is None else load_yaml(text, self.rel(path), self.report)

    def toml(self, path: Path):
        text = self.text(path)
        return None if text is None else load_toml(text, self.rel(path), self.report)

    def front_matter(self, path: Path) -> FrontMatter | None:
        text = self.text(path)
        return None if text is None else split_front_matter(text, self.rel(path), self.report)


def load_yaml(text: str, rel: str, report: Report, line_offset: int = 0):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        report.note(rel, line, f"YAML that cannot be read ({getattr(exc, 'problem', None) or 'syntax error'}); "
                    "file not imported", "fix the YAML there and import again")
        return None


def load_toml(text: str, rel: str, report: Report, line_offset: int = 0):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc.args[0]) if exc.args else "syntax error"
        at = re.search(r"at line (\d+)", message)           # tomllib gives the position only in its message
        line = int(at.group(1)) + line_offset if at else None
        report.note(rel, line, f"TOML that cannot be read ({message.split(' (at ')[0]}); file not imported",
                    "fix the TOML there and import again")
        return None


def split_front_matter(text: str, rel: str, report: Report) -> FrontMatter | None:
    """YAML (`---`) or TOML (`+++`) front matter; a file without any has an empty one."""
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return FrontMatter({}, text, 1)
    for i in range(1, len(lines)):
        if lines[i].strip() == fence or (fence == "---" and lines[i].strip() == "..."):
            raw = "\n".join(lines[1:i])
            meta = (load_yaml if fence == "---" else load_toml)(raw, rel, report, line_offset=1)
            if meta is None and raw.strip():
                return None
            if meta is not None and not isinstance(meta, dict):
                report.note(rel, 2, "front matter is not a mapping of keys; file not imported",
                            "write it as 'key: value' lines")
                return None
            return FrontMatter(meta or {}, "\n".join(lines[i + 1:]), i + 2)
    report.note(rel, 1, f"front matter starts with '{fence}' but never ends; file not imported",
                f"close it with a line '{fence}'")
    return None


def as_date(value) -> dt.date | None:
    """A date from YAML/TOML dates, datetimes and strings like '2015-10-22 15:59:00-0400' or '2020-12-13T00:00Z'."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None
