"""Terminal text → HTML: a notebook's tracebacks, coloured logs and progress bars as the terminal showed them.

Colour codes (ANSI SGR: 8, 16 and 256 colours, RGB, bold, italic, underline, reverse) become spans with classes
of a 16-colour palette (`ansi-red`, `ansi-bg-bright-yellow` …): 256-colour and RGB codes take the nearest of
the 16, so the theme sets readable colours for each colour scheme once, where inline colours could not adapt
to dark mode. Other escape sequences (cursor moves, hyperlinks) are dropped; all text is escaped.
"""
from __future__ import annotations

import re
from html import escape

NAMES = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_XTERM_16 = ((0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
             (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
             (255, 0, 255), (0, 255, 255), (255, 255, 255))
_CUBE = (0, 95, 135, 175, 215, 255)
_ESCAPE = re.compile(r"\x1b\[([0-9;:]*)m"                       # SGR: colours and styles
                     r"|\x1b\[[0-?]*[ -/]*[@-~]"                # other CSI sequences (erase line, cursor)
                     r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"     # OSC (titles, hyperlinks)
                     r"|\x1b[@-Z\\-_]?")                        # two-character escapes, or a lone ESC
_STYLE_ON = {1: ("bold",), 2: ("faint",), 3: ("italic",), 4: ("underline",), 7: ("reverse",)}
_STYLE_OFF = {22: ("bold", "faint"), 23: ("italic",), 24: ("underline",), 27: ("reverse",)}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")      # what is left of control characters is noise


def nearest16(r: int, g: int, b: int) -> int:
    """Index of the basic colour closest to an RGB colour."""
    return min(range(16), key=lambda i: sum((a - c) ** 2 for a, c in zip(_XTERM_16[i], (r, g, b))))


def _from256(n: int) -> int | None:
    if n < 0 or n > 255:
        return None
    if n < 16:
        return n
    if n >= 232:
        level = 8 + 10 * (n - 232)
        return nearest16(level, level, level)
    n -= 16
    return nearest16(_CUBE[n // 36], _CUBE[n // 6 % 6], _CUBE[n % 6])


class _State:
    __slots__ = ("fg", "bg", "bold", "faint", "italic", "underline", "reverse")

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.fg = self.bg = None
        self.bold = self.faint = self.italic = self.underline = self.reverse = False

    def apply(self, params: str) -> None:
        codes = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", params)] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c in _STYLE_ON or c in _STYLE_OFF:
                for flag in _STYLE_ON.get(c) or _STYLE_OFF[c]:
                    setattr(self, flag, c in _STYLE_ON)
            elif 30 <= c <= 37 or 90 <= c <= 97:
                self.fg = c % 10 + (8 if c >= 90 else 0)
            elif 40 <= c <= 47 or 100 <= c <= 107:
                self.bg = c % 10 + (8 if c >= 100 else 0)
            elif c in (39, 49):
                setattr(self, "fg" if c == 39 else "bg", None)
            elif c in (38, 48) and i + 1 < len(codes):
                colour, used = None, 1
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour, used = _from256(codes[i + 2]), 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour, used = nearest16(*(min(v, 255) for v in codes[i + 2:i + 5])), 4
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
                i += used
            i += 1

    def classes(self) -> str:
        fg, bg = (self.bg, self.fg) if self.reverse else (self.fg, self.bg)
        out = []
        if fg is not None:
            out.append(f"ansi-{'bright-' if fg >= 8 else ''}{NAMES[fg % 8]}")
        elif self.reverse:
            out.append("ansi-inverse")
        if bg is not None:
            out.append(f"ansi-bg-{'bright-' if bg >= 8 else ''}{NAMES[bg % 8]}")
        elif self.reverse:
            out.append("ansi-bg-inverse")
        for flag in ("bold", "faint", "italic", "underline"):
            if getattr(self, flag):
                out.append(f"ansi-{flag}")
        return " ".join(out)


def to_html(text: str) -> str:
    """Terminal text as HTML for a <pre>: escaped, colours and styles as spans."""
    if "\x1b" not in text:
        return escape(_CONTROL.sub("", text), quote=False)
    out: list[str] = []
    state = _State()
    open_classes = ""
    pos = 0

    def emit(chunk: str) -> None:
        chunk = _CONTROL.sub("", chunk)
        if chunk:
            chunk = escape(chunk, quote=False)
            out.append(f'<span class="{open_classes}">{chunk}</span>' if open_classes else chunk)

    for m in _ESCAPE.finditer(text):
        emit(text[pos:m.start()])
        pos = m.end()
        if m.group(1) is not None:
            state.apply(m.group(1))
            open_classes = state.classes()
    emit(text[pos:])
    return "".join(out)


def settle(text: str) -> str:
    """Text as a terminal leaves it: a carriage return writes over its line (progress bars print hundreds of
    updates), a backspace removes the character before it."""
    if "\r" not in text and "\b" not in text:
        return text
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if "\r" in line:
            shown = ""
            for part in line.split("\r"):
                shown = part + shown[len(part):]
            line = shown
        while "\b" in line:
            cut = line.index("\b")
            line = line[:max(cut - 1, 0)] + line[cut + 1:]
        lines.append(line)
    return "\n".join(lines)


__all__ = ["to_html", "settle", "nearest16"]
