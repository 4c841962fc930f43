"""`mlfolio import jsonresume`: a JSON Resume (resume.json, what al-folio and many résumé tools keep) turned
into profile.yml. What has a place in profile.yml is kept; every field that has none is reported with its
file:line:col, so nothing is lost silently. A file that is not JSON, or not shaped like the schema, is an
error at the offending position, before anything is written."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import MlfolioError, Problem, Problems
from .schema import read_text

_ISO = re.compile(r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$")
TEXT, DATE, TEXTS = "text", "date", "texts"

# The JSON Resume schema (v1.0.0), as far as its types go: key → TEXT, DATE, TEXTS (list of text) or a nested
# mapping; a list of objects is [mapping]. Extra keys are allowed by the schema and reported as not imported.
_LOCATION = {"address": TEXT, "postalCode": TEXT, "city": TEXT, "countryCode": TEXT, "region": TEXT}
SCHEMA = {
    "basics": {"name": TEXT, "label": TEXT, "image": TEXT, "email": TEXT, "phone": TEXT, "url": TEXT,
               "summary": TEXT, "location": _LOCATION,
               "profiles": [{"network": TEXT, "username": TEXT, "url": TEXT}]},
    "work": [{"name": TEXT, "location": TEXT, "description": TEXT, "position": TEXT, "url": TEXT,
              "startDate": DATE, "endDate": DATE, "summary": TEXT, "highlights": TEXTS}],
    "volunteer": [{"organization": TEXT, "position": TEXT, "url": TEXT, "startDate": DATE, "endDate": DATE,
                   "summary": TEXT, "highlights": TEXTS}],
    "education": [{"institution": TEXT, "url": TEXT, "area": TEXT, "studyType": TEXT, "startDate": DATE,
                   "endDate": DATE, "score": TEXT, "courses": TEXTS}],
    "awards": [{"title": TEXT, "date": DATE, "awarder": TEXT, "summary": TEXT}],
    "certificates": [{"name": TEXT, "date": DATE, "url": TEXT, "issuer": TEXT}],
    "publications": [{"name": TEXT, "publisher": TEXT, "releaseDate": DATE, "url": TEXT, "summary": TEXT}],
    "skills": [{"name": TEXT, "level": TEXT, "keywords": TEXTS}],
    "languages": [{"language": TEXT, "fluency": TEXT}],
    "interests": [{"name": TEXT, "keywords": TEXTS}],
    "references": [{"name": TEXT, "reference": TEXT}],
    "projects": [{"name": TEXT, "description": TEXT, "highlights": TEXTS, "keywords": TEXTS, "startDate": DATE,
                  "endDate": DATE, "url": TEXT, "roles": TEXTS, "entity": TEXT, "type": TEXT}],
    "meta": {"canonical": TEXT, "version": TEXT, "lastModified": TEXT},
}
IGNORED = {"$schema", "meta"}            # about the file, not the person


@dataclass
class Unmapped:
    path: str                            # 'basics.phone', 'work[0].description'
    line: int | None
    col: int | None


@dataclass
class ImportResult:
    profile: dict                        # profile.yml as data
    counts: dict[str, int]               # section → entries imported
    unmapped: list[Unmapped] = field(default_factory=list)

    def yaml(self, source: str) -> str:
        head = (f"# Imported from {source} by `mlfolio import jsonresume` on {dt.date.today().isoformat()}.\n"
                "# Every key is described in mlfolio's README (profile.yml); the CV is /cv/.\n")
        return head + yaml.safe_dump(self.profile, sort_keys=False, allow_unicode=True, width=100)


def read_resume(path: Path) -> tuple[dict, dict[str, tuple[int, int]]]:
    """The JSON of a résumé and the line:col of each value by path; problems raise MlfolioError."""
    problems = Problems()
    if not path.exists() and not path.is_symlink():
        problems.error(path, None, None, "no such file", "give the path of the JSON Resume, e.g. resume.json")
        problems.raise_if_errors()
    text = read_text(path, problems)
    problems.raise_if_errors()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.error(path, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}",
                       "a JSON Resume is one JSON object; check commas, quotes and brackets near here")
        problems.raise_if_errors()
    except RecursionError:
        problems.error(path, None, None, "not a JSON Resume: nested too deeply", "export the résumé again")
        problems.raise_if_errors()
    positions = _positions(text)
    if not isinstance(data, dict):
        problems.error(path, *positions.get("", (1, 1)), f"not a JSON Resume: the file holds {_kind(data)}, "
                       "not an object", 'a JSON Resume starts with {"basics": {"name": …}, …}')
        problems.raise_if_errors()
    _check(data, SCHEMA, "", path, positions, problems)
    problems.raise_if_errors()
    return data, positions


def _positions(text: str) -> dict[str, tuple[int, int]]:
    """line:col of every value by path ('work[0].startDate'); JSON is YAML, and YAML nodes know where they are."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return {}
    out: dict[str, tuple[int, int]] = {}
    stack = [("", root)]
    while stack:
        where, node = stack.pop()
        if node is None:
            continue
        out[where] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for knode, vnode in node.value:
                key = f"{where}.{knode.value}" if where else str(knode.value)
                out[key + "#key"] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
                stack.append((key, vnode))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((f"{where}[{i}]", child) for i, child in enumerate(node.value))
    return out


def _kind(value) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {json.dumps(value[:40])}"
    return f"{json.dumps(value)}"


def _check(value, spec, where: str, path: Path, positions: dict, problems: Problems) -> None:
    """Types and date formats as the JSON Resume schema has them."""
    line, col = positions.get(where, (None, None))
    name = where or "the file"
    if isinstance(spec, list):
        if not isinstance(value, list):
            problems.error(path, line, col, f"'{name}' must be a list, got {_kind(value)}",
                           f'write it as "{where.rsplit(".", 1)[-1]}": [ … ]')
            return
        for i, item in enumerate(value):
            _check(item, spec[0], f"{where}[{i}]", path, positions, problems)
    elif isinstance(spec, dict):
        if not isinstance(value, dict):
            problems.error(path, line, col, f"'{name}' must be an object, got {_kind(value)}",
                           "write it as { \"key\": value, … } (see https://jsonresume.org/schema)")
            return
        for key, sub in spec.items():
            if key in value:
                _check(value[key], sub, f"{where}.{key}" if where else key, path, positions, problems)
    elif spec == TEXTS:
        _check(value, [TEXT], where, path, positions, problems)
    elif not isinstance(value, str):
        problems.error(path, line, col, f"'{name}' must be text, got {_kind(value)}", "put the value in quotes")
    elif spec == DATE and not _ISO.match(value):
        problems.error(path, line, col, f"'{name}' must be a date like 2021, 2021-03 or 2021-03-14, got "
                       f"{json.dumps(value[:40])}", "leave an end date out for a position you still hold")


def import_resume(path: Path) -> ImportResult:
    """profile.yml's data from a JSON Resume, and what did not fit."""
    data, positions = read_resume(path)
    unmapped: list[Unmapped] = []
    used: set[str] = set()

    def get(obj: dict, where: str, key: str, default=""):
        full = f"{where}.{key}" if where else key
        if key in obj and obj[key] not in ("", None, [], {}):
            used.add(full)
            return obj[key]
        return default

    basics = data.get("basics") or {}
    profile: dict = {"name": get(basics, "basics", "name") or "Your Name"}
    for key, target in (("label", "headline"), ("image", "avatar"), ("email", "email")):
        if get(basics, "basics", key):
            profile[target] = basics[key]
    location = basics.get("location") or {}
    parts = [get(location, "basics.location", k) for k in ("city", "region", "countryCode")]
    if any(parts):
        profile["location"] = ", ".join(p for p in parts if p)
    if get(basics, "basics", "summary"):
        profile["bio"] = basics["summary"]
    links = {}
    for i, prof in enumerate(basics.get("profiles") or []):
        where = f"basics.profiles[{i}]"
        network = get(prof, where, "network")
        value = get(prof, where, "url") or get(prof, where, "username")
        if prof.get("username") and str(prof["username"]) in value:
            used.add(f"{where}.username")            # the address already says it
        if network and value:
            links[re.sub(r"[^a-z0-9]+", "_", network.lower()).strip("_") or "link"] = value
        else:
            used.difference_update({f"{where}.url", f"{where}.username", f"{where}.network"})
    if get(basics, "basics", "url"):
        links.setdefault("website", basics["url"])
    if links:
        profile["links"] = links

    skills = {}
    for i, skill in enumerate(data.get("skills") or []):
        name = get(skill, f"skills[{i}]", "name")
        if name:
            skills[name] = list(get(skill, f"skills[{i}]", "keywords", []))
    if skills:
        profile["skills"] = skills

    def entries(section: str, build) -> list:
        out = []
        for i, item in enumerate(data.get(section) or []):
            where = f"{section}[{i}]"
            entry = build(item, where)
            if entry:
                out.append({k: v for k, v in entry.items() if v not in ("", None, [])})
            else:
                used.difference_update({u for u in used if u.startswith(where + ".")})
        return out

    def work(item, w):
        role, org = get(item, w, "position"), get(item, w, "name")
        return role and org and {"role": role, "organisation": org, "start": get(item, w, "startDate"),
                                 "end": get(item, w, "endDate"), "location": get(item, w, "location"),
                                 "url": get(item, w, "url"), "description": get(item, w, "summary"),
                                 "highlights": list(get(item, w, "highlights", []))}

    def education(item, w):
        degree = " ".join(p for p in (get(item, w, "studyType"), get(item, w, "area")) if p)
        org = get(item, w, "institution")
        notes = [f"Score: {get(item, w, 'score')}" if item.get("score") else "",
                 f"Courses: {', '.join(get(item, w, 'courses', []))}" if item.get("courses") else ""]
        return degree and org and {"degree": degree, "organisation": org, "start": get(item, w, "startDate"),
                                   "end": get(item, w, "endDate"), "url": get(item, w, "url"),
                                   "description": "\n\n".join(n for n in notes if n)}

    def service(item, w):
        role, org = get(item, w, "position"), get(item, w, "organization")
        bullets = "\n".join(f"- {h}" for h in get(item, w, "highlights", []))
        text = "\n\n".join(p for p in (get(item, w, "summary"), bullets) if p)
        return role and org and {"role": role, "organisation": org, "start": get(item, w, "startDate"),
                                 "end": get(item, w, "endDate"), "url": get(item, w, "url"), "description": text}

    def award(item, w):
        title = get(item, w, "title")
        return title and {"title": title, "awarder": get(item, w, "awarder"), "date": get(item, w, "date"),
                          "description": get(item, w, "summary")}

    def certificate(item, w):
        name = get(item, w, "name")
        return name and {"name": name, "issuer": get(item, w, "issuer"), "date": get(item, w, "date"),
                         "url": get(item, w, "url")}

    def language(item, w):
        name = get(item, w, "language")
        return name and {"language": name, "fluency": get(item, w, "fluency")}

    def project(item, w):
        title = get(item, w, "name")
        start = get(item, w, "startDate")
        return title and {"title": title, "description": get(item, w, "description"), "url": get(item, w, "url"),
                          "tags": list(get(item, w, "keywords", [])), "date": _full_date(start) if start else None}

    counts = {}
    for section, target, build in (("work", "experience", work), ("education", "education", education),
                                   ("awards", "awards", award), ("certificates", "certifications", certificate),
                                   ("volunteer", "service", service), ("languages", "languages", language),
                                   ("projects", "projects", project)):
        items = entries(section, build)
        if items:
            profile[target] = items
        counts[target] = len(items)
    counts["skills"] = len(skills)
    counts["links"] = len(links)

    _leaves(data, "", used, positions, unmapped)
    return ImportResult(profile, counts, unmapped)


def _full_date(value: str) -> dt.date:
    """A project's date is a calendar day: '2021-03' is read as 2021-03-01."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return dt.date(parts[0], 1, 1)


def _leaves(value, where: str, used: set[str], positions: dict, out: list[Unmapped]) -> None:
    """Every filled-in value of the résumé that did not make it into profile.yml, in file order."""
    if where in used or where in IGNORED or value in ("", None, [], {}):
        return
    if isinstance(value, dict):
        for key, sub in value.items():
            _leaves(sub, f"{where}.{key}" if where else key, used, positions, out)
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, sub in enumerate(value):
            _leaves(sub, f"{where}[{i}]", used, positions, out)
    else:
        out.append(Unmapped(where, *positions.get(where, (None, None))))


def write_profile(result: ImportResult, target: Path, source: str, force: bool) -> None:
    """Writes profile.yml; an existing one is kept unless `force`."""
    if target.exists() and not force:
        raise MlfolioError(Problem(str(target), None, None, "already exists: not replaced",
                                   "pass --force to replace it, or -o to write elsewhere"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.yaml(source), encoding="utf-8")


__all__ = ["ImportResult", "Unmapped", "import_resume", "read_resume", "write_profile", "SCHEMA"]
