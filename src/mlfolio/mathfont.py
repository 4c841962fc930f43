"""The math font, cut down to what the site's formulas use: a built site ships a subset of Noto Sans Math (≈15 KB
instead of 315 KB) with its OpenType MATH table, so stretchy delimiters and large operators still have their
variants. The characters come from every written page (any template's or plugin's route): the render workers
note them in each page's record, so a page reused from the last build still counts; a post-build step cuts the
font once they are all known.

The subset is named by its content (`NotoSansMath.<hash>.woff2`) and math.css is pointed at it, so a browser
never pairs an old subset with a new page. `mlfolio serve` keeps the whole font (nothing to download locally,
and a new formula must not wait for a new subset); so does a site without fontTools or with its own math.css.
"""
from __future__ import annotations

import hashlib
import html
import io
import os
import re
import unicodedata
from pathlib import Path

from .paths import CACHE_DIR

CSS = "assets/math/math.css"
FONT = "assets/math/NotoSansMath.woff2"
VERSION = "1"                              # of the subsetting below: part of the cache key
_URL = re.compile(r'url\("NotoSansMath(?:\.[0-9a-f]{12})?\.woff2"\)')
_MATH = re.compile(rb"<math\b.*?</math>", re.S)
_TAG = re.compile(rb"<[^>]*>")
_RADICAL = re.compile(rb"<m(?:sqrt|root)\b")
# Letters MathML Core draws in their italic form (a one-letter <mi>), beyond what the plain name mapping finds
_ITALIC_SPECIAL = {"h": "\u210e", "\u0131": "\U0001d6a4", "\u0237": "\U0001d6a5", "\u2202": "\U0001d715",
                   "\u2207": "\U0001d6fb", "\u03f5": "\U0001d716", "\u03d1": "\U0001d717", "\u03f0": "\U0001d718",
                   "\u03d5": "\U0001d719", "\u03f1": "\U0001d71a", "\u03d6": "\U0001d71b"}
_ITALIC_NAMES = (("LATIN CAPITAL LETTER ", "MATHEMATICAL ITALIC CAPITAL "),
                 ("LATIN SMALL LETTER ", "MATHEMATICAL ITALIC SMALL "),
                 ("GREEK CAPITAL LETTER ", "MATHEMATICAL ITALIC CAPITAL "),
                 ("GREEK SMALL LETTER ", "MATHEMATICAL ITALIC SMALL "))


def subset_math_font(site, folder: Path) -> None:
    """Post-build step: writes the subset beside the full font and points math.css at it, or back at the full
    font when there is no subset to make (math.css may be a hard link to an older output's rewritten copy)."""
    css_path, font_path = folder / CSS, folder / FONT
    if not css_path.is_file() or not font_path.is_file():
        return
    css = css_path.read_text(encoding="utf-8", errors="replace")
    if len(_URL.findall(css)) != 1:          # a site's own math.css: left as it is
        return
    name = font_path.name
    if site.preview:
        chars: set[str] = set()
    else:                                     # the build collects them while rendering; else read the pages
        chars = site.math_characters if site.math_characters is not None else math_characters(folder)
    data = subset_font(font_path.read_bytes(), chars, site.site_dir / CACHE_DIR / "fonts") if chars else None
    if data is not None:
        name = f"NotoSansMath.{hashlib.blake2b(data, digest_size=6).hexdigest()}.woff2"
        _write(font_path.with_name(name), data)
    pointed = _URL.sub(f'url("{name}")', css)
    if pointed != css:
        _write(css_path, pointed.encode())


def math_characters(folder: Path) -> set[str]:
    """The characters of every page's formulas, read from the pages in `folder` (see `page_characters`)."""
    chars: set[str] = set()
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "pagefind"]
        for name in files:
            if name.endswith(".html"):
                data = (Path(root) / name).read_bytes()
                if b"<math" in data:
                    chars.update(page_characters(data))
    return chars


def page_characters(page: bytes) -> str:
    """Every character inside <math> on one page, plus the forms MathML draws that are not in the text: the
    italic letters of one-letter <mi> and the radical sign of <msqrt>/<mroot>. Sorted, as a string."""
    chars: set[str] = set()
    for segment in set(_MATH.findall(page)):
        chars.update(html.unescape(_TAG.sub(b"", segment).decode("utf-8", "replace")))
        if _RADICAL.search(segment):
            chars.add("\u221a")
    chars.update(filter(None, map(italic_form, list(chars))))
    return "".join(sorted(chars))


def italic_form(char: str) -> str | None:
    """The Mathematical Italic letter MathML Core shows for `char` alone in an <mi> (x → 𝑥), if it has one."""
    if char in _ITALIC_SPECIAL:
        return _ITALIC_SPECIAL[char]
    name = unicodedata.name(char, "")
    for plain, italic in _ITALIC_NAMES:
        if name.startswith(plain):
            try:
                return unicodedata.lookup(italic + name[len(plain):])
            except KeyError:
                return None
    return None


def subset_font(font: bytes, chars: set[str], cache: Path) -> bytes | None:
    """The WOFF2 subset of `font` for `chars`, with every glyph the MATH and layout tables reach from them;
    kept in `cache` by content so an unchanged site pays nothing. None without fontTools or for a font it
    cannot read (the page then keeps the whole font)."""
    try:
        import fontTools
        from fontTools import subset
    except ImportError:
        return None
    key = hashlib.blake2b(font, digest_size=16)
    key.update("".join(sorted(chars)).encode("utf-8", "surrogatepass"))
    key.update(f"{VERSION}:{fontTools.version}".encode())
    cached = cache / f"{key.hexdigest()}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]          # ssty (script sizes), ss01 (\mathcal) and the rest
    options.hinting = False
    options.notdef_outline = True
    try:
        loaded = subset.load_font(io.BytesIO(font), options, dontLoadGlyphNames=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=_same_glyphs(loaded.getBestCmap(), set(map(ord, chars))))
        subsetter.subset(loaded)
        out = io.BytesIO()
        subset.save_font(loaded, out, options)
    except Exception:  # noqa: BLE001 - a font fontTools cannot cut is shipped whole, never a failed build
        return None
    data = out.getvalue()
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("*.woff2"):
        old.unlink(missing_ok=True)
    _write(cached, data)
    return data


def _same_glyphs(cmap: dict[int, str], wanted: set[int]) -> list[int]:
    """`wanted` plus every code point drawn with the same glyphs (ℎ is also U+1D629): FreeType's auto-hinter
    picks a glyph's script by the code points that reach it, so losing one changes how the glyph is snapped."""
    glyphs = {cmap[c] for c in wanted if c in cmap}
    return sorted(wanted | {c for c, g in cmap.items() if g in glyphs})


def _write(path: Path, data: bytes) -> None:
    """A new file in place of the old: the old one may be a hard link into the previous output."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
