"""Shared by the import tests: build an imported site with --strict and check every internal link of the
output points at a file that exists."""
from __future__ import annotations

import io
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mlfolio.cli import main



def _image(fmt: str, size=(640, 400)) -> bytes:
    """A real image file (Pillow), as a site's assets hold: a gradient so it does not compress to nothing."""
    from PIL import Image

    im = Image.linear_gradient("L").resize(size).convert("RGB")
    buf = io.BytesIO()
    im.save(buf, fmt, quality=80) if fmt == "JPEG" else im.save(buf, fmt)
    return buf.getvalue()


PNG = _image("PNG", (16, 16))
JPEG = _image("JPEG")
GIF = _image("GIF", (120, 80))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def build_strict(site: Path, out: Path, capsys=None) -> Path:
    rc = main(["build", str(site), "--strict", "--offline", "-q", "-o", str(out)])
    if capsys is not None and rc:
        print(capsys.readouterr())
    assert rc == 0
    return out


def broken_links(out: Path, base_path: str = "/") -> list[str]:
    """Every href/src of every HTML page that points inside the site but at no file of the output."""
    broken = []
    for page in out.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        here = "/" + page.relative_to(out).parent.as_posix().strip(".") + "/"
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "data:")):
                continue
            path = unquote(parts.path)
            if not path:
                continue
            if not path.startswith("/"):
                path = posixpath.normpath(posixpath.join(base_path + here.lstrip("/"), path)) + \
                    ("/" if path.endswith("/") else "")
            assert path.startswith(base_path), f"{page}: {url} is outside the site's path {base_path}"
            rel = path[len(base_path):]
            file = out / rel / "index.html" if rel == "" or rel.endswith("/") else out / rel
            if not file.is_file():
                broken.append(f"{page.relative_to(out)}: {url}")
    return broken
