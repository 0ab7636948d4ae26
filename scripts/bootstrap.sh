#!/usr/bin/env bash
# Installs whatever the project needs and is missing; skips what is already there.
# Sourced by scripts/serve.sh and scripts/test.sh (it exports PATH and the shared target dir).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.11"
# Must equal the wasm-bindgen pinned in Cargo.toml / Cargo.lock.
WASM_BINDGEN_VERSION="0.2.130"

# The names of the server's integration test binaries: one per file or folder of server/tests.
test_binaries() {
  local path
  for path in "$ROOT"/server/tests/*.rs "$ROOT"/server/tests/*/main.rs; do
    [ -e "$path" ] || continue
    case "$path" in
      */main.rs) basename "$(dirname "$path")" ;;
      *) basename "$path" .rs ;;
    esac
  done
}

# One target dir shared by every clone and CI run on this machine keeps rebuilds cheap.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/comptoir/target}"
# Every CI clone lives at a new path, so incremental caches never get reused there and only pile
# up in the shared target dir (14 GB after one day of runs); CI builds without them.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
# For the same reason each clone builds the project's own crates and test binaries anew (about
# 400 MB per test binary), and the previous clones' copies would fill the disk within a day of
# runs; CI drops them first. Dependencies stay cached. Test binaries are deleted by name only
# when executable: `http` is both a test and a dependency.
if [ "${CI:-}" = true ] && [ -d "$CARGO_TARGET_DIR" ]; then
  for crate in app server frontend; do
    find "$CARGO_TARGET_DIR" -type f -path '*/deps/*' \( -name "lib$crate-*" -o -name "$crate-*" \) -delete
  done
  for name in $(test_binaries); do
    find "$CARGO_TARGET_DIR" -type f -path '*/deps/*' -name "$name-*" ! -name '*.d' -perm -u+x -delete
  done
  # The browser tests' fakes (an example, linked by each build of the tests' profile).
  find "$CARGO_TARGET_DIR" -type f -path '*/examples/*' -name 'fake_providers-*' ! -name '*.d' -delete
elif [ -d "$CARGO_TARGET_DIR/debug/deps" ]; then
  # In a working copy, a change to the dependencies gives every test binary (about 800 MB) a new
  # hash and the old copies stay: 40 GB in one day of work. Only the newest of each is kept.
  for name in $(test_binaries); do
    # shellcheck disable=SC2012
    { ls -t "$CARGO_TARGET_DIR"/debug/deps/"$name"-* 2>/dev/null || true; } | while read -r file; do
      if [ -x "$file" ] && [ "${file%.d}" = "$file" ]; then echo "$file"; fi
    done | tail -n +2 | xargs -r rm -f
  done
fi
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

log() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*"; }

need_apt=()
want_browser="${WANT_BROWSER:-1}"
want_postgres="${WANT_POSTGRES:-1}"
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v cc >/dev/null 2>&1 || need_apt+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
# The browser tests read the confirmation emails from the outbox table of their SQLite database.
if [ "$want_browser" = 1 ]; then command -v sqlite3 >/dev/null 2>&1 || need_apt+=(sqlite3); fi
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then need_apt+=(chromium fonts-dejavu-core); fi
if [ "$want_postgres" = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  # cargo-leptos' locked dependencies need a newer rustc than stable here; it must not
  # download its own tools (no network), hence no_downloads and the npm/cargo tools below.
  toolchain="+nightly"
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
  log "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (about 16 minutes, once)"
  CARGO_TARGET_DIR="$HOME/.cache/comptoir/tools-target" \
    cargo $toolchain install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  CARGO_TARGET_DIR="$HOME/.cache/comptoir/tools-target" \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x "$ROOT/node_modules/.bin/sass" ] || [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] \
   || [ ! -d "$ROOT/node_modules/@playwright/test" ]; then
  log "npm ci (sass, binaryen, playwright)"
  (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

log "tools ready: $(cargo leptos --version), $(wasm-bindgen --version), sass $(sass --version)"
