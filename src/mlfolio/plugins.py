"""Plugins, and the registry the core itself plugs into: readers, sources, routes, Markdown extensions, Jinja
filters and globals, templates and post-build steps.

A plugin is a `Plugin` object, found either in a local Python file named in mlfolio.yml (`plugins:
[plugins/reading.py]`, like MkDocs `hooks:`) or under an installed package's `mlfolio.plugins` entry point
(`plugins: [scholar]`). Everything a plugin adds is declared up front, so mlfolio.yml can be checked against it
and so it is all in place before any worker process starts.
"""
from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import Problems

ENTRY_POINT_GROUP = "mlfolio.plugins"


@dataclass
class Plugin:
    """What a plugin adds. `settings` is a dataclass read from the mlfolio.yml section named after the plugin,
    with the same checks (types, unknown keys, file:line) as every other key; routes and filters reach it
    through `site.settings(name)`."""

    name: str
    version: str = "0"
    settings: type | None = None
    readers: list = field(default_factory=list)            # Reader instances (mlfolio.readers.Reader)
    sources: list = field(default_factory=list)            # Source instances (mlfolio.sources.Source)
    routes: list = field(default_factory=list)             # Route instances (mlfolio.routes.Route)
    templates: str | Path | None = None                    # folder of templates, relative to the plugin file
    markdown: list[Callable] = field(default_factory=list)  # fn(events) -> events, over each document's parse
    fences: dict[str, Callable] = field(default_factory=dict)  # language -> fn(code, info) -> readers.Block
    filters: dict[str, Callable] = field(default_factory=dict)
    globals: dict[str, Any] = field(default_factory=dict)
    post_build: list[Callable] = field(default_factory=list)   # fn(site, output_dir: Path) after rendering
    cv_sections: list[Callable] = field(default_factory=list)  # fn(site) -> list of cv.CvSection
    inputs: list[Callable] = field(default_factory=list)   # fn(site_dir, config) -> [Path]: files it reads
    prepare: list[Callable] = field(default_factory=list)  # fn(site, loaded, problems) once the site is assembled
    doc: str = ""


@dataclass
class LoadedPlugin:
    plugin: Plugin
    origin: str            # the file it came from, or 'entry point NAME (package X.Y)'
    files: list[Path]      # what to watch in serve (the plugin file and its templates folder)


@dataclass
class Registry:
    """Everything a build is made of that is not the site's own files: the core's readers, sources and routes
    first, then each plugin's, in the order mlfolio.yml lists them."""

    readers: dict[str, Any] = field(default_factory=dict)       # extension ('.md') -> Reader
    sources: dict[str, Any] = field(default_factory=dict)       # name ('github') -> Source
    routes: list = field(default_factory=list)
    markdown: list[Callable] = field(default_factory=list)
    fences: dict[str, Callable] = field(default_factory=dict)   # the core's, then plugins' (a later one wins)
    filters: dict[str, Callable] = field(default_factory=dict)
    globals: dict[str, Any] = field(default_factory=dict)
    template_dirs: list[Path] = field(default_factory=list)
    post_build: list[Callable] = field(default_factory=list)
    cv_sections: list[Callable] = field(default_factory=list)
    inputs: list[Callable] = field(default_factory=list)
    prepare: list[Callable] = field(default_factory=list)
    plugins: list[LoadedPlugin] = field(default_factory=list)

    def signature(self) -> str:
        """Names and versions of the plugins and readers: part of every cache key, so upgrading a plugin
        re-renders what it touches."""
        parts = [f"{r.name}:{r.version}" for r in dict.fromkeys(self.readers.values())]
        parts += [f"plugin:{p.plugin.name}:{p.plugin.version}" for p in self.plugins]
        parts += [f"filter:{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', '')}:{getattr(fn, 'version', '')}"
                  for fn in self.markdown]
        return hashlib.blake2b("|".join(parts).encode(), digest_size=8).hexdigest()

    def reader_for(self, path: Path):
        return self.readers.get(path.suffix.lower())

    def input_files(self, site_dir: Path, config) -> list[Path]:
        """Files the build reads besides the site's usual folders (publications.bib): any change to one counts
        like a change to mlfolio.yml."""
        return [path for fn in self.inputs for path in fn(site_dir, config)]

    def configure(self, config) -> None:
        """Hands the site's configuration to every reader, once it is read and before any document is."""
        for reader in dict.fromkeys(self.readers.values()):
            reader.configure(config)

    def settings_sections(self) -> dict[str, tuple[type, Any]]:
        """The mlfolio.yml sections beyond the core schema: one per source (absent: source off) and one per
        plugin with settings (absent: its defaults)."""
        out: dict[str, tuple[type, Any]] = {name: (src.settings, None) for name, src in self.sources.items()
                                            if src.settings is not None}
        for p in self.plugins:
            if p.plugin.settings is not None and p.plugin.name not in out:
                out[p.plugin.name] = (p.plugin.settings, p.plugin.settings)
        return out

    def add(self, plugin: Plugin, problems: Problems, where: tuple, base: Path | None = None) -> None:
        """Adds one plugin's parts; a clash with what is already registered is a problem at `where`."""
        path, line, col = where
        hint = "rename it in the plugin, or drop one of the plugins"
        for reader in plugin.readers:
            for ext in reader.extensions:
                ext = ext.lower() if ext.startswith(".") else f".{ext.lower()}"
                if ext in self.readers and self.readers[ext].name != reader.name:
                    problems.error(path, line, col, f"plugin '{plugin.name}': files '{ext}' already have the "
                                   f"'{self.readers[ext].name}' reader", hint)
                    continue
                self.readers[ext] = reader
        for source in plugin.sources:
            if source.name in self.sources or source.name in core_keys():
                problems.error(path, line, col, f"plugin '{plugin.name}': a source named '{source.name}' "
                               "already exists", hint)
                continue
            self.sources[source.name] = source
        names = {r.name for r in self.routes}
        for route in plugin.routes:
            if route.name in names:
                problems.error(path, line, col, f"plugin '{plugin.name}': a route named '{route.name}' already "
                               "exists", hint)
                continue
            names.add(route.name)
            self.routes.append(route)
        self.markdown.extend(plugin.markdown)
        self.fences.update({lang.lower(): fn for lang, fn in plugin.fences.items()})
        self.filters.update(plugin.filters)
        self.globals.update(plugin.globals)
        self.post_build.extend(plugin.post_build)
        self.cv_sections.extend(plugin.cv_sections)
        self.inputs.extend(plugin.inputs)
        self.prepare.extend(plugin.prepare)
        if plugin.templates is not None:
            folder = Path(plugin.templates)
            if base is not None and not folder.is_absolute():
                folder = base / folder
            if not folder.is_dir():
                problems.error(path, line, col, f"plugin '{plugin.name}': templates folder '{folder}' not found",
                               "create it, or drop 'templates=' from the plugin")
            else:
                self.template_dirs.append(folder)


def core_keys() -> set[str]:
    """Top-level mlfolio.yml keys of the core schema: no source or plugin may take one."""
    from dataclasses import fields

    from .config import SiteConfig
    return {f.name for f in fields(SiteConfig)}


def core_registry() -> Registry:
    """The built-in readers, sources and routes, registered the same way a plugin's are."""
    from .charts import CORE_FENCES
    from .cv import CV_ROUTES
    from .markdown import Extensions
    from .mathfont import subset_math_font
    from .readers.markdown import MarkdownReader
    from .readers.notebook import NotebookReader
    from .research import citations, counts
    from .research import cv as research_cv
    from .research import feature as publications
    from .routes import CORE_ROUTES
    from .sources import BUILTIN_SOURCES

    reg = Registry()
    reg.fences.update(CORE_FENCES)
    reader = MarkdownReader(Extensions(reg.markdown, reg.fences))    # sees what plugins add later
    for each in (reader, NotebookReader(reader)):
        for ext in each.extensions:
            reg.readers[ext] = each
    for source in BUILTIN_SOURCES:
        reg.sources[source.name] = source
    reg.sources[counts.SOURCE.name] = counts.SOURCE
    reg.routes = [*CORE_ROUTES, *CV_ROUTES, *publications.ROUTES]
    reg.inputs.append(publications.bib_files)
    reg.prepare.append(publications.prepare)
    reg.markdown.append(citations.citation_filter)
    reg.cv_sections.append(research_cv.research_sections)
    reg.post_build.append(subset_math_font)
    return reg


def load_plugins(names: list[str], site_dir: Path, problems: Problems, marks: dict,
                 config_path: Path) -> Registry:
    """The core registry plus the plugins named in mlfolio.yml; a plugin that cannot be loaded is a problem at
    its line in `plugins:`."""
    reg = core_registry()
    seen: set[str] = set()
    for i, spec in enumerate(names):
        line, col = marks.get(f"plugins[{i}]", marks.get("plugins", (None, None)))
        where = (config_path, line, col)
        loaded = _load_one(spec, site_dir, problems, where)
        if loaded is None:
            continue
        if loaded.plugin.name in seen:
            problems.error(config_path, line, col, f"plugin '{loaded.plugin.name}' is listed twice",
                           "keep one entry")
            continue
        seen.add(loaded.plugin.name)
        if loaded.plugin.name in reg.sources or loaded.plugin.name in core_keys():
            problems.error(config_path, line, col, f"plugin name '{loaded.plugin.name}' is already a key of "
                           "mlfolio.yml", "give the plugin another name")
            continue
        reg.plugins.append(loaded)
        base = loaded.files[0].parent if loaded.files and loaded.files[0].is_file() else None
        reg.add(loaded.plugin, problems, where, base)
    for loaded in reg.plugins:
        if loaded.plugin.templates is not None and reg.template_dirs:
            loaded.files += [d for d in reg.template_dirs if d not in loaded.files]
    return reg


def _load_one(spec: str, site_dir: Path, problems: Problems, where: tuple) -> LoadedPlugin | None:
    path, line, col = where
    is_file = spec.endswith(".py") or "/" in spec or "\\" in spec
    try:
        if is_file:
            file = (site_dir / spec).resolve()
            if not file.is_file():
                problems.error(path, line, col, f"plugin file '{spec}' not found",
                               "give its path relative to the site folder, e.g. plugins/my_plugin.py")
                return None
            module = _import_file(file)
            origin, files = str(file), [file]
        else:
            module, origin = _import_entry_point(spec)
            if module is None:
                import importlib.metadata
                installed = sorted(ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))
                problems.error(path, line, col, f"no installed plugin named '{spec}'",
                               f"install it (pip install ...), or give a file path; installed: "
                               f"{', '.join(installed) or 'none'}")
                return None
            files = []
    except Exception as exc:  # noqa: BLE001 - any error in the user's plugin code becomes a problem line
        tb = exc.__traceback__
        detail = ""
        while tb is not None:
            if is_file and Path(tb.tb_frame.f_code.co_filename).name == Path(spec).name:
                detail = f" (line {tb.tb_lineno})"
            tb = tb.tb_next
        problems.error(path, line, col, f"plugin '{spec}' failed to load: {type(exc).__name__}: {exc}{detail}",
                       "fix the plugin, or remove it from 'plugins:'")
        return None
    plugin = module if isinstance(module, Plugin) else getattr(module, "plugin", None)
    if callable(plugin) and not isinstance(plugin, Plugin):
        plugin = plugin()
    if not isinstance(plugin, Plugin):
        problems.error(path, line, col, f"'{spec}' defines no plugin",
                       "define `plugin = mlfolio.plugins.Plugin(name=..., ...)` in it (see README, Plugins)")
        return None
    return LoadedPlugin(plugin, origin, files)


def _import_file(file: Path):
    """A fresh module object each time, so `serve` sees an edited plugin file on the next full build."""
    import importlib.util
    name = f"mlfolio_site_plugin_{hashlib.blake2b(str(file).encode(), digest_size=6).hexdigest()}"
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _import_entry_point(name: str):
    import importlib.metadata
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            obj = ep.load()
            dist = getattr(ep, "dist", None)
            version = f" ({dist.name} {dist.version})" if dist is not None else ""
            return obj, f"entry point {name}{version}"
    return None, ""


__all__ = ["Plugin", "Registry", "core_registry", "load_plugins", "ENTRY_POINT_GROUP"]
