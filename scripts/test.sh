#!/usr/bin/env bash
# Quick start, command 2: set up and run the checks CI runs: lint, rule validation, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache
.venv/bin/reintegrate validate
# Run from the tests folder's parent without `python -m`, so `import engine` is the
# installed package (proving `pip install .` ships the rules), not the checkout.
.venv/bin/pytest -q "$@"
