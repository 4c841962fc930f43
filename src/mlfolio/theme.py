"""Themes: where templates and static files come from, and the options a theme declares.

A theme is a folder with `templates/`, `static/` and an optional `theme.yml` (name, what it `extends`, its
options with types and defaults). Lookup runs site → theme → the themes it extends → the default theme, so a
theme (or a site's `templates/`) holds only what it changes; `{% extends "default:base.html" %}` reaches a
named theme's own file from an override of the same name. `theme_options:` in mlfolio.yml sets the options,
checked against theme.yml like every other key.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .schema import read_text
from .errors import Problems
from .schema import Reader, compose, opt

DEFAULT = "default"
OPTION_TYPES = {"text": str, "integer": int, "number": float, "boolean": bool, "list": list[str], "choice": str,
                "color": str, "font": str}
_HUMAN = {"text": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
          "list": "a list of text", "choice": "text", "color": "a CSS colour", "font": "a CSS font stack"}
FONT_STACK = re.compile(r"""^[\w\s,'"-]{1,300}$""")      # family names, quotes and commas: nothing that ends a rule
AA_TEXT = 4.5


@dataclass
class OptionSpec:
    type: str = opt("text", "`text`, `integer`, `number`, `boolean`, `list` (of text), `choice`, `color` (a CSS "
                    "colour, checked) or `font` (a CSS font stack, checked).", choices=tuple(OPTION_TYPES))
    default: Any = opt(None, "Value when mlfolio.yml does not set it.")
    doc: str = opt("", "What it does, for README-style tables.")
    choices: list[str] = opt([], "Allowed values of a `choice`.")
    min: float | None = opt(None, "`integer` and `number` options: the smallest value allowed.")
    max: float | None = opt(None, "`integer` and `number` options: the largest value allowed.")
    contrast_on: str = opt("", "`color` options: the background the colour is shown on as text; a warning when "
                           "their contrast is below WCAG AA (4.5:1).")


@dataclass
class ThemeManifest:
    """theme.yml."""

    name: str = opt("", "The theme's name (its folder name by default).")
    description: str = opt("", "One line about the theme.")
    extends: str = opt("", "Theme it builds on; every theme but `default` extends `default` when not set.")
    options: dict[str, OptionSpec] = opt({}, "Options the theme's templates read as `theme.options.NAME`.")


@dataclass
class Theme:
    """The theme chain of a build: `dirs[0]` is the chosen theme, the last one the default theme."""

    name: str
    dirs: list[Path]
    names: list[str]
    options_cls: type
    specs: dict[str, OptionSpec] = field(default_factory=dict)
    options: Any = None            # the validated theme_options, set once mlfolio.yml is read

    def option(self, name: str, default=None):
        return getattr(self.options, name, default)

    @property
    def template_dirs(self) -> list[Path]:
        return [d / "templates" for d in self.dirs if (d / "templates").is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        """Lowest priority first: the default theme's files, overridden by each theme down the chain."""
        return [d / "static" for d in reversed(self.dirs) if (d / "static").is_dir()]


def _theme_roots(site_dir: Path | None) -> list[Path]:
    """Where themes live, first wins: a site's own themes/, then those shipped with mlfolio (installed or in
    the repository)."""
    here = Path(__file__).resolve().parent
    return [*([site_dir / "themes"] if site_dir is not None else []), here / "themes", here.parents[1] / "themes"]


def installed_themes(site_dir: Path | None = None) -> list[tuple[str, str, Path]]:
    """(name, description, folder) of every theme a site can name, the site's own first."""
    found: dict[str, tuple[str, str, Path]] = {}
    for root in _theme_roots(site_dir):
        for folder in sorted(root.iterdir()) if root.is_dir() else []:
            if folder.name in found or not ((folder / "templates").is_dir() or (folder / "theme.yml").is_file()):
                continue
            manifest, _ = _read_manifest(folder / "theme.yml", Problems())
            found[folder.name] = (folder.name, manifest.description, folder)
    return list(found.values())


def find_theme(name: str, site_dir: Path) -> Path | None:
    """A site's own themes/<name> first, then the themes shipped with mlfolio (installed or in the repo)."""
    for root in _theme_roots(site_dir):
        folder = root / name
        if (folder / "templates").is_dir() or (folder / "theme.yml").is_file():
            return folder
    return None


def load_theme(name: str, site_dir: Path, problems: Problems, where: tuple) -> Theme | None:
    """The chain of `name` and the themes it extends, with the options class they declare together."""
    path, line, col = where
    dirs, names, specs = [], [], {}
    manifests: list[tuple[Path, ThemeManifest, dict]] = []
    current = name
    while current:
        if current in names:
            problems.error(dirs[-1] / "theme.yml", None, None, f"themes extend each other in a loop: "
                           f"{' → '.join(names + [current])}", "remove one 'extends:'")
            return None
        folder = find_theme(current, site_dir)
        if folder is None:
            if not dirs:
                problems.error(path, line, col, f"theme '{current}' not found",
                               "use 'default' or put the theme in themes/<name>/templates/")
            else:
                problems.error(dirs[-1] / "theme.yml", manifests[-1][2].get("extends", (None, None))[0],
                               manifests[-1][2].get("extends", (None, None))[1],
                               f"theme '{names[-1]}' extends '{current}', which is not found",
                               "check the name, or put that theme in themes/")
            return None
        manifest, marks = _read_manifest(folder / "theme.yml", problems)
        dirs.append(folder)
        names.append(current)
        manifests.append((folder, manifest, marks))
        current = manifest.extends or (DEFAULT if current != DEFAULT else "")
    for folder, manifest, marks in reversed(manifests):       # parents first: children override their options
        for opt_name, spec in manifest.options.items():
            if _check_spec(opt_name, spec, folder / "theme.yml", marks, problems):
                specs[opt_name] = spec
    return Theme(name, dirs, names, options_class(specs), specs)


def _read_manifest(path: Path, problems: Problems) -> tuple[ThemeManifest, dict]:
    if not path.is_file():
        return ThemeManifest(), {}
    text = read_text(path, problems)
    if text is None:
        return ThemeManifest(), {}
    reader = Reader(path, problems)
    node = compose(text, path, problems)
    manifest = reader.read(ThemeManifest, node) if node is not None else None
    return manifest or ThemeManifest(), reader.marks


def _check_spec(name: str, spec: OptionSpec, path: Path, marks: dict, problems: Problems) -> bool:
    line, col = marks.get(f"options.{name}", (None, None))
    dline, dcol = marks.get(f"options.{name}.default", (line, col))
    if not name.isidentifier() or name.startswith("_"):
        problems.error(path, line, col, f"option name '{name}' is not usable in templates",
                       "use letters, digits and '_' (e.g. accent_color)")
        return False
    tp = OPTION_TYPES[spec.type]
    ok = spec.default is None or (isinstance(spec.default, list) and all(isinstance(v, str) for v in spec.default)
                                  if tp == list[str] else isinstance(spec.default, tp)
                                  and not (tp is not bool and isinstance(spec.default, bool)))
    if tp is float and isinstance(spec.default, int) and not isinstance(spec.default, bool):
        ok = True
    if not ok:
        problems.error(path, dline, dcol, f"default of option '{name}' must be {_HUMAN[spec.type]}, got "
                       f"{spec.default!r}", f"change the default, or the option's type ({spec.type})")
        return False
    if spec.type == "choice" and (not spec.choices or (spec.default is not None and spec.default not in spec.choices)):
        problems.error(path, line, col, f"option '{name}' is a choice: list its 'choices' (with the default among "
                       "them)", "add choices: [a, b]")
        return False
    return True


def check_options(theme: Theme, marks: dict, report) -> None:
    """Values of `color` and `font` options, as mlfolio.yml sets them: `report(line, col, message, hint,
    warning)`. A colour that is no CSS colour or a font stack that could break the stylesheet is an error; an
    accent readers cannot read on its background is a warning."""
    from .colors import contrast, luminance, parse_color

    for name, spec in theme.specs.items():
        value = str(theme.option(name, "") or "").strip()
        where = marks.get(f"theme_options.{name}", (None, None))
        if not value or spec.type not in ("color", "font"):
            continue
        if spec.type == "font":
            if not FONT_STACK.match(value):
                report(*where, f"theme_options.{name}: '{value}' is not a font stack", "list font families "
                       "separated by commas, e.g. \"Inter\", system-ui, sans-serif", False)
            continue
        rgb = parse_color(value)
        if rgb is None:
            report(*where, f"theme_options.{name}: '{value}' is not a CSS colour",
                   "write it as #4f46e5, rgb(79 70 229), hsl(243 75% 59%) or a colour name", False)
        elif spec.contrast_on and (ratio := contrast(rgb, background := parse_color(spec.contrast_on))) < AA_TEXT:
            lighter = luminance(background) < 0.18
            report(*where, f"theme_options.{name}: {value} on {spec.contrast_on} has a contrast of {ratio:.1f}:1, "
                   f"below WCAG AA ({AA_TEXT}:1) for text", f"choose a {'lighter' if lighter else 'darker'} colour "
                   "so links stay readable", True)


def options_class(specs: dict[str, OptionSpec]) -> type:
    """A dataclass per theme chain, so theme_options are checked by the schema reader with file:line."""
    fields = []
    for name, spec in specs.items():
        tp = OPTION_TYPES[spec.type]
        default = spec.default if spec.default is not None else ([] if tp == list[str] else tp())
        if tp is float:
            default = float(default)
        bounds = {k: v for k, v in (("min", spec.min), ("max", spec.max)) if v is not None and tp in (int, float)}
        fields.append((name, tp, opt(default, spec.doc, choices=tuple(spec.choices) or None, **bounds)))
    return dataclasses.make_dataclass("ThemeOptions", fields)


__all__ = ["Theme", "ThemeManifest", "OptionSpec", "find_theme", "installed_themes", "load_theme", "options_class"]
