"""Writing the output folder: build into a temporary sibling, then swap, so a failed build changes nothing.

Files whose bytes did not change are hard-linked from the previous output instead of rewritten (mtimes stay,
so rsync, browsers and the dev server see only real changes). `.mlfolio-output` records what was written.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
    msvcrt = None
except ImportError:                  # Windows
    fcntl = None
    import msvcrt

from .errors import MlfolioError, Problem
from .paths import CACHE_DIR, CONFIG, INPUTS, MANIFEST, PROFILE, SERVE_OUTPUT


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Manifest:
    files: dict[str, str] = field(default_factory=dict)      # output path → content digest or 'static:<mtime>'
    fingerprint: str = ""
    pages: int = 0
    posts: int = 0

    @classmethod
    def load(cls, output: Path) -> "Manifest | None":
        """The manifest of a previous build; None when missing or damaged (then nothing is reused)."""
        try:
            data = json.loads((output / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) and ".." not in k
                                                  for k, v in files.items()):
            return None
        numbers = [data.get(k, 0) for k in ("pages", "posts")]
        fingerprint = data.get("fingerprint", "")
        if not all(isinstance(n, int) for n in numbers) or not isinstance(fingerprint, str):
            return None
        return cls(files, fingerprint, *numbers)

    def dump(self, output: Path) -> None:
        data = {"generator": "mlfolio", "fingerprint": self.fingerprint, "pages": self.pages, "posts": self.posts,
                "files": dict(sorted(self.files.items()))}
        (output / MANIFEST).write_text(json.dumps(data, indent=0), "utf-8")


def check_output_path(output: Path, site_dir: Path, where: tuple = (None, None, None),
                      protected: list[Path] = ()) -> None:
    """Refuses outputs that would delete or nest in the user's files: the site itself or a parent, an input
    folder or the cache (or a folder holding one), a theme, or a foreign folder. `where` is the position of
    `output:` in mlfolio.yml when it came from there."""
    out, site = output.resolve(), site_dir.resolve()
    path, line, col = where
    if out == site or out in site.parents:
        raise MlfolioError(Problem(path or str(output), line, col, "the output folder contains the site folder",
                                   "choose an output such as _site inside the site folder"))
    inputs = [site / name for name in INPUTS if name not in (CONFIG, PROFILE)] + [site / CACHE_DIR]
    for folder in [*inputs, *(Path(p).resolve() for p in protected)]:
        if out == site / SERVE_OUTPUT:
            break                    # serve's own preview output, the one folder of the cache it may replace
        if out == folder or folder in out.parents or out in folder.parents:
            shown = folder.relative_to(site).as_posix() if folder.is_relative_to(site) else str(folder)
            raise MlfolioError(Problem(path or str(output), line, col, f"the output folder would be {shown}/, "
                                       f"inside it or around it", "choose an output such as _site; mlfolio "
                                       "replaces the whole output folder on every build"))
    if out.is_file():
        raise MlfolioError(Problem(str(output), None, None, "the output path is a file", "choose a folder"))
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise MlfolioError(Problem(str(output), None, None,
                                   "the output folder is not empty and was not made by mlfolio",
                                   "choose another folder (mlfolio replaces the whole output folder) or empty it"))


class OutputWriter:
    """Collects files into a fresh temporary folder next to the output, then swaps it in with commit()."""

    def __init__(self, output: Path):
        self.output = output
        self.old = Manifest.load(output) or Manifest()
        self.files: dict[str, str] = {}
        self.changed: list[str] = []
        output.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = output.parent / f".{output.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir()
        self._dirs: set[str] = {str(self.tmp)}

    def make_dirs(self, rels) -> None:
        """Creates every folder in one process, sorted (a parent before its children): faster than workers
        creating folders side by side in the same parent, which contend on its lock. Already-made folders are
        skipped."""
        for folder in sorted({os.path.dirname(rel) for rel in rels} - {""}):
            path = os.path.join(self.tmp, folder)
            if path not in self._dirs:
                os.makedirs(path, exist_ok=True)
                self._dirs.add(path)

    def _target(self, rel: str) -> str:
        path = os.path.join(self.tmp, rel)
        parent = os.path.dirname(path)
        if parent not in self._dirs:
            os.makedirs(parent, exist_ok=True)
            self._dirs.add(parent)
        return path

    def _reuse(self, rel: str, key: str, target: str) -> bool:
        if self.old.files.get(rel) != key:
            return False
        try:
            os.link(self.output / rel, target)
            return True
        except OSError:
            return False

    def reuse(self, rel: str) -> tuple[str, str, bool] | None:
        """Keeps the previous build's file as it is (a hard link); None when there is none to keep."""
        key = self.old.files.get(rel)
        if key is None or not self._reuse(rel, key, self._target(rel)):
            return None
        return rel, key, False

    def put(self, rel: str, data: bytes) -> tuple[str, str, bool]:
        """Writes one file; returns (path, digest, changed) so worker processes can report back."""
        key = digest(data)
        target = self._target(rel)
        changed = not self._reuse(rel, key, target)
        if changed:
            with open(target, "wb") as f:
                f.write(data)
        return rel, key, changed

    def copy(self, rel: str, source: Path) -> tuple[str, str, bool]:
        st = source.stat()
        key = f"static:{st.st_size}:{st.st_mtime_ns}"
        target = self._target(rel)
        changed = not self._reuse(rel, key, target)
        if changed:
            shutil.copy2(source, target)
        return rel, key, changed

    def record(self, entry: tuple[str, str, bool]) -> None:
        rel, key, changed = entry
        self.files[rel] = key
        if changed:
            self.changed.append(rel)

    def record_added(self) -> None:
        """Records files that post-build steps (plugins) added to the temporary folder."""
        for root, _, names in os.walk(self.tmp):
            for name in names:
                rel = os.path.relpath(os.path.join(root, name), self.tmp).replace(os.sep, "/")
                if rel not in self.files and rel != MANIFEST:
                    with open(os.path.join(root, name), "rb") as f:
                        key = f"post:{digest(f.read())}"
                    self.record((rel, key, self.old.files.get(rel) != key))

    def commit(self, fingerprint: str, pages: int, posts: int) -> Manifest:
        manifest = Manifest(self.files, fingerprint, pages, posts)
        manifest.dump(self.tmp)
        backup = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        with output_lock(self.output):     # two builds at once: one swap after the other, never interleaved
            if self.output.exists():
                os.replace(self.output, backup)
            os.replace(self.tmp, self.output)
        if backup.exists():
            shutil.rmtree(backup, ignore_errors=True)
        self.changed += [rel for rel in self.old.files if rel not in self.files]
        return manifest

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextmanager
def output_lock(output: Path):
    """An exclusive lock per output folder, held while it is swapped or written in place. The lock file lives
    in the temporary folder, so it never shows up in a site or its git status."""
    key = hashlib.blake2b(str(output.resolve()).encode(), digest_size=8).hexdigest()
    with open(Path(tempfile.gettempdir()) / f"mlfolio-{key}.lock", "a+b") as f:
        if fcntl is not None:
            fcntl.flock(f, fcntl.LOCK_EX)
        elif msvcrt is not None:
            while True:
                try:
                    msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:      # LK_LOCK gives up after 10 s; keep waiting
                    continue
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(f, fcntl.LOCK_UN)
            elif msvcrt is not None:
                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)


def write_in_place(output: Path, files: dict[str, bytes], removed: list[str], manifest: Manifest) -> list[str]:
    """Incremental writes for serve: only files whose bytes changed, each replaced atomically."""
    with output_lock(output):
        return _write_in_place(output, files, removed, manifest)


def _write_in_place(output: Path, files: dict[str, bytes], removed: list[str], manifest: Manifest) -> list[str]:
    changed = []
    for rel, data in files.items():
        key = digest(data)
        if manifest.files.get(rel) == key and (output / rel).exists():
            continue
        path = output / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        manifest.files[rel] = key
        changed.append(rel)
    for rel in removed:
        try:
            (output / rel).unlink()
        except FileNotFoundError:
            pass
        manifest.files.pop(rel, None)
        changed.append(rel)
    manifest.dump(output)
    return changed
