"""Page bundles: a post that is a folder, `posts/my-post/index.md` (or `index.<ext>` of any reader), with its
images, data and PDFs beside it. The folder's name is the post's name (`2024-05-01-my-post/` gives its date
too); the other files in it are published beside the post's page and never read as posts themselves.
"""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from .paths import IGNORED_DIRS, IGNORED_NAMES

INDEX = "index"
FOLDERS = ("posts",)              # pages/ nests pages in folders (pages/projects/index.md, pages/projects/x.md)


def index_file(names, extensions) -> str | None:
    """The bundle's index among a folder's file names (`index.md`, `index.ipynb`), or None."""
    found = sorted(n for n in names if os.path.splitext(n)[0] == INDEX and os.path.splitext(n)[1].lower() in extensions)
    return found[0] if found else None


def bundle_dir(source: Path, site_dir: Path) -> Path | None:
    """The bundle folder of a document, or None when the document is a single file (posts/x.md, posts/index.md)."""
    if source.stem != INDEX:
        return None
    folder = source.parent
    try:
        parts = folder.relative_to(site_dir).parts
    except ValueError:
        return None
    return folder if len(parts) > 1 and parts[0] in FOLDERS else None


def post_name(source: Path, site_dir: Path) -> str:
    """What a post's slug and date come from: its folder's name for a bundle, else its file name."""
    return source.parent.name if bundle_dir(source, site_dir) else source.stem


def bundle_files(folder: Path, index: Path) -> tuple[dict[str, Path], list[Path]]:
    """The files of a bundle but its index, by their path in the folder ('data/loss.csv'), as `static/` is
    read: hidden, `_`-prefixed and editor files skipped; and the symbolic links that lead outside the
    folder, which are not published (a link to ~/.ssh must not end up on the web)."""
    files: dict[str, Path] = {}
    outside: list[Path] = []
    real_root = os.path.realpath(folder)
    for root, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real != real_root and not real.startswith(real_root + os.sep):
            dirs[:] = []
            outside.append(Path(root))
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")) and d not in IGNORED_DIRS)
        for name in names:
            path = Path(root, name)
            if name.startswith((".", "_")) or path == index or any(fnmatch.fnmatch(name, p) for p in IGNORED_NAMES):
                continue
            target = os.path.realpath(path)
            if not target.startswith(real_root + os.sep) or not os.path.isfile(target):
                outside.append(path)
            else:
                files[path.relative_to(folder).as_posix()] = path
    return files, outside


def owner(path: Path, site_dir: Path, extensions) -> Path | None:
    """The index of the bundle a file belongs to (serve: an edited image republishes its post), or None.
    The outermost bundle owns everything under it, as content_files reads it."""
    for folder in reversed(path.parents):
        if not folder.is_relative_to(site_dir) or folder == site_dir:
            continue
        rel = folder.relative_to(site_dir).parts
        if len(rel) > 1 and rel[0] in FOLDERS:
            try:
                name = index_file(os.listdir(folder), extensions)
            except OSError:
                return None
            if name is not None:
                return None if Path(folder, name) == path else Path(folder, name)
    return None


__all__ = ["bundle_dir", "bundle_files", "index_file", "owner", "post_name"]
