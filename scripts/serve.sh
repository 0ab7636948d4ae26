#!/usr/bin/env bash
# Installs what is missing, then serves the store with demo data on SQLite at http://127.0.0.1:3000.
#   scripts/serve.sh            development build
#   scripts/serve.sh --release  optimised build (slower to build, what a visitor would get)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WANT_POSTGRES=0 WANT_BROWSER=0 source scripts/bootstrap.sh
export LEPTOS_OUTPUT_NAME=comptoir
mkdir -p data
# The demo store takes payments through the offline demo provider (nothing is charged); a real
# deployment sets its providers' keys instead and leaves this off.
export APP__DEMO_PAYMENTS="${APP__DEMO_PAYMENTS:-true}"
# The server creates data/comptoir.db, migrates it and seeds the demo store when it is empty.
exec cargo leptos serve "$@"
