#!/usr/bin/env bash
# Lighthouse audit of the example site (not part of the test run): builds example-site, serves it on
# 127.0.0.1, and audits home, a post, projects, publications and the CV with Debian's Chromium, in both themes
# when given (THEMES="default paper"). Prints a Markdown table for README's "Lighthouse" section.
#   bash scripts/lighthouse.sh            # needs node/npm (Lighthouse comes from the npm registry) and chromium
#   REPORTS=dir bash scripts/lighthouse.sh   # also keeps each full JSON report in dir (theme-page.json)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
CHROME=${CHROME_PATH:-/usr/bin/chromium}
THEMES=${THEMES:-default}
PAGES=${PAGES:-"/ /blog/calibration-in-practice/ /projects/ /publications/ /cv/"}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

LH=${LIGHTHOUSE:-}
if [ -z "$LH" ]; then
  npm install --prefix "$WORK/npm" --silent --no-audit --no-fund lighthouse@12.8.2 >/dev/null
  LH="$WORK/npm/node_modules/.bin/lighthouse"
fi

echo "| theme | page | performance | accessibility | best practices | SEO |"
echo "|---|---|---|---|---|---|"
for theme in $THEMES; do
  site="$WORK/site-$theme"
  cp -r example-site "$site"
  rm -rf "$site/.mlfolio-cache" "$site/_site"
  if [ "$theme" != default ]; then printf '\ntheme: %s\n' "$theme" >> "$site/mlfolio.yml"; fi
  port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$PY" -m mlfolio build "$site" --offline -q --base-url "http://127.0.0.1:$port/" -o "$site/_site"
  "$PY" scripts/serve_gzip.py "$site/_site" "$port" >/dev/null 2>&1 &       # gzip, as GitHub Pages serves
  server=$!
  sleep 0.5
  for page in $PAGES; do
    if [ ! -e "$site/_site${page}index.html" ] && [ "$page" != / ]; then
      echo "| $theme | \`$page\` | (no such page in this build) | | | |"
      continue
    fi
    out="$WORK/report.json"
    CHROME_PATH="$CHROME" "$LH" "http://127.0.0.1:$port$page" --quiet --output=json --output-path="$out" \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" >/dev/null 2>&1
    if [ -n "${REPORTS:-}" ]; then
      mkdir -p "$REPORTS"; slug=$(echo "$page" | tr -c 'a-z0-9\n' '-' | sed 's/^-*//; s/-*$//')
      cp "$out" "$REPORTS/$theme-${slug:-home}.json"
    fi
    "$PY" - "$out" "$theme" "$page" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]
score = lambda k: round((c[k]["score"] or 0) * 100)
print(f"| {sys.argv[2]} | `{sys.argv[3]}` | {score('performance')} | {score('accessibility')} | "
      f"{score('best-practices')} | {score('seo')} |")
PYEOF
  done
  kill "$server" 2>/dev/null || true
done
