#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian/Ubuntu machine (Debian's chromium for the browser
# tests, mlfolio with its test extra in .venv) and runs the whole suite. Extra arguments go to pytest.
# .venv is the README's Quick start venv too: when it already works, it is reused, not made again.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium (browser tests drive it through Playwright)"
  apt_install chromium
fi

if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    echo "== installing python3-venv (Debian and Ubuntu ship venv's pip bootstrap separately)"
    apt_install python3-venv
  fi
  echo "== creating .venv"
  python3 -m venv --clear .venv        # --clear: a .venv left without pip by a failed first try
fi
echo "== installing mlfolio[test] into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

echo "== running the tests"
exec .venv/bin/python -m pytest "$@"
