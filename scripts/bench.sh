#!/usr/bin/env bash
# Measures the home page (SSR + database) and /healthz with wrk against a release build on SQLite.
#   scripts/bench.sh            builds with `cargo leptos build --release`, then measures
#   BENCH_SKIP_BUILD=1 scripts/bench.sh
# Figures go to BENCHMARKS.md by hand, with the machine and the date.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WANT_POSTGRES=0 WANT_BROWSER=0 source scripts/bootstrap.sh
export LEPTOS_OUTPUT_NAME=comptoir
command -v wrk >/dev/null || { SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo; $SUDO apt-get install -y -qq wrk; }
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || cargo leptos build --release
DIR=$(mktemp -d)
PORT=3400
DATABASE_URL="sqlite://$DIR/bench.db" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT="$ROOT/target/site" \
  LEPTOS_HASH_FILES=true LEPTOS_ENV=PROD RUST_LOG=warn APP__DEMO_PAYMENTS=true "$CARGO_TARGET_DIR/release/server" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
echo "== page weight"
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  printf '%-60s %8d bytes, %8d brotli\n' "$f" "$(stat -c %s "$f")" "$(curl -fs -H 'Accept-Encoding: br' "http://127.0.0.1:$PORT/pkg/$(basename "$f")" | wc -c)"
done
printf 'home HTML: %d bytes, %d brotli\n' "$(curl -fs http://127.0.0.1:$PORT/ | wc -c)" "$(curl -fs -H 'Accept-Encoding: br' http://127.0.0.1:$PORT/ | wc -c)"
for path in / /healthz; do
  echo "== wrk -t2 -c64 -d15s $path"
  wrk -t2 -c64 -d15s --latency "http://127.0.0.1:$PORT$path" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
done
