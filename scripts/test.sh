#!/usr/bin/env bash
# The project's one test command: make sure the harness venvs exist, then run every cargo test
# (unit, snapshot, CLI, and the end-to-end suite in tests/e2e.rs, which needs the venvs).
# Extra arguments go to `cargo test`, e.g.  bash scripts/test.sh -- --nocapture
# Environment: REPLICATE_MIGRATE_SHARED (default ../shared), E2E_FILTER, HARNESS_VENV1/2;
# it sets REPLICATE_MIGRATE_TOOLS_PYTHON (a venv with jsonschema and packaging) for the tests.
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

# The output-format and manifest tests check our output with the consumers' own libraries:
# jsonschema (SARIF and GitLab schemas in tests/schemas/) and packaging (PEP 440 specifiers).
home=${HOME:-~}
tools="${XDG_CACHE_HOME:-$home/.cache}/replicate-migrate-tools/venv"
if ! "$tools/bin/python" -c 'import jsonschema, packaging' 2>/dev/null; then
    echo "==> tools venv: $tools (jsonschema, packaging)"
    python3 -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --disable-pip-version-check 'jsonschema>=4.18' 'packaging>=24'
fi
export REPLICATE_MIGRATE_TOOLS_PYTHON="$tools/bin/python"

echo "==> cargo test --all-targets${*:+ $*}"
cargo test --all-targets "$@"

echo "==> all tests passed"
