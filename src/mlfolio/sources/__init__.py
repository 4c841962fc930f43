"""Remote sources: one module each (github.py, kaggle.py, huggingface.py, or a plugin's), all driven by the fetch stage
(fetch.py) the same way: cache, TTL, offline, fallback to the last good data, the snapshot, and warnings.

A source is a `Source` subclass (base.py): its settings dataclass is the mlfolio.yml section named after it
(checked with file:line like every key), `fetch` asks the API through the shared HTTP client and returns the
source's part of the snapshot (plain JSON, no credentials), and `view` turns that data into what the site shows.
Adding one is a new module and a line in BUILTIN_SOURCES, or a plugin's `sources=[...]`.
"""
from __future__ import annotations

from .base import Credentials, Source, SourceNotFound
from .feeds import ExternalPostsSource
from .github import GitHubSource
from .huggingface import HuggingFaceSource
from .kaggle import KaggleSource

BUILTIN_SOURCES = [GitHubSource(), KaggleSource(), HuggingFaceSource(), ExternalPostsSource()]

__all__ = ["BUILTIN_SOURCES", "Credentials", "Source", "SourceNotFound"]
