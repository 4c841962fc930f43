"""The build: each stage in order, timed. serve keeps a Builder to rebuild only what an edit touches.

Page reuse. Every page records what it read (deps.py: `site.posts`, a tag's posts, the menu …) and its context
has a digest in which documents count by path and fingerprint. A page is reused (hard-linked from the last
output, or left in place by serve) only when neither changed and nothing that every page depends on changed
(configuration, profile, templates, themes, plugins, remote data, the set of documents and their URLs). What
the default theme happens to read plays no part, so a custom template is as correct as the theme's.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, bundles, deps
from .config import check_site_url, load_config
from .content import Page, Post, content_files, load_document, load_pages, load_posts, newest_first
from .errors import MlfolioError, Problem, Problems
from .fetch import fetch_sources, fingerprint as sources_fingerprint
from .mathfont import page_characters
from .output import Manifest, OutputWriter, check_output_path, write_in_place
from .paths import CACHE_DIR, CONFIG, IGNORED_DIRS, INPUTS, READER_FILES
from .progress import Progress
from .readers import Rendered
from .routes import Job, plan
from .search import index_site, keep_index
from .site import Site, assemble_site

PARALLEL_MIN = 48            # below this many documents or pages, forking costs more than it saves
STATE_FORMAT = 3
DOC_FOLDERS = ("posts", "pages")


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
    preview: bool = False            # `mlfolio serve`: themes leave out analytics and comments
    cv_pdf: bool = False                 # the CV links its PDF (`mlfolio cv --pdf` makes it), whatever cv.pdf says


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
    rendered: int = 0                    # outputs rendered (the others were reused)
    outputs: int = 0                     # outputs of the routes (pages, feeds, sitemap …), rendered or reused
    index_later: tuple = ()              # serve: (folder, where) of a search index its indexer thread rebuilds

    def summary(self) -> str:
        try:
            shown = os.path.relpath(self.output)
        except ValueError:
            shown = str(self.output)
        shown = shown if len(shown) < len(str(self.output)) else str(self.output)
        note = "" if self.written else ", nothing changed"
        posts = f"{self.posts} post{'' if self.posts == 1 else 's'}"
        return f"Built {self.pages} pages ({posts}) in {self.seconds:.2f} s -> {shown}/{note}"


@dataclass
class PageRecord:
    """What one output file depended on when it was rendered."""

    identity: str                      # route, template and context digest
    keys: frozenset[str]               # what it read (deps.py)
    warnings: tuple = ()               # (path, line, message, hint) of undefined names it used
    math: str = ""                     # the characters its <math> elements draw (mathfont.page_characters)


@dataclass
class BuildState:
    """Kept in memory by serve and in .mlfolio-cache/build-state-<output>.pickle by `mlfolio build`: one per
    output folder, so `mlfolio build` and serve's preview never spoil each other's fast paths."""

    fingerprint: str = ""              # every input file's size and mtime + remote data: unchanged → no work
    env: str = ""                      # what every page depends on
    pages: dict[str, PageRecord] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)       # key -> its fingerprint at that build
    warnings: list[tuple] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)       # document and static paths -> URLs
    format: int = STATE_FORMAT


def build_site(options: BuildOptions) -> BuildResult:
    """One full build; raises MlfolioError with every problem, leaving any previous output untouched."""
    return Builder(options).build()


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
        self.rendered: dict[str, Rendered] = {}      # rendered bodies by document digest, across rebuilds
        self.site: Site | None = None
        self.output: Path | None = None
        self.loaded = None
        self.state: BuildState | None = None
        self._sources: dict = {}
        self._docs: dict[str, Post | Page] = {}
        self._manifest: Manifest | None = None
        self._env_inputs = ""                          # mtimes of config, templates, themes, plugins
        self._cache_dirty = False                      # rebuilds add to the rendered-body cache in memory only
        self._index_later: tuple = ()                  # see BuildResult.index_later

    @property
    def theme_dir(self) -> Path | None:
        return self.loaded.theme.dirs[0] if self.loaded and self.loaded.theme else None

    @property
    def watch_dirs(self) -> list[Path]:
        """Folders outside the site that the build reads: the theme chain and the plugins' files."""
        if not self.loaded:
            return []
        dirs = list(self.loaded.theme.dirs) if self.loaded.theme else []
        for plugin in self.loaded.registry.plugins:
            dirs += [f.parent if f.is_file() else f for f in plugin.files]
        return [d for d in dict.fromkeys(dirs) if not d.is_relative_to(self.site_dir)]

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

        # 1. load the configuration (with its plugins and theme); content problems are collected too
        loaded = load_config(self.site_dir, problems)
        self.loaded = loaded
        config, registry = loaded.config, loaded.registry
        if opts.base_url:
            why = check_site_url(opts.base_url)
            if why:
                raise MlfolioError(Problem("--base-url", None, None, why, "give the full address the site is served "
                                           "at, e.g. --base-url https://ada.github.io/portfolio"))
            config.url = opts.base_url
        config.cv.pdf = config.cv.pdf or opts.cv_pdf
        self.output = (Path(opts.output) if opts.output else self.site_dir / config.output).resolve()
        where = ("--output", None, None) if opts.output else (CONFIG, *loaded.marks.get("output", (None, None)))
        check_output_path(self.output, self.site_dir, where, loaded.theme.dirs if loaded.theme else [])
        if problems.errors:              # report content problems too, so one run shows them all
            load_posts(self.site_dir, problems, opts.drafts, registry)
            load_pages(self.site_dir, problems, opts.drafts, registry)
            problems.raise_if_errors()
        everything, self._env_inputs = self._fingerprint(config, loaded)
        timer.lap("config")

        # 2. fetch every remote source (cached; falls back to the last good data with a warning)
        sources = fetch_sources(config, registry, self.site_dir, marks=loaded.marks, problems=problems,
                                offline=opts.offline or config.fetch.offline, use_ttl=opts.remote_ttl,
                                progress=opts.progress)
        remote = sources_fingerprint(sources)
        everything = deps.digest(everything, remote)
        timer.lap("fetch")
        state = self.state if self.state is not None else _load_state(self.site_dir, self.output)
        done = self._unchanged(state, everything, problems, start, timer)
        if done:
            return done

        # 3. read every document and render its body, across processes; rendered bodies are cached by a
        #    hash of reader, plugins, path and text, so only documents whose text changed are rendered again
        posts, pages = self._load_documents(problems, registry)
        problems.raise_if_errors()
        timer.lap("load+markdown")

        # 4. site model: URLs, links between documents, tags, menu; then the plan: every output file
        site = assemble_site(loaded, posts, pages, self.rendered, sources, self.site_dir, problems,
                             f"mlfolio {__version__}", preview=self.options.preview)
        jobs = plan(site, registry.routes, problems)
        problems.raise_if_errors()
        timer.lap("site")

        # 5. render and write: pages in parallel into a temporary folder, then swapped in; pages whose
        #    context and reads did not change since the last build are hard-linked instead of rendered
        env_key = deps.digest(self._env_inputs, remote, structure(site))
        manifest, changed, new_state, rendered = self._render_and_write(site, jobs, problems, state, env_key,
                                                                        everything, timer)
        timer.lap("render")

        problems.items = unique(problems.items)
        new_state.warnings = [_warning_tuple(w) for w in problems.warnings]
        self._remember(site, sources, [*posts, *pages], manifest, new_state)
        self._save_rendered_cache([*posts, *pages])
        _save_state(state_path(self.site_dir, self.output), new_state)
        return BuildResult(self.output, manifest.pages, manifest.posts, len(changed), time.perf_counter() - start,
                           problems.warnings, timer.timings, sorted(changed), rendered, len(jobs),
                           self._take_index_later())

    def _load_documents(self, problems: Problems, registry) -> tuple[list[Post], list[Page]]:
        global _LOAD
        self._load_rendered_cache()
        files = [f for folder in DOC_FOLDERS for f in content_files(self.site_dir / folder, registry)]
        workers = _workers(len(files))
        if workers > 1 and not self.rendered:     # most bodies to render: set readers up once, before forking
            _preload(registry)
        _LOAD = (self.site_dir, self.rendered, files, self.options.drafts, problems.strict, registry)
        try:
            bar = Progress("Reading posts and pages", len(files), self.options.progress)
            results = run_shares(_load_share, workers, bar)
        finally:
            _LOAD = None
        docs, added = [], 0
        for got, rendered, items in results:
            added += len(rendered)
            docs += got
            for body in rendered.values():
                keep_files(body, self.site_dir / READER_FILES)
            self.rendered.update(rendered)
            problems.items.extend(items)
        self._cache_dirty = self._cache_dirty or added > 0
        return split_documents(docs)

    def _load_rendered_cache(self) -> None:
        if self.rendered:
            return
        try:
            with open(self.site_dir / CACHE_DIR / "rendered.pickle", "rb") as f:
                kept = pickle.load(f)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError, ImportError):
            kept = None
        # A cache written by another version of mlfolio (other Rendered fields) is dropped, not trusted.
        ok = isinstance(kept, dict) and kept.get("schema") == _rendered_schema()
        self.rendered = kept["items"] if ok and isinstance(kept.get("items"), dict) else {}
        folder = self.site_dir / READER_FILES
        lost = [k for k, r in self.rendered.items()                 # a body whose files were deleted is made again
                if r.files and not all((folder / name).is_file() for name in r.files.values())]
        for key in lost:
            del self.rendered[key]

    def _save_rendered_cache(self, docs: list) -> None:
        """Written last: a large write before creating a thousand output folders, or beside the rendering
        workers, slowed the build down more than it saved."""
        cache_file = self.site_dir / CACHE_DIR / "rendered.pickle"
        live = {d.digest for d in docs}
        stale = len(self.rendered) - len(live & self.rendered.keys())
        if stale or self._cache_dirty:
            self._cache_dirty = False
            if stale:
                self.rendered = {k: v for k, v in self.rendered.items() if k in live}
                _prune_files(self.site_dir / READER_FILES, self.rendered.values())
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump({"schema": _rendered_schema(), "items": self.rendered}, f,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache_file)

    def _render_and_write(self, site: Site, jobs: list[Job], problems: Problems, state: BuildState | None,
                          env_key: str, everything: str, timer: _Timer):
        """Renders in worker processes; this process copies the static files meanwhile."""
        from .render import make_environment

        env = make_environment(site, self.site_dir / CACHE_DIR)
        self._compile_templates(env, site, problems)
        problems.raise_if_errors()
        writer = OutputWriter(self.output)
        decide = Reuse(site, state if writer.old.files else None, env_key)   # nothing to reuse: no comparing
        new_state = BuildState(fingerprint=everything, env=env_key, urls=site.urls)
        try:
            global _WORK
            todo = []
            folders = [job.file for job in jobs] + list(site.static_files)
            if decide.state is not None:     # pages to hard-link need their folders now
                writer.make_dirs(folders)
            for job in jobs:
                record = decide.reusable(job)
                reused = writer.reuse(job.file) if record else None
                if reused:
                    writer.record(reused)
                    new_state.pages[job.file] = record
                    problems.items.extend(_warnings(record.warnings, problems.strict))
                else:
                    todo.append(job)
            _WORK = (env, site, todo, writer, problems.strict)

            def meanwhile():
                """While workers render: the folders of a clean build (a worker that gets there first makes
                its own), then the static files."""
                writer.make_dirs(folders)
                for rel, source in site.static_files.items():
                    writer.record(writer.copy(rel, source))
            bar = Progress("Rendering pages", len(todo), self.options.progress)
            results = run_shares(_render_share, _workers(len(todo)), bar, meanwhile=meanwhile)
            seen = set()
            for entries, records, errors in results:
                for entry in entries:
                    writer.record(entry)
                new_state.pages.update(records)
                for error in errors:         # one broken template line fails many pages: say it once
                    if (error.path, error.line, error.message) not in seen:
                        seen.add((error.path, error.line, error.message))
                        problems.items.append(error)
            problems.raise_if_errors()
            site.math_characters = set().union(*(r.math for r in new_state.pages.values()))
            if site.registry.post_build or site.config.search:
                self._post_build(site, writer.tmp, problems, timer, "render")
                writer.record_added()
            if site.config.search and self.options.preview:
                keep_index(self.output, writer.tmp)
            new_state.keys = decide.current_keys(new_state.pages.values())
            html_pages = sum(1 for j in jobs if j.file.endswith(".html"))
            manifest = writer.commit(everything, html_pages, len(site._posts))
        except BaseException:
            writer.abort()
            raise
        finally:
            _WORK = None
        return manifest, writer.changed, new_state, len(todo)

    def _compile_templates(self, env, site: Site, problems: Problems) -> None:
        """Compiles every template once here, partials too, rather than once in each worker."""
        from .render import template_problem

        names = {r.template for r in site.registry.routes if r.template}
        names |= {n for n in env.list_templates() if n.endswith((".html", ".xml", ".txt"))}
        for name in sorted(names):
            try:
                env.get_template(name)
            except Exception as exc:  # noqa: BLE001 - reported as a template problem
                problems.items.append(template_problem(exc, site, name, name))

    def _post_build(self, site: Site, folder: Path, problems: Problems, timer: _Timer, stage: str,
                    index: bool = True) -> None:
        """Plugins' steps, then the search index (when `index`: a page changed); `stage` names the time spent
        before the index."""
        for step in site.registry.post_build:
            try:
                step(site, folder)
            except Exception as exc:  # noqa: BLE001 - a plugin's bug is reported, never a traceback
                name = getattr(step, "__module__", "") or repr(step)
                problems.error("", None, None, f"post-build step {getattr(step, '__name__', step)} ({name}) "
                               f"failed: {type(exc).__name__}: {exc}", "fix the plugin or remove it from 'plugins:'")
        problems.raise_if_errors()
        where = (self.site_dir / CONFIG, *self.loaded.marks.get("search", (None, None)))
        if site.config.search and index and self.options.preview:
            self._index_later = (self.output, where)   # Pagefind takes seconds on a big site: serve reloads first
        elif site.config.search and index:   # last: it indexes the pages plugins added too
            timer.lap(stage)
            index_site(folder, problems, where)
            timer.lap("search")
            problems.raise_if_errors()

    # ------------------------------------------------------------------ no-change fast path
    def _fingerprint(self, config, loaded) -> tuple[str, str]:
        """Sizes and mtimes of every input file, the themes, plugins, the options and the version: cheap.
        Returns (everything, what every page depends on: all but documents and static files)."""
        head = (f"{__version__}|{loaded.registry.signature()}|{self.options.drafts}|{self.options.preview}|"
                f"{config.url}|{self.output}|{config.cv.pdf}")
        full, env = hashlib.sha256(head.encode()), hashlib.sha256(head.encode())
        page_inputs = tuple(str(self.site_dir / name) + os.sep for name in (*DOC_FOLDERS, "static"))
        theme_static = tuple(str(d) + os.sep for d in loaded.theme.static_dirs) if loaded.theme else ()
        roots = [self.site_dir / name for name in INPUTS] + self.watch_dirs
        for plugin in loaded.registry.plugins:
            roots += plugin.files
        for root in dict.fromkeys(roots):
            for path, st in _walk(root, {self.output}):
                line = f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode()
                full.update(line)
                if not path.startswith(page_inputs + theme_static):
                    env.update(line)
        for path in loaded.registry.input_files(self.site_dir, config):    # every page may show them
            try:
                st = path.stat()
                line = f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode()
            except OSError:
                line = f"{path}|missing\n".encode()
            full.update(line)
            env.update(line)
        return full.hexdigest(), env.hexdigest()

    def _unchanged(self, state: BuildState | None, everything: str, problems: Problems, start: float,
                   timer: _Timer):
        """When nothing changed since the last build and its output is intact, there is nothing to do."""
        if not state or state.fingerprint != everything or problems.items:
            return None                  # fetch warnings of this build must be the ones shown: build
        manifest = Manifest.load(self.output)
        if manifest is None or manifest.fingerprint != everything:
            return None
        if not all(os.path.exists(self.output / rel) for rel in manifest.files):
            return None
        warnings = [Problem(*w) for w in state.warnings]
        if self.options.strict and warnings:
            return None
        problems.items.extend(warnings)
        timer.lap("check")
        return BuildResult(self.output, manifest.pages, manifest.posts, 0, time.perf_counter() - start,
                           warnings, timer.timings, [])

    def _remember(self, site, sources, docs, manifest, state) -> None:
        self.site, self._sources, self._manifest, self.state = site, sources, manifest, state
        self._docs = {d.rel: d for d in docs}

    # ------------------------------------------------------------------ incremental rebuild (serve)
    def rebuild(self, changed: set[Path]) -> BuildResult:
        """Rebuilds after edits: an edited post or page is read again and every page that shows it is
        re-rendered; configuration, profile, template, theme or plugin changes rebuild everything. Raises
        MlfolioError and keeps the last good output."""
        if self.site is None:
            return self.build()
        start = time.perf_counter()
        timer = _Timer()
        registry = self.loaded.registry
        docs, statics, assets = set(), set(), set()
        static_roots = [self.site_dir / "static", *self.loaded.theme.static_dirs]
        for path in changed:
            path = Path(os.path.abspath(path))
            rel = path.relative_to(self.site_dir).as_posix() if path.is_relative_to(self.site_dir) else None
            root = next((r for r in static_roots if path.is_relative_to(r)), None)
            index = bundles.owner(path, self.site_dir, registry.readers) if rel else None
            if index is not None:        # a bundle's image: republished, and its post's image sizes read again
                docs.add(index.relative_to(self.site_dir).as_posix())
                assets.add(path)
            elif rel and rel.split("/")[0] in DOC_FOLDERS and path.suffix.lower() in registry.readers:
                docs.add(rel)
            elif root is not None and not path.is_dir():
                statics.add(path.relative_to(root).as_posix())
            else:                        # a new folder's files may predate its watch: read everything again
                return self._full_again()
        problems = Problems(root=self.site_dir, strict=self.options.strict)
        by_rel = dict(self._docs)
        for rel in docs:
            by_rel.pop(rel, None)
            path = self.site_dir / rel
            if path.is_file():
                doc = load_document(path, self.site_dir, problems, registry)
                if doc is not None and (self.options.drafts or not doc.meta.draft):
                    by_rel[rel] = doc
        problems.raise_if_errors()
        posts, pages = split_documents(by_rel.values())
        for doc in [*posts, *pages]:     # the disk cache is written by the next full build
            if doc.digest not in self.rendered:
                body = registry.reader_for(doc.source).render(doc.body, doc.rel)
                keep_files(body, self.site_dir / READER_FILES)
                self.rendered[doc.digest] = body
                self._cache_dirty = True
        timer.lap("markdown")
        site = assemble_site(self.loaded, posts, pages, self.rendered, self._sources, self.site_dir, problems,
                             f"mlfolio {__version__}", resolve_only=docs, previous_urls=self.state.urls,
                             build_time=self.site.build_time, preview=self.options.preview)
        jobs = plan(site, registry.routes, problems)
        problems.raise_if_errors()
        env_key = deps.digest(self._env_inputs, sources_fingerprint(self._sources), structure(site))
        if env_key != self.state.env:
            return self._full_again()
        timer.lap("site")
        from .render import make_environment, take_undefined_uses, template_problem

        env = make_environment(site, self.site_dir / CACHE_DIR)
        decide = Reuse(site, self.state, env_key)
        new_state = BuildState(env=env_key, urls=site.urls, warnings=self.state.warnings)
        files: dict[str, bytes] = {}
        for job in jobs:
            record = decide.reusable(job)
            if record is not None and (self.output / job.file).exists():
                new_state.pages[job.file] = record
                problems.items.extend(_warnings(record.warnings, problems.strict))
                continue
            try:
                files[job.file], new_state.pages[job.file], found = render_one(env, site, job, decide, problems.strict)
                problems.items.extend(found)
            except Exception as exc:  # noqa: BLE001 - a template bug is the user's problem to see
                take_undefined_uses()
                problems.items.append(template_problem(exc, site, job.template or "", job.file))
        rendered = len(files)
        before = self.site.static_files
        for rel, source in site.static_files.items():    # edited static files, and documents' new files
            if rel in statics or before.get(rel) != source or source in assets:
                files[rel] = source.read_bytes()
        planned = {job.file for job in jobs} | set(site.static_files)
        removed = [rel for rel in self._manifest.files if rel not in planned and rel not in self._post_files()]
        problems.raise_if_errors()
        timer.lap("render")
        if self.state.fingerprint:           # the output now differs from what the saved state describes
            self.state.fingerprint = ""
            state_path(self.site_dir, self.output).unlink(missing_ok=True)
        changed_out = write_in_place(self.output, files, removed, self._manifest)
        if changed_out and (site.registry.post_build or site.config.search):
            pages_changed = any(rel.endswith(".html") for rel in changed_out)    # not for a stylesheet
            self._post_build(site, self.output, problems, timer, "write", index=pages_changed)
        new_state.keys = decide.current_keys(new_state.pages.values())
        timer.lap("write")
        self._remember(site, self._sources, [*posts, *pages], self._manifest, new_state)
        problems.items = unique(problems.items)
        return BuildResult(self.output, self._manifest.pages, len(posts), len(changed_out),
                           time.perf_counter() - start, problems.warnings, timer.timings, changed_out, rendered,
                           len(jobs), self._take_index_later())

    def _take_index_later(self) -> tuple:
        pending, self._index_later = self._index_later, ()
        return pending

    def _post_files(self) -> set[str]:
        return {rel for rel, key in self._manifest.files.items() if key.startswith("post:")}

    def _full_again(self) -> BuildResult:
        self.site = None
        return self.build()


class Reuse:
    """Decides, job by job, whether the previous build's file can stand for this build's."""

    def __init__(self, site: Site, state: BuildState | None, env_key: str):
        self.site = site
        self.state = state if state is not None and state.env == env_key else None
        self._fingerprints: dict[str, str] = {}

    def identity(self, job: Job) -> str:
        out = job.output
        if out.lazy:
            return deps.digest(job.route.name, job.template, repr(out.key), *(d.dependency_key() for d in out.docs))
        try:
            return deps.digest(job.route.name, job.template, deps.context_digest(out.context))
        except deps.Unstable:
            return os.urandom(16).hex()          # no stable description: rendered every time

    def fingerprint(self, key: str) -> str:
        if key not in self._fingerprints:
            self._fingerprints[key] = key_fingerprint(self.site, key)
        return self._fingerprints[key]

    def reusable(self, job: Job) -> PageRecord | None:
        """The previous record when the job would render the same bytes; else None."""
        if self.state is None:
            return None
        record = self.state.pages.get(job.file)
        if record is None or record.identity != self.identity(job):
            return None
        if any(self.state.keys.get(key) != self.fingerprint(key) for key in record.keys):
            return None
        return record

    def current_keys(self, records) -> dict[str, str]:
        return {key: self.fingerprint(key) for record in records for key in record.keys}


def key_fingerprint(site: Site, key: str) -> str:
    """The current value of a dependency key (see deps.py); an unknown key never matches, so a page reading
    something mlfolio cannot track is rendered every time."""
    if key == "posts":
        return deps.digest(*(p.dependency_key() for p in site._posts))
    if key == "pages":
        return deps.digest(*(p.dependency_key() for p in site._pages))
    if key == "tags":
        return deps.digest(*((t.slug, t.name, t.url, len(t._posts)) for t in site._tags))
    if key == "menu":
        return deps.digest(*((m.title, m.url) for m in site._menu))
    if key == "build_time":
        return deps.digest(site._build_time.date())       # pages show the date (a footer's year), not the time
    if key.startswith("tag:"):
        tag = next((t for t in site._tags if t.slug == key[4:]), None)
        return deps.digest(tag.name, *(p.dependency_key() for p in tag._posts)) if tag else "gone"
    return os.urandom(16).hex()


def structure(site: Site) -> str:
    """Which documents exist and where they live: a change touches links, menus and projects everywhere."""
    return deps.digest(*sorted((d.rel, d.url) for d in [*site._posts, *site._pages]))


def split_documents(docs) -> tuple[list[Post], list[Page]]:
    posts = newest_first(d for d in docs if isinstance(d, Post))
    pages = sorted((d for d in docs if isinstance(d, Page)), key=lambda p: p.rel)
    return posts, pages


def unique(problems: list[Problem]) -> list[Problem]:
    """Each problem once (many pages use one template line), in the order found."""
    return list(dict.fromkeys(problems))


def _warning_tuple(w: Problem) -> tuple:
    return (w.path, w.line, w.col, w.message, w.hint, True)


def _warnings(found: tuple, strict: bool) -> list[Problem]:
    """A reused page's template warnings, as when it was rendered."""
    return [Problem(path, line, None, message, hint, warning=not strict) for path, line, message, hint in found]


def render_one(env, site: Site, job: Job, decide: Reuse, strict: bool) -> tuple[bytes, PageRecord, list[Problem]]:
    """One page: its bytes, its record for the next build, and the undefined names it used."""
    from .render import render_job, take_undefined_uses, undefined_problems

    data, keys = render_job(env, site, job)
    found = undefined_problems(site, take_undefined_uses(), strict)
    record = PageRecord(decide.identity(job), frozenset(keys), tuple((p.path, p.line, p.message, p.hint)
                                                                      for p in found),
                        page_characters(data) if b"<math" in data else "")
    return data, record, found


_WORK = None
_LOAD = None


def keep_files(rendered: Rendered, folder: Path) -> None:
    """Moves the files a reader made (a notebook's figures) out of the rendered body into the cache, named by
    their content (an unchanged figure is not written again); the body keeps those names."""
    for name, data in list(rendered.files.items()):
        if isinstance(data, bytes):
            stored = hashlib.blake2b(data, digest_size=16).hexdigest() + os.path.splitext(name)[1].lower()
            path = folder / stored
            if not path.exists():
                folder.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{stored}.{os.getpid()}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, path)
            rendered.files[name] = stored


def _rendered_schema() -> tuple:
    """What a kept Rendered must match: mlfolio's version and the dataclass's fields."""
    from dataclasses import fields

    return (__version__, tuple(f.name for f in fields(Rendered)))


def _prune_files(folder: Path, bodies) -> None:
    """Drops cached reader files no rendered body names any more."""
    if not folder.is_dir():
        return
    live = {name for body in bodies for name in body.files.values()}
    for path in folder.iterdir():
        if path.name not in live and not path.name.startswith("."):
            path.unlink(missing_ok=True)


def _load_share(index: int, count: int):
    """Runs in a forked worker (or in-process): reads every count-th document and renders its body."""
    site_dir, cache, files, drafts, strict, registry = _LOAD
    problems = Problems(root=site_dir, strict=strict)
    docs, rendered = [], {}
    for path in files[index::count]:
        doc = load_document(path, site_dir, problems, registry)
        if doc is None or (doc.meta.draft and not drafts):
            continue
        if doc.digest not in cache and doc.digest not in rendered:
            rendered[doc.digest] = registry.reader_for(path).render(doc.body, doc.rel)
        if count > 1:
            doc.body = ""                # rendered already; not worth pickling back to the parent
        docs.append(doc)
        tick()
    return docs, rendered, problems.items


def _render_share(index: int, count: int):
    """Runs in a forked worker (or in-process): renders every count-th job and writes it to the temp folder."""
    env, site, jobs, writer, strict = _WORK
    decide = Reuse(site, None, "")
    entries, records, errors = [], {}, []
    for job in jobs[index::count]:
        try:
            data, records[job.file], found = render_one(env, site, job, decide, strict)
            entries.append(writer.put(job.file, data))
            errors.extend(found)
            tick()
        except Exception as exc:  # noqa: BLE001 - becomes a path:line problem for the user
            from .render import take_undefined_uses, template_problem
            take_undefined_uses()
            errors.append(template_problem(exc, site, job.template or "", job.file))
    return entries, records, errors


def _preload(registry) -> None:
    """Sets up every reader once, before forking, instead of once in every worker."""
    for reader in dict.fromkeys(registry.readers.values()):
        preload = getattr(reader, "preload", None)
        if preload:
            preload()


_DONE = None             # items done in this stage, shared with forked workers (for the progress bar)
_BAR: Progress | None = None   # drawn by tick() itself when the stage runs in this process


def tick() -> None:
    """One item of a stage is done (called by the shares, in workers or in this process)."""
    if _DONE is not None:
        with _DONE.get_lock():
            _DONE.value += 1
        if _BAR is not None:
            _BAR.show(_DONE.value)


def run_shares(share, workers: int, bar: Progress, meanwhile=None) -> list:
    """share(i, workers) for each i: in forked processes when workers > 1, else here. The bar follows the
    items done (tick)."""
    global _DONE, _BAR
    if bar.enabled:
        import multiprocessing
        _DONE = multiprocessing.get_context("fork" if _fork_context() else None).Value("i", 0)
    try:
        if workers > 1:
            return in_workers(share, workers, meanwhile, bar)
        _BAR = bar
        if meanwhile is not None:
            meanwhile()
        return [share(0, 1)]
    finally:
        _DONE, _BAR = None, None
        bar.close()


def in_workers(share, workers: int, meanwhile=None, bar: Progress | None = None) -> list:
    """Runs share(i, workers) for each i in forked processes (they inherit the work through module globals,
    nothing is pickled but results). Ctrl-C stops them at once: workers ignore SIGINT, so only this process
    handles it, without a traceback from each worker."""
    from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(workers, mp_context=_fork_context(), initializer=_ignore_interrupts)
    try:
        futures = [pool.submit(share, i, workers) for i in range(workers)]
        if meanwhile is not None:
            meanwhile()
        while wait(futures, timeout=0.1, return_when=FIRST_EXCEPTION).not_done:
            if bar is not None and _DONE is not None:
                bar.show(_DONE.value)
        results = [f.result() for f in futures]
    except BaseException:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        # Wait for the pool's manager thread (it ends as soon as it sees the workers gone): left running, it can
        # close its wake-up pipe while Python's exit handler writes to it, a traceback after 'interrupted'.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def _ignore_interrupts() -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
            try:
                if entry.is_dir(follow_symlinks=False):
                    hidden = entry.name.startswith(".") and entry.name != ".well-known"
                    if not (hidden or entry.name in IGNORED_DIRS or entry.path in skip_s):
                        stack.append(entry.path)
                elif entry.is_file():
                    yield entry.path, entry.stat()
            except OSError:              # a link that loops or leads nowhere: the stage that reads it says so
                continue


def state_path(site_dir: Path, output: Path) -> Path:
    key = hashlib.blake2b(str(output).encode(), digest_size=6).hexdigest()
    return site_dir / CACHE_DIR / f"build-state-{key}.pickle"


def _load_state(site_dir: Path, output: Path) -> BuildState | None:
    try:
        with open(state_path(site_dir, output), "rb") as f:
            state = pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, ValueError, AttributeError, TypeError, ImportError):
        return None
    return state if isinstance(state, BuildState) and state.format == STATE_FORMAT else None


def _save_state(path: Path, state: BuildState) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


__all__ = ["BuildOptions", "BuildResult", "Builder", "build_site"]
