"""Hugo Academic / HugoBlox (Wowchemy): `config/_default/*.yaml|toml` (or a root hugo/config file), the owner
in `content/authors/admin/_index.md` or `data/authors/me.yaml`, post bundles (`content/post/x/index.md` with
their images: flattened to `posts/DATE-x.md`, the images under `static/img/x/`), publications (`cite.bib`, or
BibTeX made from the front matter), projects, events, `static/` and `assets/media/`."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..content import slugify
from ..routes import POST_PATH
from . import bibtex, shortcodes
from .base import Importer, ListItem, ProjectItem, merge_tags, plain, words, yamlable
from .files import IMAGE_EXTS, FrontMatter, as_date
from .links import Context, base_path, rewrite_links
from .output import document

DOC_EXTS = {".md", ".markdown"}
POSTS = ("post", "posts", "blog")
PUBLICATIONS = ("publication", "publications")
PROJECTS = ("project", "projects")
EVENTS = ("event", "events", "talk", "talks")
LINK_HOSTS = {"github.com": "github", "x.com": "x", "twitter.com": "x", "linkedin.com": "linkedin",
              "scholar.google": "scholar", "orcid.org": "orcid", "kaggle.com": "kaggle", "huggingface.co": "huggingface",
              "gitlab.com": "gitlab", "bsky.app": "bluesky", "youtube.com": "youtube", "medium.com": "medium"}
CONFIG_FILES = ("hugo", "config", "params", "languages", "menus")
LINK_FIELDS = {"pdf", "code", "slides", "video", "url"}


class HugoImporter(Importer):
    kind = "Hugo Academic"

    def __init__(self, *args):
        super().__init__(*args)
        self.config: dict = {}
        self.params: dict = {}
        self.posts: list[tuple[Path, FrontMatter, str, dt.date, dict[str, str]]] = []
        self.cite_keys: dict[str, str] = {}          # publication folder -> BibTeX key
        self.refs: dict[str, str] = {}               # 'post/x' -> 'posts/DATE-x.md'

    def run(self) -> None:
        self.read_config()
        self.copy_static()
        self.read_author()
        self.read_publications()
        self.plan_posts()
        self.write_posts()
        self.read_projects()
        self.read_events()
        self.write_projects()
        self.write_bibliography()

    # -- configuration --------------------------------------------------------------------------------------

    def read_config(self) -> None:
        files = []
        for folder in ("config/_default", ""):
            for name in CONFIG_FILES:
                for ext, load in ((".yaml", self.tree.yaml), (".yml", self.tree.yaml), (".toml", self.tree.toml)):
                    rel = f"{folder}/{name}{ext}".lstrip("/")
                    if self.tree.exists(rel):
                        data = load(self.tree.root / rel)
                        files.append(rel)
                        if isinstance(data, dict):
                            target = self.params if name == "params" else self.config
                            target.update(data)
        if isinstance(self.config.get("params"), dict):
            self.params = {**self.config["params"], **self.params}
        url = str(self.config.get("baseURL") or self.config.get("baseurl") or "").rstrip("/")
        title = plain(self.config.get("title")) or plain(_dig(self.params, "hugoblox", "branding", "name"))
        out: dict = {"title": title or "My site", "url": url if url.startswith(("http://", "https://"))
                     else "https://example.github.io"}
        if not url.startswith(("http://", "https://")) or "example.com" in url:
            self.report.note(files[0] if files else "config/_default", None, "no real 'baseURL' in the Hugo configuration",
                             "set 'url' in mlfolio.yml to the site's address before publishing")
        description = self.params.get("description") or _dig(self.params, "seo", "description") \
            or _dig(self.params, "hugoblox", "seo", "description") or _dig(self.params, "marketing", "seo", "description")
        if description:
            out["description"] = plain(description)
        lang = self.config.get("languageCode") or self.config.get("defaultContentLanguage")
        if isinstance(lang, str) and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", lang):
            out["language"] = lang.replace("_", "-")
        self.site.config = out
        self.map.base_path = base_path(out["url"])

    def copy_static(self) -> None:
        """static/ is published at the site root in both generators; assets/media/ holds Academic's images."""
        static = self.tree.root / "static"
        for top in sorted(p.name for p in static.iterdir()) if static.is_dir() else []:
            self.map.assets[f"{top}/"] = f"{top}/"
        self.map.assets["static/"] = ""
        for path in self.tree.files("static"):
            if self.tree.copyable(path):
                self.site.add_copy(self.tree.rel(path), path)
                self.count_file(path)
        self.map.assets["media/"] = "media/"
        self.map.assets["assets/media/"] = "media/"
        for path in self.tree.files("assets/media"):
            if self.tree.copyable(path):
                self.site.add_copy("static/media/" + self.tree.rel(path)[len("assets/media/"):], path)
                self.count_file(path)

    def count_file(self, path: Path) -> None:
        self.report.count("images" if path.suffix.lower() in IMAGE_EXTS else "files")

    # -- the owner ------------------------------------------------------------------------------------------

    def read_author(self) -> None:
        profile = self.site.profile
        fm, folder = None, "content/authors/admin"
        for rel in ("content/authors/admin/_index.md", "content/authors/me/_index.md"):
            if self.tree.exists(rel):
                fm = self.tree.front_matter(self.tree.root / rel)
                folder = rel.rsplit("/", 1)[0]
                break
        data = None
        for rel in ("data/authors/me.yaml", "data/authors/me.yml", "data/authors/admin.yaml"):
            if fm is None and self.tree.exists(rel):
                data = self.tree.yaml(self.tree.root / rel)
                folder = "assets/media/authors"
                break
        meta = fm.meta if fm is not None else data if isinstance(data, dict) else {}
        name = meta.get("name") or meta.get("title")
        if isinstance(name, dict):
            name = name.get("display") or " ".join(str(name.get(k, "")) for k in ("given", "family")).strip()
        profile["name"] = plain(name) or self.site.config.get("title") or "Your Name"
        if not meta:
            self.report.note("content/authors", None, "no author profile found (authors/admin/_index.md or "
                             "data/authors/me.yaml)", "fill in profile.yml by hand")
        headline = plain(meta.get("role"))
        orgs = meta.get("organizations") or meta.get("affiliations") or []
        org = next((plain(o.get("name")) for o in orgs if isinstance(o, dict) and o.get("name")), "")
        if headline or org:
            profile["headline"] = f"{headline}, {org}" if headline and org else headline or org
        body = ""
        if fm is not None and fm.body.strip():
            ctx = Context(self.map, self.report, self.tree.rel(self.tree.root / folder / "_index.md"), "profile.yml",
                          fm.body_line)
            body = rewrite_links(shortcodes.convert(fm.body, ctx, {}, {}), ctx).strip()
        bio = body or str(meta.get("bio") or "").strip()
        if bio:
            profile["bio"] = bio
        if isinstance(meta.get("email"), str) and "@" in meta["email"]:
            profile["email"] = meta["email"]
        links = {}
        for item in meta.get("social") or meta.get("links") or meta.get("profiles") or []:
            if not isinstance(item, dict):
                continue
            url = str(item.get("link") or item.get("url") or "")
            if url.startswith("mailto:"):
                profile.setdefault("email", url.removeprefix("mailto:"))
            elif url.startswith(("http://", "https://")):
                host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
                kind = next((k for h, k in LINK_HOSTS.items() if host.startswith(h)), None) or \
                    slugify(str(item.get("icon") or host).rsplit("/", 1)[-1]).replace("-", "_")
                links.setdefault(kind, url)
            elif url:
                self.report.note(self.author_rel(folder), None, f"social link '{url}' not carried over",
                                 "links in profile.yml are full web addresses")
        if links:
            profile["links"] = links
        for pattern in ("avatar.*", "me.*", "admin.*"):
            found = sorted((self.tree.root / folder).glob(pattern)) if (self.tree.root / folder).is_dir() else []
            found = [p for p in found if p.suffix.lower() in IMAGE_EXTS and self.tree.copyable(p)]
            if found:
                profile["avatar"] = self.site.add_copy(f"static/img/avatar{found[0].suffix.lower()}", found[0])[7:]
                self.report.count("images")
                break
        self.author_timeline(meta)

    def author_rel(self, folder: str) -> str:
        return f"{folder}/_index.md" if folder.startswith("content") else "data/authors/me.yaml"

    def author_timeline(self, meta: dict) -> None:
        profile = self.site.profile
        education = meta.get("education")
        courses = education.get("courses") if isinstance(education, dict) else education
        rows = []
        for c in courses or []:
            if isinstance(c, dict):
                row = {"degree": plain(c.get("course") or c.get("degree") or c.get("area")) or "?",
                       "organisation": plain(c.get("institution")) or "?",
                       "start": str(c.get("start") or c.get("date_start") or "")[:4],
                       "end": str(c.get("year") or c.get("end") or c.get("date_end") or "")[:4],
                       "description": str(c.get("summary") or "").strip()}
                rows.append({k: v for k, v in row.items() if v})
        if rows:
            profile["education"] = rows
        jobs = []
        for w in meta.get("experience") or meta.get("work") or []:
            if isinstance(w, dict):
                row = {"role": plain(w.get("role") or w.get("title")) or "?",
                       "organisation": plain(w.get("org") or w.get("company") or w.get("organization")) or "?",
                       "start": str(w.get("start") or w.get("date_start") or "")[:7],
                       "end": str(w.get("end") or w.get("date_end") or "")[:7],
                       "description": str(w.get("summary") or w.get("description") or "").strip()}
                jobs.append({k: v for k, v in row.items() if v})
        if jobs:
            profile["experience"] = jobs
        interests = [plain(i) for i in meta.get("interests") or [] if plain(i)]
        skills = {}
        if interests:
            skills["Interests"] = interests
        for group in meta.get("skills") or []:
            if isinstance(group, dict):
                items = [plain(i.get("name") if isinstance(i, dict) else i) for i in group.get("items") or []]
                skills[plain(group.get("name") or group.get("title")) or "Skills"] = [i for i in items if i]
        if skills:
            profile["skills"] = skills

    # -- sections -------------------------------------------------------------------------------------------

    def section(self, names: tuple[str, ...]) -> list[tuple[Path, str, Path | None]]:
        """(document, name, bundle folder or None) of a content section: bundles and single files."""
        out = []
        for name in names:
            top = self.tree.root / "content" / name
            if not top.is_dir():
                continue
            for path in self.tree.files(f"content/{name}", DOC_EXTS):
                if path.name == "_index.md":
                    continue
                if path.name == "index.md":
                    out.append((path, path.parent.name, path.parent))
                elif path.parent == top:
                    out.append((path, path.stem, None))
        return out

    def bundle_files(self, bundle: Path | None, target_dir: str, beside: bool = False) -> dict[str, str]:
        """A bundle's other files, copied under static/target_dir/ (or into target_dir itself, beside a post that
        stays a bundle): their names as the body links them -> the links that reach them from the new file."""
        local: dict[str, str] = {}
        if bundle is None:
            return local
        for path in self.tree.files(self.tree.rel(bundle)):
            if path.suffix.lower() in DOC_EXTS or not self.tree.copyable(path):
                continue
            name = path.relative_to(bundle).as_posix()
            if beside:
                local[name] = self.site.add_copy(f"{target_dir}/{name}", path)[len(target_dir) + 1:]
            else:
                local[name] = "/" + self.site.add_copy(f"static/{target_dir}/{name}", path)[len("static/"):]
            self.count_file(path)
        return local

    def plan_posts(self) -> None:
        for path, name, bundle in self.section(POSTS):
            fm = self.tree.front_matter(path)
            if fm is None:
                continue
            date = as_date(fm.meta.get("date")) or as_date(fm.meta.get("publishDate"))
            if date is None:
                date = dt.date.fromtimestamp(path.stat().st_mtime)
                self.report.note(self.tree.rel(path), None, "post without a date; dated by the file's "
                                 "modification time", "set 'date:' in the imported post")
            slug = slugify(str(fm.meta.get("slug") or name))
            target = self.site.reserve(f"posts/{date.isoformat()}-{slug}" + ("/index.md" if bundle else ".md"))
            section = self.tree.rel(path).split("/")[1]
            for key in (f"{section}/{name}", f"/{section}/{name}"):
                self.refs[key.lstrip("/")] = target
            self.map.add_url(f"/{section}/{slug}/", target)
            self.map.files[self.tree.rel(path)] = target
            local = self.bundle_files(bundle, target.rsplit("/", 1)[0], beside=True)
            self.posts.append((path, fm, target, date, local))

    def write_posts(self) -> None:
        for path, fm, target, date, local in self.posts:
            rel = self.tree.rel(path)
            meta = fm.meta
            out: dict = {"title": plain(meta.get("title")) or path.parent.name, "date": date}
            updated = as_date(meta.get("lastmod"))
            if updated and updated > date:
                out["updated"] = updated
            tags = merge_tags(words(meta.get("tags")), words(meta.get("categories")))
            if tags:
                out["tags"] = tags
            if meta.get("summary"):
                out["summary"] = plain(meta["summary"])
            if meta.get("draft") is True:
                out["draft"] = True
            featured = next((u for n, u in local.items() if n.split(".")[0] in ("featured", "cover")
                             and Path(n).suffix.lower() in IMAGE_EXTS), "")
            if featured:            # a site path: the bundle's files are published beside the post's page
                out["image"] = POST_PATH.format(slug=target.split("/")[1][len("YYYY-MM-DD-"):]) + featured
            extra = {k: v for k, v in meta.items() if k in ("authors", "featured", "projects") and yamlable(v)}
            if extra:
                out["extra"] = extra
            ctx = Context(self.map, self.report, rel, target, fm.body_line, local)
            body = shortcodes.convert(fm.body, ctx, self.cite_keys, self.refs)
            self.site.texts[target] = document(out, rewrite_links(body, ctx))
            self.report.count("posts")

    def read_publications(self) -> None:
        for path, name, bundle in self.section(PUBLICATIONS):
            rel = self.tree.rel(path)
            bib = bundle / "cite.bib" if bundle else None
            if bib is not None and self.tree.exists(self.tree.rel(bib)):
                text = self.tree.text(bib)
                if text is not None:
                    key = re.search(r"@\w+\s*\{\s*([^,\s]+)", text)
                    if key:
                        self.cite_keys[name] = key.group(1)
                    self.add_bib_file(self.tree.rel(bib), text)
                    continue
            fm = self.tree.front_matter(path)
            if fm is not None:
                self.cite_keys[name] = self.publication_entry(rel, fm.meta)

    def publication_entry(self, rel: str, meta: dict) -> str:
        owner = self.site.profile.get("name", "")
        authors = [owner if str(a) in ("admin", "me") else plain(a) for a in meta.get("authors") or []] or [owner]
        types = meta.get("publication_types") or ["article-journal"]
        kind = bibtex.TYPES.get(str(types[0] if isinstance(types, list) and types else types), "misc")
        date = as_date(meta.get("date"))
        links = {str(link.get("type") or link.get("name") or "").lower(): link.get("url")
                 for link in meta.get("links") or [] if isinstance(link, dict) and link.get("url")}
        venue = plain(str(meta.get("publication") or "").replace("*", ""))
        fields = {bibtex.VENUE_FIELD.get(kind, "journal"): venue, "abstract": plain(meta.get("abstract")),
                  "doi": meta.get("doi") or _dig(meta, "hugoblox", "ids", "doi"),
                  **{name: meta.get(f"url_{name}") or links.get(name) for name in ("pdf", "code", "slides", "video")},
                  "url": meta.get("url_source") or links.get("source")}
        fields = {k: v for k, v in fields.items()
                  if v and (k not in LINK_FIELDS or str(v).startswith(("http://", "https://")))}
        return self.add_bib_entry(kind, authors, str(date.year) if date else "", plain(meta.get("title")) or rel, fields)

    def read_projects(self) -> None:
        for path, name, bundle in self.section(PROJECTS):
            fm = self.tree.front_matter(path)
            if fm is None:
                continue
            meta, rel = fm.meta, self.tree.rel(path)
            slug = slugify(name)
            local = self.bundle_files(bundle, f"img/project/{slug}")
            item = ProjectItem(plain(meta.get("title")) or name, plain(meta.get("summary")),
                               tags=tuple(words(meta.get("tags"))), featured=meta.get("featured") is True,
                               date=as_date(meta.get("date")))
            external = str(meta.get("external_link") or "")
            if external.startswith(("http://", "https://")):
                item.url = external
            elif fm.body.strip():
                target = self.site.reserve(f"pages/project/{slug}.md")
                ctx = Context(self.map, self.report, rel, target, fm.body_line, local)
                body = rewrite_links(shortcodes.convert(fm.body, ctx, self.cite_keys, self.refs), ctx)
                self.site.texts[target] = document({"title": item.title, "slug": f"project/{slug}"}, body)
                item.url = target
            item.image = next((u.lstrip("/") for n, u in local.items() if n.split(".")[0] in ("featured", "cover")), "")
            self.project_items.append(item)

    def read_events(self) -> None:
        items = []
        for path, name, bundle in self.section(EVENTS):
            fm = self.tree.front_matter(path)
            if fm is None:
                continue
            meta, rel = fm.meta, self.tree.rel(path)
            local = self.bundle_files(bundle, f"img/talks/{slugify(name)}")
            ctx = Context(self.map, self.report, rel, "profile.yml", fm.body_line, local)
            body = rewrite_links(shortcodes.convert(fm.body, ctx, self.cite_keys, self.refs), ctx)
            web = {k: str(meta[k]) for k in ("url_slides", "url_video", "event_url", "url_poster")
                   if str(meta.get(k) or "").startswith(("http://", "https://"))}
            fields = {"event": plain(meta.get("event")), "location": plain(meta.get("location")),
                      "url": web.get("event_url"), "slides": web.get("url_slides"), "video": web.get("url_video"),
                      "poster": web.get("url_poster")}
            items.append(ListItem(rel, as_date(meta.get("date")), plain(meta.get("title")) or name,
                                  {k: v for k, v in fields.items() if v}, body))
        self.profile_list("talks", items)


def _dig(data, *keys):
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
