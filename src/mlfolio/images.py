"""Responsive images: WebP variants of a site's own raster images at a few widths, so a phone downloads a
480-pixel file instead of a 3,000-pixel PNG; and a PNG social card for posts whose image is an SVG (social
sites ignore SVG). Variants are kept in .mlfolio-cache/images by a hash of the image and the settings, so a
clean build with a warm cache, and every serve rebuild, encode nothing."""
from __future__ import annotations

import hashlib
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .schema import opt

RESIZABLE = {".png", ".jpg", ".jpeg", ".webp"}       # GIFs may move, SVGs scale by themselves
SIZES = "(min-width: 50rem) 46rem, 100vw"            # a post's text column, else the screen
_LOCK = threading.Lock()


@dataclass
class ImageSettings:
    optimize: bool = opt(True, "Make WebP variants of local PNG/JPEG/WebP images for `srcset` (originals are kept).")
    widths: list[int] = opt([480, 960, 1600], "Widths of the variants, in pixels (only those narrower than the original).", min=16, max=8000)
    quality: int = opt(80, "WebP quality of the variants, 1–100.", min=1, max=100)


@dataclass
class Variant:
    width: int
    name: str          # file name beside the original: 'fig-480w-1a2b3c.webp'
    source: Path       # the encoded file in the cache


def variants(path: Path, size: tuple[int, int], settings: ImageSettings, cache: Path) -> tuple[list[Variant], str]:
    """The WebP variants of the image at `path` (made once, then taken from the cache), and a problem ('' when
    none): an image Pillow cannot open is published as it is, with a warning."""
    if not settings.optimize or path.suffix.lower() not in RESIZABLE:
        return [], ""
    widths = sorted({w for w in settings.widths if w < size[0]})
    if not widths:
        return [], ""
    try:
        digest = _digest(path)
    except OSError as exc:
        return [], f"'{path.name}' could not be read ({exc.strerror or exc})"
    stem = path.stem
    out = [Variant(w, f"{stem}-{w}w-{digest[:6]}.webp", cache / f"{digest}-{w}-q{settings.quality}.webp")
           for w in widths]
    missing = [v for v in out if not v.source.is_file()]
    if missing:
        why = _encode(path, missing, settings.quality)
        if why:
            return [], why
    return out, ""


def srcset(url: str, found: list[Variant], size: tuple[int, int]) -> str:
    """`srcset` of an image published at `url`: its variants beside it, and the original at full width."""
    folder = url.rpartition("/")[0]
    pairs = [(f"{folder}/{quote(v.name)}", v.width) for v in found] + [(url, size[0])]
    return ", ".join(f"{u.replace(',', '%2C')} {w}w" for u, w in pairs)      # a comma would split the list


def social_png(svg: Path, cache: Path) -> tuple[Path | None, str]:
    """A 1200-pixel-wide PNG of an SVG social image (cached), or (None, why) — resvg renders it when installed."""
    try:
        digest = _digest(svg)
    except OSError as exc:
        return None, f"'{svg.name}' could not be read ({exc.strerror or exc})"
    target = cache / f"{digest}-social.png"
    if target.is_file():
        return target, ""
    try:
        import resvg_py
    except ImportError:
        return None, "social sites ignore SVG images, and resvg is not installed to make a PNG of it"
    try:
        data = bytes(resvg_py.svg_to_bytes(svg_path=str(svg), width=1200))
    except Exception as exc:  # noqa: BLE001 - resvg reports broken SVG in many ways
        return None, f"'{svg.name}' could not be rendered as PNG ({type(exc).__name__})"
    _store(target, data)
    return target, ""


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=12)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _encode(path: Path, wanted: list[Variant], quality: int) -> str:
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:
        return "Pillow is not installed, so no smaller variants were made (pip install pillow)"
    try:
        with Image.open(path) as im:
            im.load()
            if im.mode not in ("RGB", "RGBA"):
                im = im.convert("RGBA" if "A" in im.getbands() or im.info.get("transparency") is not None else "RGB")
            for v in wanted:
                height = max(1, round(im.height * v.width / im.width))
                small = im.resize((v.width, height), Image.Resampling.LANCZOS)
                buf = io.BytesIO()
                small.save(buf, "WEBP", quality=quality, method=4)
                _store(v.source, buf.getvalue())
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as exc:
        return f"'{path.name}' could not be resized ({type(exc).__name__}); it is published as it is"
    return ""


def _store(target: Path, data: bytes) -> None:
    with _LOCK:
        target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
