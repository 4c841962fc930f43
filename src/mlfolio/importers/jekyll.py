"""Jekyll sites (plain, minimal-mistakes, academicpages): `_config.yml`, `_posts/`, `_drafts/`, `_pages/` and
root pages, asset folders, `_bibliography/`, and academicpages' `_publications/`, `_talks/`, `_teaching/` and
`_portfolio/`. al-folio (alfolio.py) builds on this with its own data files."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..config import SiteConfig
from ..content import slugify
from . import bibtex, liquid
from .biblinks import import_bib
from .base import Importer, ListItem, ProjectItem, merge_tags, plain, words, yamlable
from .files import IMAGE_EXTS, FrontMatter, as_date
from .links import Context, base_path, rewrite_links
from .output import document
from .report import Report

DOC_EXTS = {".md", ".markdown", ".html"}
_POST_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
THEME_ASSETS = {"css", "js", "sass", "scss", "_sass", "fonts", "webfonts", "libs", "json", "jupyter", "bibliography"}
TOP_ASSETS = ("images", "files", "img", "pdf", "uploads", "figures", "papers", "slides")
# pages mlfolio makes itself, now or once the features being built are merged: no page may take these paths
RESERVED = {"about", "projects", "blog", "tags", "news", "assets", "publications", "cv", "feed.xml", "sitemap.xml",
            "robots.txt", "404.html", "index.html"}
DROPPED = {"layout", "permalink", "related_posts", "comments", "sitemap", "share", "excerpt_separator",
           "last_modified_at", "read_time", "author_profile", "collection", "type", "nav", "nav_order",
           "redirect_from", "sidebar", "classes", "giscus_comments", "disqus_comments", "published", "inline"}
PERMALINK_STYLES = {"date": "/:categories/:year/:month/:day/:title:output_ext",
                    "pretty": "/:categories/:year/:month/:day/:title/",
                    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
                    "none": "/:categories/:title:output_ext"}
SOCIAL = {  # key in _config.yml's author: / al-folio's socials -> (mlfolio link kind, URL pattern)
    "github": ("github", "https://github.com/{}"), "github_username": ("github", "https://github.com/{}"),
    "linkedin": ("linkedin", "https://www.linkedin.com/in/{}"),
    "linkedin_username": ("linkedin", "https://www.linkedin.com/in/{}"),
    "googlescholar": ("scholar", "{}"), "scholar_userid": ("scholar", "https://scholar.google.com/citations?user={}"),
    "twitter": ("x", "https://x.com/{}"), "twitter_username": ("x", "https://x.com/{}"),
    "x_username": ("x", "https://x.com/{}"), "kaggle": ("kaggle", "https://www.kaggle.com/{}"),
    "kaggle_id": ("kaggle", "https://www.kaggle.com/{}"), "orcid": ("orcid", "{}"),
    "orcid_id": ("orcid", "https://orcid.org/{}"), "mastodon": ("mastodon", "{}"),
    "mastodon_username": ("mastodon", "https://{}"), "bluesky": ("bluesky", "{}"), "bluesky_url": ("bluesky", "{}"),
    "gitlab": ("gitlab", "https://gitlab.com/{}"), "gitlab_username": ("gitlab", "https://gitlab.com/{}"),
    "researchgate": ("researchgate", "{}"),
    "research_gate_profile": ("researchgate", "https://www.researchgate.net/profile/{}"),
    "semanticscholar_id": ("semanticscholar", "https://www.semanticscholar.org/author/{}"),
    "dblp_url": ("dblp", "{}"), "youtube": ("youtube", "{}"), "youtube_id": ("youtube", "https://www.youtube.com/@{}"),
    "medium_username": ("medium", "https://medium.com/@{}"), "stackoverflow": ("stackoverflow", "{}"),
    "stackoverflow_id": ("stackoverflow", "https://stackoverflow.com/users/{}"),
    "inspirehep_id": ("inspirehep", "https://inspirehep.net/authors/{}"), "work_url": ("website", "{}"),
    "uri": ("website", "{}"), "website": ("website", "{}"), "huggingface": ("huggingface", "https://huggingface.co/{}"),
}




def profile_links(values: dict, report: Report, where: str) -> dict[str, str]:
    """Social keys (github_username, scholar_userid, …) as profile.yml links: full URLs."""
    links: dict[str, str] = {}
    for key, value in values.items():
        if key in SOCIAL and value not in (None, "", False):
            kind, pattern = SOCIAL[key]
            value = str(value).strip()
            links[kind] = value if value.startswith(("http://", "https://")) else pattern.format(value.lstrip("@"))
        elif key in ("email",) and value:
            continue
        elif isinstance(value, dict) and value.get("url"):
            links[slugify(str(value.get("title") or key)).replace("-", "_")] = str(value["url"])
        elif value not in (None, "", False, True) and key.endswith(("_id", "_username", "_url", "_userid")):
            report.note(where, None, f"social link '{key}' not carried over",
                        f"add it to profile.yml as links: {{{key.rsplit('_', 1)[0]}: https://…}}")
    return {k: v for k, v in links.items() if v.startswith(("http://", "https://"))}


class JekyllImporter(Importer):
    kind = "Jekyll"

    def __init__(self, *args):
        super().__init__(*args)
        self.config: dict = {}
        self.posts: list[tuple[Path, FrontMatter, str, dt.date]] = []     # source, front matter, target, date
        self.pages: list[tuple[Path, FrontMatter, str]] = []
        self.about: tuple[Path, FrontMatter] | None = None
        self.projects: list[tuple[Path, FrontMatter, str]] = []             # source, front matter, page or ''
        self.own_keys: dict[str, set[str]] = {}                             # post -> keys of its bibliography:

    # -- the whole import -----------------------------------------------------------------------------------

    def run(self) -> None:
        self.read_config()
        self.copy_assets()
        self.read_bibliography()
        self.plan_posts()
        self.plan_pages()
        self.plan_extra()
        self.write_posts()
        self.write_pages()
        self.write_extra()
        self.write_profile()
        self.write_bibliography()

    def plan_extra(self) -> None:
        """Collections that have pages of their own (academicpages' portfolio)."""
        for path in self.tree.files("_portfolio", DOC_EXTS):
            self.plan_project(path)

    def write_extra(self) -> None:
        self.convert_projects()
        self.academic_collections()

    # -- _config.yml ----------------------------------------------------------------------------------------

    def read_config(self) -> None:
        for name in ("_config.yml", "_config.yaml"):
            if self.tree.exists(name):
                data = self.tree.yaml(self.tree.root / name)
                self.config = data if isinstance(data, dict) else {}
                break
        c = self.config
        url = str(c.get("url") or "").rstrip("/")
        base = str(c.get("baseurl") or "").strip("/")
        out: dict = {"title": plain(c.get("title")) or self.owner_name() or "My site"}
        if url.startswith(("http://", "https://")):
            out["url"] = f"{url}/{base}" if base else url
        else:
            out["url"] = "https://example.github.io" + (f"/{base}" if base else "")
            self.report.note("_config.yml", None, "no 'url' with http(s):// in _config.yml",
                             "set 'url' in mlfolio.yml to the site's address before publishing")
        if c.get("description"):
            out["description"] = plain(c["description"])
        lang = c.get("lang") or c.get("locale")
        if isinstance(lang, str) and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", lang):
            out["language"] = lang.replace("_", "-")
        pagination = c.get("pagination") if isinstance(c.get("pagination"), dict) else {}
        per_page = c.get("paginate") or pagination.get("per_page")
        if isinstance(per_page, int) and per_page > 0:
            out["posts_per_page"] = per_page
        self.site.config = out
        self.map.base_path = base_path(out["url"])
        self.map.values.update({"site.title": out["title"], "site.description": out.get("description", ""),
                                "site.url": "", "site.baseurl": ""})
        self.comments_and_analytics(out)
        if c.get("external_sources"):
            feeds = [s for s in c["external_sources"] if isinstance(s, dict) and s.get("rss_url")]
            self.report.note("_config.yml", None, f"external_sources ({len(feeds)} feed"
                             f"{'s' if len(feeds) != 1 else ''}) not carried over",
                             "add them to mlfolio.yml as external_posts: [{name: …, url: RSS_URL}] (fetched on build)")

    def comments_and_analytics(self, out: dict) -> None:
        """al-folio's giscus and Google Analytics settings, as mlfolio.yml's `comments:` and `analytics:` when the
        installed mlfolio has those sections (they came with issue 13), else a note."""
        c, known = self.config, set(SiteConfig.__dataclass_fields__)
        giscus = c.get("giscus") if isinstance(c.get("giscus"), dict) else {}
        if "comments" in known and all(giscus.get(k) for k in ("repo", "repo_id", "category", "category_id")):
            out["comments"] = {"provider": "giscus", **{k: str(giscus[k]) for k in
                                                        ("repo", "repo_id", "category", "category_id")}}
        elif giscus:
            self.report.note("_config.yml", None, "'giscus' not carried over", "set comments: in mlfolio.yml "
                             "(provider: giscus, repo, repo_id, category, category_id from giscus.app)")
        google = str(c.get("google_analytics") or "")
        if "analytics" in known and re.fullmatch(r"G-[A-Z0-9]{4,20}", google):
            out["analytics"] = {"provider": "google", "measurement_id": google}
        elif google:
            self.report.note("_config.yml", None, "'google_analytics' not carried over",
                             "set analytics: in mlfolio.yml (provider: google, measurement_id: G-…)")
        for name in ("disqus_shortname", "panelbear_analytics", "cronitor_analytics", "pirsch_analytics",
                     "openpanel_analytics"):
            if c.get(name):
                self.report.note("_config.yml", None, f"'{name}' not carried over",
                                 "mlfolio has no such service; see comments: and analytics: in mlfolio.yml")

    def owner_name(self) -> str:
        c = self.config
        author = c.get("author")
        if isinstance(author, dict) and author.get("name"):
            return plain(author["name"])
        if isinstance(author, str):
            return plain(author)
        return " ".join(plain(c.get(k)) for k in ("first_name", "middle_name", "last_name") if c.get(k)).strip()

    # -- files ----------------------------------------------------------------------------------------------

    def copy_assets(self) -> None:
        """assets/<folder>/ -> static/<folder>/ (theme folders left out), and the usual top-level folders."""
        theme_seen = []
        assets = self.tree.root / "assets"
        if assets.is_dir():
            for sub in sorted(assets.iterdir()):
                if sub.name.startswith("."):
                    continue
                if sub.name in THEME_ASSETS:
                    theme_seen.append(sub.name)
                    continue
                if sub.is_dir():
                    self.copy_folder(f"assets/{sub.name}", sub.name if sub.name not in RESERVED else f"files/{sub.name}")
        styling = [f"{n}/" for n in theme_seen if n not in ("json", "jupyter", "bibliography")]
        if styling:
            self.report.note("assets", None, f"theme files ({', '.join(styling)}) not carried over",
                             "mlfolio's theme replaces them; override its templates or CSS in templates/ and static/")
        for top in TOP_ASSETS:
            if (self.tree.root / top).is_dir():
                self.copy_folder(top, top)

    def copy_folder(self, old: str, new: str) -> None:
        self.map.assets[old.rstrip("/") + "/"] = new.rstrip("/") + "/"
        for path in self.tree.files(old):
            if not self.tree.copyable(path):
                continue
            rel = self.tree.rel(path)
            self.site.add_copy(f"static/{new}/{rel[len(old) + 1:]}", path)
            self.report.count("images" if path.suffix.lower() in IMAGE_EXTS else "files")

    # -- posts ----------------------------------------------------------------------------------------------

    def post_permalink(self) -> str:
        for default in self.config.get("defaults") or []:
            if isinstance(default, dict) and isinstance(default.get("scope"), dict) \
                    and default["scope"].get("type") == "posts" and isinstance(default.get("values"), dict) \
                    and default["values"].get("permalink"):
                return str(default["values"]["permalink"])
        style = str(self.config.get("permalink") or "date")
        return PERMALINK_STYLES.get(style, style)

    def plan_posts(self) -> None:
        pattern = self.post_permalink()
        sources = [(p, False) for p in self.tree.files("_posts", DOC_EXTS)]
        sources += [(p, True) for p in self.tree.files("_drafts", DOC_EXTS)]
        for path, draft in sources:
            fm = self.tree.front_matter(path)
            if fm is None:
                continue
            rel = self.tree.rel(path)
            if isinstance(fm.meta.get("bibliography"), str):
                self.own_bibliography(rel, fm.meta)
            m = _POST_NAME.match(path.stem)
            date = as_date(fm.meta.get("date")) or (as_date(m.group(1)) if m else None)
            if date is None:
                date = dt.date.fromtimestamp(path.stat().st_mtime)
                if not draft:
                    self.report.note(rel, None, "no date in the file name or front matter; dated by the file's "
                                     "modification time", "set 'date:' in the imported post")
            name = m.group(2) if m else path.stem
            target = self.site.reserve(f"posts/{date.isoformat()}-{name}.md")
            if draft:
                fm.meta["draft"] = True
            self.posts.append((path, fm, target, date))
            self.map.files[rel] = target
            self.map.posts[path.stem] = target
            link = fm.meta.get("permalink") or pattern
            cats = "/".join(slugify(c) for c in words(fm.meta.get("categories") or fm.meta.get("category")))
            url = (str(link).replace(":categories", cats).replace(":year", f"{date.year:04d}")
                   .replace(":month", f"{date.month:02d}").replace(":i_month", str(date.month))
                   .replace(":day", f"{date.day:02d}").replace(":i_day", str(date.day))
                   .replace(":y_day", f"{date.timetuple().tm_yday:03d}").replace(":title", name)
                   .replace(":slug", name).replace(":output_ext", ".html"))
            self.map.add_url(re.sub(r"/+", "/", url), target)

    def own_bibliography(self, rel: str, meta: dict) -> None:
        """A post's own .bib (al-folio keeps distill posts' in assets/bibliography/), as bibliography/NAME;
        `meta['bibliography']` becomes its path in the new site, or is taken out when there is no such file."""
        name = meta["bibliography"].strip()
        candidates = [f"assets/bibliography/{name}", str(Path(rel).parent / name), name.lstrip("/")]
        found = next((c for c in candidates if c.endswith(".bib") and self.tree.exists(c)), None)
        text = self.tree.text(self.tree.root / found) if found else None
        if text is None:
            self.report.note(rel, None, f"bibliography '{name}' not found; its citations stay text",
                             "add the .bib file beside the post and set 'bibliography:' to its name")
            del meta["bibliography"]
            return
        text, self.own_keys[rel] = import_bib(found, text, self.tree, self.site, self.report)
        meta["bibliography"] = "/" + self.site.add_text(f"bibliography/{Path(name).name}", text)

    def post_meta(self, meta: dict, date: dt.date, rel: str) -> dict:
        out: dict = {"title": plain(meta.get("title")) or Path(rel).stem, "date": date}
        tags = merge_tags(words(meta.get("tags")), words(meta.get("categories")), words(meta.get("category")))
        if tags:
            out["tags"] = tags
        summary = meta.get("description") or meta.get("excerpt") or meta.get("summary")
        if summary:
            out["summary"] = plain(summary)
        if meta.get("published") is False or meta.get("draft") is True:
            out["draft"] = True
        image = meta.get("thumbnail") or meta.get("image")
        if isinstance(image, dict):
            image = image.get("path") or image.get("feature") or image.get("teaser") or image.get("og_image")
        if isinstance(image, str) and image and (found := self.static_path(image, rel)):
            out["image"] = found
        if "toc" in meta and meta["toc"] is False:
            out["toc"] = False
        if meta.get("bibliography"):
            out["bibliography"] = meta["bibliography"]
        for key in ("redirect", "canonical_url"):
            if isinstance(meta.get(key), str) and meta[key].startswith(("http://", "https://")):
                out["canonical_url"] = meta[key]
        extra = {k: v for k, v in meta.items() if k not in DROPPED and k not in {
            "title", "date", "tags", "categories", "category", "description", "excerpt", "summary", "draft",
            "thumbnail", "image", "toc", "redirect", "canonical_url", "bibliography"} and yamlable(v)}
        wants = bool(meta.get("giscus_comments") or meta.get("comments") is True)
        if "comments" in self.site.config:          # al-folio shows comments only where a post asks for them
            if not wants:
                out["comments"] = False
        elif wants:
            extra["comments"] = True
        if extra:
            out["extra"] = extra
        return out

    def static_path(self, path: str, rel: str) -> str:
        """An image named in front matter, as a path under the new static/ (or a URL)."""
        if path.startswith(("http://", "https://")):
            return path
        ctx = Context(self.map, self.report, rel, "profile.yml")
        new = ctx.static_url(path) or ctx.static_url("images/" + path) or ctx.static_url("assets/img/" + path)
        if new:
            return new.lstrip("/")
        self.report.note(rel, None, f"image '{path}' not found among the copied files", "add it under static/")
        return ""

    def context(self, rel: str, target: str, line: int) -> Context:
        return Context(self.map, self.report, rel, target, line,
                       citable=frozenset(self.bib_keys | self.own_keys.get(rel, set())))

    def convert(self, body: str, rel: str, target: str, line: int) -> str:
        ctx = self.context(rel, target, line)
        return rewrite_links(liquid.convert(fences(body, ctx), ctx), ctx)

    def write_posts(self) -> None:
        for path, fm, target, date in self.posts:
            rel = self.tree.rel(path)
            meta = self.post_meta(fm.meta, date, rel)
            body = self.convert(fm.body, rel, target, fm.body_line)
            self.site.texts[target] = document(meta, body)
            self.report.count("posts")

    # -- pages ----------------------------------------------------------------------------------------------

    def page_sources(self) -> list[Path]:
        out = self.tree.files("_pages", DOC_EXTS)
        for path in self.tree.files("", DOC_EXTS, recursive=False):
            if path.stem.upper() in ("README", "LICENSE", "CHANGELOG", "CONTRIBUTING", "INSTALL", "CODE_OF_CONDUCT",
                                     "FAQ", "CUSTOMIZE", "404", "SECURITY") or path.name.startswith("_"):
                continue
            out.append(path)
        return out

    def plan_pages(self) -> None:
        for path in self.page_sources():
            fm = self.tree.front_matter(path)
            if fm is None:
                continue
            if not fm.meta and path.parent == self.tree.root:
                continue                                   # not a Jekyll page: Jekyll copies it as it is
            rel = self.tree.rel(path)
            meta = fm.meta
            link = str(meta.get("permalink") or "").strip()
            under = rel.removeprefix("_pages/").rsplit(".", 1)[0]
            slug = link.strip("/").removesuffix(".html").removesuffix("/index") if link else under
            layout = str(meta.get("layout") or "")
            if slug in ("", "about", "index"):           # the home or about page: its text is the profile's bio
                if self.about is None and fm.body.strip():
                    self.about = (path, fm)
                continue
            if self.generated_page(rel, slug, layout, fm):
                continue
            slug = "/".join(slugify(p) for p in slug.split("/") if p) or slugify(path.stem)
            if slug.split("/")[0] in RESERVED:
                slug = "page-" + slug
            target = self.site.reserve(f"pages/{slug}.md")
            self.pages.append((path, fm, target))
            self.map.files[rel] = target
            if link:
                self.map.add_url(link, target)

    def generated_page(self, rel: str, slug: str, layout: str, fm: FrontMatter) -> bool:
        """Pages the old theme made from data (blog lists, publications, CV …): mlfolio makes its own."""
        first = slug.strip("/").split("/")[0]
        body = fm.body
        if "{% bibliography" in body or layout in ("bib", "publications") or first == "publications":
            self.report.made_from(f"the publications page (/publications/) from publications.bib, in place of {rel}")
            return True
        if layout == "cv" or first in ("cv", "resume"):
            self.report.made_from(f"the CV page (/cv/) from profile.yml's experience, education and skills, in "
                                  f"place of {rel}")
            return True
        if first in ("blog", "projects", "news", "tags", "categories", "year-archive", "posts") or layout in (
                "archive", "posts", "archive-taxonomy", "categories", "tags", "collection"):
            return True                      # lists of posts, projects, talks …: mlfolio makes them from the files
        if first in ("repositories", "repos") or layout == "repositories":
            self.report.note(rel, None, "the repositories page (made from GitHub) not carried over",
                             "add 'github: {user: NAME}' to mlfolio.yml: /projects/ then shows your repositories")
            return True
        if first in ("talks", "teaching") and (self.tree.root / f"_{first}").is_dir():
            return True
        return False

    def page_meta(self, meta: dict, rel: str) -> dict:
        out: dict = {"title": plain(meta.get("title")) or Path(rel).stem.replace("-", " ").title()}
        if meta.get("nav") or meta.get("menu"):
            order = meta.get("nav_order")
            out["menu"] = order if isinstance(order, int) else 50
        if meta.get("description"):
            out["description"] = plain(meta["description"])
        if meta.get("published") is False or meta.get("draft") is True:
            out["draft"] = True
        extra = {k: v for k, v in meta.items() if k not in DROPPED and k not in {
            "title", "description", "menu", "draft", "toc", "slug", "image"} and yamlable(v)}
        if extra:
            out["extra"] = extra
        return out

    def write_pages(self) -> None:
        for path, fm, target in self.pages:
            rel = self.tree.rel(path)
            body = self.convert(fm.body, rel, target, fm.body_line)
            if not body.strip():
                self.report.note(rel, None, "page had only Liquid (made by the old theme); not imported",
                                 "write its content as Markdown in pages/")
                del self.site.texts[target]
                continue
            meta = self.page_meta(fm.meta, rel)
            meta["slug"] = target[len("pages/"):-len(".md")]
            self.site.texts[target] = document(meta, body)
            self.report.count("pages")

    # -- profile --------------------------------------------------------------------------------------------

    def write_profile(self) -> None:
        c = self.config
        author = c.get("author") if isinstance(c.get("author"), dict) else {}
        profile = self.site.profile
        profile["name"] = self.owner_name() or self.site.config.get("title") or "Your Name"
        if not self.owner_name():
            self.report.note("_config.yml", None, "no author name found; profile.yml uses the site title",
                             "set 'name' in profile.yml")
        for key in ("bio", "location", "email"):
            if author.get(key):
                profile[key] = plain(author[key])
        if author.get("avatar"):
            avatar = self.static_path(str(author["avatar"]), "_config.yml")
            if avatar:
                profile["avatar"] = avatar
        links = profile_links(author, self.report, "_config.yml")
        for item in author.get("links") or []:                 # minimal-mistakes: [{label, icon, url}]
            if isinstance(item, dict) and str(item.get("url", "")).startswith(("http://", "https://")):
                links.setdefault(slugify(str(item.get("label") or item.get("icon") or "link")).replace("-", "_"),
                                 str(item["url"]))
        if links:
            profile["links"] = links
        self.about_bio()

    def about_bio(self) -> None:
        if self.about is None:
            return
        path, fm = self.about
        rel = self.tree.rel(path)
        body = self.convert(fm.body, rel, "profile.yml", fm.body_line).strip()
        if body:
            self.site.profile["bio"] = body
            self.map.files[rel] = "profile.yml"
        self.report.count("pages")

    # -- projects -------------------------------------------------------------------------------------------

    def plan_project(self, path: Path) -> None:
        fm = self.tree.front_matter(path)
        if fm is None:
            return
        rel = self.tree.rel(path)
        target = self.site.reserve(f"pages/project/{slugify(path.stem)}.md") if fm.body.strip() else ""
        self.map.files[rel] = target or "pages/project/"
        if target and fm.meta.get("permalink"):
            self.map.add_url(str(fm.meta["permalink"]), target)
        self.projects.append((path, fm, target))

    def convert_projects(self) -> None:
        for path, fm, target in self.projects:
            rel = self.tree.rel(path)
            meta = fm.meta
            item = ProjectItem(plain(meta.get("title")) or path.stem,
                               plain(meta.get("description") or meta.get("excerpt") or meta.get("summary")),
                               tags=tuple(words(meta.get("category")) + words(meta.get("tags"))),
                               featured=meta.get("featured") is True, date=as_date(meta.get("date")))
            if isinstance(meta.get("importance"), (int, float)):
                item.order = meta["importance"]
            if isinstance(meta.get("redirect"), str) and meta["redirect"].startswith(("http://", "https://")):
                item.url = meta["redirect"]
            if target:
                body = self.convert(fm.body, rel, target, fm.body_line)
                if body.strip() and not item.url:
                    self.site.texts[target] = document({"title": item.title, "slug": target[6:-3]}, body)
                    item.url = target
                else:
                    del self.site.texts[target]
            image = meta.get("img") or meta.get("image")
            if isinstance(image, dict):
                image = image.get("teaser") or image.get("path")
            if isinstance(image, str) and image:
                item.image = self.static_path(image, rel)
            self.project_items.append(item)
        self.write_projects()

    # -- academicpages --------------------------------------------------------------------------------------

    def academic_collections(self) -> None:
        for path in self.tree.files("_publications", DOC_EXTS):
            fm = self.tree.front_matter(path)
            if fm is not None:
                self.publication_entry(self.tree.rel(path), fm)
        for name in ("talks", "teaching"):
            items = []
            for path in self.tree.files(f"_{name}", DOC_EXTS):
                fm = self.tree.front_matter(path)
                if fm is None:
                    continue
                meta, rel = fm.meta, self.tree.rel(path)
                web = {k: str(meta[k]) for k in ("talk_url", "slidesurl", "url", "link", "videourl")
                       if str(meta.get(k) or "").startswith(("http://", "https://"))}
                body = self.convert(fm.body, rel, "profile.yml", fm.body_line)
                if name == "talks":
                    fields = {"event": plain(meta.get("venue")), "kind": plain(meta.get("type")),
                              "location": plain(meta.get("location")),
                              "url": web.get("talk_url") or web.get("url") or web.get("link"),
                              "slides": web.get("slidesurl"), "video": web.get("videourl")}
                else:
                    fields = {"organisation": plain(meta.get("venue")),
                              "url": web.get("url") or web.get("link")}
                    body = "\n\n".join(x for x in (plain(meta.get("type")), body.strip()) if x)
                items.append(ListItem(rel, as_date(meta.get("date")), plain(meta.get("title")) or path.stem,
                                      {k: v for k, v in fields.items() if v}, body))
            self.profile_list(name, items)

    def publication_entry(self, rel: str, fm: FrontMatter) -> None:
        meta = fm.meta
        date = as_date(meta.get("date"))
        citation = plain(meta.get("citation"))
        authors = [plain(a) for a in meta["authors"]] if isinstance(meta.get("authors"), list) else []
        if not authors and citation and (m := re.match(r"^(.*?)\s*\(\d{4}\)", citation)):
            authors = [a.strip() for a in re.split(r";|\band\b|&", m.group(1)) if a.strip()]
        if not authors:
            authors = [self.owner_name() or "Unknown"]
            self.report.note(rel, None, "publication without authors; the site owner was used",
                             "check the author field in publications.bib")
        kind = bibtex.TYPES.get(str(meta.get("category") or meta.get("pub_type") or "").lower(), "article")
        paper, slides = str(meta.get("paperurl") or ""), str(meta.get("slidesurl") or "")
        self.add_bib_entry(kind, authors, str(date.year) if date else "", plain(meta.get("title")) or Path(rel).stem, {
            "month": date.strftime("%b").lower() if date else "",
            bibtex.VENUE_FIELD.get(kind, "journal"): plain(meta.get("venue")),
            "abstract": plain(meta.get("excerpt")) or plain(fm.body),
            "pdf": paper if paper.startswith(("http://", "https://")) else "",
            "slides": slides if slides.startswith(("http://", "https://")) else "", "doi": meta.get("doi")})

    def read_bibliography(self) -> None:
        sources = self.tree.files("_bibliography", {".bib"})
        scholar = self.config.get("scholar") if isinstance(self.config.get("scholar"), dict) else {}
        folder = str(scholar.get("source") or "").strip("/")
        if folder not in ("", "_bibliography"):
            sources += self.tree.files(folder, {".bib"})
        for path in sources:
            text = self.tree.text(path)
            if text is not None:
                self.add_bib_file(self.tree.rel(path), text)


_FENCE_RENAMES = {"vega_lite": "vega-lite", "vegalite": "vega-lite"}
_FENCE_UNSHOWN = {"chartjs", "echarts", "geojson", "tikzjax", "typograms", "pseudocode", "diff2html", "abcjs",
                  "plotly_json"}


def fences(body: str, ctx: Context) -> str:
    """al-folio's chart fences: vega_lite becomes vega-lite (mlfolio draws it); others stay code, noted."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*```+)\s*([\w-]+)\s*$", line)
        if not m:
            continue
        lang = m.group(2)
        if lang in _FENCE_RENAMES:
            lines[i] = f"{m.group(1)}{_FENCE_RENAMES[lang]}"
        elif lang in _FENCE_UNSHOWN:
            ctx.note(ctx.line + i, f"```{lang} block shown as code (mlfolio does not draw {lang})",
                     "redraw it as a mermaid or vega-lite block, or use an image")
    return "\n".join(lines)


__all__ = ["JekyllImporter", "profile_links"]
