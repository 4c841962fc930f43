"""Jekyll bodies to plain Markdown: Liquid tags and outputs (figure includes, `{% link %}`, `{% post_url %}`,
`{% highlight %}`, `{% raw %}`, `{{ site.baseurl }}`), kramdown's `{:toc}` and attribute lists, and the
Bootstrap `<div class="row">` wrappers al-folio puts around figures. What cannot become Markdown is removed
and noted at its line (the first passes keep the body's line count, so notes point at source lines)."""
from __future__ import annotations

import re

from .links import Context

_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}|\{\{-?(.*?)-?\}\}", re.S)
_PARAM = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+))")
_IAL = re.compile(r"\{:\s*(?:[.#]?[\w-]+(?:=(?:\"[^\"]*\"|'[^']*'|\S+))?\s*)+\}")
_TOC_LINE = re.compile(r"^\s*\{:\s*\.?toc\s*\}\s*$")
_TOC_PLACEHOLDER = re.compile(r"^\s*[*-]\s+\S")      # the list item kramdown replaces with the toc
_DIV_LINE = re.compile(r"^\s*(<div\b[^>]*>|</div>)\s*$", re.I)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_NOMARKDOWN = re.compile(r"\{::nomarkdown\}(.*?)\{:/(?:nomarkdown)?\}", re.S)
_LOGIC = {"if", "elsif", "else", "endif", "unless", "endunless", "for", "endfor", "case", "when", "endcase",
          "break", "continue", "cycle", "increment", "decrement", "tablerow", "endtablerow"}
_FIGURES = ("figure.liquid", "figure.html", "figure")
_MEDIA = ("video.liquid", "video.html", "audio.liquid", "audio.html", "video")
_SILENT_INCLUDES = {"base_path", "toc", "toc.html"}   # set a variable, or draw the table of contents mlfolio has
_FILTERS = {"relative_url", "absolute_url", "prepend: site.baseurl", "prepend:site.baseurl", "prepend: site.url"}


def convert(body: str, ctx: Context) -> str:
    """The whole body, converted; notes go to ctx.report at source lines."""
    body = _nomarkdown(body, ctx)
    body = _kramdown_and_layout(body, ctx)
    return _liquid(body, ctx)


def _line(text: str, pos: int, ctx: Context) -> int:
    return ctx.line + text.count("\n", 0, pos)


def _keep_lines(original: str, new: str) -> str:
    """`new`, padded with newlines so the body keeps the line count of `original`."""
    missing = original.count("\n") - new.count("\n")
    return new + "\n" * missing if missing > 0 else new


def _nomarkdown(body: str, ctx: Context) -> str:
    """`{::nomarkdown}` blocks hold HTML; al-folio's notebook embed lives in one and becomes a pointer."""
    def one(m: re.Match) -> str:
        inner = m.group(1)
        if "jupyter_notebook" in inner:
            path = re.search(r"['\"]([^'\"]+\.ipynb)['\"]", inner)
            name = path.group(1).rsplit("/", 1)[-1] if path else "the notebook"
            ctx.note(_line(body, m.start(), ctx), f"embedded notebook {name} removed from this post",
                     f"{name} is imported as a post of its own; link to it from here")
            return _keep_lines(m.group(0), "")
        return _keep_lines(m.group(0), inner)
    return _NOMARKDOWN.sub(one, body)


def _kramdown_and_layout(body: str, ctx: Context) -> str:
    out, fence, raw, divs = [], None, False, 0
    lines = body.split("\n")
    for i, line in enumerate(lines):
        n = ctx.line + i
        stripped = line.strip()
        if fence:
            closes = stripped.startswith(fence) and not stripped.lstrip(fence[0])
            fence = None if closes else fence
            out.append(line)
            continue
        if re.search(r"\{%-?\s*(highlight|raw)\b", line) and not re.search(r"\{%-?\s*end(highlight|raw)\b", line):
            raw = True
        if raw:
            raw = not re.search(r"\{%-?\s*end(highlight|raw)\b", line)
            out.append(line)
            continue
        if m := _FENCE.match(line):
            fence = m.group(1)
            out.append(line.lstrip() if divs else line)
            continue
        if _TOC_LINE.match(line):
            if out and _TOC_PLACEHOLDER.match(out[-1]):
                out[-1] = ""
            out.append("")
            continue
        if _DIV_LINE.match(line):
            divs = max(0, divs + (-1 if stripped.startswith("</") else 1))
            out.append("")
            continue
        if divs:
            line = line.lstrip()
        if stripped.startswith("{::options") or stripped.startswith("{::comment"):
            ctx.note(n, f"kramdown directive '{stripped[:40]}' removed", "mlfolio's Markdown has no such options")
            out.append("")
            continue
        for m in _IAL.finditer(line):
            ctx.note(n, f"kramdown attribute list '{m.group(0)}' removed",
                     "style the element from your theme's CSS, or write the element as HTML")
        out.append(_IAL.sub("", line).rstrip() if _IAL.search(line) else line)
    return "\n".join(out)


def _params(text: str) -> dict[str, str | None]:
    """Include parameters; an unquoted value that is a Liquid variable (path=page.img) is None."""
    out: dict[str, str | None] = {}
    for m in _PARAM.finditer(text):
        key, value = m.group(1), m.group(2) if m.group(2) is not None else m.group(3)
        if value is None:
            bare = m.group(4)
            value = bare if bare in ("true", "false") or bare.replace(".", "").isdigit() else None
        out[key] = value
    return out


def _title(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").strip()


def _alt(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).replace("[", "(").replace("]", ")").replace("\n", " ").strip()


def _path(value: str, ctx: Context) -> str:
    """A path written in a tag's parameter, with any Liquid in it resolved, as the new site links it."""
    value = _liquid(value, ctx, quiet=True).strip()
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.I):
        return value
    return ctx.static_url(value) or ctx.old_url("/" + value.lstrip("/")) or "/" + value.lstrip("/")


def _fence_info(args: str) -> str:
    """`{% highlight python linenos mark_lines="2 3" %}` → `python linenos hl_lines="2 3"`: Jekyll's options
    are the ones mlfolio's code blocks have."""
    lang = args.split()[0] if args else ""
    marked = re.search(r"""mark_lines\s*=\s*["']([\d\s]+)["']""", args)
    options = [" linenos" if re.search(r"\blinenos\b", args) else "",
               f' hl_lines="{marked.group(1).strip()}"' if marked else ""]
    return lang + "".join(options)


def _include(args: str, line: int, ctx: Context) -> str:
    name, _, rest = args.strip().partition(" ")
    params = _params(rest)
    if name in _SILENT_INCLUDES:
        return ""
    if name in _FIGURES:
        path = params.get("path") or params.get("image_path") or params.get("url")
        if not path:
            ctx.note(line, f"'{{% include {name} %}}' without a literal path removed",
                     "add the image as ![description](/img/file.png \"caption\")")
            return ""
        caption = params.get("caption") or params.get("title") or ""
        alt = params.get("alt") or _alt(caption) or path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        title = f' "{_title(caption)}"' if caption else ""
        return f"\n\n![{_alt(alt)}]({_path(path, ctx)}{title})\n\n"
    if name in _MEDIA:
        path = params.get("path") or params.get("url")
        if params.get("id") and params.get("provider", "youtube") == "youtube":
            path = f"https://www.youtube.com/watch?v={params['id']}"
        if not path:
            ctx.note(line, f"'{{% include {name} %}}' without a literal path removed", "link the video instead")
            return ""
        label = params.get("caption") or params.get("title") or path.rsplit("/", 1)[-1]
        return f"\n\n[▶ {_alt(label)}]({_path(path, ctx)})\n\n"
    ctx.note(line, f"'{{% include {name} %}}' removed (a theme include mlfolio does not have)",
             "write what it showed as Markdown, or put HTML for it in a template override")
    return ""


def _output(expr: str, line: int, ctx: Context, quiet: bool) -> str:
    """`{{ … }}`: URLs and known site values become text; anything else is removed and noted."""
    parts = [p.strip() for p in expr.strip().split("|")]
    head, filters = parts[0], parts[1:]
    literal = re.fullmatch(r"\"([^\"]*)\"|'([^']*)'", head)
    if literal:
        value = literal.group(1) if literal.group(1) is not None else literal.group(2)
        if all(f in _FILTERS for f in filters):
            return ("/" + value.lstrip("/")) if filters else value
    if head in ("site.baseurl", "site.url", "site.github.url", "site.baseurl_root", "base_path") and not filters:
        return ""
    if head in ctx.site.values:
        return ctx.site.values[head]
    if not quiet:
        ctx.note(line, f"Liquid output '{{{{ {expr.strip()} }}}}' removed",
                 "write its value as text (mlfolio does not run Liquid)")
    return ""


def _liquid(body: str, ctx: Context, quiet: bool = False) -> str:
    out, pos, notified = [], 0, set()
    while m := _TAG.search(body, pos):
        out.append(body[pos:m.start()])
        pos = m.end()
        line = _line(body, m.start(), ctx)
        if m.group(3) is not None:
            out.append(_output(m.group(3), line, ctx, quiet))
            continue
        tag, args = m.group(1), m.group(2).strip()
        if tag in ("raw", "highlight", "comment", "capture"):
            end = re.compile(r"\{%-?\s*end" + tag + r"\s*-?%\}").search(body, pos)
            inner = body[pos:end.start()] if end else body[pos:]
            pos = end.end() if end else len(body)
            if tag == "raw":
                out.append(inner)
            elif tag == "highlight":
                out.append(f"\n```{_fence_info(args)}\n{inner.strip(chr(10))}\n```\n")
            elif tag == "capture":
                ctx.note(line, "Liquid '{% capture %}' removed with its content", "write the text it made by hand")
            continue
        if tag == "include" or tag == "include_relative":
            out.append(_include(args, line, ctx))
        elif tag == "link":
            target = ctx.site.files.get(args.strip().strip("'\"").lstrip("/"))
            if target:
                out.append(ctx.link_to(target))
            else:
                out.append(_path(args.strip().strip("'\""), ctx))
                ctx.note(line, f"'{{% link {args} %}}' points to a file that was not imported",
                         "fix the link by hand")
        elif tag == "post_url":
            name = args.strip().strip("'\"").rsplit("/", 1)[-1]
            target = ctx.site.posts.get(name)
            if target:
                out.append(ctx.link_to(target))
            else:
                ctx.note(line, f"'{{% post_url {args} %}}': no such post", "fix the link by hand")
        elif tag == "cite":
            keys = [k for k in re.split(r"[\s,]+", re.sub(r"--\w+(\s+[^\s-]\S*)?", " ", args)) if k]
            out.append(ctx.citation(keys, line))
        elif tag == "details":
            out.append(f"<details><summary>{_alt(args.strip().strip(chr(34) + chr(39)))}</summary>\n\n")
        elif tag == "enddetails":
            out.append("\n</details>")
        elif tag in ("twitter", "jekyll_twitter"):
            url = args.split()[0] if args else ""
            out.append(f"[{url}]({url})" if url.startswith("https://") else "")
        elif tag == "assign":
            if not quiet and "assign" not in notified:
                ctx.note(line, "Liquid '{% assign %}' removed", "write the value it set where it is used")
                notified.add("assign")
        elif tag in _LOGIC:
            if not quiet and tag not in notified:
                ctx.note(line, f"Liquid '{{% {tag} %}}' cannot run in Markdown: the tags were removed, the text "
                         "between them kept", "keep the part you want and delete the rest")
                notified.add(tag)
        else:
            if not quiet:
                ctx.note(line, f"Liquid tag '{{% {tag} %}}' removed", "mlfolio does not run Liquid; write the "
                         "result by hand")
    out.append(body[pos:])
    return "".join(out)
