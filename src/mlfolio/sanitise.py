"""Markup from untrusted places made safe to publish: a notebook's HTML, Markdown and SVG outputs come from
whatever code ran (a scraped page, a library's widget), so they never reach a page as they are.

HTML goes through nh3 (the Rust `ammonia` sanitiser): no script, style element, event handler, form, frame or
`javascript:` URL survives; tables keep the markup and classes pandas gives them, inline styles keep only
properties that colour or align text (nothing that positions, sizes or hides). SVG, published as a file and
shown with <img>, is cleaned element by element, since opening the file itself would run its scripts.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_TAGS = ({"a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
          "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
          "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
          "samp", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
          "th", "thead", "tr", "tt", "u", "ul", "var", "wbr"})
_ATTRIBUTES = {
    "*": {"style", "title", "lang", "dir"},
    "a": {"href", "hreflang"}, "img": {"alt", "src", "width", "height"}, "ol": {"start"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "col": {"span"}, "colgroup": {"span"}, "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
}
_STYLE_PROPERTIES = {"color", "background-color", "font-weight", "font-style", "text-align", "vertical-align",
                     "text-decoration", "white-space"}
_CLASSES = {"table": {"dataframe"}}            # pandas' DataFrame.to_html: the class the theme styles
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.I)
_cleaner = None


def _filter(tag: str, attr: str, value: str) -> str | None:
    """Data URLs only as raster images in <img>; nh3 has already removed every other dangerous scheme."""
    if attr in ("src", "href", "cite") and value.lstrip()[:5].lower() == "data:":
        return value if tag == "img" and attr == "src" and _DATA_IMAGE.match(value.strip()) else None
    return value


def clean_html(html: str) -> str:
    """Untrusted HTML as HTML a page can show."""
    global _cleaner
    if _cleaner is None:
        import nh3
        _cleaner = nh3.Cleaner(tags=_TAGS, clean_content_tags={"script", "style", "textarea", "title", "noscript",
                                                               "template", "iframe", "object", "svg", "math"},
                               attributes=_ATTRIBUTES, attribute_filter=_filter, allowed_classes=_CLASSES,
                               filter_style_properties=_STYLE_PROPERTIES,
                               url_schemes={"http", "https", "mailto", "data"})
    return _cleaner.clean(html)


SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_SVG_DROP = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener", "set", "animate",
             "animateMotion", "animateTransform", "animateColor", "discard", "audio", "video", "canvas"}
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.I)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!#)[^)]*\)", re.I)
_CSS_BAD = re.compile(r"expression\s*\(|javascript:|behavior\s*:|-moz-binding", re.I)


class UnsafeSvg(ValueError):
    """The SVG cannot be made safe (not XML, entity declarations, not an <svg> root)."""


def _css(text: str) -> str:
    text = _CSS_URL.sub("none", _CSS_IMPORT.sub("", text))
    return "" if _CSS_BAD.search(text) else text


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def clean_svg(svg: str) -> str:
    """Untrusted SVG without scripts, event handlers, foreign HTML, animations that could set links, or
    references outside itself (only `#fragment` links and raster data images stay)."""
    if "<!ENTITY" in svg or "<!entity" in svg:
        raise UnsafeSvg("it declares XML entities")
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"it is not well-formed XML ({exc})") from None
    if _local(root.tag) != "svg":
        raise UnsafeSvg(f"its root element is <{_local(root.tag)}>, not <svg>")
    if root.tag == "svg":                      # no namespace: an <img> would not show it
        for element in root.iter():
            if isinstance(element.tag, str) and "}" not in element.tag:
                element.tag = f"{{{SVG}}}{element.tag}"
    _clean_element(root)
    return ET.tostring(root, encoding="unicode")


def _clean_element(element) -> None:
    for child in list(element):
        if not isinstance(child.tag, str) or _local(child.tag) in _SVG_DROP:
            element.remove(child)
            continue
        _clean_element(child)
    for name in list(element.attrib):
        local, value = _local(name).lower(), element.attrib[name]
        if local.startswith("on") or name.startswith("{http://www.w3.org/XML/1998/namespace}base"):
            del element.attrib[name]
        elif local in ("href", "src") and not (value.startswith("#") or _DATA_IMAGE.match(value.strip())):
            del element.attrib[name]
        elif local == "style":
            element.attrib[name] = _css(value)
        elif "javascript:" in value.lower().replace(" ", ""):
            del element.attrib[name]
    if _local(element.tag) == "style" and element.text:
        element.text = _css(element.text)


__all__ = ["clean_html", "clean_svg", "UnsafeSvg"]
