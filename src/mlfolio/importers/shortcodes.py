"""Hugo shortcodes to Markdown: `{{< figure >}}` becomes an image with its caption as title, `{{< math >}}` is
unwrapped, `{{< cite >}}` becomes a Pandoc citation `[@key]`, callouts become quotes and spoilers <details>;
the rest is removed (a paired shortcode keeps its content) and noted at its line."""
from __future__ import annotations

import re

from .links import Context

_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w.-]+)(.*?)\s*[>%]\}\}", re.S)
_ARG = re.compile(r"([\w-]+)\s*=\s*(?:\"((?:[^\"\\]|\\.)*)\"|`([^`]*)`|(\S+))|\"((?:[^\"\\]|\\.)*)\"|(\S+)")
_CALLOUTS = {"callout", "alert", "admonition", "notice"}
_DROPPED = {"toc", "icon", "hl", "comment"}


def _args(text: str) -> tuple[list[str], dict[str, str]]:
    positional, named = [], {}
    for m in _ARG.finditer(text):
        if m.group(1):
            value = next(g for g in (m.group(2), m.group(3), m.group(4)) if g is not None)
            named[m.group(1)] = _unescape(value) if m.group(2) is not None else value
        else:
            positional.append(_unescape(m.group(5)) if m.group(5) is not None else m.group(6))
    return positional, named


def _unescape(text: str) -> str:
    """A Go string's backslash escapes (\\" inside "…")."""
    return re.sub(r"\\(.)", r"\1", text)


def _alt(text: str) -> str:
    return re.sub(r"<[^>]+>|[\[\]*_`]", "", text).replace("\n", " ").strip()


def convert(body: str, ctx: Context, cite_keys: dict[str, str], refs: dict[str, str]) -> str:
    """`cite_keys`: publication folder name -> its BibTeX key; `refs`: old content path -> new file."""
    out, pos, refs_open = [], 0, []
    while m := _SHORTCODE.search(body, pos):
        out.append(body[pos:m.start()])
        pos = m.end()
        line = ctx.line + body.count("\n", 0, m.start())
        closing, name = m.group(2) == "/", m.group(3)
        if closing:
            out.append(f"]({refs_open.pop()})" if name == "staticref" and refs_open else _CLOSERS.get(name, ""))
            continue
        positional, named = _args(m.group(4))
        if name == "staticref":               # {{< staticref "uploads/cv.pdf" >}}text{{< /staticref >}}: a link
            path = positional[0] if positional else named.get("url", "")
            refs_open.append(ctx.static_url(path) or "/" + path.lstrip("/"))
            out.append("[")
            continue
        out.append(_open(name, positional, named, line, ctx, cite_keys, refs))
    out.append(body[pos:])
    return "".join(out)


_CLOSERS = {"spoiler": "\n\n</details>\n", "toggle": "\n\n</details>\n", "details": "\n\n</details>\n"}


def _open(name, positional, named, line, ctx: Context, cite_keys, refs) -> str:
    if name == "figure":
        src = named.get("src", "")
        if named.get("library") in ("true", "1") and not src.startswith(("/", "http")):
            src = "media/" + src
        caption = named.get("caption") or named.get("title") or ""
        alt = named.get("alt") or _alt(caption) or src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        url = ctx.static_url(src) or src
        title = ' "' + caption.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"' if caption else ""
        return f"\n\n![{_alt(alt)}]({url}{title})\n\n"
    if name in ("math", "katex"):
        return ""
    if name == "cite":
        page = named.get("page", "").rstrip("/").rsplit("/", 1)[-1]
        key = cite_keys.get(page)
        if key:
            return f"[@{key}]"
        ctx.note(line, f"{{{{< cite page=\"{named.get('page', '')}\" >}}}}: no such publication", "cite it by hand")
        return ""
    if name in _CALLOUTS:
        kind = (positional[0] if positional else named.get("type", "note")).capitalize()
        ctx.note(line, f"'{name}' shortcode became a quote starting with **{kind}:**",
                 "restyle it if the quote does not read well")
        return f"\n> **{kind}:** "
    if name in ("spoiler", "toggle", "details"):
        summary = named.get("text") or named.get("summary") or named.get("title") or "Details"
        return f"<details><summary>{_alt(summary)}</summary>\n\n"
    if name in ("youtube", "vimeo"):
        vid = named.get("id") or (positional[0] if positional else "")
        url = f"https://www.youtube.com/watch?v={vid}" if name == "youtube" else f"https://vimeo.com/{vid}"
        return f"[▶ Video]({url})" if vid else ""
    if name in ("ref", "relref"):
        target = (positional[0] if positional else "").strip("/")
        found = refs.get(target) or refs.get(target.removesuffix("/index.md").removesuffix(".md"))
        if found:
            return ctx.link_to(found)
        ctx.note(line, f"{{{{< {name} \"{target}\" >}}}}: not an imported post or page", "fix the link by hand")
        return ""
    if name in ("gist", "tweet", "x"):
        ctx.note(line, f"'{name}' shortcode removed", "link to it instead")
        return ""
    if name in _DROPPED:
        if name != "toc":
            ctx.note(line, f"'{name}' shortcode removed", "mlfolio has no such element")
        return ""
    ctx.note(line, f"'{name}' shortcode removed (its content, if any, kept)",
             "write what it showed as Markdown or HTML")
    return ""
