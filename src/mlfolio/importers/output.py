"""The new site, gathered in memory while the source is read and written in one go at the end, so a source
that cannot be imported leaves no half-made folder behind."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import MlfolioError, Problem


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, so a bio stays readable in profile.yml."""


def _str(dumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


PROFILE_ORDER = ("name", "headline", "avatar", "bio", "location", "email", "links", "skills", "experience",
                 "education", "news", "projects", "talks", "teaching", "extra")


def document(meta: dict, body: str) -> str:
    """A Markdown file: YAML front matter, then the body (runs of blank lines left by removed markup made one)."""
    return f"---\n{dump_yaml(meta)}---\n{tidy(body)}\n"


def tidy(body: str) -> str:
    """Runs of blank lines outside code fences become one blank line."""
    out, fence, blank = [], None, False
    for line in body.strip().split("\n"):
        stripped = line.strip()
        run = re.match(r"`{3,}|~{3,}", stripped)
        if fence is None and run:
            fence = run.group(0)
        elif fence is not None and stripped.startswith(fence) and not stripped.lstrip(fence[0]):
            fence = None
        elif fence is None and not line.strip():
            if blank:
                continue
            blank, line = True, ""
            out.append(line)
            continue
        blank = False
        out.append(line)
    return "\n".join(out)


@dataclass
class NewSite:
    config: dict = field(default_factory=dict)          # mlfolio.yml
    profile: dict = field(default_factory=dict)         # profile.yml
    texts: dict[str, str] = field(default_factory=dict)  # target path -> text
    copies: dict[str, Path] = field(default_factory=dict)  # target path -> source file

    def reserve(self, rel: str) -> str:
        """Claims a file name, so links can point to it before it is written; a name already taken gets '-2',
        '-3' … before its extension. Returns the name claimed."""
        rel = self._free(rel)
        self.texts[rel] = ""
        return rel

    def add_text(self, rel: str, text: str) -> str:
        rel = self.reserve(rel)
        self.texts[rel] = text
        return rel

    def add_copy(self, rel: str, source: Path) -> str:
        if self.copies.get(rel) == source:
            return rel
        rel = self._free(rel)
        self.copies[rel] = source
        return rel

    def _free(self, rel: str) -> str:
        stem, ext = os.path.splitext(rel)
        if stem.endswith("/index"):
            base, ext = stem[: -len("/index")], "/index" + ext
        else:
            base = stem
        n, name = 1, rel
        while name in self.texts or name in self.copies:
            n += 1
            name = f"{base}-{n}{ext}"
        return name

    def taken(self, rel: str) -> bool:
        return rel in self.texts or rel in self.copies

    def write(self, target: Path, force: bool) -> None:
        check_target(target, force)
        profile = {k: self.profile[k] for k in sorted(self.profile, key=lambda k: (
            PROFILE_ORDER.index(k) if k in PROFILE_ORDER else len(PROFILE_ORDER)))}
        files = {"mlfolio.yml": dump_yaml(self.config), "profile.yml": dump_yaml(profile),
                 ".gitignore": "_site/\n.mlfolio-cache/\n", **self.texts}
        for rel, text in files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for rel, source in self.copies.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)


def check_target(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise MlfolioError(Problem(str(target), None, None, "exists and is not a folder", "choose a new folder name"))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise MlfolioError(Problem(str(target), None, None, "folder is not empty",
                                   "choose a new folder, or pass --force to write into it (same-named files are replaced)"))


def notebook_with_front_matter(text: str, title: str, date: dt.date) -> str | None:
    """The notebook with `metadata.mlfolio` (title, date) set, which notebook posts read; None if not JSON."""
    try:
        nb = json.loads(text)
    except ValueError:
        return None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None
    meta = nb.setdefault("metadata", {})
    if isinstance(meta, dict):
        meta.setdefault("mlfolio", {"title": title, "date": date.isoformat()})
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"
