#!/usr/bin/env bash
# The storefront's speed on a release build, as issue 29 measures it:
#   pages       wrk -t2 -c32 -d10s on /healthz, the home page, a listing and a product page,
#               each page's requests/s as a share of /healthz's, and p99; per engine
#   wasm        the WASM (brotli, as sent) each page makes Chromium load
#   lighthouse  Lighthouse (mobile, lab) on the home page, a listing, a product page, an article
#
#   scripts/bench.sh                                  build, then every part at 1,000 products
#   BENCH_SKIP_BUILD=1 scripts/bench.sh               measure the last release build
#   BENCH_PRODUCTS=100000 BENCH_ENGINES=postgres BENCH_PARTS=pages scripts/bench.sh
#
# Figures go to BENCHMARKS.md by hand, with the machine and the date.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PRODUCTS="${BENCH_PRODUCTS:-1000}"
ENGINES="${BENCH_ENGINES:-sqlite postgres}"
PARTS="${BENCH_PARTS:-pages wasm lighthouse}"
WANT_POSTGRES=0
[[ " $ENGINES " == *" postgres "* ]] && WANT_POSTGRES=1
WANT_POSTGRES=$WANT_POSTGRES WANT_BROWSER=1 source scripts/bootstrap.sh
export LEPTOS_OUTPUT_NAME=comptoir
command -v wrk >/dev/null || { SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo; $SUDO apt-get install -y -qq wrk; }
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || cargo leptos build --release
SERVER="$CARGO_TARGET_DIR/release/server"
PORT=3400
BASE="http://127.0.0.1:$PORT"
LISTING="/products?sort=price-asc&page=3"
PRODUCT="/products/magnesium-marin-b6"
ARTICLE="/articles/microbiote-ecosysteme"
WORK=$(mktemp -d)
PID=""
PG_DIR=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  [ -n "$PG_DIR" ] && scripts/pg.sh stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT

# Starts the release server on $1 (a database URL), seeded with $PRODUCTS products.
start_server() {
  local url="$1"
  DATABASE_URL="$url" RUST_LOG=warn "$SERVER" seed --products "$PRODUCTS" >/dev/null
  DATABASE_URL="$url" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT="$ROOT/target/site" \
    LEPTOS_HASH_FILES=true LEPTOS_ENV=PROD RUST_LOG=warn APP__DEMO_PAYMENTS=true \
    "$SERVER" serve --no-seed &
  PID=$!
  for _ in $(seq 1 150); do curl -fs "$BASE/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "the server did not start" >&2
  exit 1
}

stop_server() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=""
}

# One wrk run: prints "requests/s p99" (p99 in ms).
measure() {
  wrk -t2 -c32 -d10s --latency "$BASE$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v = v * 1000 }; p99 = v }
    /Non-2xx/ { bad = $NF }
    END { printf "%s %s %s\n", rps, p99, (bad == "" ? 0 : bad) }'
}

pages() {
  local engine="$1"
  echo "== $engine, $PRODUCTS products: wrk -t2 -c32 -d10s, no compression"
  for path in / "$LISTING" "$PRODUCT"; do curl -fs -o /dev/null "$BASE$path"; done
  read -r health_rps health_p99 _ < <(measure /healthz)
  printf '| %-36s | %9s | %8s | %7s |\n' path "req/s" "p99 ms" "share"
  printf '| %-36s | %9.0f | %8.2f | %6.1f%% |\n' /healthz "$health_rps" "$health_p99" 100
  for path in / "$LISTING" "$PRODUCT"; do
    read -r rps p99 bad < <(measure "$path")
    printf '| %-36s | %9.0f | %8.2f | %6.1f%% |' "$path" "$rps" "$p99" "$(awk -v a="$rps" -v b="$health_rps" 'BEGIN { print 100 * a / b }')"
    [ "$bad" = 0 ] && echo || echo " ($bad non-2xx)"
  done
}

for engine in $ENGINES; do
  case "$engine" in
    sqlite) start_server "sqlite://$WORK/bench.db?mode=rwc" ;;
    postgres)
      eval "$(scripts/pg.sh start)"
      PG_DIR="$PG_TMP_DIR"
      start_server "$TEST_POSTGRES_URL"
      ;;
    *) echo "unknown engine $engine" >&2; exit 2 ;;
  esac
  [[ " $PARTS " == *" pages "* ]] && pages "$engine"
  # The browser parts run once, on the first engine.
  if [ "$engine" = "${ENGINES%% *}" ]; then
    if [[ " $PARTS " == *" wasm "* ]]; then
      echo "== WASM per page (as sent, brotli), Chromium"
      node end2end/bench/wasm-per-page.mjs "$BASE" / "$LISTING" "$PRODUCT" "$ARTICLE" /cart
    fi
    if [[ " $PARTS " == *" lighthouse "* ]]; then
      echo "== Lighthouse (mobile, lab)"
      scripts/lighthouse.sh "$BASE" / "$LISTING" "$PRODUCT" "$ARTICLE"
    fi
  fi
  stop_server
  if [ -n "$PG_DIR" ]; then scripts/pg.sh stop "$PG_DIR"; PG_DIR=""; fi
done
