"""mlfolio.yml and profile.yml: the dataclasses below are the schema (type, default, doc per key)."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import MlfolioError, Problem, Problems
from .schema import Reader, compose, opt


@dataclass
class MenuItem:
    title: str = opt(doc="Text of the menu entry.")
    url: str = opt(doc="Site path (`/cv/`) or full URL.")


@dataclass
class GitHubSettings:
    user: str = opt("", "GitHub user whose repositories become project cards; empty disables GitHub.")
    api_url: str = opt("", "API base URL (GitHub Enterprise: `https://HOST/api/v3`); env `MLFOLIO_GITHUB_API_URL` wins.")
    include_forks: bool = opt(False, "Show forked repositories.")
    include_archived: bool = opt(False, "Show archived repositories.")
    min_stars: int = opt(0, "Hide repositories with fewer stars.")
    topics: list[str] = opt([], "Keep only repositories with any of these topics (empty: all).")
    exclude: list[str] = opt([], "Repository names to hide.")
    featured: list[str] = opt([], "Shown first (in this order) and on the home page, with a language bar; only `exclude` hides them, and `limit` never cuts them.")
    sort: str = opt("stars", "Order of repository cards: `stars`, `pushed` (last push) or `name`.", choices=("stars", "pushed", "name"))
    limit: int = opt(24, "At most this many repository cards.")


@dataclass
class KaggleSettings:
    user: str = opt("", "Kaggle user whose datasets, notebooks and competitions become cards; empty disables Kaggle.")
    api_url: str = opt("", "API base URL; env `MLFOLIO_KAGGLE_API_URL` wins.")
    datasets: bool = opt(True, "Show the user's datasets.")
    notebooks: bool = opt(True, "Show the user's notebooks.")
    competitions: bool = opt(True, "Show entered competitions with rank (\"Rank 37 / 2,000\", \"Top 2%\"); Kaggle tells only the signed-in account, so this needs *your own* credentials.")
    limit: int = opt(24, "At most this many cards of each kind.")


@dataclass
class FetchSettings:
    ttl: int = opt(600, "Seconds during which `mlfolio serve` reuses fetched data without any request.")
    timeout: float = opt(10.0, "Connect/read timeout of one API request, in seconds.")
    offline: bool = opt(False, "Never ask the network, like `--offline` on every build (`mlfolio fetch` still refreshes).")


@dataclass
class SiteConfig:
    title: str = opt("My portfolio", "Site title, in the header, the `<title>` and the feed.")
    url: str = opt("http://127.0.0.1:8000", "Public address, with the sub-path if any: `https://ada.github.io/portfolio`.")
    description: str = opt("", "Default meta description and feed subtitle.")
    language: str = opt("en", "`lang` of every page (BCP 47).")
    theme: str = opt("default", "Theme folder name under `themes/`.")
    posts_per_page: int = opt(10, "Posts per blog list page.")
    output: str = opt("_site", "Output folder, relative to the site folder.")
    date_format: str = opt("%b %-d, %Y", "strftime format of dates shown on pages.")
    menu: list[MenuItem] = opt([], "Header menu; empty: About, Projects, Blog, then pages that set `menu`.")
    cname: str = opt("", "Custom domain written to `CNAME` by `mlfolio deploy`.")
    code_style: str = opt("default", "Pygments style for code in light mode.")
    code_style_dark: str = opt("github-dark", "Pygments style for code in dark mode.")
    github: GitHubSettings | None = opt(None, "GitHub section (see below); absent: no GitHub cards.")
    kaggle: KaggleSettings | None = opt(None, "Kaggle section (see below); absent: no Kaggle cards.")
    fetch: FetchSettings = opt(FetchSettings, "Remote data fetching.")

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, '/' or '/portfolio/': every internal link starts with it."""
        path = urlsplit(self.url).path.strip("/")
        return f"/{path}/" if path else "/"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Experience:
    role: str = opt(doc="Job title.")
    organisation: str = opt(doc="Company or lab.", aliases=("organization", "company", "org"))
    start: str = opt("", "When it started (`2021` or `2021-03`).")
    end: str = opt("", "When it ended; empty means present.")
    location: str = opt("", "City or 'Remote'.")
    url: str = opt("", "Link to the organisation.")
    description: str = opt("", "Markdown.")


@dataclass
class Education:
    degree: str = opt(doc="Degree and field.")
    organisation: str = opt(doc="University or school.", aliases=("organization", "school", "university"))
    start: str = opt("", "Start year.")
    end: str = opt("", "End year.")
    location: str = opt("", "City.")
    url: str = opt("", "Link.")
    description: str = opt("", "Markdown (thesis, advisor, honours).")


@dataclass
class NewsItem:
    date: dt.date = opt(doc="YYYY-MM-DD.")
    text: str = opt(doc="One line of Markdown.")


@dataclass
class ProjectEntry:
    title: str = opt(doc="Project name.")
    description: str = opt("", "One or two sentences (Markdown).")
    url: str = opt("", "Where the project lives.")
    tags: list[str] = opt([], "Keywords shown on the card.")
    image: str = opt("", "Image path under static/ or a URL.")
    featured: bool = opt(False, "Also show it on the home page.")
    date: dt.date | None = opt(None, "When it was made; orders hand-written projects.")


@dataclass
class Profile:
    name: str = opt(doc="Your name.")
    headline: str = opt("", "One line under your name: 'ML engineer working on …'.")
    avatar: str = opt("", "Photo path under static/ (or a URL).")
    bio: str = opt("", "Markdown paragraphs for the home and about pages.")
    location: str = opt("", "Where you are.")
    email: str = opt("", "Contact address.")
    links: dict[str, str] = opt({}, "github, kaggle, linkedin, scholar, x, website, … : handle or full URL.")
    skills: dict[str, list[str]] = opt({}, "Groups of skills: `Languages: [Python, C++]`.")
    experience: list[Experience] = opt([], "Jobs, newest first.")
    education: list[Education] = opt([], "Degrees, newest first.")
    news: list[NewsItem] = opt([], "Dated one-liners for the home page.")
    projects: list[ProjectEntry] = opt([], "Hand-written project cards.")


@dataclass
class LoadedConfig:
    config: SiteConfig
    profile: Profile
    marks: dict[str, tuple[int | None, int | None]]


def read_text(path: Path, problems: Problems) -> str | None:
    """Reads UTF-8 text; a file in another encoding is one clear problem, not a UnicodeDecodeError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(path, None, None, f"cannot read file: {exc.strerror}", "check its permissions")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(path, line, col, "file is not UTF-8 text",
                       "re-save it as UTF-8 in your editor")
        return None
    return text.replace("\r\n", "\n")


def load_config(site_dir: Path, problems: Problems) -> LoadedConfig:
    """Reads mlfolio.yml and profile.yml; problems are collected, not raised."""
    cfg_path = site_dir / "mlfolio.yml"
    if not cfg_path.is_file():
        raise MlfolioError(Problem(str(cfg_path), None, None, "no mlfolio.yml here",
                                   "run mlfolio in a site folder, or create one with 'mlfolio init DIR'"))
    reader = Reader(cfg_path, problems)
    config = None
    text = read_text(cfg_path, problems)
    if text is not None:
        node = compose(text, cfg_path, problems)
        config = reader.read(SiteConfig, node)
    config = config or SiteConfig()
    if config.url and not urlsplit(config.url).scheme.startswith("http"):
        line, col = reader.marks.get("url", (None, None))
        problems.error(cfg_path, line, col, f"'url' must start with http:// or https://, got '{config.url}'",
                       "write the full address, e.g. https://ada.github.io/portfolio")
    env_url = os.environ.get("MLFOLIO_GITHUB_API_URL")
    if env_url and config.github:
        config.github.api_url = env_url
    env_url = os.environ.get("MLFOLIO_KAGGLE_API_URL")
    if env_url and config.kaggle:
        config.kaggle.api_url = env_url

    prof_path = site_dir / "profile.yml"
    profile = None
    if not prof_path.is_file():
        problems.error(prof_path, None, None, "profile.yml is missing",
                       "create it with at least 'name: Your Name' (see README, profile.yml)")
    else:
        text = read_text(prof_path, problems)
        if text is not None:
            node = compose(text, prof_path, problems)
            if node is None and not problems.errors:
                problems.error(prof_path, 1, 1, "profile.yml is empty", "add at least 'name: Your Name'")
            elif node is not None:
                preader = Reader(prof_path, problems)
                profile = preader.read(Profile, node)
                reader.marks.update({f"profile.{k}": v for k, v in preader.marks.items()})
    return LoadedConfig(config, profile or Profile(name="?"), reader.marks)


__all__ = ["SiteConfig", "Profile", "LoadedConfig", "load_config", "read_text"]
