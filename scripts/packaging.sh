#!/usr/bin/env bash
# CI's packaging checks, as a new user installs the tool (called by .ci/run; not part of
# scripts/test.sh because each step builds the release binary):
#  1. `pip install .` into a fresh venv builds the binary with maturin and puts it on PATH;
#     it runs, and finds v1 code in a sample project.
#  2. `pre-commit try-repo .` on a sample git repository with v1 code, a v1 notebook and a v1
#     pin: the check hook fails, the fix hook rewrites the files, and the check hook passes.
# Everything lives in a temporary directory; CARGO_TARGET_DIR is shared so that the second
# build (pre-commit's own install) reuses the first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$work/target"
export PRE_COMMIT_HOME="$work/pre-commit-home"
export PIP_DISABLE_PIP_VERSION_CHECK=1

step() { echo; echo "==> packaging: $*"; }
fail() { echo "packaging: FAILED: $*" >&2; exit 1; }

step "python3 -m venv; pip install . (maturin builds the binary)"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$repo"
bin="$work/venv/bin/replicate-migrate"
[ -x "$bin" ] || fail "pip install . did not install bin/replicate-migrate"
"$bin" --version

# A sample project: v1 code, a v1 notebook cell, and the guide's own v1 pin.
sample="$work/sample"
mkdir -p "$sample"
cat > "$sample/app.py" <<'PY'
import replicate

client = replicate.Client(api_token="r8_token")
output = replicate.run("owner/model", {"prompt": "hi"})
PY
cat > "$sample/requirements.txt" <<'TXT'
replicate>=1.0.0,<2.0.0
requests
TXT
cat > "$sample/demo.ipynb" <<'NB'
{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "import replicate\n",
    "out = replicate.run(\"owner/model\", {\"prompt\": \"hi\"})"
   ]
  }
 ],
 "metadata": {"language_info": {"name": "python"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
NB

step "the installed binary finds the v1 code"
set +e
( cd "$sample" && "$bin" check --output-format concise . )
code=$?
set -e
[ "$code" -eq 1 ] || fail "check on v1 code exited $code, expected 1"

step "pip install pre-commit"
"$work/venv/bin/pip" install --quiet pre-commit
precommit="$work/venv/bin/pre-commit"
git -C "$sample" init --quiet
git -C "$sample" add -A
git -C "$sample" -c user.name=ci -c user.email=ci@example.invalid commit --quiet -m sample

step "pre-commit try-repo: the check hook fails on v1 code"
set +e
( cd "$sample" && "$precommit" try-repo "$repo" replicate-migrate --all-files )
code=$?
set -e
[ "$code" -ne 0 ] || fail "the check hook passed on v1 code"

step "pre-commit try-repo: the fix hook rewrites the files"
set +e
( cd "$sample" && "$precommit" try-repo "$repo" replicate-migrate-fix --all-files )
set -e
grep -q 'bearer_token="r8_token"' "$sample/app.py" || fail "the fix hook did not fix app.py"
grep -q 'replicate>=2.0.0b4' "$sample/requirements.txt" || fail "the fix hook did not fix requirements.txt"
grep -q 'input={' "$sample/demo.ipynb" || fail "the fix hook did not fix demo.ipynb"

step "pre-commit try-repo: the check hook passes after fix"
( cd "$sample" && "$precommit" try-repo "$repo" replicate-migrate --all-files ) \
    || fail "the check hook still fails after fix"

echo
echo "==> packaging: all checks passed"
