"""mlfolio.yml and profile.yml: the dataclasses below are the schema (type, default, doc per key).

Sources, plugins and the theme add sections to mlfolio.yml (`github:`, a plugin's `reading:`,
`theme_options:`), so it is read in two passes: first `plugins:` and `theme:`, which decide what else may be
there, then everything, each section checked against its own dataclass.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .analytics import AnalyticsSettings, check_analytics
from .comments import CommentsSettings, check_comments
from .cvconfig import Award, Certification, CvSettings, Service, SpokenLanguage, check_cv_settings
from .errors import MlfolioError, Problem, Problems
from .images import ImageSettings
from .paths import CONFIG, PROFILE
from .research.settings import Course, PublicationsSettings, Talk
from .schema import Reader, compose, opt, read_text


@dataclass
class MenuItem:
    title: str = opt(doc="Text of the menu entry.")
    url: str = opt(doc="Site path (`/cv/`) or full URL.", url=True)


@dataclass
class FetchSettings:
    ttl: int = opt(600, "Seconds during which `mlfolio serve` reuses fetched data without any request.", min=0)
    timeout: float = opt(10.0, "Connect/read timeout of one API request, in seconds.", min=0.1, max=300)
    offline: bool = opt(False, "Never ask the network, like `--offline` on every build (`mlfolio fetch` still refreshes).")


@dataclass
class MathSettings:
    macros: dict[str, str] = opt({}, "LaTeX macros for every formula: `\\R: \\mathbb{R}`; `#1`, `#2` … stand for "
                                     "arguments (`\\norm: \\left\\lVert #1 \\right\\rVert`).")


@dataclass
class NotebookSettings:
    max_output_kb: int = opt(2048, "Largest output of a notebook cell shown, in KB; a larger one is left out with a warning.", min=1)
    colab: bool = opt(True, "Show 'Open in Colab' on notebook posts when the site's GitHub repository is known.")
    repo: str = opt("", "GitHub repository holding the site, `owner/name`; empty: taken from `url` when it is a `*.github.io` address.")
    branch: str = opt("main", "Branch of `repo` that Colab opens notebooks from.")
    folder: str = opt("", "Folder of the site inside `repo` (empty: its top).")


@dataclass
class SiteConfig:
    title: str = opt("My portfolio", "Site title, in the header, the `<title>` and the feed.")
    url: str = opt("http://127.0.0.1:8000", "Public address, with the sub-path if any: `https://ada.github.io/portfolio`.")
    description: str = opt("", "Default meta description and feed subtitle.")
    language: str = opt("en", "`lang` of every page (BCP 47).")
    theme: str = opt("default", "Theme folder name under `themes/`.")
    posts_per_page: int = opt(10, "Posts per blog list page.", min=1)
    output: str = opt("_site", "Output folder, relative to the site folder.")
    date_format: str = opt("%b %-d, %Y", "strftime format of dates shown on pages.")
    menu: list[MenuItem] = opt([], "Header menu; empty: About, Projects, Blog, CV, then pages that set `menu`.")
    cv: CvSettings = opt(CvSettings, "The generated CV at /cv/, its PDF, tailored variants and resume.json.")
    cname: str = opt("", "Custom domain written to `CNAME` by `mlfolio deploy`.")
    code_style: str = opt("default", "Pygments style for code in light mode.")
    code_style_dark: str = opt("github-dark", "Pygments style for code in dark mode.")
    search: bool = opt(False, "Site search: a search box in the header and a Pagefind index of posts, pages, "
                       "projects and publications (needs `pip install 'mlfolio[search]'`).")
    fetch: FetchSettings = opt(FetchSettings, "Remote data fetching (every source).")
    math: MathSettings = opt(MathSettings, "Math between `$` signs (typeset when the site is built).")
    notebooks: NotebookSettings = opt(NotebookSettings, "Notebook posts (`.ipynb`).")
    publications: PublicationsSettings = opt(PublicationsSettings, "Publications from BibTeX (see Publications).")
    plugins: list[str] = opt([], "Plugins: a Python file of the site (`plugins/reading.py`) or an installed plugin's name.")
    images: ImageSettings = opt(ImageSettings, "Responsive images: WebP variants of local images (see Images).")
    comments: CommentsSettings = opt(CommentsSettings, "Comments under posts (see Comments and analytics).")
    analytics: AnalyticsSettings = opt(AnalyticsSettings, "Visitor analytics (see Comments and analytics).")
    extra: dict[str, Any] = opt({}, "Anything else, passed to templates untouched as `site.extra`.")
    sections: dict[str, Any] = field(default_factory=dict, metadata={"internal": True})

    def section(self, name: str):
        """A source's, a plugin's or the theme's section (`github`, `theme_options`), or None."""
        return self.sections.get(name)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, '/' or '/portfolio/': every internal link starts with it."""
        path = _split(self.url).path.strip("/")
        return f"/{path}/" if path else "/"

    @property
    def origin(self) -> str:
        parts = _split(self.url)
        return f"{parts.scheme}://{parts.netloc}"


def _split(url: str):
    try:
        return urlsplit(url)
    except ValueError:           # reported by check_site_url; never a traceback
        return urlsplit("")


_MACRO_NAME = re.compile(r"\\([A-Za-z]+|[^A-Za-z\s])")


def check_macros(config: SiteConfig, marks: dict, path: Path, text: str, problems: Problems) -> None:
    """A macro's name is a backslash and letters (`\\R`), or a backslash and one other character; a value
    whose ` #1` YAML took for a comment is caught here rather than as a broken formula in every post."""
    lines = text.split("\n")
    for name, value in list(config.math.macros.items()):
        line, col = marks.get(f"math.macros.{name}", (None, None))
        if not _MACRO_NAME.fullmatch(name):
            fix = "\\" + name.lstrip("\\") if name.lstrip("\\").isalpha() else "\\R"
            problems.error(path, line, col, f"'math.macros': '{name}' is not a LaTeX command name",
                           f"write it with one backslash and letters, e.g. '{fix}'")
            del config.math.macros[name]
        elif line and line <= len(lines) and " #" in lines[line - 1] and "#" not in value:
            problems.error(path, line, col, f"'math.macros.{name}': YAML read what follows ' #' as a comment, "
                           f"so the macro is only '{value}'", f"put the value in quotes: {name}: "
                           f"'{lines[line - 1].split(':', 1)[-1].strip()}'")
            del config.math.macros[name]


def check_site_url(url: str) -> str:
    """Why `url` cannot be the site's public address, or '' when it can."""
    try:
        parts = urlsplit(url)
        parts.port               # raises on a bad port
    except ValueError as exc:
        return f"'{url}' is not a valid address ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"'{url}' must start with http:// or https:// and name a host"
    if parts.query or parts.fragment or any(c in url for c in " <>\"\\"):
        return f"'{url}' must be a plain address, without '?', '#', spaces or quotes"
    return ""


@dataclass
class Experience:
    role: str = opt(doc="Job title.")
    organisation: str = opt(doc="Company or lab.", aliases=("organization", "company", "org"))
    start: str = opt("", "When it started (`2021` or `2021-03`).")
    end: str = opt("", "When it ended; empty means present.")
    location: str = opt("", "City or 'Remote'.")
    url: str = opt("", "Link to the organisation.", url=True)
    description: str = opt("", "Markdown.")
    highlights: list[str] = opt([], "Achievements, one line of Markdown each: the CV's bullet points.")
    tags: list[str] = opt([], "Keywords that tailored CVs select on (`cv.variants`).")


@dataclass
class Education:
    degree: str = opt(doc="Degree and field.")
    organisation: str = opt(doc="University or school.", aliases=("organization", "school", "university"))
    start: str = opt("", "Start year.")
    end: str = opt("", "End year.")
    location: str = opt("", "City.")
    url: str = opt("", "Link.", url=True)
    description: str = opt("", "Markdown (thesis, advisor, honours).")
    tags: list[str] = opt([], "Keywords that tailored CVs select on (`cv.variants`).")


@dataclass
class NewsItem:
    date: dt.date = opt(doc="YYYY-MM-DD.")
    text: str = opt(doc="One line of Markdown.")


@dataclass
class ProjectEntry:
    title: str = opt(doc="Project name.")
    description: str = opt("", "One or two sentences (Markdown).")
    url: str = opt("", "Where the project lives.", url=True)
    tags: list[str] = opt([], "Keywords shown on the card; tailored CVs select on them too.")
    image: str = opt("", "Image path under static/ or a URL.", url=True)
    featured: bool = opt(False, "Also show it on the home page.")
    date: dt.date | None = opt(None, "When it was made; orders hand-written projects.")


@dataclass
class Profile:
    name: str = opt(doc="Your name.")
    headline: str = opt("", "One line under your name: 'ML engineer working on …'.")
    avatar: str = opt("", "Photo path under static/ (or a URL).", url=True)
    bio: str = opt("", "Markdown paragraphs for the home and about pages.")
    location: str = opt("", "Where you are.")
    email: str = opt("", "Contact address.")
    links: dict[str, str] = opt({}, "github, kaggle, linkedin, scholar, x, website, … : handle or full URL.", url=True)
    skills: dict[str, list[str]] = opt({}, "Groups of skills: `Languages: [Python, C++]`.")
    experience: list[Experience] = opt([], "Jobs, newest first.")
    education: list[Education] = opt([], "Degrees, newest first.")
    awards: list[Award] = opt([], "Awards, prizes, scholarships (shown on the CV).")
    certifications: list[Certification] = opt([], "Certificates (shown on the CV).")
    languages: list[SpokenLanguage] = opt([], "Spoken languages and how well (shown on the CV).")
    service: list[Service] = opt([], "Reviewing, organising, mentoring (shown on the CV).")
    news: list[NewsItem] = opt([], "Dated one-liners for the home page.")
    projects: list[ProjectEntry] = opt([], "Hand-written project cards.")
    talks: list[Talk] = opt([], "Talks: their own /talks/ page, upcoming ones on the home page (see Publications).")
    teaching: list[Course] = opt([], "Courses you taught: their own /teaching/ page (see Publications).")
    extra: dict[str, Any] = opt({}, "Anything else, passed to templates untouched as `site.profile.extra`.")


@dataclass
class LoadedConfig:
    config: SiteConfig
    profile: Profile
    marks: dict[str, tuple[int | None, int | None]]
    registry: Any = None           # plugins.Registry: core readers, sources, routes + the plugins'
    theme: Any = None              # theme.Theme, with its options set


def _top_level(node, key: str):
    """The value node of a top-level key, for the first pass."""
    if isinstance(node, yaml.MappingNode):
        for knode, vnode in node.value:
            if isinstance(knode, yaml.ScalarNode) and knode.value == key:
                return vnode
    return None


def load_config(site_dir: Path, problems: Problems) -> LoadedConfig:
    """Reads mlfolio.yml (loading its plugins and theme) and profile.yml; problems are collected, not raised."""
    from .plugins import load_plugins
    from .theme import DEFAULT, load_theme, options_class

    cfg_path = site_dir / CONFIG
    if os.path.lexists(cfg_path) and not cfg_path.is_file():
        unreadable = Problems(root=site_dir)
        read_text(cfg_path, unreadable)
        raise MlfolioError(unreadable.errors)
    if not cfg_path.is_file():
        raise MlfolioError(Problem(str(cfg_path), None, None, "no mlfolio.yml here",
                                   "run mlfolio in a site folder, or create one with 'mlfolio init DIR'"))
    reader = Reader(cfg_path, problems)
    text = read_text(cfg_path, problems)
    node = compose(text, cfg_path, problems) if text is not None else None

    # 1. plugins and theme first: they decide which other sections mlfolio.yml may have
    first = Reader(cfg_path, Problems())      # its type errors are reported by the second pass
    plugins_node, theme_node = _top_level(node, "plugins"), _top_level(node, "theme")
    names = first.value(list[str], plugins_node, "plugins") if plugins_node is not None else []
    theme_name = (first.value(str, theme_node, "theme") if theme_node is not None else None) or DEFAULT
    first.marks["plugins"] = first.pos(plugins_node) if plugins_node is not None else (None, None)
    registry = load_plugins(names or [], site_dir, problems, first.marks, cfg_path)
    theme = load_theme(theme_name, site_dir, problems,
                       (cfg_path, *(first.pos(theme_node) if theme_node is not None else (None, None))))
    sections = registry.settings_sections()
    options_cls = theme.options_cls if theme else options_class({})
    sections["theme_options"] = (options_cls, options_cls)

    # 2. everything, each section against its dataclass
    config = (reader.read(SiteConfig, node, sections=sections) if node is not None else None) or \
        Reader(cfg_path, Problems()).read(SiteConfig, None, sections=sections)
    if theme is not None:
        from .theme import check_options
        theme.options = config.sections["theme_options"]
        check_options(theme, reader.marks, lambda line, col, message, hint, warning: (
            problems.warn if warning else problems.error)(cfg_path, line, col, message, hint))
    why = check_site_url(config.url)
    if why:
        line, col = reader.marks.get("url", (None, None))
        problems.error(cfg_path, line, col, f"'url': {why}", "write the full address, e.g. https://ada.github.io/portfolio")
    for check in (lambda r: check_comments(config.comments, reader.marks, r),
                  lambda r: check_analytics(config.analytics, reader.marks, r)):
        check(lambda line, col, message, hint: problems.error(cfg_path, line, col, message, hint))
    check_macros(config, reader.marks, cfg_path, text or "", problems)
    for name, source in registry.sources.items():      # tests and mirrors point a source elsewhere
        settings = config.sections.get(name)
        env_url = os.environ.get(source.api_env) if source.api_env else None
        if env_url and settings is not None and hasattr(settings, "api_url"):
            settings.api_url = env_url
    check_cv_settings(config.cv, reader.marks, problems, cfg_path)
    registry.configure(config)

    prof_path = site_dir / PROFILE
    profile = None
    if os.path.lexists(prof_path) and not prof_path.is_file():
        read_text(prof_path, problems)           # says why it cannot be read (a link that loops, a folder …)
    elif not prof_path.is_file():
        problems.error(prof_path, None, None, "profile.yml is missing",
                       "create it with at least 'name: Your Name' (see README, profile.yml)")
    else:
        text = read_text(prof_path, problems)
        if text is not None:
            pnode = compose(text, prof_path, problems)
            if pnode is None and not problems.errors:
                problems.error(prof_path, 1, 1, "profile.yml is empty", "add at least 'name: Your Name'")
            elif pnode is not None:
                preader = Reader(prof_path, problems)
                profile = preader.read(Profile, pnode)
                reader.marks.update({f"profile.{k}": v for k, v in preader.marks.items()})
    return LoadedConfig(config, profile or Profile(name="?"), reader.marks, registry, theme)


__all__ = ["SiteConfig", "MathSettings", "Profile", "LoadedConfig", "check_macros", "check_site_url", "load_config"]
