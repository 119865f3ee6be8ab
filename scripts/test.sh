#!/usr/bin/env bash
# Quick start, command 2: set up and run the checks CI runs: lint, rule validation, the tests
# on Python 3.11 (with durable_rules), the workspace's store tests again on PostgreSQL, the
# tests on Python 3.13 (without durable_rules: the Python backend serves; the web extra
# installed too), and the sdist built, unpacked alone and its quick subset run.
# Arguments go to pytest on 3.11 (e.g. -m 'not stress' to skip the five stress tests);
# SKIP_OTHER_PYTHONS=1 runs only the first leg.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache
.venv/bin/reintegrate validate
# Run from the tests folder's parent without `python -m`, so `import engine` is the
# installed package (proving `pip install .` ships the rules), not the checkout.
.venv/bin/pytest -q "$@"
# The workspace's store tests again, on PostgreSQL (Debian's, started by postgres.sh): an
# unreachable server fails the run (REINTEGRATE_REQUIRE_POSTGRES), it never skips.
database_url=$(bash scripts/postgres.sh)
case $database_url in
  postgres://*) ;;
  *) echo "scripts/postgres.sh printed no postgres:// address; see its messages above." >&2
     exit 1 ;;
esac
DATABASE_URL=$database_url REINTEGRATE_REQUIRE_POSTGRES=1 \
  .venv/bin/pytest -q -p no:cacheprovider tests/web/store

[ "${SKIP_OTHER_PYTHONS:-0}" = 1 ] && exit 0
bash scripts/sdist_check.sh

# A Python 3.13 that runs: pyenv's own build first (its shim fails unless 3.13 is selected).
python313=""
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 \
                 "$(command -v python3.13 || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c "" 2>/dev/null; then
    python313=$candidate
    break
  fi
done
if [ -z "$python313" ] && command -v pyenv >/dev/null 2>&1; then
  pyenv install -s 3.13 && python313=$(ls "$(pyenv root)"/versions/3.13*/bin/python3.13 | tail -1)
fi
if [ -z "$python313" ]; then
  echo "Python 3.13 is not on this machine and could not be installed: only 3.11 was tested." >&2
  exit 1
fi
PYTHON="$python313" VENV=.venv-3.13 bash scripts/setup.sh
.venv-3.13/bin/reintegrate --version
.venv-3.13/bin/reintegrate validate
plan313=$(mktemp -d)
.venv-3.13/bin/reintegrate plan examples/cases/ethiopia_returnee.yaml --format pdf \
  -o "$plan313/plan.pdf"
rm -rf "$plan313"
.venv-3.13/bin/pytest -q -p no:cacheprovider -m "not browser"  # the browser tests ran once, above
