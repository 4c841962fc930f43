"""LaTeX in BibTeX fields → Unicode text, or → Markdown whose `$math$` the site's math renderer typesets.

A hand-written single pass rather than pylatexenc (bibtexparser's decoder): real .bib files use a small part
of LaTeX (accents, escaped symbols, dashes, protective braces, \\emph, some math), and pylatexenc took 6.5 s for
the 5,500 fields of a 500-entry file, where this takes milliseconds. Unknown commands keep their argument's
text (`\\foo{bar}` → 'bar'); nothing here ever raises on odd input.
"""
from __future__ import annotations

import re
import unicodedata

# Accent commands: the combining character each adds to the next letter (`\"o`, `\"{o}`, `{\"o}`, `\v{c}`).
ACCENTS = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304", "u": "\u0306", ".": "\u0307",
    '"': "\u0308", "r": "\u030a", "H": "\u030b", "v": "\u030c", "d": "\u0323", "c": "\u0327", "k": "\u0328",
    "b": "\u0331", "t": "\u0361",
}
SYMBOLS = {
    "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "l": "ł",
    "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
    "S": "§", "P": "¶", "dag": "†", "ddag": "‡", "copyright": "©", "textcopyright": "©",
    "textregistered": "®", "texttrademark": "™", "pounds": "£", "textsterling": "£", "euro": "€",
    "texteuro": "€", "ldots": "…", "dots": "…", "textellipsis": "…", "textendash": "–", "textemdash": "—",
    "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”",
    "guillemotleft": "«", "guillemotright": "»", "textbullet": "•", "textdegree": "°", "textbackslash": "\\",
    "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_", "textbar": "|", "textless": "<",
    "textgreater": ">", "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "i.e.": "i.e.", "quad": "\u2003",
    "qquad": "\u2003\u2003", "textperiodcentered": "·", "textmu": "µ", "textpm": "±", "texttimes": "×",
}
ESCAPED = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": "\u2009",
           ";": "\u2005", ":": "\u2005", "!": "", "-": "", "/": "", "\\": " ", "@": ""}
# Commands whose argument is shown as it is; the value is the Markdown (HTML) wrapper in markdown mode.
TEXT_COMMANDS = {
    "emph": ("<em>", "</em>"), "textit": ("<em>", "</em>"), "textsl": ("<em>", "</em>"), "it": ("<em>", "</em>"),
    "em": ("<em>", "</em>"), "textbf": ("<strong>", "</strong>"), "bf": ("<strong>", "</strong>"),
    "texttt": ("<code>", "</code>"), "textsc": ("", ""), "textrm": ("", ""), "textsf": ("", ""),
    "textup": ("", ""), "textmd": ("", ""), "textnormal": ("", ""), "mbox": ("", ""), "text": ("", ""),
    "textsuperscript": ("<sup>", "</sup>"),
    "textsubscript": ("<sub>", "</sub>"), "uppercase": ("", ""), "MakeUppercase": ("", ""),
    "lowercase": ("", ""), "MakeLowercase": ("", ""), "ensuremath": ("", ""), "hbox": ("", ""),
}
DROPPED = {"noopsort", "nocite", "label", "index", "protect", "relax", "hspace", "vspace", "cite"}
# Math → text for plain contexts (meta tags, sorting, JSON-LD): the common symbols, the rest as written.
MATH_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "infty": "∞", "times": "×", "cdot": "·",
    "pm": "±", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "in": "∈", "ell": "ℓ", "partial": "∂", "nabla": "∇",
    "sum": "∑", "prod": "∏", "int": "∫", "sqrt": "√", "log": "log", "exp": "exp", "ldots": "…", "cdots": "⋯",
    "mid": "|", "propto": "∝", "forall": "∀", "exists": "∃", "star": "⋆", "circ": "∘", "dagger": "†",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_PLAIN = re.compile(r"[\\{}~$\n\t\r]|--|``|''")
_SPECIAL = re.compile(r"---|[\\{}~$\n\t\r]|--|``|''")
_SIMPLE_GROUP = re.compile(r"\{([^\\{}$~\n\t\r`'-]*)\}")
_SPACES = re.compile(r" {2,}")
_SPECIAL_TEXT = {"---": "—", "--": "–", "``": "“", "''": "”", "~": "\u00a0", "\n": " ", "\t": " ", "\r": " "}
_MD_ESCAPE = str.maketrans({c: "\\" + c for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
_LETTERS = re.compile(r"[A-Za-z]+")


def to_text(value: str) -> str:
    """Unicode text: accents composed, commands dropped, braces removed, math as readable text."""
    if not _PLAIN.search(value):
        return value
    return _Walker(value, markdown=False).run().strip()


def to_markdown(value: str) -> str:
    """Markdown for one line (a title, an abstract): text with every ASCII punctuation escaped, so `*` or `<`
    is shown as written; \\emph as <em>; `$…$` kept for the math renderer."""
    if not _PLAIN.search(value):
        return value.translate(_MD_ESCAPE)
    return _Walker(value, markdown=True).run().strip()


def has_markup(value: str) -> bool:
    """Whether `value` holds math or a formatting command (then its HTML needs the Markdown renderer)."""
    return "$" in value.replace("\\$", "") or any(f"\\{c}" in value for c in ("emph", "textit", "textbf",
                                                                               "texttt", "textsuper", "textsub"))


def month_number(value: str) -> int | None:
    """'may', 'May', '5', 'Sep.' → 5 / 9; None when it names no month."""
    v = value.strip().strip(".").lower()
    if v.isdigit():
        n = int(v)
        return n if 1 <= n <= 12 else None
    for i, name in enumerate(MONTHS):
        if len(v) >= 3 and name.lower().startswith(v):
            return i + 1
    return None


class _Walker:
    """One pass over a field's text with a position; each method consumes what it handles."""

    def __init__(self, text: str, markdown: bool):
        self.s = text
        self.i = 0
        self.md = markdown
        self.out: list[str] = []

    def run(self, stop_at_brace: bool = False) -> str:
        s, n, out = self.s, len(self.s), self.out
        while self.i < n:
            m = _SPECIAL.search(s, self.i)
            if m is None:
                self.plain(s[self.i:])
                self.i = n
                break
            if m.start() > self.i:
                self.plain(s[self.i:m.start()])
            self.i = m.start()
            c = m.group()
            if c == "\\":
                self.command()
            elif c == "{":
                simple = _SIMPLE_GROUP.match(s, self.i)
                if simple:                           # protective braces around plain text: '{BERT}'
                    self.plain(simple.group(1))
                    self.i = simple.end()
                else:
                    self.i += 1
                    out.append(self.group_text())
            elif c == "}":
                self.i += 1
                if stop_at_brace:
                    return self.join()
            elif c == "$":
                self.math()
            else:
                out.append(_SPECIAL_TEXT[c])
                self.i += len(c)
        return self.join()

    def join(self) -> str:
        text = "".join(self.out)
        return _SPACES.sub(" ", text) if "  " in text else text

    def plain(self, text: str) -> None:
        self.out.append(text.translate(_MD_ESCAPE) if self.md else text)

    def group_text(self) -> str:
        """The converted text of a `{…}` group, the opening brace already consumed."""
        inner = _Walker(self.s, self.md)
        inner.i = self.i
        text = inner.run(stop_at_brace=True)
        self.i = inner.i
        return text

    def argument(self) -> str:
        """The next argument: a `{…}` group, a command (`\\i`) or one character; spaces before it skipped."""
        s, n = self.s, len(self.s)
        while self.i < n and s[self.i] == " ":
            self.i += 1
        if self.i >= n:
            return ""
        if s[self.i] == "{":
            self.i += 1
            return self.group_text()
        if s[self.i] == "\\":
            inner = _Walker(self.s, self.md)
            inner.i = self.i
            inner.command()
            self.i = inner.i
            return inner.join()
        self.i += 1
        return s[self.i - 1]

    def raw_argument(self) -> str:
        """The next `{…}` group as written (a URL), or ''."""
        s = self.s
        while self.i < len(s) and s[self.i] == " ":
            self.i += 1
        if self.i >= len(s) or s[self.i] != "{":
            return ""
        depth, start = 0, self.i
        while self.i < len(s):
            if s[self.i] == "{":
                depth += 1
            elif s[self.i] == "}":
                depth -= 1
                if depth == 0:
                    self.i += 1
                    return s[start + 1:self.i - 1]
            self.i += 1
        return s[start + 1:]

    def command(self) -> None:
        s = self.s
        self.i += 1                                   # the backslash
        if self.i >= len(s):
            return
        c = s[self.i]
        if c in ACCENTS and not c.isalpha():
            self.i += 1
            self.accent(ACCENTS[c])
            return
        if not c.isalpha():
            self.i += 1
            replacement = ESCAPED.get(c, c)
            self.out.append(replacement.translate(_MD_ESCAPE) if self.md and replacement.strip() else replacement)
            return
        m = _LETTERS.match(s, self.i)
        name = m.group()
        self.i = m.end()
        if name in ACCENTS and (self.i >= len(s) or not s[self.i].isalpha()):
            self.accent(ACCENTS[name])
            return
        while self.i < len(s) and s[self.i] == " ":  # TeX drops spaces after a command word
            self.i += 1
        if name in SYMBOLS:
            if self.i < len(s) and s.startswith("{}", self.i):
                self.i += 2
            self.plain(SYMBOLS[name])
        elif name in ("url", "path", "nolinkurl"):
            self.plain(self.raw_argument())
        elif name == "href":
            url = self.raw_argument()
            text = self.argument()
            self.out.append(text or (url.translate(_MD_ESCAPE) if self.md else url))
        elif name in TEXT_COMMANDS:
            if self.i < len(s) and s[self.i] == "{":
                self.i += 1
                inner = self.group_text()
                start, end = TEXT_COMMANDS[name] if self.md else ("", "")
                self.out.append(f"{start}{inner}{end}" if inner.strip() else inner)
        elif name in DROPPED:
            while self.i < len(s) and s[self.i] in "{[":
                self.raw_argument() if s[self.i] == "{" else self._skip_optional()
        else:                                        # unknown command: keep what it applies to
            pass

    def _skip_optional(self) -> None:
        end = self.s.find("]", self.i)
        self.i = len(self.s) if end < 0 else end + 1

    def accent(self, mark: str) -> None:
        arg = self.argument()
        if arg.startswith("\\") and self.md:            # an escaped character in Markdown mode: '\\.' etc.
            arg = arg[1:]
        if not arg:
            self.out.append(mark.strip() or "")
            return
        base = {"ı": "i", "ȷ": "j"}.get(arg[0], arg[0])
        self.plain(unicodedata.normalize("NFC", base + mark) + arg[1:])

    def math(self) -> None:
        s = self.s
        display = s.startswith("$$", self.i)
        start = self.i + (2 if display else 1)
        end = start
        while True:
            end = s.find("$", end)
            if end < 0 or s[end - 1] != "\\":
                break
            end += 1
        if end < 0:                                     # a lone '$' is a dollar sign
            self.plain("$")
            self.i += 1
            return
        latex = s[start:end]
        self.i = end + (2 if display and s.startswith("$$", end) else 1)
        if self.md:
            self.out.append(f"${latex.strip()}$")
        else:
            self.out.append(math_text(latex))


def math_text(latex: str) -> str:
    """A formula as plain text: `\\mathcal{O}(n^2)` → 'O(n^2)', `\\alpha` → 'α'."""
    def symbol(m: re.Match) -> str:
        return MATH_SYMBOLS.get(m.group(1), "")
    text = re.sub(r"\\([A-Za-z]+)", symbol, latex)
    text = text.replace("{", "").replace("}", "").replace("\\", "")
    return re.sub(r"\s+", " ", text).strip()


__all__ = ["to_text", "to_markdown", "has_markup", "month_number", "math_text", "MONTHS"]
