"""`mlfolio serve`: build, serve with live reload, rebuild on save, until Ctrl-C."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from ..errors import MlfolioError, Problem
from .common import add_build_flags, subparser


def register(sub) -> None:
    p = subparser(
        sub, "serve", help="preview the site with live reload",
        description="Build the site, serve it on http://127.0.0.1:8000/, rebuild what changed on every save and "
        "reload the open browser tabs. Build errors show in the page; the last good site stays served. "
        "Drafts are shown unless --no-drafts. The preview is built into SITE_DIR/.mlfolio-cache/serve/, never "
        "into _site/: that folder is what `mlfolio build` writes for deployment.",
        examples="  mlfolio serve\n  mlfolio serve mysite --port 0 --open\n  mlfolio serve mysite --no-drafts --offline")
    add_build_flags(p)
    p.add_argument("--no-drafts", dest="drafts", action="store_false", help="hide posts and pages with draft: true")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=port, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the site in the web browser")
    p.add_argument("-o", "--output", metavar="OUTPUT",
                   help="folder to build the preview into (default: SITE_DIR/.mlfolio-cache/serve)")
    p.set_defaults(func=run, drafts=True)


def port(text: str) -> int:
    """A TCP port number for argparse: 0 (any free one) to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0–65535; 0 picks a free one)")
    return value


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from ..serve import DevServer

    site_dir = Path(args.site_dir)
    if not (site_dir / "mlfolio.yml").is_file():
        raise MlfolioError(Problem(str(site_dir), None, None, "no mlfolio.yml here",
                                   "run mlfolio serve in a site folder, or create one with: mlfolio init mysite"))
    dev = DevServer(site_dir, host=args.host, port=args.port, drafts=args.drafts, offline=args.offline,
                    strict=args.strict, base_url=args.base_url, output=args.output)
    # Ctrl-C and SIGTERM both end serve_forever() through KeyboardInterrupt, then stop() joins the threads.
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        url = dev.bind()
        if args.host in ("", "0.0.0.0", "::", "::0"):
            print(f"warning: listening on all interfaces ({args.host or '0.0.0.0'}): anyone on your network can "
                  "read this preview; use --host 127.0.0.1 to keep it private", file=sys.stderr, flush=True)
        print(f"Drafts are {'shown' if args.drafts else 'hidden'} "
              f"({'--no-drafts hides them' if args.drafts else 'drop --no-drafts to show them'}).", flush=True)
        dev.start()
        shown = os.path.relpath(dev.output)
        shown = shown if len(shown) < len(str(dev.output)) else str(dev.output)
        dev.log(f"Serving {shown}/ at {url} (live reload on; Ctrl-C to stop)")   # the indexer may print too
        if args.open:
            import webbrowser
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        dev.serve_forever()
    except KeyboardInterrupt:
        pass                     # Ctrl-C during the first build or between the lines above
    finally:
        dev.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print("stopped", flush=True)
    return 0
