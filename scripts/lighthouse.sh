#!/usr/bin/env bash
# Lighthouse audit of the example site (not part of the test run): builds example-site, serves it on
# 127.0.0.1, and audits home, a post, projects, publications and the CV with Debian's Chromium, in both themes
# when given (THEMES="default paper"). Prints a Markdown table for README's "Lighthouse" section.
# Every optional feature is on: the example site has search; FEATURES (default "comments analytics") adds giscus
# comments and Plausible analytics to the audited copy. The analytics script is a same-origin stand-in, as when
# self-hosted (`analytics.script`), since this machine cannot reach plausible.io; FEATURES="" audits the site as is.
#   bash scripts/lighthouse.sh            # needs node/npm (Lighthouse comes from the npm registry) and chromium
#   REPORTS=dir bash scripts/lighthouse.sh   # also keeps each full JSON report in dir (theme-page-run.json)
#   RUNS=3 bash scripts/lighthouse.sh         # audits each page 3 times and prints the lowest score of each
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
  for feature in ${FEATURES-comments analytics}; do
    case $feature in
      comments) printf '\ncomments:\n  provider: giscus\n  repo: lovelace-ml/lovelace-ml.github.io\n  repo_id: R_kgDOLa1b2c\n  category: Comments\n  category_id: DIC_kwDOLa1b2c4CdEfG\n' >> "$site/mlfolio.yml" ;;
      analytics)
        mkdir -p "$site/static/js"
        echo 'window.plausible = window.plausible || function () {};' > "$site/static/js/plausible.js"
        printf '\nanalytics:\n  provider: plausible\n  script: http://127.0.0.1:%s/js/plausible.js\n' "$port" >> "$site/mlfolio.yml" ;;
    esac
  done
  "$PY" -m mlfolio build "$site" --offline -q --base-url "http://127.0.0.1:$port/" -o "$site/_site"
  "$PY" scripts/serve_gzip.py "$site/_site" "$port" >/dev/null 2>&1 &       # gzip, as GitHub Pages serves
  server=$!
  sleep 0.5
  for page in $PAGES; do
    if [ ! -e "$site/_site${page}index.html" ] && [ "$page" != / ]; then
      echo "| $theme | \`$page\` | (no such page in this build) | | | |"
      continue
    fi
    reports=()
    for run in $(seq "${RUNS:-1}"); do
      out="$WORK/report-$run.json"
      CHROME_PATH="$CHROME" "$LH" "http://127.0.0.1:$port$page" --quiet --output=json --output-path="$out" \
        --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" >/dev/null 2>&1
      reports+=("$out")
      if [ -n "${REPORTS:-}" ]; then
        mkdir -p "$REPORTS"; slug=$(echo "$page" | tr -c 'a-z0-9\n' '-' | sed 's/^-*//; s/-*$//')
        cp "$out" "$REPORTS/$theme-${slug:-home}-$run.json"
      fi
    done
    "$PY" - "$theme" "$page" "${reports[@]}" <<'PYEOF'
import json, sys
cats = ["performance", "accessibility", "best-practices", "seo"]
runs = [json.load(open(f))["categories"] for f in sys.argv[3:]]
worst = {k: min(round((c[k]["score"] or 0) * 100) for c in runs) for k in cats}   # the lowest of the runs
print(f"| {sys.argv[1]} | `{sys.argv[2]}` | " + " | ".join(str(worst[k]) for k in cats) + " |")
PYEOF
  done
  kill "$server" 2>/dev/null || true
done
