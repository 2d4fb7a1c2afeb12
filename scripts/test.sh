#!/usr/bin/env bash
# The project's one test command: make sure the harness venvs exist, then run every cargo test
# (unit, snapshot, CLI, and the end-to-end suite in tests/e2e.rs, which needs the venvs).
# Extra arguments go to `cargo test`, e.g.  bash scripts/test.sh -- --nocapture
# Environment: REPLICATE_MIGRATE_SHARED (default ../shared), E2E_FILTER, HARNESS_VENV1/2.
set -euo pipefail

# a relative REPLICATE_MIGRATE_SHARED is taken from the caller's directory
if [ -n "${REPLICATE_MIGRATE_SHARED:-}" ]; then
    case "$REPLICATE_MIGRATE_SHARED" in /*) ;; *) REPLICATE_MIGRATE_SHARED="$PWD/$REPLICATE_MIGRATE_SHARED" ;; esac
    export REPLICATE_MIGRATE_SHARED
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shared="${REPLICATE_MIGRATE_SHARED:-../shared}"

if [ ! -f "$shared/harness/setup.sh" ]; then
    echo "test.sh: $shared/harness/setup.sh not found; put the shared folder beside the repo" \
         "or set REPLICATE_MIGRATE_SHARED" >&2
    exit 2
fi

echo "==> harness venvs: bash $shared/harness/setup.sh"
bash "$shared/harness/setup.sh"

echo "==> cargo test --all-targets${*:+ $*}"
cargo test --all-targets "$@"

echo "==> all tests passed"
