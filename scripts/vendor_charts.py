"""Vendors the diagram and chart libraries into the default theme from the npm registry, at pinned versions.

    python scripts/vendor_charts.py      re-create themes/default/static/assets/features/{mermaid,vega-lite,plotly}/
                                         and themes/default/VENDORED.md (versions, integrity hashes, sizes)

Each feature's folder gets the package's minified browser build and its LICENSE; a site publishes a folder only
when one of its pages has that feature (site.py). `npm pack` checks each tarball against the registry's integrity
hash, which VENDORED.md records. Source-map comments are removed (the maps are not shipped). To update: change a
pin here, run this, run tests/test_charts.py and look at the example site's charts post in both colour schemes.
"""
from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ROOT / "themes/default/static/assets/features"
RECORD = ROOT / "themes/default/VENDORED.md"

# feature -> [(package, version, {path in the package: path in the feature's folder})]; a path ending in "/"
# copies that folder's *.mjs files. Mermaid's ES-module build loads only the chunks a diagram needs (about 0.9 MB
# for a flowchart) where its single-file build is 5.5 MB on every page.
PINS = {
    "mermaid": [("mermaid", "12.3.0", {"dist/mermaid.esm.min.mjs": "mermaid.esm.min.mjs",
                                       "dist/chunks/mermaid.esm.min/": "chunks/mermaid.esm.min/",
                                       "LICENSE": "LICENSE"})],
    "vega-lite": [("vega", "6.4.0", {"build/vega.min.js": "vega.min.js", "LICENSE": "LICENSE.vega"}),
                  ("vega-lite", "6.5.0", {"build/vega-lite.min.js": "vega-lite.min.js",
                                          "LICENSE": "LICENSE.vega-lite"}),
                  ("vega-embed", "7.3.0", {"build/vega-embed.min.js": "vega-embed.min.js",
                                           "LICENSE": "LICENSE.vega-embed"})],
    "plotly": [("plotly.js-cartesian-dist-min", "4.1.1", {"plotly-cartesian.min.js": "plotly-cartesian.min.js",
                                                          "LICENSE": "LICENSE"})],
}
SOURCE_MAP = re.compile(rb"\n?//# sourceMappingURL=\S+\s*$")


def unpack(package: str, version: str, work: Path) -> tuple[Path, dict]:
    """The package's files and npm's record of its tarball (npm pack verifies the tarball's integrity)."""
    packed = json.loads(subprocess.run(["npm", "pack", f"{package}@{version}", "--json"], cwd=work, check=True,
                                       capture_output=True, text=True).stdout)[0]
    target = work / package
    with tarfile.open(work / packed["filename"]) as tar:
        tar.extractall(target, filter="data")
    return target / "package", packed


def copy(source: Path, target: Path) -> tuple[int, int]:
    """Copies without the source-map comment; (bytes, gzipped bytes)."""
    data = SOURCE_MAP.sub(b"\n", source.read_bytes())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return len(data), len(gzip.compress(data, 9, mtime=0))


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for feature, packages in PINS.items():
            folder = FEATURES / feature
            shutil.rmtree(folder, ignore_errors=True)
            for package, version, files in packages:
                unpacked, packed = unpack(package, version, Path(tmp))
                licence = json.loads((unpacked / "package.json").read_text(encoding="utf-8")).get("license", "?")
                size = gzipped = count = 0
                for inner, outer in files.items():
                    sources = sorted((unpacked / inner).glob("*.mjs")) if inner.endswith("/") else [unpacked / inner]
                    for path in sources:
                        name = outer + path.name if inner.endswith("/") else outer
                        raw, packed_size = copy(path, folder / name)
                        size, gzipped, count = size + raw, gzipped + packed_size, count + 1
                rows.append(f"| {feature} | {package} | {version} | {licence} | {count} | {size / 1e6:.2f} MB "
                            f"| {gzipped / 1e6:.2f} MB | `{packed['integrity']}` |")
                print(f"{feature}: {package}@{version}: {count} files, {size / 1e6:.2f} MB")
    RECORD.write_text(
        "# Vendored diagram and chart libraries\n\n"
        "Made by `python scripts/vendor_charts.py` (do not edit by hand). Each is published only on sites with a "
        "page that uses it.\n\n"
        "| feature | npm package | version | licence | files | size | gzipped | tarball integrity |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
