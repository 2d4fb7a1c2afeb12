#!/usr/bin/env bash
# A long run of tests/property.rs, not part of scripts/test.sh or CI (issue 12, item 9):
#  1. the property test over many generated programs, in batches of PROPERTY_BATCH (default 500)
#     from random seeds, for half of FUZZ_SECONDS (or, if PROPERTY_CASES is set, one run of that
#     many cases);
#  2. the mutation fuzz (`mutation_fuzz`, an ignored test) for the other half: mutated programs and
#     fixtures through `check` and `fix --unsafe-fixes`; no panic, no RM011, nothing CPython
#     rejects is written, every file written compiles. Findings go to FUZZ_OUT
#     (default target/fuzz-findings).
# Environment: FUZZ_SECONDS (default 600), PROPERTY_CASES, PROPERTY_BATCH, FUZZ_SEED, FUZZ_OUT.
# Exit 1 on the first failing property batch or when the mutation fuzz found anything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${FUZZ_SECONDS:-600}
batch=${PROPERTY_BATCH:-500}
cargo test --test property --no-run

start=$(date +%s)
status=0
if [ -n "${PROPERTY_CASES:-}" ]; then
    seed=${PROPERTY_SEED:-$(( (RANDOM << 30) | (RANDOM << 15) | RANDOM ))}
    echo "==> property test: $PROPERTY_CASES cases from seed $seed"
    PROPERTY_SEED=$seed cargo test -q --test property generated -- --nocapture || status=1
else
    cases=0
    while [ $(( $(date +%s) - start )) -lt $(( seconds / 2 )) ]; do
        seed=$(( (RANDOM << 30) | (RANDOM << 15) | RANDOM ))
        echo "==> property test: $batch cases from seed $seed"
        if ! PROPERTY_SEED=$seed PROPERTY_CASES=$batch \
            cargo test -q --test property generated -- --nocapture; then
            status=1
            break
        fi
        cases=$(( cases + batch ))
    done
    echo "==> property test: $cases cases hold in $(( $(date +%s) - start ))s"
fi

left=$(( seconds - ($(date +%s) - start) ))
[ "$left" -lt 30 ] && left=30
echo "==> mutation fuzz: ${left}s"
FUZZ_SECONDS=$left cargo test -q --test property mutation_fuzz -- --ignored --nocapture || status=1
exit $status
