#!/usr/bin/env bash
# Measures the catalogue pages with wrk against a release build on SQLite (or PostgreSQL with
# BENCH_POSTGRES=1: a throw-away server from scripts/pg.sh), at 1,000 and at
# 100,000 products (the demo store plus the deterministic synthetic catalogue of
# `server seed --products N`).
#   scripts/bench-catalog.sh                 builds with `cargo leptos build --release`, then measures
#   BENCH_SKIP_BUILD=1 scripts/bench-catalog.sh
#   BENCH_SIZES="1000 100000" BENCH_SECONDS=15 BENCH_CONNECTIONS="64 4"   (the defaults)
#   BENCH_PATHS="/products?q=huile"          only these paths
#   APP__SEARCH_CACHE_SECONDS=0              every search ranked afresh (the first-time cost)
# Figures go to BENCHMARKS.md by hand, with the machine and the date.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WANT_POSTGRES=${BENCH_POSTGRES:-0} WANT_BROWSER=0 source scripts/bootstrap.sh
export LEPTOS_OUTPUT_NAME=comptoir
command -v wrk >/dev/null || { SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo; $SUDO apt-get install -y -qq wrk; }
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || cargo leptos build --release
BIN="$CARGO_TARGET_DIR/release/server"
SECONDS_EACH=${BENCH_SECONDS:-15}
PORT=3401
PATHS=(
  "/products/magnesium-marin-b6"
  "/products"
  "/products?category=soin-visage&sort=price-asc"
  "/products?q=creme+visage"
  "/products?q=huile"
)
[ -z "${BENCH_PATHS:-}" ] || read -r -a PATHS <<<"$BENCH_PATHS"
DIR=$(mktemp -d)
PID=""
PG_TMP_DIR=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$DIR"; [ -z "$PG_TMP_DIR" ] || scripts/pg.sh stop "$PG_TMP_DIR"' EXIT
if [ "${BENCH_POSTGRES:-0}" = 1 ]; then
  eval "$(scripts/pg.sh start)"
fi
for size in ${BENCH_SIZES:-1000 100000}; do
  if [ -n "$PG_TMP_DIR" ]; then
    psql -q "$TEST_POSTGRES_URL" -c "CREATE DATABASE catalog_$size"
    export DATABASE_URL="${TEST_POSTGRES_URL%/*}/catalog_$size"
  else
    export DATABASE_URL="sqlite://$DIR/catalog-$size.db"
  fi
  start=$(date +%s)
  RUST_LOG=warn "$BIN" seed --products "$size" >/dev/null
  # What autovacuum does some time after a bulk load: without the visibility map PostgreSQL
  # counts a category with a sequential scan (5 ms at 100,000) instead of an index-only scan.
  # A VACUUM run while the load's own auto-analyze still holds a snapshot marks nothing
  # all-visible, so it is repeated until the map covers the table.
  if [ -n "$PG_TMP_DIR" ]; then
    for _ in $(seq 1 20); do
      psql -q "$DATABASE_URL" -c "VACUUM ANALYZE products, product_search"
      visible=$(psql -At "$DATABASE_URL" -c \
        "SELECT bool_and(relallvisible * 10 >= relpages * 9) FROM pg_class \
         WHERE relname IN ('products', 'product_search')")
      [ "$visible" = t ] && break
      sleep 1
    done
  fi
  echo "### $size products (seeded in $(( $(date +%s) - start )) s)"
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_HASH_FILES=true \
    LEPTOS_ENV=PROD RUST_LOG=warn APP__DEMO_PAYMENTS=true "$BIN" serve --no-seed &
  PID=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  for path in "${PATHS[@]}"; do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT$path" || { echo "GET $path failed" >&2; exit 1; }
    for c in ${BENCH_CONNECTIONS:-64 4}; do
      threads=2; [ "$c" -lt 2 ] && threads=1
      out=$(wrk -t"$threads" -c"$c" -d"${SECONDS_EACH}s" --latency "http://127.0.0.1:$PORT$path")
      rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
      p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
      p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
      errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
      printf '| %s | %7d | c%-3d | %10s | %8s | %8s | %s\n' "$path" "$size" "$c" "$rps" "$p50" "$p99" "$errors"
    done
  done
  kill $PID; wait $PID 2>/dev/null || true; PID=""
done
