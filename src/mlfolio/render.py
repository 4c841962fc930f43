"""Jobs → bytes: the Jinja2 environment (template lookup site → theme → default, filters, globals) and the
rendering of one job, recording what it read and every undefined name it used.
"""
from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from jinja2 import ChainableUndefined
from markupsafe import Markup

from . import deps
from .contexts import MenuEntry, template_vars
from .errors import Problem
from .projects import compact, number
from .routes import Job, isodate

FILTERS_VERSION = 4          # bump when a filter or an Environment option changes: compiled templates depend on both

_undefined_uses: list[tuple[str, int | None, str, str]] = []     # (template file, line, message, hint)


class ReportingUndefined(ChainableUndefined):
    """An undefined name renders as nothing, as in plain Jinja, but using it is reported at the template's line:
    `{{ post.titel }}` is a warning (an error with --strict), never a silently empty page."""

    __slots__ = ()

    def _report(self) -> None:
        frame = sys._getframe(2)
        while frame is not None and "__jinja_template__" not in frame.f_globals:
            frame = frame.f_back
        if frame is None:
            return
        template = frame.f_globals["__jinja_template__"]
        line = template.get_corresponding_lineno(frame.f_lineno)
        _undefined_uses.append((template.filename or template.name or "", line, self._undefined_message,
                                _hint(self._undefined_obj, self._undefined_name)))

    def __str__(self) -> str:
        self._report()
        return ""

    def __html__(self) -> str:
        self._report()
        return ""

    def __iter__(self):
        self._report()
        return iter(())

    def __bool__(self) -> bool:
        self._report()
        return False

    def __len__(self) -> int:
        self._report()
        return 0

    def __eq__(self, other) -> bool:
        self._report()
        return type(self) is type(other)

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    __hash__ = ChainableUndefined.__hash__


def _hint(obj, name) -> str:
    from jinja2.utils import missing

    if obj is missing or not isinstance(name, str):
        return "define it (`{% set … %}`) or test it first: `{% if x is defined %}`; see README, Theme contract"
    names = list(obj.keys()) if isinstance(obj, dict) else [n for n in dir(obj) if not n.startswith("_")]
    close = difflib.get_close_matches(name, [str(n) for n in names], n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "see README, Theme contract, for what each object has"


def take_undefined_uses() -> list[tuple[str, int | None, str, str]]:
    out = list(_undefined_uses)
    del _undefined_uses[:]
    return out


def _format_date(value, fmt: str) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    fmt = fmt.replace("%-d", str(value.day)).replace("%-m", str(value.month))
    return value.strftime(fmt)


_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')


def make_environment(site, cache_dir: Path | None):
    from jinja2 import (ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, PrefixLoader,
                        pass_context, select_autoescape)

    import jinja2

    from . import __version__

    registry, theme = site.registry, site.theme
    bcc = None
    if cache_dir is not None:
        # compiled code depends on mlfolio's and plugins' filters and on Jinja's version, not only on the source
        folder = cache_dir / f"jinja-{__version__}-{jinja2.__version__}-{FILTERS_VERSION}-{registry.signature()}"
        folder.mkdir(parents=True, exist_ok=True)
        bcc = FileSystemBytecodeCache(str(folder))
    search = [str(site.site_dir / "templates"), *map(str, theme.template_dirs), *map(str, registry.template_dirs)]
    named = PrefixLoader({name: FileSystemLoader(str(d / "templates")) for name, d in zip(theme.names, theme.dirs)},
                         delimiter=":")
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(search), named]),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True), undefined=ReportingUndefined,
        bytecode_cache=bcc, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
    )
    # Marked as needing the context so Jinja never folds `'x'|url` into the compiled (and cached)
    # template: the base path differs between builds (--base-url, serve).
    env.filters.update(
        url=pass_context(lambda _ctx, value: site.path(value)),
        absurl=pass_context(lambda _ctx, value: site.absolute(value)),
        full_url=pass_context(lambda _ctx, value: site.full_url(value)),
        absolute_links=pass_context(lambda _ctx, html: Markup(_ROOT_LINK.sub(rf"\1{site.origin}/", str(html)))),
        isodate=isodate, compact=compact, number=number, css_value=css_value,
        date=pass_context(lambda _ctx, v, fmt=None: _format_date(v, fmt or site.config.date_format)),
    )
    env.filters.update(registry.filters)
    env.globals.update(site=site, theme=theme, include_once=_include_once(env))
    env.globals.update(registry.globals)
    return env


def _include_once(env):
    """`{{ include_once("partials/footer.html") }}`: a partial that depends only on `site` is rendered once
    per build (per worker) instead of once per page; a missing one renders as nothing. What it read is
    recorded for every page that includes it, not only the first."""
    from jinja2 import TemplateNotFound

    memo: dict[str, tuple[Markup, set[str]]] = {}

    def include_once(name: str) -> Markup:
        if name not in memo:
            with deps.recording() as keys:
                try:
                    html = Markup(env.get_template(name).render())
                except TemplateNotFound:
                    html = Markup("")
            memo[name] = (html, set(keys))
        html, keys = memo[name]
        for key in keys:
            deps.record(key)
        return html

    return include_once


def menu_for(site, page) -> list[MenuEntry]:
    """`menu`: the site's menu with `active` set for this page (its own link, or the section it is in)."""
    here = getattr(page, "url", "")
    return [MenuEntry(link.title, link.url, link.url == here or (link.url != site.base_path
                                                                 and here.startswith(link.url)))
            for link in site.menu]


def render_job(env, site, job: Job) -> tuple[bytes, set[str]]:
    """The job's bytes and the keys of what it read."""
    with deps.recording() as keys:
        context = job.context()
        if job.route.make is not None:
            data = job.route.make(site, context)
        else:
            variables = template_vars(context)
            variables["menu"] = menu_for(site, variables.get("page"))
            text = env.get_template(job.template).render(variables)
            if not job.file.endswith(".html") and not text.endswith("\n"):
                text += "\n"            # text formats end with a newline; Jinja drops a template's last one
            data = text.encode("utf-8")
    return data, set(keys)


def undefined_problems(site, uses, strict: bool) -> list[Problem]:
    out, seen = [], set()
    for filename, line, message, hint in uses:
        where = relative_template(filename, site)
        if (where, line, message) in seen:
            continue
        seen.add((where, line, message))
        out.append(Problem(where, line, None, f"undefined in template: {message}", hint, warning=not strict))
    return out


def relative_template(filename: str, site) -> str:
    roots = [site.site_dir, *(d.parent.parent for d in site.theme.dirs)]
    for root in roots:
        try:
            return Path(filename).resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return filename


def template_problem(exc: BaseException, site, name: str, out: str) -> Problem:
    """A template error as path:line with the template's own position, whichever frame raised it."""
    from jinja2 import TemplateSyntaxError

    filename, line = None, None
    if isinstance(exc, TemplateSyntaxError):
        filename, line = exc.filename, exc.lineno
    else:
        tb = exc.__traceback__
        while tb is not None:        # Jinja rewrites template frames to carry the template's file and line
            g = tb.tb_frame.f_globals
            if "__jinja_exception__" in g:
                filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            elif "__jinja_template__" in g:
                template = g["__jinja_template__"]
                filename, line = template.filename, template.get_corresponding_lineno(tb.tb_lineno)
            tb = tb.tb_next
    where = relative_template(filename or name or out, site)
    message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    kind = "template syntax error" if isinstance(exc, TemplateSyntaxError) else "template error"
    return Problem(where, line, None, f"{kind} while rendering {out}: {message}",
                   "fix the template (your templates/ override it by name; delete it to use the theme's)")


def css_value(value) -> Markup:
    """A theme option written into a <style> block: only a CSS colour or a plain font stack passes (checked
    again here, whatever the theme option's type said); anything else becomes nothing."""
    from .colors import parse_color
    from .theme import FONT_STACK

    text = str(value or "").strip()
    return Markup(text) if text and (parse_color(text) is not None or FONT_STACK.match(text)) else Markup("")


__all__ = ["make_environment", "render_job", "template_problem", "undefined_problems", "take_undefined_uses"]
