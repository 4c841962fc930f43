"""The build: each stage in order, timed. serve.py keeps a Builder to rebuild only what an edit touches."""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import load_config
from .content import Page, Post, load_page, load_pages, load_post, load_posts, markdown_files, newest_first
from .errors import MlfolioError, Problem, Problems
from .markdown import RENDERER_VERSION, Rendered, render_markdown
from .output import Manifest, OutputWriter, check_output_path, write_in_place
from .projects import RemoteData
from .render import Job, TEMPLATE_NAMES, make_environment, plan, render_job, template_problem
from .site import Site, assemble_site

CACHE_DIR = ".mlfolio-cache"
INPUTS = ("mlfolio.yml", "profile.yml", "posts", "pages", "static", "templates", "themes", "data")
PARALLEL_MIN = 48            # below this many documents or pages, forking costs more than it saves
_IGNORED_DIRS = {CACHE_DIR, ".git", "__pycache__", "node_modules", ".venv"}


@dataclass
class BuildOptions:
    site_dir: Path
    output: Path | None = None
    drafts: bool = False
    offline: bool = False
    strict: bool = False
    base_url: str | None = None
    verbose: bool = False
    quiet: bool = False
    progress: bool = False
    remote_ttl: bool = False


@dataclass
class BuildResult:
    output: Path
    pages: int
    posts: int
    written: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        try:
            shown = os.path.relpath(self.output)
        except ValueError:
            shown = str(self.output)
        shown = shown if len(shown) < len(str(self.output)) else str(self.output)
        note = "" if self.written else ", nothing changed"
        posts = f"{self.posts} post{'' if self.posts == 1 else 's'}"
        return f"Built {self.pages} pages ({posts}) in {self.seconds:.2f} s -> {shown}/{note}"


def build_site(options: BuildOptions) -> BuildResult:
    """One full build; raises MlfolioError with every problem, leaving any previous output untouched."""
    return Builder(options).build()


def find_theme(name: str, site_dir: Path) -> Path | None:
    """A site's own themes/<name> first, then the themes shipped with mlfolio (installed or in the repo)."""
    here = Path(__file__).resolve().parent
    for root in (site_dir / "themes", here / "themes", here.parents[1] / "themes"):
        if (root / name / "templates").is_dir():
            return root / name
    return None


class _Timer:
    def __init__(self):
        self.timings: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._t
        self._t = now


class Builder:
    """Keeps the loaded site between builds so serve re-reads and re-renders only what changed."""

    def __init__(self, options: BuildOptions):
        self.options = options
        self.site_dir = Path(options.site_dir).resolve()
        self.rendered: dict[str, Rendered] = {}      # Markdown results by document digest, across rebuilds
        self.site: Site | None = None
        self.theme_dir: Path | None = None
        self.output: Path | None = None
        self._posts: dict[str, Post] = {}
        self._pages: dict[str, Page] = {}
        self._loaded = None
        self._remote: RemoteData | None = None
        self._signature = None
        self._manifest: Manifest | None = None
        self._cache_dirty = False                    # rebuilds add to the Markdown cache in memory only

    # ------------------------------------------------------------------ full build
    def build(self) -> BuildResult:
        """A full build. Cycle collection is paused meanwhile: with a million young objects (tokens,
        pages) it ran dozens of full passes and found nothing; refcounting still frees as usual."""
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._build()
        finally:
            if paused:
                gc.enable()

    def _build(self) -> BuildResult:
        opts = self.options
        timer = _Timer()
        start = time.perf_counter()
        if not self.site_dir.is_dir():
            raise MlfolioError(Problem(str(opts.site_dir), None, None, "no such folder",
                                       "give the site folder that holds mlfolio.yml"))
        problems = Problems(root=self.site_dir, strict=opts.strict)

        # 1. load: config, then every post and page; all problems are collected before stopping
        loaded = load_config(self.site_dir, problems)
        config = loaded.config
        if opts.base_url:
            config.url = opts.base_url
        self.theme_dir = find_theme(config.theme, self.site_dir)
        if self.theme_dir is None:
            line, col = loaded.marks.get("theme", (None, None))
            problems.error(self.site_dir / "mlfolio.yml", line, col, f"theme '{config.theme}' not found",
                           "use 'default' or put the theme in themes/<name>/templates/")
        self.output = (Path(opts.output) if opts.output else self.site_dir / config.output).resolve()
        check_output_path(self.output, self.site_dir)
        if problems.errors:              # report content problems too, so one run shows them all
            load_posts(self.site_dir, problems, opts.drafts)
            load_pages(self.site_dir, problems, opts.drafts)
            problems.raise_if_errors()
        fingerprint, env_fingerprint = self._fingerprint(config)
        timer.lap("config")

        # 2. fetch: GitHub and Kaggle data (cached; falls back to the last good data with a warning)
        remote = self._fetch(loaded, problems)
        fingerprint, env_fingerprint = (hashlib.sha256(f"{fp}{remote.fingerprint()}".encode()).hexdigest()
                                        for fp in (fingerprint, env_fingerprint))
        timer.lap("fetch")
        state = _load_state(self.site_dir) if self.site is None else None
        done = self._unchanged(state, fingerprint, problems, start, timer)
        if done:
            return done

        # 3. read every post and page and render its Markdown, across processes; Markdown results are
        #    cached by content hash, so only documents whose text changed are rendered again
        posts, pages = self._load_documents(problems)
        problems.raise_if_errors()
        timer.lap("load+markdown")

        # 4. site model: URLs, links between documents, tags, path clashes
        site = assemble_site(config, loaded.profile, posts, pages, self.rendered, remote, self.site_dir,
                             self.theme_dir, problems, f"mlfolio {__version__}")
        problems.raise_if_errors()
        timer.lap("site")

        # 5. render and write: pages in parallel into a temporary folder, then swapped in; when only posts
        #    or pages changed since the last build, pages that show none of them are reused as they are
        unchanged_docs = self._unchanged_documents(state, env_fingerprint, site)
        manifest, changed = self._render_and_write(site, problems, fingerprint, unchanged_docs)
        timer.lap("render")

        self._remember(site, loaded, remote, posts, pages, manifest)
        self._save_markdown_cache([*posts, *pages])
        self._save_state(fingerprint, env_fingerprint, site, problems.warnings)
        return BuildResult(self.output, manifest.pages, manifest.posts, len(changed),
                           time.perf_counter() - start, problems.warnings, timer.timings, sorted(changed))

    def _fetch(self, loaded, problems: Problems) -> RemoteData:
        config = loaded.config
        wanted = (config.github and config.github.user) or (config.kaggle and config.kaggle.user)
        if not wanted:
            return RemoteData()
        from .remote import fetch_remote
        return fetch_remote(config, self.site_dir, marks=loaded.marks, problems=problems,
                            offline=self.options.offline or config.fetch.offline,
                            use_ttl=self.options.remote_ttl)

    def _load_documents(self, problems: Problems) -> tuple[list[Post], list[Page]]:
        global _LOAD
        self._load_markdown_cache()
        files = [(load_post, f) for f in markdown_files(self.site_dir / "posts")]
        files += [(load_page, f) for f in markdown_files(self.site_dir / "pages")]
        workers = _workers(len(files))
        if self.options.progress and len(files) > 300:
            print(f"Reading {len(files)} posts and pages on {workers} processes…", file=sys.stderr)
        if workers > 1:
            _preload()
        _LOAD = (self.site_dir, self.rendered, files, self.options.drafts, problems.strict)
        try:
            if workers > 1:
                with ProcessPoolExecutor(workers, mp_context=_fork_context()) as pool:
                    results = list(pool.map(_load_share, range(workers), [workers] * workers))
            else:
                results = [_load_share(0, 1)]
        finally:
            _LOAD = None
        docs, added = [], 0
        for got, rendered, items in results:
            added += len(rendered)
            docs += got
            self.rendered.update(rendered)
            problems.items.extend(items)
        posts = newest_first(d for d in docs if isinstance(d, Post))
        pages = sorted((d for d in docs if isinstance(d, Page)), key=lambda p: p.rel)
        self._cache_dirty = self._cache_dirty or added > 0
        return posts, pages

    def _load_markdown_cache(self) -> None:
        if self.rendered:
            return
        try:
            with open(self.site_dir / CACHE_DIR / f"markdown-{RENDERER_VERSION}.pickle", "rb") as f:
                self.rendered = pickle.load(f)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError, ImportError):
            self.rendered = {}

    def _save_markdown_cache(self, docs: list) -> None:
        """Written last: a large write before creating a thousand output folders, or beside the rendering
        workers, slowed the build down more than it saved."""
        cache_file = self.site_dir / CACHE_DIR / f"markdown-{RENDERER_VERSION}.pickle"
        live = {d.digest for d in docs}
        stale = len(self.rendered) - len(live & self.rendered.keys())
        if stale or self._cache_dirty:
            self._cache_dirty = False
            if stale:
                self.rendered = {k: v for k, v in self.rendered.items() if k in live}
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(".tmp")
            with open(tmp, "wb") as f:
                pickle.dump(self.rendered, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache_file)

    def _render_and_write(self, site: Site, problems: Problems, fingerprint: str, unchanged_docs: set[str] | None):
        """Renders in worker processes; this process copies the static files meanwhile."""
        jobs = plan(site)
        env = make_environment(site, self.site_dir / CACHE_DIR)
        names = set(TEMPLATE_NAMES) | {n for n in env.list_templates() if n.endswith((".html", ".xml"))}
        for name in sorted(names):           # compile all, partials too, once here rather than in each worker
            try:
                env.get_template(name)
            except Exception as exc:  # noqa: BLE001 - reported as a template problem below
                problems.items.append(template_problem(exc, site, Job(name, name)))
        problems.raise_if_errors()
        writer = OutputWriter(self.output)
        try:
            global _WORK
            todo = jobs
            if unchanged_docs is not None:
                todo = []
                for job in jobs:
                    stale = job.deps is not None and not job.deps <= unchanged_docs
                    reused = None if stale else writer.reuse(job.out)
                    if reused:
                        writer.record(reused)
                    else:
                        todo.append(job)
            writer.make_dirs([job.out for job in todo] + list(site.static_files))
            _WORK = (env, site, todo, writer)
            workers = _workers(len(todo))
            if self.options.progress and len(jobs) > 300:
                print(f"Rendering {len(jobs)} pages on {workers} processes…", file=sys.stderr)
            if workers > 1:
                with ProcessPoolExecutor(workers, mp_context=_fork_context()) as pool:
                    futures = [pool.submit(_render_share, i, workers) for i in range(workers)]
                    for rel, source in site.static_files.items():
                        writer.record(writer.copy(rel, source))
                    results = [f.result() for f in futures]
            else:
                for rel, source in site.static_files.items():
                    writer.record(writer.copy(rel, source))
                results = [_render_share(0, 1)]
            seen = set()
            for entries, errors in results:
                for entry in entries:
                    writer.record(entry)
                for error in errors:         # one broken template line fails many pages: say it once
                    if (error.path, error.line) not in seen:
                        seen.add((error.path, error.line))
                        problems.items.append(error)
            problems.raise_if_errors()
            html_pages = sum(1 for j in jobs if j.out.endswith(".html"))
            manifest = writer.commit(fingerprint, html_pages, len(site.posts))
        except BaseException:
            writer.abort()
            raise
        finally:
            _WORK = None
        return manifest, writer.changed

    # ------------------------------------------------------------------ no-change fast path
    def _fingerprint(self, config) -> tuple[str, str]:
        """Sizes and mtimes of every input file, the theme, the options and the version: cheap to compute.
        Returns (everything, everything but posts/ and pages/)."""
        head = f"{__version__}|{RENDERER_VERSION}|{self.options.drafts}|{config.url}|{self.output}".encode()
        full, env = hashlib.sha256(head), hashlib.sha256(head)
        docs = (str(self.site_dir / "posts") + os.sep, str(self.site_dir / "pages") + os.sep)
        roots = [self.site_dir / name for name in INPUTS] + [self.theme_dir]
        for root in roots:
            for path, st in _walk(root, {self.output}):
                line = f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode()
                full.update(line)
                if not path.startswith(docs):
                    env.update(line)
        return full.hexdigest(), env.hexdigest()

    def _unchanged_documents(self, state, env_fingerprint: str, site: Site) -> set[str] | None:
        """Documents whose text is as in the last build, when nothing else changed (config, profile, templates,
        static, remote data, the post list); None when every page must be rendered."""
        if not state or state.get("env") != env_fingerprint or state.get("signature") != _signature(site):
            return None
        manifest = Manifest.load(self.output)
        if manifest is None or manifest.fingerprint != state.get("fingerprint"):
            return None
        before = state.get("digests", {})
        return {d.rel for d in [*site.posts, *site.pages] if before.get(d.rel) == d.text_digest}

    def _unchanged(self, state, fingerprint: str, problems: Problems, start: float, timer: _Timer):
        """When nothing changed since the last build and its output is intact, there is nothing to do."""
        if not state or state.get("fingerprint") != fingerprint or problems.items:
            return None                  # fetch warnings of this build must be the ones shown: build
        manifest = Manifest.load(self.output)
        if manifest is None or manifest.fingerprint != fingerprint:
            return None
        if not all(os.path.exists(self.output / rel) for rel in manifest.files):
            return None
        warnings = [Problem(*w) for w in state.get("warnings", [])]
        if self.options.strict and warnings:
            return None
        problems.items.extend(warnings)
        timer.lap("check")
        return BuildResult(self.output, manifest.pages, manifest.posts, 0, time.perf_counter() - start,
                           warnings, timer.timings, [])

    def _save_state(self, fingerprint: str, env_fingerprint: str, site: Site, warnings: list[Problem]) -> None:
        path = self.site_dir / CACHE_DIR / "build-state.pickle"
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {"fingerprint": fingerprint, "env": env_fingerprint, "signature": _signature(site),
                 "digests": {d.rel: d.text_digest for d in [*site.posts, *site.pages]},
                 "warnings": [(w.path, w.line, w.col, w.message, w.hint, True) for w in warnings]}
        with open(path, "wb") as f:
            pickle.dump(state, f)

    def _remember(self, site, loaded, remote, posts, pages, manifest) -> None:
        self.site, self._loaded, self._remote, self._manifest = site, loaded, remote, manifest
        self._posts = {p.rel: p for p in posts}
        self._pages = {p.rel: p for p in pages}
        self._signature = _signature(site)

    # ------------------------------------------------------------------ incremental rebuild (serve)
    def rebuild(self, changed: set[Path]) -> BuildResult:
        """Rebuilds after edits: a post or page edit re-renders it and the pages that list it; a template,
        config or theme change rebuilds everything. Raises MlfolioError and keeps the last good output."""
        if self.site is None:
            return self.build()
        start = time.perf_counter()
        timer = _Timer()
        docs, statics, full = set(), set(), False
        for path in changed:
            path = Path(path).resolve()
            try:
                rel = path.relative_to(self.site_dir).as_posix()
            except ValueError:
                rel = None
            if rel and rel.split("/")[0] in ("posts", "pages") and rel.endswith(".md"):
                docs.add(rel)
            elif rel and rel.startswith("static/"):
                statics.add(rel[len("static/"):])
            elif self.theme_dir and self.theme_dir in path.parents and \
                    path.relative_to(self.theme_dir).parts[0] == "static":
                statics.add(path.relative_to(self.theme_dir / "static").as_posix())
            else:
                full = True
        if full:
            return self._full_again()
        problems = Problems(root=self.site_dir, strict=self.options.strict)
        posts, pages = dict(self._posts), dict(self._pages)
        for rel in docs:
            path = self.site_dir / rel
            target, load = (posts, load_post) if rel.startswith("posts/") else (pages, load_page)
            target.pop(rel, None)
            if path.is_file():
                doc = load(path, self.site_dir, problems)
                if doc is not None and (self.options.drafts or not doc.meta.draft):
                    target[rel] = doc
        problems.raise_if_errors()
        post_list = newest_first(posts.values())
        page_list = sorted(pages.values(), key=lambda p: p.rel)
        for doc in [*post_list, *page_list]:     # the disk cache is written by the next full build
            if doc.digest not in self.rendered:
                self.rendered[doc.digest] = render_markdown(doc.body, doc.rel)
                self._cache_dirty = True
        timer.lap("markdown")
        site = assemble_site(self._loaded.config, self._loaded.profile, post_list, page_list, self.rendered,
                             self._remote, self.site_dir, self.theme_dir, problems, f"mlfolio {__version__}",
                             resolve_only=docs)
        problems.raise_if_errors()
        timer.lap("site")
        if _signature(site) != self._signature:
            return self._full_again()
        env = make_environment(site, self.site_dir / CACHE_DIR)
        files: dict[str, bytes] = {}
        for job in plan(site):
            if job.deps is not None and job.deps & docs:
                try:
                    files[job.out] = render_job(env, site, job)
                except Exception as exc:  # noqa: BLE001 - a template bug is the user's problem to see
                    problems.items.append(template_problem(exc, site, job))
        for rel in statics:
            source = site.static_files.get(rel)
            if source is not None:
                files[rel] = source.read_bytes()
        removed = [rel for rel in statics if rel not in site.static_files and rel in self._manifest.files]
        problems.raise_if_errors()
        timer.lap("render")
        changed_out = write_in_place(self.output, files, removed, self._manifest)
        timer.lap("write")
        self._remember(site, self._loaded, self._remote, post_list, page_list, self._manifest)
        return BuildResult(self.output, self._manifest.pages, len(post_list), len(changed_out),
                           time.perf_counter() - start, problems.warnings, timer.timings, changed_out)

    def _full_again(self) -> BuildResult:
        self.site = None
        return self.build()


def _signature(site: Site):
    """What, when changed, touches every page: the post order and metadata lists show, the menu, tags."""
    return (tuple((p.rel, p.slug, p.date, p.updated, tuple(p.meta.tags), p.draft) for p in site.posts),
            tuple((p.rel, p.slug, p.title, p.meta.menu) for p in site.pages))


_WORK = None
_LOAD = None


def _load_share(index: int, count: int):
    """Runs in a forked worker (or in-process): reads every count-th document and renders its Markdown."""
    site_dir, cache, files, drafts, strict = _LOAD
    problems = Problems(root=site_dir, strict=strict)
    docs, rendered = [], {}
    for load, path in files[index::count]:
        doc = load(path, site_dir, problems)
        if doc is None or (doc.meta.draft and not drafts):
            continue
        if doc.digest not in cache and doc.digest not in rendered:
            rendered[doc.digest] = render_markdown(doc.body, doc.rel)
        if count > 1:
            doc.body = ""                # rendered already; not worth pickling back to the parent
        docs.append(doc)
    return docs, rendered, problems.items


def _render_share(index: int, count: int):
    """Runs in a forked worker (or in-process): renders every count-th job and writes it to the temp folder."""
    env, site, jobs, writer = _WORK
    entries, errors = [], []
    for job in jobs[index::count]:
        try:
            entries.append(writer.put(job.out, render_job(env, site, job)))
        except Exception as exc:  # noqa: BLE001 - becomes a path:line problem for the user
            errors.append(template_problem(exc, site, job))
    return entries, errors


def _preload() -> None:
    """Imports and sets up the Markdown stack once, before forking, instead of once in every worker."""
    import latex2mathml.converter  # noqa: F401
    import pygments.formatters.html  # noqa: F401
    import pygments.lexers  # noqa: F401

    from .markdown import make_markdown

    make_markdown()


def _workers(n: int) -> int:
    if n < PARALLEL_MIN or _fork_context() is None:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _fork_context():
    import multiprocessing
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def _walk(root: Path, skip: set[Path]):
    if root.is_file():
        yield str(root), root.stat()
        return
    stack = [str(root)]
    skip_s = {str(s) for s in skip}
    while stack:
        top = stack.pop()
        try:
            entries = sorted(os.scandir(top), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                hidden = entry.name.startswith(".") and entry.name != ".well-known"
                if not (hidden or entry.name in _IGNORED_DIRS or entry.path in skip_s):
                    stack.append(entry.path)
            elif entry.is_file():
                yield entry.path, entry.stat()


def _load_state(site_dir: Path):
    try:
        with open(site_dir / CACHE_DIR / "build-state.pickle", "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, ValueError):
        return None


__all__ = ["BuildOptions", "BuildResult", "Builder", "build_site", "find_theme"]
