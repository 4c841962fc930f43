"""LaTeX → MathML at build time: Temml (vendor/temml, MIT) run by QuickJS, then equation numbers and references
filled in per document, so readers, feeds and text browsers get finished MathML and no script.

Temml writes MathML Core, which Chromium, Firefox and Safari lay out natively; the theme ships Noto Sans Math, a
sans-serif font with an OpenType MATH table, so delimiters stretch and limits sit right on every system.
QuickJS is imported as its C module (`_quickjs`): the `quickjs` wrapper starts a thread pool at import, and
builds fork worker processes, which must never happen with threads running. One context per process, made on
the first formula; each formula has a CPU-time and memory budget, and results are memoised per
(formula, display, macros) because the same formulas recur across posts.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape, unescape
from pathlib import Path

TEMML_VERSION = "0.13.5"
ENGINE = f"temml-{TEMML_VERSION}"          # enters the Markdown reader's cache key
TEMML_JS = Path(__file__).with_name("vendor") / "temml" / "temml.min.js"
MAX_LENGTH = 20_000                         # characters; a longer formula is refused (Temml is ~25 µs a character)
TIME_LIMIT = 2.0                            # CPU seconds one formula may take
MEMORY_LIMIT = 256 << 20
STACK_LIMIT = 4 << 20
DEFAULT_MACROS = {"\\mathbbm": "\\mathbb", "\\mathds": "\\mathbb", "\\mbox": "\\text"}   # bbm, dsfont, LaTeX

Macros = tuple[tuple[str, str], ...]        # sorted (name, expansion) pairs: hashable, part of the memo key

_WRAPPER = """
function mlfolioTypeset(tex, display, macros) {
  var options = {displayMode: display, macros: JSON.parse(macros), throwOnError: true, trust: false,
                 annotate: false, wrap: display ? "none" : "tex", maxSize: [40, 400]};
  try {
    return JSON.stringify([temml.renderToString(tex, options), "", -1]);
  } catch (e) {
    var position = e && typeof e.position === "number" ? e.position : -1;
    return JSON.stringify(["", String(e && e.message ? e.message : e), position]);
  }
}
"""
# JSON.stringify also flattens the result: the quickjs-ng binding cannot hand back a 'rope' string (raises
# "Unknown quickjs tag: -6"), which string concatenation in Temml sometimes leaves.

_engine = None


def site_macros(configured: dict[str, str] | None = None) -> Macros:
    """The macros every formula of a site gets: a few common package commands, then mlfolio.yml's `math.macros`."""
    return tuple(sorted({**DEFAULT_MACROS, **(configured or {})}.items()))


NO_MACROS = site_macros()


@dataclass(frozen=True)
class Typeset:
    """One formula's MathML, or why there is none (`error`, and the line of the formula it is on, from 0)."""

    html: str
    error: str = ""
    hint: str = ""
    line: int = 0


def _context():
    global _engine
    if _engine is None:
        import _quickjs

        ctx = _quickjs.Context()
        ctx.set_memory_limit(MEMORY_LIMIT)
        ctx.set_max_stack_size(STACK_LIMIT)
        ctx.eval(TEMML_JS.read_text(encoding="utf-8"))
        ctx.eval(_WRAPPER)
        ctx.set_time_limit(TIME_LIMIT)
        _engine = ctx.get("mlfolioTypeset")
    return _engine


@lru_cache(maxsize=4)
def _macro_json(macros: Macros) -> str:
    return json.dumps(dict(macros))


@lru_cache(maxsize=8192)
def typeset(tex: str, display: bool, macros: Macros = NO_MACROS) -> Typeset:
    """LaTeX → MathML, memoised; an error comes back as Temml's message, never as a traceback."""
    global _engine
    if len(tex) > MAX_LENGTH:
        return Typeset("", f"the formula is {len(tex):,} characters long; the limit is {MAX_LENGTH:,}",
                       "split it into several formulas")
    try:
        html, error, position = json.loads(_context()(tex, display, _macro_json(macros)))
    except ImportError:
        return Typeset("", "math needs the quickjs-ng package, which is not installed",
                       "reinstall mlfolio: pip install --force-reinstall mlfolio")
    except Exception as exc:  # noqa: BLE001 - QuickJS stopped it: time or memory limit, not a Temml error
        _engine = None                     # start afresh: an interrupted context is not trusted again
        text = str(exc)
        if "interrupted" in text:
            return Typeset("", f"the formula took more than {TIME_LIMIT:g} s to typeset", "simplify or split it")
        if "out of memory" in text or "stack" in text:
            return Typeset("", "the formula needs too much memory to typeset", "simplify or split it")
        return Typeset("", f"the math engine failed: {text.splitlines()[0] if text else type(exc).__name__}",
                       "simplify the formula")
    if not error:
        return Typeset(html.replace("<math", '<math xmlns="http://www.w3.org/1998/Math/MathML"', 1))
    message, hint = _explain(error)
    return Typeset("", message, hint, tex[:position].count("\n") if position > 0 else 0)


_UNKNOWN = re.compile(r"^Unsupported function name: (\\\S+)$")


def _explain(error: str) -> tuple[str, str]:
    """Temml's message without its excerpt of the source (the part it underlines is kept when it says more)."""
    message, _, context = error.strip().partition(" at position ")
    if not context:
        message, _, context = message.partition(" at end of input")
    underlined = "".join(ch for ch, mark in zip(context, context[1:]) if mark == "\u0332")
    found = _UNKNOWN.match(message)
    if found:
        return (f"unknown command {found[1]}",
                "check its spelling, or define it in mlfolio.yml under 'math: macros:'")
    if message.startswith("Maximum call stack size exceeded"):
        return "the formula nests too deeply to typeset", "flatten it, or split it into several formulas"
    if message.startswith("Too many expansions"):
        return ("a macro expands without end (a \\def or a macro of mlfolio.yml that uses itself)",
                "make the macro stop expanding into itself")
    if underlined and underlined not in message:
        message += f" (at '{underlined}')"
    return message, "fix the LaTeX; the page shows its source meanwhile"


# -- equation numbers and references ---------------------------------------------------------------------------

_LABELLED = re.compile(r"\\(label|eqref|ref)\s*\{([^{}\n]*)\}")
_NUMBERED_ENV = re.compile(r"\\begin\s*\{(equation|align|alignat|gather|multline|flalign|eqnarray)\*?\}|\\tag\b")
_ROW_OR_MARK = re.compile(r"<mtr\b([^>]*)>|</mtr>|<mtext><span class=\"tml-eqn\"></span></mtext>"
                          r"|<mtext class=\"tml-tag\">([^<]*)</mtext>"
                          r"|<a href='#L([0-9a-f]*)' class=\"tml-ref( tml-eqref)?\"></a>")
_ENCODED_LABEL = re.compile(r"\\label\{L[0-9a-f]*\}")
_ROW_ID = re.compile(r' id="L([0-9a-f]*)"')
_HINT_LABEL = "give each equation its own \\label"
_TEXT_REF = re.compile(r"(~?)\\(eqref|ref)\{([^{}\n]*)\}")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


def _encode(match: re.Match) -> str:
    """Labels become hex, which survives Temml's id filter ([A-Za-z0-9_-]) and comes back as written."""
    return f"\\{match[1]}{{L{match[2].strip().encode().hex()}}}"


def _decode(hexed: str) -> str:
    try:
        return bytes.fromhex(hexed).decode()
    except ValueError:
        return hexed


class Equations:
    """One document's display-equation numbers, labels and references, numbered as LaTeX numbers them (in
    order, `\\tag` wins, `\\nonumber` skips); references are placeholders until `finish`, so they may point
    forward. `ids` are the ids already taken on the page (headings share it)."""

    def __init__(self, ids: set[str], macros: Macros = NO_MACROS):
        self.ids = ids
        self.macros = macros
        self.count = 0
        self.labels: dict[str, list] = {}        # label -> [id, number shown ('(3)', '(ELBO)') or None, line]
        self.refs: list[tuple[str, bool, int]] = []    # (label, eqref, line)
        self.problems: list[tuple[int, str, str]] = []
        self._links: list[tuple[str, str]] | None = None

    def formula(self, tex: str, display: bool, line: int) -> tuple[str, str]:
        """(HTML, plain text) of one formula at `line` of the document; a failure is a problem and shows the
        source in the error style. Definitions in it (\\newcommand, \\def, \\DeclareMathOperator) hold for the
        rest of the document, as MathJax and LaTeX have them; a formula of definitions only shows nothing."""
        written = tex
        if "\\" in tex and _DEFINING.search(tex):
            tex, found = definitions(tex)
            if found:
                self.macros = tuple(sorted({**dict(self.macros), **found}.items()))
                if not tex.strip():
                    return "", ""
        if display and "\\intertext" in tex:
            pieces = _intertext(tex)
            if pieces:
                return self._pieces(pieces, line)
        labels: list[str] = []
        if "\\label" in tex or "ref" in tex:
            labels = [m[2].strip() for m in _LABELLED.finditer(tex) if m[1] == "label"]
            tex = _LABELLED.sub(_encode, tex)
            if display and labels and not _NUMBERED_ENV.search(tex):
                # `$$ … \label{x} $$` is numbered; its label may sit inside `aligned`: Temml finds it at the end
                found = _ENCODED_LABEL.findall(tex)
                tex = f"\\begin{{equation}}{_ENCODED_LABEL.sub('', tex)}{''.join(found)}\\end{{equation}}"
        if "{eqnarray" in tex or "{flalign" in tex:
            tex = _OLD_ENV.sub(_modern_env, tex)
        result = typeset(tex, display, self.macros)
        if result.error:
            self.problems.append((line + result.line, f"math could not be typeset: {result.error}", result.hint))
            source = escape(written)
            title = escape(result.error)
            if display:          # an excerpt shows '…' for it: never LaTeX, in a feed or a meta description
                return f'<pre class="math-error" title="{title}"><code>{source}</code></pre>\n', "…"
            return f'<code class="math-error" title="{title}">{source}</code>', "…"
        seen: list[str] = []
        html = self._number(result.html, line, seen) if "<mtr " in result.html or "tml-" in result.html \
            else result.html
        for label in labels:
            if label not in seen:
                if label not in self.labels:
                    self.problems.append((line, f"\\label{{{label}}} is not on a numbered equation",
                                          "put it in display math ($$ … $$), on a row that has a number"))
            elif self.labels[label][1] is None:
                self.problems.append((line, f"\\label{{{label}}} is on an equation without a number "
                                      "(\\nonumber, \\notag or a starred environment)",
                                      "drop the \\label, or let the equation have its number"))
        if display:
            return f'<div class="math-display">{html}</div>\n', plain(html)
        return html, plain(html)

    def _pieces(self, pieces: list[tuple[bool, str, int]], line: int) -> tuple[str, str]:
        """An environment cut at its \\intertext: its rows as display formulas (numbers go on), the text
        between them as a paragraph, as LaTeX sets it (the columns are aligned within each part only)."""
        html, text = [], []
        for is_math, piece, offset in pieces:
            if is_math:
                h, t = self.formula(piece, True, line + offset)
            else:                                # text, with $…$ formulas in it
                parts = _DOLLARS.split(piece)
                done = [self.formula(part, False, line + offset) if i % 2 else (escape(part), part)
                        for i, part in enumerate(parts)]
                h = f'<p class="math-intertext">{"".join(d[0] for d in done)}</p>\n'
                t = "".join(d[1] for d in done)
            html.append(h)
            text.append(t)
        return "".join(html), " ".join(text)

    def _number(self, html: str, line: int, seen: list[str]) -> str:
        """Numbers the rows of a display formula that LaTeX numbers, gives labelled rows their ids and turns
        references into placeholders; `seen` gets the labels defined here."""
        rows: list[list] = []                    # open <mtr>s: [label or None, numbered]
        in_math = html.startswith("<math")

        def mark(m: re.Match) -> str:
            whole = m[0]
            if whole.startswith("<mtr"):
                found = _ROW_ID.search(m[1])
                label = _decode(found[1]) if found else None
                if label is None:
                    rows.append([None, False])
                    return whole
                attrs = _ROW_ID.sub("", m[1])
                if label in self.labels:
                    above = line - self.labels[label][2]      # lines of the body: say how far, not where
                    where = f"{above} line{'s' * (above != 1)} above" if above else "in this formula"
                    self.problems.append((line, f"\\label{{{label}}} is used twice (also {where})", _HINT_LABEL))
                    rows.append([None, False])
                    return f"<mtr{attrs}>"
                self.labels[label] = [self._unique_id(label), None, line]
                seen.append(label)
                rows.append([label, False])
                return f'<mtr id="{self.labels[label][0]}"{attrs}>'
            if whole == "</mtr>":
                if rows:
                    label, numbered = rows.pop()
                    if label and not numbered and rows and rows[-1][0] is None:
                        rows[-1][0] = label              # \label inside `aligned`: the enclosing equation's number
                return whole
            if m[3] is not None:
                self.refs.append((_decode(m[3]), bool(m[4]), line))
                placeholder = f"\x00{len(self.refs) - 1}\x00"
                return f"<mtext>{placeholder}</mtext>" if in_math else placeholder   # `$\eqref{x}$` is a bare link
            if m[2] is not None:
                number = unescape(m[2])
                shown = whole.replace('class="tml-tag"', 'class="tml-tag eqno"')
            else:
                self.count += 1
                number = f"({self.count})"
                shown = f'<mtext class="eqno">{number}</mtext>'
            if rows:
                rows[-1][1] = True
                if rows[-1][0] is not None:
                    self.labels[rows[-1][0]][1] = number
            return shown

        return _ROW_OR_MARK.sub(mark, html)

    def _unique_id(self, label: str) -> str:
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", label).strip("-")
        base = slug if re.match(r"eq[-_]", slug) else f"eq-{slug or 'label'}"     # 'eq:loss' and 'loss': eq-loss
        unique, n = base, 2
        while unique in self.ids:
            unique, n = f"{base}-{n}", n + 1
        self.ids.add(unique)
        return unique

    def text_refs(self, text: str, line: int) -> tuple[str, str] | None:
        """`\\eqref{x}` and `\\ref{x}` written in plain text (outside $): (HTML, plain text) with placeholders,
        or None when `text` has none. A `~` before one is LaTeX's no-break space."""
        if "ref{" not in text:
            return None
        html, plain_text, at = [], [], 0
        for m in _TEXT_REF.finditer(text):
            html.append(escape(text[at:m.start()]))
            plain_text.append(text[at:m.start()])
            space = "\u00a0" if m[1] else ""
            self.refs.append((m[3].strip(), m[2] == "eqref", line))
            marker = f"\x00{len(self.refs) - 1}\x00"
            html.append(space + marker)
            plain_text.append(space + marker)
            at = m.end()
        if not at:
            return None
        html.append(escape(text[at:]))
        plain_text.append(text[at:])
        return "".join(html), "".join(plain_text)

    def finish(self) -> None:
        """Decides every reference (a missing label is a problem at the reference's line)."""
        if self._links is not None:
            return
        self._links = []
        for label, eqref, line in self.refs:
            entry = self.labels.get(label)
            if entry is None or entry[1] is None:
                if entry is None:
                    self.problems.append((line, f"\\{'eqref' if eqref else 'ref'}{{{label}}}: no numbered "
                                          f"equation has \\label{{{label}}}", "check the label's spelling"))
                shown = "(??)" if eqref else "??"
                self._links.append((f'<span class="math-error">{shown}</span>', shown))
                continue
            number = entry[1]
            if eqref:
                shown = number if number.startswith("(") and number.endswith(")") else f"({number})"
            else:
                shown = number[1:-1] if number.startswith("(") and number.endswith(")") else number
            self._links.append((f'<a class="eqref" href="#{entry[0]}">{escape(shown)}</a>', shown))

    def resolve(self, text: str, html: bool = True) -> str:
        """`text` (the document's HTML, or its plain excerpt) with the references filled in."""
        if "\x00" not in text:
            return text
        self.finish()
        return _PLACEHOLDER.sub(lambda m: self._links[int(m[1])][0 if html else 1], text)


# -- environments Temml lacks -----------------------------------------------------------------------------

_OLD_ENV = re.compile(r"\\begin\{(eqnarray|flalign)(\*?)\}(.*?)\\end\{\1\2\}", re.S)


def _modern_env(m: re.Match) -> str:
    """`eqnarray` as `align` (`a &=& b` → `a &= b`: the relation joins the right-hand side), `flalign` as
    `align` (its rows are not pushed to the margins). An eqnarray with nested environments is left as it is."""
    name, star, body = m[1], m[2], m[3]
    if name == "eqnarray":
        if "\\begin" in body:
            return m[0]
        rows = re.split(r"(\\\\(?:\[[^\]]*\])?)", body)
        body = "".join(row if i % 2 else re.sub(r"^([^&]*&[^&]*)&", r"\1", row) for i, row in enumerate(rows))
    return f"\\begin{{align{star}}}{body}\\end{{align{star}}}"


_ALIGNED_ENV = re.compile(r"\s*\\begin\{((?:align|alignat|gather|flalign|eqnarray)\*?)\}(\{\d+\})?(.*)"
                          r"\\end\{\1\}\s*", re.S)
_INTERTEXT = re.compile(r"\\intertext(?![A-Za-z])")
_DOLLARS = re.compile(r"\$([^$]+)\$")


def _intertext(tex: str) -> list[tuple[bool, str, int]] | None:
    """One aligned environment cut at each `\\intertext{…}`: (is it math, its LaTeX or text, its line in the
    formula); None when `tex` is not a single such environment or an \\intertext has no closed argument."""
    env = _ALIGNED_ENV.fullmatch(tex)
    if env is None:
        return None
    name, arg, body = env[1], env[2] or "", env[3]
    start = env.start(3)
    pieces, at = [], 0
    for m in _INTERTEXT.finditer(body):
        if m.start() < at:
            continue
        group = _group_at(body, m.end())
        if group is None:
            return None
        rows = re.sub(r"\\\\\s*$", "", body[at:m.start()].rstrip())     # the \\ that ends the row before it
        if rows.strip():
            pieces.append((True, f"\\begin{{{name}}}{arg}{rows}\\end{{{name}}}", tex[:start + at].count("\n")))
        pieces.append((False, group[0], tex[:start + m.start()].count("\n")))
        at = group[1]
    if body[at:].strip():
        pieces.append((True, f"\\begin{{{name}}}{arg}{body[at:]}\\end{{{name}}}", tex[:start + at].count("\n")))
    return pieces if len(pieces) > 1 else None


# -- definitions ---------------------------------------------------------------------------------------------

_DEFINING = re.compile(r"\\(?:(?:re|provide)?newcommand|g?def|DeclareMathOperator)(?![A-Za-z])")
_NAME = re.compile(r"\s*(?:\{\s*(\\[A-Za-z]+|\\.)\s*\}|(\\[A-Za-z]+|\\.))")


def definitions(tex: str) -> tuple[str, dict[str, str]]:
    """`tex` without its macro definitions, and those definitions as Temml macros: `\\newcommand{\\R}{\\mathbb R}`
    → {'\\R': '\\mathbb R'}, `\\DeclareMathOperator*{\\argmax}{arg\\,max}` → `\\operatorname*{arg\\,max}`.
    One it cannot read whole (a default argument, a brace that does not close) is left for Temml to report."""
    out, found, at = [], {}, 0
    for m in _DEFINING.finditer(tex):
        if m.start() < at:
            continue
        parsed = _definition(tex, m)
        if parsed is None:
            continue
        name, body, end = parsed
        out.append(tex[at:m.start()])
        found[name] = body
        at = end
    out.append(tex[at:])
    return "".join(out), found


def _definition(tex: str, m: re.Match) -> tuple[str, str, int] | None:
    command, pos = m[0][1:], m.end()
    star = tex.startswith("*", pos)
    pos += star
    name = _NAME.match(tex, pos)
    if name is None:
        return None
    macro, pos = name[1] or name[2], name.end()
    if command in ("def", "gdef"):
        params = re.match(r"(?:#\d)*", tex[pos:])[0]
        pos += len(params)
    elif command != "DeclareMathOperator":
        count = re.match(r"\s*\[\s*(\d)\s*\]", tex[pos:])
        if count:
            pos += count.end()
        if re.match(r"\s*\[", tex[pos:]):
            return None                                   # an optional argument's default: Temml's to handle
    body = _group_at(tex, pos)
    if body is None:
        return None
    text, pos = body
    if command == "DeclareMathOperator":
        text = f"\\operatorname{'*' if star else ''}{{{text}}}"
    return macro, text, pos


def _group_at(tex: str, pos: int) -> tuple[str, int] | None:
    """The text of the brace group starting at `pos` (after spaces) and the position after it."""
    while pos < len(tex) and tex[pos].isspace():
        pos += 1
    if pos >= len(tex) or tex[pos] != "{":
        return None
    depth, i = 0, pos
    while i < len(tex):
        c = tex[i]
        if c == "\\":                           # \{ \} \\: an escaped character, never a brace of the group
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return tex[pos + 1:i], i + 1
        i += 1
    return None


# -- plain text --------------------------------------------------------------------------------------------------

_SUPERSCRIPT = str.maketrans("0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW⊤",
                             "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵀ")
_AS_IS = {"*", "∗", "′", "″", "‴"}           # θ^* and f' read fine as they are
_SUBSCRIPT = str.maketrans("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_INVISIBLE = dict.fromkeys(map(ord, "\u2061\u2062\u2063\u2064\u200b"))


@lru_cache(maxsize=8192)
def plain(mathml: str) -> str:
    """A formula as text, for excerpts, meta descriptions and feeds: `\\mathcal{O}(n^2)` → '𝒪(n²)'."""
    from xml.etree.ElementTree import ParseError, fromstring
    try:
        root = fromstring(mathml.replace("\x00", "\ue000"))  # a reference's placeholder: NUL is not XML
    except ParseError:
        return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", mathml))).translate(_INVISIBLE).strip()
    return re.sub(r"\s+", " ", _text(root)).strip().replace("\ue000", "\x00")


def _text(node) -> str:
    tag, kids = node.tag.rpartition("}")[2], list(node)
    if tag in _SCRIPTED and len(kids) >= 2:
        base, scripts = _text(kids[0]), [_text(k).strip() for k in kids[1:]]
        if tag == "mover" and scripts[0] in _ACCENTS:
            return base + _ACCENTS[scripts[0]] if len(base) == 1 else base
        if tag in ("msup", "mover"):
            return base + _script(scripts[0], _SUPERSCRIPT, "^")
        below = _script(scripts[0], _SUBSCRIPT, "_")
        return base + below + (_script(scripts[1], _SUPERSCRIPT, "^") if len(scripts) > 1 else "")
    if tag == "mfrac" and len(kids) == 2:
        return f"{_group(_text(kids[0]))}/{_group(_text(kids[1]))}"
    if tag == "msqrt":
        return f"√{_group(''.join(_text(k) for k in kids))}"
    if tag == "mspace":
        width = (node.get("width") or "0em").removesuffix("em")
        return " " if re.fullmatch(r"[0-9.]+", width) and float(width) >= 0.16 else ""
    if tag == "mtable":
        return "; ".join(_text(k).strip() for k in kids)
    if tag == "mtr":
        return " ".join(_text(k) for k in kids)
    if tag in ("mi", "mn", "mo", "mtext"):
        return "".join(node.itertext()).translate(_INVISIBLE)
    return "".join(_text(k) for k in kids)


_SCRIPTED = {"msup", "msub", "msubsup", "munder", "mover", "munderover"}
_ACCENTS = {"ˆ": "\u0302", "^": "\u0302", "˜": "\u0303", "~": "\u0303", "¯": "\u0304", "‾": "\u0305",
            "→": "\u20d7", "⃗": "\u20d7", "˙": "\u0307", "¨": "\u0308", "ˇ": "\u030c"}


def _script(text: str, table: dict, mark: str) -> str:
    if text in _AS_IS:
        return text
    converted = text.translate(table)
    if text and all(c != o for c, o in zip(converted, text)):
        return converted
    return f"{mark}{_group(text)}" if text else ""


def _group(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 1 or text.isdigit() else f"({text})"


__all__ = ["ENGINE", "Equations", "Macros", "NO_MACROS", "Typeset", "definitions", "plain", "site_macros", "typeset"]
