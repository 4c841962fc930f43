"""Fenced code blocks beyond their colours: the options of the info string (a file-name title, highlighted
lines) in the forms people bring from Docusaurus, MkDocs, Hugo and Quarto, and the HTML around the
highlighted <pre>: a wrapper that holds the title bar and the copy button (theme.js adds it).

    ```python title="train.py" {3,5-7}          Docusaurus
    ```python title="train.py" hl_lines="3 5-7"  MkDocs (pymdownx)
    ```python {hl_lines=[3,"5-7"]}               Hugo
    ```{.python filename="train.py"}             Pandoc / Quarto
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

_OPTION = re.compile(r"""\s*(?:\{((?:[^{}"']|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*)\}"""
                     r"""|([A-Za-z][\w-]*)\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\[[^\]]*\]|[^\s,{}"']+)"""
                     r"""|([^\s,{}="']+))\s*,?""")
_ESCAPED = re.compile(r"\\(.)")
_LINE_SPEC = re.compile(r"^[\d\s,\-\[\]\"']*$")
_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")
_TAG = re.compile(r'(<span class="[^"]*">|</span>)')
_EMPTY_SPAN = re.compile(r'<span class="[^"]*"></span>')
_CODE_BODY = re.compile(r"^(.*?<code[^>]*>)(.*)(</code></pre>\s*)$", re.S)
TITLE_KEYS = ("title", "filename")
LINE_KEYS = ("hl_lines", "highlight")
NUMBERS_KEY = "linenos"
HINT = ('mlfolio reads a title (title="train.py"), highlighted lines ({3,5-7} or hl_lines="3 5-7") and '
        "line numbers (linenos); remove the others")


@dataclass(frozen=True)
class CodeOptions:
    """What a fence's info string asks for."""

    lang: str = ""
    title: str = ""
    lines: tuple[tuple[int, int], ...] = ()      # highlighted ranges, 1-based and inclusive
    numbers: bool = False                         # line numbers (`linenos`)
    problems: tuple[str, ...] = ()


@lru_cache(maxsize=1024)
def parse_info(info: str) -> CodeOptions:
    """The language (first word, or `.lang` inside braces) and the options after it; memoised, since a
    site's fences repeat a handful of info strings ('python', 'bash')."""
    info = info.strip()
    if not info or (" " not in info and "{" not in info and "=" not in info and "," not in info):
        return CodeOptions(lang=info.lower())
    lang, title, lines, problems, numbers = "", "", [], [], False

    def take(text: str, top: bool) -> None:
        nonlocal lang, title, numbers
        at = 0
        while at < len(text):
            m = _OPTION.match(text, at)
            if m is None or m.end() == at:
                problems.append(f"cannot read '{text[at:].strip()}' in the code block's options")
                return
            at = m.end()
            group, key, value, word = m.groups()
            if group is not None:
                if _LINE_SPEC.match(group) and group.strip():
                    lines.extend(_ranges(group, problems))
                else:
                    take(group, False)
            elif key is not None:
                value = _ESCAPED.sub(r"\1", value[1:-1]) if value[:1] in "\"'" else value
                if key in TITLE_KEYS:
                    title = value
                elif key in LINE_KEYS:
                    lines.extend(_ranges(value, problems))
                elif key == NUMBERS_KEY:
                    numbers = value.lower() not in ("false", "no", "0", "none")
                else:
                    problems.append(f"code block option '{key}' is not supported")
            elif word.lstrip(".") == NUMBERS_KEY:
                numbers = True
            elif not lang and (top or word.startswith(".")) and not lines and not title:
                lang = word.lstrip(".").lower()
            elif not top and _LINE_SPEC.match(word):
                lines.extend(_ranges(word, problems))
            else:
                problems.append(f"code block option '{word}' is not supported")

    take(info, True)
    return CodeOptions(lang, title, tuple(lines), numbers, tuple(problems))


def _ranges(spec: str, problems: list[str]) -> list[tuple[int, int]]:
    """'3,5-7', '3 5-7' or '[3,"5-7"]' → [(3, 3), (5, 7)]."""
    out = []
    for part in re.split(r"[\s,]+", spec.strip().strip("[]")):
        part = part.strip("\"'")
        if not part:
            continue
        m = _RANGE.match(part)
        first, last = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, 0)
        if not m or first < 1 or last < first:
            problems.append(f"'{part}' is not a line or a range of lines like 5-7")
        else:
            out.append((first, last))
    return out


def code_block(pre: str, options: CodeOptions) -> tuple[str, list[str]]:
    """The highlighted <pre> in its wrapper, with the title bar, highlighted lines and line numbers asked
    for; and the problems found (a range past the end of the block)."""
    problems: list[str] = []
    classes = "code-block"
    if options.lines or options.numbers:
        pre, problems = _mark_lines(pre, options.lines)
        classes += " has-lines" + (" has-numbers" if options.numbers else "")
    if options.title:
        classes += " has-title"
        head = f'<div class="code-title">{escape(options.title)}</div>'
        return f'<div class="{classes}">{head}{pre.rstrip()}</div>\n', problems
    return f'<div class="{classes}">{pre.rstrip()}</div>\n', problems


def _mark_lines(pre: str, ranges) -> tuple[str, list[str]]:
    """Each line in <span class="line"> (a block the theme numbers with a CSS counter, so copied code has
    no numbers), the lines in `ranges` also with class "hll" (Pygments' class for them); a token that
    spans lines is closed at the end of each and opened again on the next."""
    m = _CODE_BODY.match(pre)
    if m is None:
        return pre, []
    head, body, tail = m.groups()
    lines = _split_lines(body)
    n = len(lines)
    past = [(a, b) for a, b in ranges if a > n]
    problems = [f"highlighted line{'s' if a != b else ''} {a}{f'-{b}' if a != b else ''} past the end of this "
                f"{n}-line block" for a, b in past]
    marked = [f'<span class="line hll">{line}</span>' if any(a <= i <= b for a, b in ranges)
              else f'<span class="line">{line}</span>' for i, line in enumerate(lines, 1)]
    return head + "".join(marked) + tail, problems


def _split_lines(body: str) -> list[str]:
    """The highlighted body cut into lines, each ending with its newline, every <span> closed on its line."""
    lines, current, open_tag = [], [], ""
    for part in _TAG.split(body):
        if part == "</span>" or part.startswith("<span"):
            open_tag = "" if part == "</span>" else part
            current.append(part)
            continue
        for i, piece in enumerate(part.split("\n")):
            if i:
                current.append("</span>\n" if open_tag else "\n")
                lines.append(_EMPTY_SPAN.sub("", "".join(current)))
                current = [open_tag] if open_tag else []
            current.append(piece)
    rest = _EMPTY_SPAN.sub("", "".join(current))
    return lines + [rest] if rest else lines


__all__ = ["CodeOptions", "code_block", "parse_info"]
