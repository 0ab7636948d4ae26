#!/usr/bin/env bash
# Lighthouse (mobile, lab, the `lighthouse` npm package on Debian's Chromium) on pages of a
# running store; prints each page's scores and its LCP, TBT and CLS.
#   scripts/lighthouse.sh http://127.0.0.1:3400 / /products /products/magnesium-marin-b6
# Lighthouse is installed on first use under ~/.cache/comptoir/lighthouse (not a test tool).
set -euo pipefail
BASE="${1:?usage: lighthouse.sh BASE PATH…}"
shift
LH="$HOME/.cache/comptoir/lighthouse"
if [ ! -x "$LH/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$LH"
  npm install --prefix "$LH" --no-audit --no-fund lighthouse@12 >/dev/null
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "| page | performance | accessibility | best practices | SEO | LCP s | TBT ms | CLS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for path in "$@"; do
  report="$OUT/report.json"
  CHROME_PATH=/usr/bin/chromium "$LH/node_modules/.bin/lighthouse" "$BASE$path" \
    --quiet --output=json --output-path="$report" --form-factor=mobile \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run" >/dev/null 2>&1 \
    || { echo "| $path | lighthouse failed |"; continue; }
  node -e '
    const r = require(process.argv[1]);
    const c = r.categories, a = r.audits;
    const s = (k) => Math.round(c[k].score * 100);
    const failed = Object.values(c).flatMap((cat) => cat.auditRefs)
      .filter((ref) => ref.weight > 0 && a[ref.id].score !== null && a[ref.id].score < 1)
      .map((ref) => ref.id);
    console.log(`| ${process.argv[2]} | ${s("performance")} | ${s("accessibility")} | ${s("best-practices")} | ${s("seo")} | ` +
      `${(a["largest-contentful-paint"].numericValue / 1000).toFixed(2)} | ${Math.round(a["total-blocking-time"].numericValue)} | ` +
      `${a["cumulative-layout-shift"].numericValue.toFixed(3)} |` + (failed.length ? ` below 1: ${[...new Set(failed)].join(", ")}` : ""));
  ' "$report" "$path"
done
