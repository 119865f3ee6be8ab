#!/usr/bin/env bash
# Build the sdist, unpack it alone in a temporary folder, install it (which builds its wheel)
# into a fresh environment and run the quick subset of its own tests there: the sdist must
# carry everything its tests read (rules, templates, examples, docs/contract, README).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m build --sdist --outdir "$work/dist" . >/dev/null
tar -xzf "$work"/dist/reintegrate-*.tar.gz -C "$work"
unpacked=$(ls -d "$work"/reintegrate-*/)
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --upgrade pip
"$work/venv/bin/python" -m pip install -q "${unpacked}[test]"
cd "$unpacked"
"$work/venv/bin/pytest" -q -p no:cacheprovider -m "not stress" tests/test_public_api.py \
  tests/test_contract.py tests/test_rulebook.py tests/test_scoring.py tests/test_pipeline.py
