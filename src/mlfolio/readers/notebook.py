"""The notebook reader: `.ipynb` posts and pages rendered from their stored outputs, without a kernel.

Markdown cells go through the Markdown reader as one document (so headings, footnotes and equation numbers
run across cells), with each code cell's HTML slotted in where a marker comment stands. Outputs came from
whatever code ran, so they are untrusted: HTML and SVG are sanitised (sanitise.py), terminal colours become
classed spans (ansi.py), images are published as files beside the page, charts go to charts.py. The notebook
itself is published beside the page too, for "Download notebook" and "Open in Colab".
"""
from __future__ import annotations

import base64
import binascii
import io
import json
import re
from html import escape
from urllib.parse import quote, urlsplit

from .. import ansi
from ..markdown import highlight
from . import MARKER, Link, Reader, Rendered, Split, SplitError, split_front_matter

INSTALL = "pip install 'mlfolio[notebooks]'"
WIDGET = "application/vnd.jupyter.widget-view+json"
_LATEX_OUTPUT = re.compile(r"\$\$([^$]+)\$\$|\$([^$]+)\$|\\\[(.+)\\\]|\\\((.+)\\\)", re.S)   # one formula, nothing around it
PLOTLY = "application/vnd.plotly.v1+json"
_VEGALITE = re.compile(r"application/vnd\.vegalite\.v\d+(\.\d+)*\+json$")
_RASTER = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
_CELL = re.compile(r'"cell_type"\s*:')
_SOURCE = re.compile(r'"source"\s*:\s*(\[[ \t\r]*\n)?')
_FRONT = re.compile(r'"mlfolio"\s*:\s*(?=\{)')
_ASSET = re.compile(r"@mlfolio-asset-(\d+)@")
_SLOT = '<!--mlfolio-cell-{}-->'
_SLOT_OUT = re.compile(r"<!--mlfolio-cell-(\d+)-->\n?")
_SIZE = re.compile(r"^\s*([0-9.]+)\s*(px|pt)?\s*$")
_HIDE_TAGS = ("hide-input", "hide-output", "hide-cell")


def _text(value) -> str:
    """A notebook's multi-line string: one string, or a list of lines."""
    if isinstance(value, list):
        return "".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else ""


class _Lines:
    """Where cells are in the file, for messages at file:line: found by scanning the JSON text as Jupyter
    writes it (one source line per JSON line); a file laid out otherwise points at the cell, or line 1."""

    def __init__(self, text: str, cells: int):
        self.text = text
        starts = [m.start() for m in _CELL.finditer(text)]
        self.starts = starts if len(starts) == cells else []
        self._pos, self._line = 0, 1

    def at(self, pos: int) -> int:
        if pos < self._pos:
            self._pos, self._line = 0, 1
        self._line += self.text.count("\n", self._pos, pos)
        self._pos = pos
        return self._line

    def cell(self, index: int) -> int:
        return self.at(self.starts[index]) if self.starts else 1

    def source(self, index: int) -> tuple[int, bool]:
        """(line of the cell's first source line, whether its lines follow one per line)."""
        if not self.starts:
            return 1, False
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        found = None
        for found in _SOURCE.finditer(self.text, self.starts[index], end):
            pass
        if found is None:
            return self.cell(index), False
        line = self.at(found.start())
        return (line + 1, True) if found.group(1) else (line, False)

    def source_line(self, index: int, offset: int) -> int:
        """File line of line `offset` (0-based) of a cell's source."""
        line, per_line = self.source(index)
        return line + offset if per_line else line


def parse(text: str) -> dict:
    """The notebook as JSON; SplitError at the parse position when it is not JSON or not nbformat 4."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SplitError(exc.lineno, exc.colno, f"not a notebook: invalid JSON ({exc.msg})",
                         "a .ipynb file is JSON; open it in Jupyter and save it again, or fix the file here") from None
    except RecursionError:
        raise SplitError(1, 1, "not a notebook: JSON nested too deeply", "re-save it from Jupyter") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise SplitError(1, 1, "not a notebook: no 'cells' list at the top level",
                         "notebooks in nbformat 4 keep their cells in a top-level 'cells' list")
    version = nb.get("nbformat")
    if version != 4:
        m = re.search(r'"nbformat"\s*:', text)
        line = text.count("\n", 0, m.start()) + 1 if m else 1
        col = m.start() - text.rfind("\n", 0, m.start()) if m else 1
        raise SplitError(line, col, f"notebook format {version!r} is not supported (mlfolio reads nbformat 4)",
                         "open and save it in Jupyter, or run 'jupyter nbconvert --to notebook --inplace FILE' "
                         "to upgrade it")
    return nb


def _front_cell(nb: dict) -> tuple[Split | None, str]:
    """Front matter from a first raw or Markdown cell that starts with '---' (and what that cell holds after it)."""
    cells = nb["cells"]
    if not cells or not isinstance(cells[0], dict) or cells[0].get("cell_type") not in ("raw", "markdown"):
        return None, ""
    source = _text(cells[0].get("source"))
    if not source.lstrip("\ufeff").startswith("---"):
        return None, ""
    return split_front_matter(source.lstrip("\ufeff")), cells[0].get("cell_type")


class NotebookReader(Reader):
    name = "notebook"
    version = "3"
    extensions = (".ipynb",)

    def __init__(self, markdown):
        self.markdown = markdown             # the Markdown reader: Markdown cells get everything posts get
        self.max_output = 2048 * 1024
        self.colab = ""                      # 'https://colab.research.google.com/github/OWNER/REPO/blob/BRANCH/'

    def configure(self, config) -> None:
        settings = config.notebooks
        self.max_output = settings.max_output_kb * 1024
        self.colab = colab_base(settings, config.url) if settings.colab else ""

    def key(self) -> str:
        return f"{self.name}:{self.version}:{self.max_output}:{self.colab}:{self.markdown.key()}"

    def split(self, text: str) -> Split:
        if not _has_nbformat():
            raise SplitError(None, None, "notebook skipped: reading notebooks needs the 'nbformat' package",
                             f"install it with: {INSTALL}", warning=True) from None
        nb = parse(text)
        meta = nb.get("metadata")
        front = meta.get("mlfolio") if isinstance(meta, dict) else None
        if front is not None:
            if not isinstance(front, dict):
                raise SplitError(1, 1, "notebook metadata 'mlfolio' must be a mapping",
                                 'write it as "mlfolio": {"title": "...", "date": "YYYY-MM-DD"}')
            return _metadata_front_matter(text, front)
        lines = _Lines(text, len(nb["cells"]))
        try:
            split, _ = _front_cell(nb)
        except SplitError as exc:
            raise SplitError(lines.source_line(0, 0), 1, f"cell 1: {exc.message}", exc.hint) from None
        if split is None or split.front_matter is None:
            raise SplitError(1, 1, "notebook has no front matter",
                             "make its first cell a raw or Markdown cell with '---', 'title: ...', "
                             "'date: YYYY-MM-DD', '---' (or set them in the notebook metadata under 'mlfolio')")
        return Split(split.front_matter, text, 1, lines.source_line(0, 1))

    def render(self, body: str, rel: str) -> Rendered:
        return _Render(self, body, rel).run()


def _has_nbformat() -> bool:
    """Whether nbformat is installed, without importing it (its schema validator takes half a second)."""
    import importlib.util

    try:
        return importlib.util.find_spec("nbformat") is not None
    except ValueError:                   # imported and then removed (or blocked) in sys.modules
        return False


def _metadata_front_matter(text: str, front: dict) -> Split:
    """The metadata's JSON text is YAML too: handed over as written, problems point into the .ipynb. Where
    PyYAML reads it otherwise (rare escapes), the mapping is dumped as YAML instead."""
    import yaml

    found = None
    for found in _FRONT.finditer(text):
        pass
    if found is not None:
        start = found.end()
        try:
            _, end = json.JSONDecoder().raw_decode(text, start)
            line_start = text.rfind("\n", 0, start) + 1
            raw = " " * (start - line_start) + text[start:end]
            if yaml.safe_load(raw) == front:
                return Split(raw, text, 1, text.count("\n", 0, start) + 1)
        except (ValueError, yaml.YAMLError):
            pass
    return Split(yaml.safe_dump(front, allow_unicode=True, sort_keys=False), text, 1, 1)


def colab_base(settings, site_url: str) -> str:
    """Colab's address for the site's folder on GitHub, from `notebooks.repo` or a github.io site URL."""
    repo = settings.repo.strip().strip("/")
    if not repo:
        try:
            parts = urlsplit(site_url)
            host = (parts.hostname or "").lower()
        except ValueError:               # reported by the config check
            return ""
        if not host.endswith(".github.io"):
            return ""
        owner = host[: -len(".github.io")]
        first = parts.path.strip("/").split("/")[0]
        repo = f"{owner}/{first or host}"
    if repo.count("/") != 1:
        return ""
    folder = settings.folder.strip("/")
    return (f"https://colab.research.google.com/github/{quote(repo)}/blob/{quote(settings.branch)}/"
            + (f"{quote(folder)}/" if folder else ""))


class _Render:
    """One notebook body to HTML; collects its files and problems."""

    def __init__(self, reader: NotebookReader, body: str, rel: str):
        self.reader, self.body, self.rel = reader, body, rel
        self.nb = parse(body)
        self.cells = self.nb["cells"]
        self.lines = _Lines(body, len(self.cells))
        self.files: dict[str, bytes | str] = {}
        self.problems: list[tuple[int, str, str]] = []
        self.features = {"notebook", "code"}
        self.assets: list[str] = []          # files beside the page, in the order of their placeholders
        meta = self.nb.get("metadata") if isinstance(self.nb.get("metadata"), dict) else {}
        info = meta.get("language_info") if isinstance(meta.get("language_info"), dict) else {}
        spec = meta.get("kernelspec") if isinstance(meta.get("kernelspec"), dict) else {}
        lang = info.get("pygments_lexer") or info.get("name") or spec.get("language") or "python"
        self.lang = lang if isinstance(lang, str) else "python"
        if lang == "ipython3":
            self.lang = "python"

    def asset(self, name: str, data: bytes) -> str:
        """Publishes a file beside the page; its URL is left as a placeholder until the links are numbered."""
        self.files[name] = data
        self.assets.append(name)
        return f"@mlfolio-asset-{len(self.assets) - 1}@"

    def warn(self, index: int, message: str, hint: str = "") -> None:
        self.problems.append((self.lines.cell(index), f"cell {index + 1}: {message}", hint))

    def run(self) -> Rendered:
        items: list = []                  # (cell index, Markdown text) or HTML of a code cell
        first = 0
        meta = self.nb.get("metadata")
        split, kind = (None, "") if isinstance(meta, dict) and "mlfolio" in meta else _front_cell(self.nb)
        if split is not None:
            first = 1
            if kind == "markdown" and split.body.strip():
                items.append((0, split.body, split.body_line - 1))
        for index in range(first, len(self.cells)):
            cell = self.cells[index]
            try:
                items.extend(self._cell(index, cell))
            except (TypeError, ValueError, AttributeError, KeyError) as exc:
                self.warn(index, f"cell left out: it is not a valid notebook cell ({exc})",
                          "open the notebook in Jupyter and save it again")
        self._validate()
        out = self._markdown(items)
        name = self.rel.rsplit("/", 1)[-1]
        download = self.asset(name, self.body.encode())
        links = [f'<a class="nb-download" href="{download}" download>Download notebook</a>']
        if self.reader.colab:
            url = self.reader.colab + quote(self.rel)
            links.append(f'<a class="nb-colab" href="{escape(url)}" rel="noopener">Open in Colab</a>')
        html = f'<div class="notebook">\n<p class="nb-links">{" ".join(links)}</p>\n{out.html}</div>\n'
        html = html.replace('"attachment:@mlfolio-asset-', '"@mlfolio-asset-')      # Markdown cells' attachments
        first = len(out.links)
        out.links += [Link("asset", file, "", 1, file) for file in self.assets]
        out.html = _ASSET.sub(lambda m: f"@mlfolio-link-{first + int(m.group(1))}@"
                              if int(m.group(1)) < len(self.assets) else m.group(0), html)
        out.files = self.files
        out.problems = sorted(self.problems + out.problems, key=lambda p: p[0])
        out.features = sorted(self.features | set(out.features))
        return out

    def _validate(self) -> None:
        """nbformat's schema check: what a cell holds that Jupyter would refuse, as a warning at that cell."""
        from nbformat.validator import iter_validate

        seen = set()
        try:
            errors = list(iter_validate(self.nb, version=4, version_minor=self.nb.get("nbformat_minor")))
        except Exception:  # noqa: BLE001 - a schema the installed nbformat lacks: nothing more to check
            return
        for error in errors:
            path = list(error.absolute_path)
            index = path[1] if len(path) > 1 and path[0] == "cells" and isinstance(path[1], int) else None
            if index is None or index in seen or index >= len(self.cells):
                continue
            seen.add(index)
            where = "/".join(str(p) for p in path[2:]) or "the cell"
            self.warn(index, f"not valid nbformat 4 at {where}: {error.message[:200]}",
                      "open the notebook in Jupyter and save it again")

    # ---------------------------------------------------------------------------------------------- cells
    def _cell(self, index: int, cell) -> list:
        if not isinstance(cell, dict):
            raise TypeError(f"a cell is a JSON object, not {type(cell).__name__}")
        kind = cell.get("cell_type")
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        tags = {t for t in meta.get("tags") or () if isinstance(t, str)}
        if "remove-cell" in tags:
            return []
        if kind == "markdown":
            return [(index, self._attachments(index, cell), 0)]
        if kind == "raw":
            return []
        if kind != "code":
            raise ValueError(f"unknown cell type {kind!r}")
        jupyter = meta.get("jupyter") if isinstance(meta.get("jupyter"), dict) else {}
        source = _text(cell.get("source"))
        parts = []
        if source.strip() and "remove-input" not in tags:
            count = cell.get("execution_count")
            prompt = f"In [{count if isinstance(count, int) else ' '}]:"
            code = f'<div class="nb-prompt">{prompt}</div>\n' + _inert(highlight(source, self.lang, ""))
            if "hide-input" in tags or jupyter.get("source_hidden") is True:
                code = _details("Show code", code)
            parts.append(f'<div class="nb-input">\n{code}</div>\n')
        if "remove-output" not in tags:
            outputs = self._outputs(index, cell.get("outputs") or [])
            if outputs:
                html = f'<div class="nb-outputs">\n{outputs}</div>\n'
                if "hide-output" in tags or jupyter.get("outputs_hidden") is True:
                    html = _details("Show output", html)
                parts.append(html)
        if not parts:
            return []
        html = "".join(parts)
        if "hide-cell" in tags:
            html = _details("Show cell", html)
        return [f'<div class="nb-cell" id="cell-{index + 1}">\n{html}</div>\n']

    def _attachments(self, index: int, cell: dict) -> str:
        """A Markdown cell's pasted images (`attachment:image.png`) as files beside the page."""
        source = _text(cell.get("source"))
        attachments = cell.get("attachments")
        if not isinstance(attachments, dict) or "attachment:" not in source:
            return source
        for name, bundle in attachments.items():
            mime = next((m for m in _RASTER if isinstance(bundle, dict) and m in bundle), None)
            if mime is None:
                continue
            data = self._decode(index, bundle[mime], f"attachment '{name}'")
            if data is None:
                continue
            stem = re.sub(r"[^A-Za-z0-9_-]+", "-", name.rsplit(".", 1)[0]).strip("-") or "image"
            file = f"cell{index + 1}-{stem}.{_RASTER[mime]}"
            source = source.replace(f"attachment:{name}", f"attachment:{self.asset(file, data)}")
        return source

    # -------------------------------------------------------------------------------------------- outputs
    def _outputs(self, index: int, outputs: list) -> str:
        if not isinstance(outputs, list):
            raise TypeError("'outputs' is not a list")
        merged: list = []
        for output in outputs:
            if not isinstance(output, dict):
                raise TypeError(f"an output is a JSON object, not {type(output).__name__}")
            last = merged[-1] if merged else None
            if (output.get("output_type") == "stream" and last and last.get("output_type") == "stream"
                    and last.get("name") == output.get("name")):
                merged[-1] = {**last, "text": _text(last.get("text")) + _text(output.get("text"))}
            else:
                merged.append(output)
        html = []
        for k, output in enumerate(merged, 1):
            size = _size(output)
            if size > self.reader.max_output:
                self.warn(index, f"output {k} left out: {size / 1024:,.0f} KB, over the limit of "
                                 f"{self.reader.max_output // 1024:,} KB",
                          "clear or shrink that output in Jupyter, or raise notebooks.max_output_kb in mlfolio.yml")
                html.append(_note(f"Output too large to show ({size / 1024 / 1024:.1f} MB)."))
                continue
            try:
                html.append(self._output(index, k, output))
            except (TypeError, ValueError, AttributeError, KeyError) as exc:
                self.warn(index, f"output {k} left out: it is not a valid output ({exc})",
                          "run the cell again and save the notebook")
        return "".join(html)

    def _output(self, index: int, k: int, output: dict) -> str:
        kind = output.get("output_type")
        if kind == "stream":
            name = "nb-stderr" if output.get("name") == "stderr" else "nb-stdout"
            text = ansi.settle(_text(output.get("text")))
            return f'<pre class="nb-stream {name}">{_inert(ansi.to_html(text))}</pre>\n' if text else ""
        if kind == "error":
            trace = output.get("traceback")
            text = "\n".join(t for t in trace if isinstance(t, str)) if isinstance(trace, list) else ""
            text = text or f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
            return f'<pre class="nb-error">{_inert(ansi.to_html(text))}</pre>\n'
        if kind in ("display_data", "execute_result", "update_display_data"):
            data = output.get("data")
            if not isinstance(data, dict):
                raise TypeError("an output's 'data' is not a JSON object")
            meta = output.get("metadata") if isinstance(output.get("metadata"), dict) else {}
            return self._data(index, k, data, meta)
        raise ValueError(f"unknown output type {kind!r}")

    def _data(self, index: int, k: int, data: dict, meta: dict) -> str:
        """The richest representation this page can show safely, as Jupyter would choose it."""
        if WIDGET in data:
            return _note("Interactive widget: not saved with the notebook (run it in Jupyter to see it).")
        chart = PLOTLY if PLOTLY in data else next((m for m in data if _VEGALITE.match(m)), None)
        if chart is not None:
            from ..charts import chart_block

            fallback = self._raster(index, k, data, meta) if any(m in data for m in _RASTER) else ""
            try:
                block = chart_block("plotly" if chart == PLOTLY else "vega-lite", data[chart])
            except ValueError as exc:
                self.warn(index, f"output {k}: chart left out ({exc})")
                return fallback
            self.features.update(block.features)
            figure, end, rest = block.html.replace("@mlfolio-", "\\u0040mlfolio-").rpartition("</figure>")
            return f'<div class="nb-output nb-chart">{figure}{fallback}{end}{rest}</div>\n'
        if "image/svg+xml" in data:
            return self._svg(index, k, data)
        if any(m in data for m in _RASTER):
            return self._raster(index, k, data, meta)
        if "text/html" in data:
            from ..sanitise import clean_html

            return f'<div class="nb-output nb-html">{_inert(clean_html(_text(data["text/html"])))}</div>\n'
        if "text/markdown" in data:
            from ..markdown import render_fragment
            from ..sanitise import clean_html

            html = _inert(clean_html(render_fragment(_text(data["text/markdown"]))))
            return f'<div class="nb-output nb-markdown">{html}</div>\n'
        if "text/latex" in data:
            html = self._latex(index, k, _text(data["text/latex"]))
            if html:
                return html
        if "text/plain" in data:
            return f'<pre class="nb-text">{_inert(ansi.to_html(_text(data["text/plain"])))}</pre>\n'
        return ""

    def _latex(self, index: int, k: int, text: str) -> str:
        """A formula output (SymPy's `$\\displaystyle …$`) as display math; '' when it is not one formula or
        does not typeset (the plain text shows instead, with a warning for the latter)."""
        from .. import math

        found = _LATEX_OUTPUT.fullmatch(text.strip())
        if not found:
            return ""
        tex = next(g for g in found.groups() if g is not None)
        tex = re.sub(r"^\s*\\displaystyle\b", "", tex)
        result = math.typeset(tex, True, self.reader.markdown.macros)
        if result.error:
            self.warn(index, f"output {k}: its LaTeX could not be typeset ({result.error}); shown as text")
            return ""
        self.features.add("math")
        return f'<div class="nb-output nb-latex"><div class="math-display">{result.html}</div></div>\n'

    def _decode(self, index: int, payload, what: str) -> bytes | None:
        try:
            return base64.b64decode(_text(payload), validate=False)
        except (binascii.Error, ValueError) as exc:
            self.warn(index, f"{what} left out: not valid base64 ({exc})", "run the cell again and save")
            return None

    def _raster(self, index: int, k: int, data: dict, meta: dict) -> str:
        import imagesize

        mime = next(m for m in _RASTER if m in data)
        raw = self._decode(index, data[mime], f"output {k}")
        if raw is None:
            return ""
        width, height = imagesize.get(io.BytesIO(raw))
        if width <= 0 or height <= 0:
            self.warn(index, f"output {k} left out: its {mime} data is not an image", "run the cell again and save")
            return ""
        shown = meta.get(mime) if isinstance(meta.get(mime), dict) else {}
        if isinstance(shown.get("width"), (int, float)) and shown["width"] > 0:        # Image(width=…), retina
            height = round(height * shown["width"] / width)
            width = round(shown["width"])
        src = self.asset(f"cell{index + 1}-{k}.{_RASTER[mime]}", raw)
        return (f'<div class="nb-output nb-image"><img src="{src}" width="{width}" height="{height}" '
                f'alt="{_inert(escape(_alt(data, index)))}" loading="lazy" decoding="async"></div>\n')

    def _svg(self, index: int, k: int, data: dict) -> str:
        from ..sanitise import UnsafeSvg, clean_svg

        try:
            svg = clean_svg(_text(data["image/svg+xml"]))
        except UnsafeSvg as exc:
            self.warn(index, f"output {k}: SVG image left out, {exc}", "save the figure again from its library")
            return ""
        src = self.asset(f"cell{index + 1}-{k}.svg", svg.encode())
        size = "".join(f' {a}="{v}"' for a, v in _svg_size(svg).items())
        return (f'<div class="nb-output nb-image"><img src="{src}"{size} alt="{_inert(escape(_alt(data, index)))}" '
                f'loading="lazy" decoding="async"></div>\n')

    # ------------------------------------------------------------------------------------------- Markdown
    def _markdown(self, items: list) -> Rendered:
        """Markdown cells as one document, code cells as marker comments swapped for their HTML; if a cell
        swallows a marker (an unclosed ``` fence), each Markdown cell is rendered on its own."""
        whole = self._render_group(items)
        if whole is not None:
            return whole
        out = Rendered("")
        for item in items:
            part = self._render_group([item]) if isinstance(item, tuple) else Rendered(item)
            shift = len(out.links)
            out.html += MARKER.sub(lambda m: f"@mlfolio-link-{int(m.group(1)) + shift}@", part.html)
            out.links += part.links
            out.toc += part.toc
            out.problems += part.problems
            out.features = sorted(set(out.features) | set(part.features))
            out.words += part.words
            out.excerpt = out.excerpt or part.excerpt
        return out

    def _render_group(self, items: list) -> Rendered | None:
        text, spans, slots = [], [], []          # spans: (first line in `text`, cell index, line offset in cell)
        line = 1
        for item in items:
            if isinstance(item, tuple):
                index, source, offset = item
                spans.append((line, index, offset))
                chunk = source.rstrip("\n") + "\n\n"
            else:
                chunk = "\n" + _SLOT.format(len(slots)) + "\n\n"
                slots.append(item)
            text.append(chunk)
            line += chunk.count("\n")
        if not spans:
            return Rendered("".join(slots))
        r = self.reader.markdown.render("".join(text), self.rel)
        found = {}
        html = _SLOT_OUT.sub(lambda m: found.setdefault(int(m.group(1)), slots[int(m.group(1))])
                             if int(m.group(1)) < len(slots) else "", r.html)
        if len(found) != len(slots):
            return None

        def file_line(n: int) -> int:
            start, index, offset = next(s for s in reversed(spans) if s[0] <= n)
            return self.lines.source_line(index, n - start + offset)

        for link in r.links:
            link.line = file_line(link.line)
        r.problems = [(file_line(n), message, hint) for n, message, hint in r.problems]
        r.html = html
        return r


def _inert(html: str) -> str:
    """Untrusted text never holds a link marker the build would swap for a URL ('@' as a character reference)."""
    return html.replace("@mlfolio-", "&#64;mlfolio-")


def _details(summary: str, html: str) -> str:
    return f'<details class="nb-hidden"><summary>{summary}</summary>\n{html}</details>\n'


def _note(text: str) -> str:
    return f'<p class="nb-note">{escape(text)}</p>\n'


def _size(output: dict) -> int:
    """Bytes an output takes in the notebook, roughly: the sum of its text."""
    total = 0
    for key in ("text", "traceback"):
        total += len(_text(output.get(key))) if key == "text" else sum(len(t) for t in output.get(key) or ()
                                                                        if isinstance(t, str))
    data = output.get("data")
    if isinstance(data, dict):
        for value in data.values():
            total += len(_text(value)) if isinstance(value, (str, list)) else len(json.dumps(value))
    return total


def _alt(data: dict, index: int) -> str:
    """The figure's text representation when it says something ('<Figure size 640x480 …>' does not)."""
    text = _text(data.get("text/plain")).strip()
    return text[:200] if text and not text.startswith("<") else f"Figure from cell {index + 1}"


def _svg_size(svg: str) -> dict[str, str]:
    """width/height for the <img> from the SVG's own (px or pt), else from its viewBox."""
    head = svg[: svg.find(">") + 1]
    out = {}
    for attr in ("width", "height"):
        m = re.search(rf'\s{attr}="([^"]*)"', head)
        size = _SIZE.match(m.group(1)) if m else None
        if size:
            value = float(size.group(1)) * (4 / 3 if size.group(2) == "pt" else 1)
            out[attr] = str(round(value))
    if len(out) < 2:
        m = re.search(r'\sviewBox="\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*"', head)
        if m:
            return {"width": str(round(float(m.group(1)))), "height": str(round(float(m.group(2))))}
        return {}
    return out


__all__ = ["INSTALL", "NotebookReader", "colab_base", "parse"]
