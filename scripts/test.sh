#!/usr/bin/env bash
# Installs what is missing, then runs every check and test layer:
#   format, clippy per package, the dependency rule (ARCHITECTURE.md) and the WASM dependency
#   guard, unit and integration tests on SQLite, the same integration tests on a temporary
#   PostgreSQL server, and the Playwright suite in Debian's Chromium against the built site.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh
# Every build sees the same value, so leptos is not rebuilt between cargo and cargo-leptos runs.
export LEPTOS_OUTPUT_NAME=comptoir
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
START=$(date +%s)
elapsed() { echo "$(( $(date +%s) - START ))s"; }

step "rustfmt"
cargo fmt --all --check

step "clippy (each package with its own features)"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p comptoir-base -p comptoir-db --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "guard: imports follow ARCHITECTURE.md's dependency rule"
scripts/check-layers.sh

step "guard: the WASM never compiles server-only crates"
forbidden=$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none \
  | awk '{print $1}' | grep -xE 'sea-orm|sqlx|sqlx-core|tokio|mio|argon2|tower-sessions' | sort -u || true)
if [ -n "$forbidden" ]; then
  echo "frontend (WASM) depends on server-only crates: $forbidden" >&2
  exit 1
fi
echo "ok: no sea-orm, sqlx, tokio, mio, argon2 or tower-sessions in the WASM dependency tree"

step "unit and integration tests on SQLite ($(elapsed))"
# Unit tests and the integration binary only: `cargo test` would also link the examples.
cargo nextest run -p comptoir-base -p comptoir-db -p app -p server --features app/ssr --lib --tests --no-fail-fast

step "integration tests on PostgreSQL ($(elapsed))"
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop "$PG_TMP_DIR"' EXIT
# The same packages as above, so nothing is built again (`-p server` alone unifies features
# without app's dev-dependencies and rebuilt app and server: about 5 minutes of CI).
cargo nextest run -p comptoir-base -p comptoir-db -p app -p server --features app/ssr --lib --tests --run-ignored only --no-fail-fast

step "build the site for the browser tests ($(elapsed))"
# The site and its server as `cargo leptos watch` builds them: debug builds with
# `--cfg erase_components` (a component edit then rebuilds in seconds, not minutes), which also
# changes the HTML (hydration markers), so neither the integration tests' server (their HTML
# assertions are about the shipped, unerased pages) nor an unerased WASM can stand in for it.
# Measured in BENCHMARKS.md (2026-12-04, build shape).
cargo leptos build
# The local fakes of Mollie and Stripe the browser pays on (another origin than the shop's), with
# the same packages as the tests so that only the example is linked.
cargo build -p app -p server --features app/ssr --example fake_providers

step "end-to-end tests in Chromium ($(elapsed))"
npx playwright test --config end2end/playwright.config.ts

step "all checks passed in $(elapsed)"
