"""al-folio: a Jekyll site with its own data: social links in `_data/socials.yml` (or `_config.yml` in older
versions), the profile in `_pages/about.md`, a CV in `_data/cv.yml` or `assets/json/resume.json`, `_news/`,
`_projects/` and notebooks in `assets/jupyter/`."""
from __future__ import annotations

import datetime as dt
import re

from ..content import slugify
from ..errors import MlfolioError
from .files import as_date
from .base import plain, words
from .jekyll import DOC_EXTS, JekyllImporter, profile_links
from .links import Context
from .output import notebook_with_front_matter


class AlFolioImporter(JekyllImporter):
    kind = "al-folio"

    def read_config(self) -> None:
        super().read_config()
        scholar = self.config.get("scholar") if isinstance(self.config.get("scholar"), dict) else {}
        names = [f"{first} {last}" for last in words(scholar.get("last_name"))
                 for first in words(scholar.get("first_name"))]
        if names:
            self.site.config["publications"] = {"my_names": names}
            self.report.made_from(f"publications.my_names in mlfolio.yml ({', '.join(names)}, from scholar: in "
                                  "_config.yml): your name is marked in author lists")
        title = self.site.config.get("title", "")
        if title.lower() in ("blank", "") and self.owner_name():
            self.site.config["title"] = self.owner_name()
            self.map.values["site.title"] = self.owner_name()

    def plan_extra(self) -> None:
        for path in self.tree.files("_projects", DOC_EXTS):
            self.plan_project(path)

    def write_extra(self) -> None:
        self.convert_projects()
        self.write_news()
        self.write_notebooks()

    def convert(self, body: str, rel: str, target: str, line: int) -> str:
        cited = distill_citations(body, self.context(rel, target, line))     # first: it keeps the lines
        return distill_footnotes(super().convert(cited, rel, target, line))

    # -- profile --------------------------------------------------------------------------------------------

    def write_profile(self) -> None:
        super().write_profile()
        profile = self.site.profile
        socials: dict = {}
        for key, value in self.config.items():               # al-folio before 0.12 kept them in _config.yml
            if key.endswith(("_username", "_userid", "_id", "_url")) or key == "email":
                socials[key] = value
        if self.tree.exists("_data/socials.yml"):
            data = self.tree.yaml(self.tree.root / "_data/socials.yml")
            if isinstance(data, dict):
                socials.update(data)
        socials = {k: v for k, v in socials.items() if k not in ("google_analytics", "panelbear_analytics",
                                                                  "cronitor_analytics", "rss_icon")}
        email = socials.get("email")
        if isinstance(email, str) and "@" in email:
            profile["email"] = email.removeprefix("mailto:")
        links = profile_links(socials, self.report, "_data/socials.yml" if self.tree.exists("_data/socials.yml")
                              else "_config.yml")
        if links:
            profile["links"] = {**profile.get("links", {}), **links}
        if self.about is not None:
            meta = self.about[1].meta
            if meta.get("subtitle"):
                profile["headline"] = plain(meta["subtitle"])
            image = (meta.get("profile") or {}).get("image") if isinstance(meta.get("profile"), dict) else None
            if isinstance(image, str) and image:
                avatar = self.static_path(image, self.tree.rel(self.about[0]))
                if avatar:
                    profile["avatar"] = avatar
            more = (meta.get("profile") or {}).get("more_info") if isinstance(meta.get("profile"), dict) else None
            if more:
                profile["location"] = " · ".join(plain(p) for p in re.split(r"</p>", str(more)) if plain(p))
        self.cv()

    def cv(self) -> None:
        if self.tree.exists("_data/cv.yml"):
            data = self.tree.yaml(self.tree.root / "_data/cv.yml")
            if isinstance(data, list):
                self.cv_yml(data)
        elif self.tree.exists("assets/json/resume.json"):
            self.resume_json("assets/json/resume.json")

    def cv_yml(self, sections: list) -> None:
        profile = self.site.profile
        for section in sections:
            if not isinstance(section, dict):
                continue
            title = str(section.get("title") or "")
            contents = section.get("contents") or []
            low = title.lower()
            if low.startswith("education") and isinstance(contents, list):
                profile["education"] = [self.timeline(c, "degree") for c in contents if isinstance(c, dict)]
            elif (low.startswith(("experience", "employment", "work", "positions", "research experience"))
                  and isinstance(contents, list)):
                profile.setdefault("experience", [])
                profile["experience"] += [self.timeline(c, "role") for c in contents if isinstance(c, dict)]
            elif any(w in low for w in ("award", "honor", "honour", "prize")) and isinstance(contents, list):
                profile.setdefault("awards", [])
                profile["awards"] += self.awards(contents)
            elif "skill" in low and isinstance(contents, list):
                profile["skills"] = self.skills(contents, title)
            elif section.get("type") == "map" and isinstance(contents, list):
                for item in contents:
                    if isinstance(item, dict) and str(item.get("name", "")).lower() == "languages":
                        profile.setdefault("skills", {})["Languages"] = [
                            s.strip() for s in str(item.get("value", "")).split(",") if s.strip()]
            else:
                self.report.note("_data/cv.yml", None, f"CV section '{title}' not carried over",
                                 "add it to profile.yml by hand (or as a page)")

    def awards(self, contents: list) -> list[dict]:
        """A 'time_table' of honours: each year's `items` (plain lines) or an entry with its own title."""
        out = []
        for c in contents:
            if not isinstance(c, dict):
                continue
            when = {"date": str(c["year"]).strip()} if c.get("year") else {}
            if isinstance(c.get("items"), list):
                out += [{"title": plain(i), **when} for i in c["items"] if plain(i)]
            elif plain(c.get("title")):
                award = {"title": plain(c.get("title")), **when}
                if plain(c.get("institution")):
                    award["awarder"] = plain(c.get("institution"))
                if plain(c.get("description")):
                    award["description"] = plain(c.get("description"))
                out.append(award)
        return out

    def timeline(self, item: dict, title_key: str) -> dict:
        out = {title_key: plain(item.get("title")) or "?", "organisation": plain(item.get("institution")) or "?"}
        start, _, end = str(item.get("year") or "").replace("–", "-").partition("-")
        if start.strip():
            out["start"] = start.strip()
        if end.strip() and end.strip().lower() not in ("now", "present", "today"):
            out["end"] = end.strip()
        elif not end.strip() and start.strip():
            out["end"] = start.strip()
        description = item.get("description")
        lines = []
        for d in description if isinstance(description, list) else [description] if description else []:
            if isinstance(d, dict):
                lines.append(f"- {plain(d.get('title'))}")
                lines += [f"  - {plain(x)}" for x in d.get("contents") or []]
            else:
                lines.append(f"- {plain(d)}")
        if lines:
            out["description"] = "\n".join(lines)
        return out

    def skills(self, contents: list, title: str) -> dict:
        out: dict = {}
        for item in contents:
            if isinstance(item, dict):
                name = plain(item.get("title") or item.get("name")) or title
                items = item.get("items") or item.get("value") or []
                out[name] = [plain(x) for x in items] if isinstance(items, list) else \
                    [s.strip() for s in str(items).split(",") if s.strip()]
            else:
                out.setdefault(title, []).append(plain(item))
        return out

    def resume_json(self, rel: str) -> None:
        """al-folio's JSON Resume, read as `mlfolio import jsonresume` reads it: what profile.yml has a place for
        and the site's own files (_config.yml, the about page, _projects/) have not given already."""
        from ..import_jsonresume import import_resume

        try:
            result = import_resume(self.tree.root / rel)
        except MlfolioError as exc:
            for p in exc.problems:
                self.report.note(rel, p.line, f"{p.message}; the CV was not imported", p.hint or "fix it, import again")
            return
        profile = self.site.profile
        for key, value in result.profile.items():
            if key == "avatar":
                value = self.static_path(str(value), rel)
            if key not in profile and value:
                profile[key] = value
            elif key in ("projects", "skills", "experience", "education"):
                self.report.note(rel, None, f"'{key}' left out: profile.yml's {key} come from the site's other files",
                                 "merge them by hand if they differ")
        for field in result.unmapped:
            self.report.note(rel, field.line, f"'{field.path}' has no place in profile.yml; not imported",
                             "copy what you need into profile.yml or a page")

    # -- news and notebooks ---------------------------------------------------------------------------------

    def write_news(self) -> None:
        news = []
        for path in self.tree.files("_news", DOC_EXTS):
            fm = self.tree.front_matter(path)
            if fm is None:
                continue
            rel = self.tree.rel(path)
            date = as_date(fm.meta.get("date"))
            if date is None:
                self.report.note(rel, None, "news item without a date; not imported", "add 'date:' and import again")
                continue
            ctx = Context(self.map, self.report, rel, "profile.yml", fm.body_line)
            body = " ".join(self.convert(fm.body, rel, "profile.yml", fm.body_line).split())
            title = plain(fm.meta.get("title"))
            if fm.meta.get("inline") is False and title:
                ctx.note(None, "news item with a page of its own: only its title was kept",
                         "turn it into a post if its text matters")
                text = title
            else:
                text = body or title
            if text:
                news.append({"date": date, "text": text})
                self.report.count("news")
        if news:
            self.site.profile["news"] = sorted(news, key=lambda n: n["date"], reverse=True)

    def write_notebooks(self) -> None:
        bodies = {self.tree.rel(p): fm.body for p, fm, _, _ in self.posts}
        dates = {self.tree.rel(p): d for p, _, _, d in self.posts}
        for path in self.tree.files("assets/jupyter", {".ipynb"}):
            text = self.tree.text(path)
            if text is None:
                continue
            rel = self.tree.rel(path)
            embedding = next((r for r, body in bodies.items() if path.name in body), None)
            date = dates[embedding] if embedding else dt.date.fromtimestamp(path.stat().st_mtime)
            title = _notebook_title(text) or path.stem.replace("_", " ").replace("-", " ").capitalize()
            nb = notebook_with_front_matter(text, title, date)
            if nb is None:
                self.report.note(rel, None, "notebook that is not valid JSON; not imported",
                                 "open and save it in Jupyter, then import again")
                continue
            self.site.add_text(f"posts/{date.isoformat()}-{slugify(path.stem)}.ipynb", nb)
            self.report.count("notebooks")


def _notebook_title(text: str) -> str:
    """The first Markdown heading of a notebook, as a post title."""
    m = re.search(r'"#\s+([^"\\]+?)\s*(?:\\n)?"', text)
    return m.group(1).strip() if m else ""


_D_CITE = re.compile(r"<d-cite\s+key=[\"']([^\"']+)[\"']\s*>\s*</d-cite>")
_D_FOOTNOTE = re.compile(r"<d-footnote>(.*?)</d-footnote>", re.S)


def distill_citations(body: str, ctx: Context) -> str:
    """Distill posts' <d-cite key="a,b"> become [@a; @b] (the keys the bibliography has; others stay text)."""
    return _D_CITE.sub(lambda m: ctx.citation([k.strip() for k in m.group(1).split(",") if k.strip()],
                                              ctx.line + body.count("\n", 0, m.start())), body)


def distill_footnotes(body: str) -> str:
    """Distill posts' <d-footnote> become Markdown footnotes."""
    notes: list[str] = []

    def footnote(m: re.Match) -> str:
        notes.append(" ".join(m.group(1).split()))
        return f"[^d{len(notes)}]"
    body = _D_FOOTNOTE.sub(footnote, body)
    if notes:
        body = body.rstrip() + "\n\n" + "\n".join(f"[^d{i}]: {text}" for i, text in enumerate(notes, 1)) + "\n"
    return body
