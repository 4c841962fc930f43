"""`mlfolio cv --pdf`: build the site with its CV linking the PDF, then print /cv/ and each variant to PDF."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .common import add_build_flags, print_problems, subparser


def register(sub) -> None:
    p = subparser(
        sub, "cv", help="print the CV (/cv/ and its variants) to PDF with headless Chromium",
        description="Build the site, then print /cv/ and every cv.variants page to PDF with a headless Chromium "
        "or Chrome (found on PATH, or $MLFOLIO_CHROMIUM). The PDFs go into the output folder as cv.pdf and "
        "cv-NAME.pdf, and the CV pages link them ('Download PDF').",
        examples="  mlfolio cv --pdf\n  mlfolio cv mysite --pdf -o ~/Desktop/cv.pdf\n"
        "  MLFOLIO_CHROMIUM=/opt/chrome/chrome mlfolio cv mysite --pdf --offline")
    add_build_flags(p)
    p.add_argument("--pdf", action="store_true", help="print the CV pages to PDF (what this command does)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the CV's PDF here (variants beside it as FILE-NAME.pdf) instead of into the site")
    p.add_argument("--output-dir", metavar="DIR", help="the site's output folder (default: SITE_DIR/_site)")
    p.set_defaults(func=run, _parser=p)


def run(args: argparse.Namespace) -> int:
    from ..build import BuildOptions, Builder
    from ..cv import pdf_name
    from ..cvpdf import PrintJob, find_browser, print_pages

    if not args.pdf:
        args._parser.error("say what to make: mlfolio cv --pdf")
    browser = find_browser()                    # before building: a missing browser is the likely problem
    into_site = args.output is None
    builder = Builder(BuildOptions(
        site_dir=Path(args.site_dir), output=Path(args.output_dir) if args.output_dir else None, drafts=args.drafts,
        offline=args.offline, strict=args.strict, base_url=args.base_url, quiet=True, cv_pdf=into_site))
    result = builder.build()
    print_problems(result.warnings)
    names = ["", *builder.loaded.config.cv.variants]
    paths = {name: f"cv/{name}/" if name else "cv/" for name in names}
    paths = {name: path for name, path in paths.items() if (result.output / path / "index.html").is_file()}
    jobs = []
    for name, path in paths.items():
        if into_site:
            target = result.output / pdf_name(name)
        else:
            out = Path(args.output)
            target = out if not name else out.with_name(f"{out.stem}-{name}{out.suffix or '.pdf'}")
        jobs.append(PrintJob(path, target))
    print_pages(browser, result.output, builder.loaded.config.base_path, jobs)
    for job in jobs:
        shown = os.path.relpath(job.target)
        print(f"Wrote {shown if len(shown) < len(str(job.target)) else job.target}")
    if into_site:
        print("The CV pages link them as 'Download PDF'; a later 'mlfolio build' replaces the output folder, so "
              "run 'mlfolio cv --pdf' after it.", file=sys.stderr)
    return 0

