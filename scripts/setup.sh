#!/usr/bin/env bash
# Make .venv with the package installed as a user would get it (`pip install .`, not
# editable), plus the system packages the tests and documents need. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# gcc and headers build durable-rules' C core; pango and the fonts make PDFs with
# WeasyPrint (Arabic shaping included); libharfbuzz-subset0 lets WeasyPrint subset fonts
# with HarfBuzz (1.2-1.6x faster PDFs); poppler-utils turns PDF pages into PNG in tests;
# postgresql serves the workspace's store tests on PostgreSQL (scripts/postgres.sh) and
# chromium runs its end-to-end tests (Playwright drives Debian's browser, none downloaded).
SYSTEM_PACKAGES=(gcc python3-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
                 fonts-noto-core fonts-dejavu-core poppler-utils postgresql chromium)
missing=()
for package in "${SYSTEM_PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  as_root=""; [ "$(id -u)" -ne 0 ] && as_root="sudo"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PYTHON and VENV choose the interpreter and the environment (scripts/test.sh makes a second
# one with Python 3.13, where durable-rules is left out by its environment marker).
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
# the web extra: the workspace (reintegrate serve) and its tests
"$VENV/bin/python" -m pip install -q ".[test,web]"
