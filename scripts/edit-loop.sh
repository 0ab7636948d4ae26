#!/usr/bin/env bash
# Measures the edit loop: `cargo leptos watch` on a scratch SQLite database, then
# scripts/edit-loop.mjs saves a one-line change in a component ROUNDS times (default 3) and
# prints the time from each save to the reloaded page in Chromium. Also times the same change
# under `cargo leptos build` (WATCH_ONLY=1 skips that). Figures go in BENCHMARKS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WANT_POSTGRES=0 source scripts/bootstrap.sh
export LEPTOS_OUTPUT_NAME=comptoir
DB_DIR="$(mktemp -d /tmp/comptoir-edit-loop.XXXX)"
export DATABASE_URL="sqlite://$DB_DIR/edit.db?mode=rwc" RUST_LOG=warn APP__DEMO_PAYMENTS=true

if [ "${WATCH_ONLY:-0}" != 1 ]; then
  cargo leptos build >/dev/null 2>&1
  layout=app/src/routes/layout.rs
  cp "$layout" "$DB_DIR/layout.rs"
  trap 'cp "$DB_DIR/layout.rs" "$ROOT/$layout"' EXIT
  sed -i 's|<footer class="site-footer">|<footer class="site-footer" data-edit="build">|' "$layout"
  start=$(date +%s%N)
  cargo leptos build >/dev/null 2>&1
  echo "cargo leptos build after a one-line change in a component: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  cp "$DB_DIR/layout.rs" "$layout"
  trap - EXIT
fi

setsid cargo leptos watch > "$DB_DIR/watch.log" 2>&1 &
WATCH=$!
trap 'kill -- -$WATCH 2>/dev/null || kill $WATCH 2>/dev/null; pkill -f "$CARGO_TARGET_DIR/debug/server" || true' EXIT
for _ in $(seq 1 900); do
  curl -fsS -o /dev/null http://127.0.0.1:3000/healthz 2>/dev/null && break
  sleep 1
done
curl -fsS -o /dev/null http://127.0.0.1:3000/healthz || { tail -30 "$DB_DIR/watch.log"; exit 1; }
node scripts/edit-loop.mjs
