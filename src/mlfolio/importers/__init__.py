"""`mlfolio import`: a new mlfolio site from an al-folio, Jekyll or Hugo Academic site, with a report of what
arrived and what could not be converted. One module per kind of source (alfolio.py, jekyll.py, hugo.py); a new
kind is one more entry in KINDS and DETECTORS."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..errors import MlfolioError, Problem
from ..paths import CACHE_DIR
from .files import SourceTree
from .output import NewSite, check_target
from .report import Report

KINDS = {"al-folio": "alfolio:AlFolioImporter", "jekyll": "jekyll:JekyllImporter",
         "hugo-academic": "hugo:HugoImporter"}


def _is_hugo(root: Path) -> bool:
    configs = ("hugo.toml", "hugo.yaml", "config.toml", "config.yaml")
    return (root / "config" / "_default").is_dir() or ((root / "content").is_dir() and
                                                       any((root / c).is_file() for c in configs))


def _is_alfolio(root: Path) -> bool:
    marks = ("_news", "_projects", "_bibliography", "_data/cv.yml", "_data/socials.yml", "_includes/figure.liquid")
    return (root / "_config.yml").is_file() and any((root / m).exists() for m in marks)


def _is_jekyll(root: Path) -> bool:
    return (root / "_config.yml").is_file() or (root / "_config.yaml").is_file() or (root / "_posts").is_dir()


DETECTORS = (("hugo-academic", _is_hugo), ("al-folio", _is_alfolio), ("jekyll", _is_jekyll))


def detect(root: Path) -> str | None:
    """The kind of site in `root`, or None."""
    return next((kind for kind, test in DETECTORS if test(root)), None)


def import_site(source: Path, target: Path, kind: str | None = None, force: bool = False,
                check: bool = True) -> Report:
    """Reads `source` (never writing to it), writes the new site into `target`, and checks that it builds with
    --strict (the report says why when it does not)."""
    if not source.is_dir():
        raise MlfolioError(Problem(str(source), None, None, "no such folder", "give the folder of the site to import"))
    check_target(target, force)
    kind = kind or detect(source)
    if kind is None:
        raise MlfolioError(Problem(str(source), None, None, "not an al-folio, Jekyll or Hugo Academic site (no "
                                   "_config.yml, _posts/, config/_default/ or content/ here)",
                                   "give the site's top folder, or say what it is with --from"))
    report = Report(kind)
    module, cls = KINDS[kind].split(":")
    importer_cls = getattr(__import__(f"{__name__}.{module}", fromlist=[cls]), cls)
    site = NewSite()
    importer_cls(SourceTree(source, report, skip=target), site, report).run()
    try:
        site.write(target, force)
    except OSError as exc:
        raise MlfolioError(Problem(str(exc.filename or target), None, None, f"cannot write the new site: "
                                   f"{exc.strerror or exc}", "choose a folder you can write to")) from None
    if check:
        report.build = build_problems(target)
    return report


def build_problems(site_dir: Path) -> list[str]:
    """What stops the imported site from building with --strict ([] when it builds), without leaving a build
    or a cache behind."""
    from ..build import BuildOptions, build_site

    had_cache = (site_dir / CACHE_DIR).exists()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            build_site(BuildOptions(site_dir=site_dir, output=Path(tmp) / "out", strict=True, offline=True, quiet=True))
            problems = []
        except MlfolioError as exc:
            problems = [str(p) for p in exc.problems]
    if not had_cache:
        shutil.rmtree(site_dir / CACHE_DIR, ignore_errors=True)
    return problems
