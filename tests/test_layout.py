"""The package's shape: no import cycles, the library never imports the command line, and every module
imports on its own in a fresh interpreter."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "mlfolio"


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def top_level_imports(name: str, path: Path) -> set[str]:
    """mlfolio modules imported when `name` is imported (module level only: imports inside functions run later)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("mlfolio")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("mlfolio"):
                continue
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: {m for m in top_level_imports(name, path) if m in mods and m != name} for name, path in mods.items()}


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_library_never_imports_the_command_line():
    offenders = []
    for name, path in modules().items():
        if name in ("mlfolio.cli", "mlfolio.__main__") or name.startswith("mlfolio.commands"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.ImportFrom):
                targets = [node.module or ""] + [a.name for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            if any(t.split(".")[-1] in ("cli", "commands") or ".cli" in t or ".commands" in t for t in targets):
                offenders.append(name)
    assert offenders == []


def test_every_module_imports_alone_in_a_fresh_interpreter():
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    code = ("import subprocess, sys\n"
            "failed = [m for m in sys.argv[1:] if subprocess.run([sys.executable, '-c', f'import {m}'],"
            " capture_output=True).returncode]\nprint(' '.join(failed))")
    names = [m for m in modules() if m != "mlfolio.__main__"]      # that one runs the CLI
    out = subprocess.run([sys.executable, "-c", code, *names], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "", out.stdout
