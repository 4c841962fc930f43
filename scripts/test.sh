#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian/Ubuntu machine (Debian's chromium for the browser
# tests, mlfolio with its test extra in .venv) and runs the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium (browser tests drive it through Playwright)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi
echo "== installing mlfolio[test] into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

echo "== running the tests"
exec .venv/bin/python -m pytest "$@"
