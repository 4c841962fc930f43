"""Names of the files and folders mlfolio reads and writes, in one place so build, serve, fetch and deploy agree."""
from __future__ import annotations

from pathlib import Path

CONFIG = "mlfolio.yml"
PROFILE = "profile.yml"
DEFAULT_OUTPUT = "_site"
CACHE_DIR = ".mlfolio-cache"          # rendered documents, HTTP cache, build state: never committed
MANIFEST = ".mlfolio-output"          # the list of files a build wrote, kept in the output folder; never published
READER_FILES = Path(CACHE_DIR) / "files"  # files readers made (a notebook's figures), named by their content
SERVE_OUTPUT = Path(CACHE_DIR) / "serve"  # where `mlfolio serve` builds (drafts, local URLs): never in _site/
SNAPSHOT = Path("data") / "remote.json"   # committed remote data, written by `mlfolio fetch`

# Top-level inputs of a site whose sizes and modification times decide whether anything changed.
INPUTS = (CONFIG, PROFILE, "posts", "pages", "static", "templates", "themes", "data", "plugins")

# Folders never read as content and never watched: version control, caches, virtual environments.
IGNORED_DIRS = frozenset({CACHE_DIR, ".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", ".idea",
                          ".vscode"})
# Editor swap and temporary files: saving them must not trigger a rebuild.
IGNORED_NAMES = ("*.swp", "*.swx", "*.swo", "*~", ".#*", "#*#", "4913", "*.tmp", ".DS_Store", "*.pyc", MANIFEST)
