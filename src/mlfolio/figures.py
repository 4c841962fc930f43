"""Images and figures in documents: the attribute block after an image (`![a](x.png){#fig-x .invert
caption="…" width=60%}`), the <img> and <figure> HTML, and what is read from the image file itself: its
width and height (no layout shift while it loads) and a dark variant beside it (`x.dark.png`).

The Markdown renderer cannot know these (it sees the text, and its output is cached by text), so a local
image is written when links are resolved, on every build: an edited image always gets its new size.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from .readers import Image

# `{…}` right after an image, in the UTF-8 source (the parser's offsets count bytes); quoted values may hold
# braces and spaces (a caption with $\frac{a}{b}$)
ATTRIBUTES = re.compile(rb"""\{((?:[^{}"'\n]|"[^"\n]*"|'[^'\n]*')*)\}""")
_TOKEN = re.compile(r"""\s*(?:#([^\s#.{}"'=]+)|\.([A-Za-z_][\w-]*)|([A-Za-z][\w-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+))""")
_WIDTH = re.compile(r"^(\d+(?:\.\d+)?)(%|px|em|rem|ch)?$")
KEYS = ("caption", "width")
SIZED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff", ".ico", ".svg"}
DARK = ".dark"                 # fig.png's dark variant is fig.dark.png


@dataclass
class Attributes:
    """What an attribute block after an image asks for."""

    id: str = ""
    classes: list[str] = field(default_factory=list)
    caption: str | None = None
    width: str = ""
    problems: list[str] = field(default_factory=list)


def parse_attributes(text: str) -> Attributes:
    """`#id .class key=value key="quoted value"` (Pandoc's and Quarto's form); unknown keys are problems."""
    found = Attributes()
    at = 0
    while at < len(text):
        m = _TOKEN.match(text, at)
        if m is None:
            if text[at:].strip():
                found.problems.append(f"cannot read '{text[at:].strip()}' in the image's {{…}}")
            break
        at = m.end()
        ident, cls, key, value = m.groups()
        if ident:
            found.id = ident
        elif cls:
            found.classes.append(cls)
        else:
            value = value[1:-1] if value[:1] in "\"'" else value
            if key == "caption":
                found.caption = value
            elif key == "width" and _WIDTH.match(value):
                number, unit = _WIDTH.match(value).groups()
                found.width = number + (unit or "px")
            elif key == "width":
                found.problems.append(f"image width '{value}' is not a size like 60% or 320px")
            else:
                found.problems.append(f"unknown image attribute '{key}'")
    return found


def img_html(src: str, image: Image, size: tuple[int, int] | None = None,
             dark: tuple[str, tuple[int, int] | None] | None = None, srcset: str = "", sizes: str = "") -> str:
    """An <img> of the URL `src`; with a dark variant (url, size), a <picture> whose <source> the browser
    takes in a dark colour scheme (theme.js points it at the reader's own choice of theme); a feed reader
    or a page without the theme sees the plain image."""
    tag = _img(src, image, size, lazy=not image.eager, srcset=srcset, sizes=sizes)
    if dark is None:
        return tag
    dark_src, dark_size = dark
    dims = f' width="{dark_size[0]}" height="{dark_size[1]}"' if dark_size else ""
    srcset = escape(dark_src.replace(",", "%2C"))        # a comma would split the srcset list
    return (f'<picture><source srcset="{srcset}" media="(prefers-color-scheme: dark)" data-dark{dims}>'
            f"{tag}</picture>")


def _img(src: str, image: Image, size, lazy: bool, srcset: str = "", sizes: str = "") -> str:
    out = [f'<img src="{escape(src)}" alt="{escape(image.alt)}"']
    if srcset:
        out.append(f' srcset="{escape(srcset)}" sizes="{escape(sizes)}"')
    if image.title:
        out.append(f' title="{escape(image.title)}"')
    if image.id:
        out.append(f' id="{escape(image.id)}"')
    if image.classes:
        out.append(f' class="{escape(" ".join(image.classes))}"')
    if size:
        out.append(f' width="{size[0]}" height="{size[1]}"')
    if image.width:
        out.append(f' style="width:{image.width}"')
    out.append(' loading="lazy" decoding="async" />' if lazy else ' decoding="async" />')
    return "".join(out)


def figure_tags(ident: str, classes, caption_html: str) -> tuple[str, str]:
    """What goes before and after a figure's image (it takes the place of a paragraph, never inside one)."""
    attrs = (f' id="{escape(ident)}"' if ident else "") + (f' class="{escape(" ".join(classes))}"' if classes else "")
    return f"<figure{attrs}>", f"<figcaption>{caption_html}</figcaption></figure>\n"


def dark_variant(target: str) -> str:
    """Where an image's dark variant would be: 'posts/x/fig.png' → 'posts/x/fig.dark.png'."""
    stem, ext = os.path.splitext(target)
    return f"{stem}{DARK}{ext}"


_SIZES: dict[tuple, tuple[tuple[int, int] | None, str]] = {}


def size_of(path: Path) -> tuple[tuple[int, int] | None, str]:
    """(width, height) of an image file from its header, and why not when it cannot be read. Remembered by
    path, size and modification time, so serve's rebuilds read an image again only when it changed."""
    ext = path.suffix.lower()
    if ext not in SIZED:
        return None, ""
    try:
        st = path.stat()
    except OSError:
        return None, ""
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _SIZES:
        _SIZES[key] = _read_size(path, ext)
    return _SIZES[key]


def _read_size(path: Path, ext: str) -> tuple[tuple[int, int] | None, str]:
    import imagesize
    try:
        width, height = imagesize.get(str(path))
    except Exception as exc:  # noqa: BLE001 - imagesize raises many types for broken files
        width, height, why = -1, -1, f"{type(exc).__name__}: {exc}"
    else:
        why = "not a readable image"
    if width > 0 and height > 0:
        return (round(width), round(height)), ""
    if ext == ".svg":            # an SVG without a fixed size scales to its box: nothing to say
        return None, ""
    return None, f"size of '{path.name}' could not be read ({why})"


__all__ = ["Attributes", "dark_variant", "figure_tags", "img_html", "parse_attributes", "size_of"]
