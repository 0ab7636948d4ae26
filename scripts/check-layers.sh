#!/usr/bin/env bash
# The dependency rule of ARCHITECTURE.md, checked over app/src (perl is part of every Debian).
exec perl "$(dirname "${BASH_SOURCE[0]}")/check-layers.pl" "$@"
