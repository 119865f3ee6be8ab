#!/usr/bin/env bash
# Quick start, command 1: set up, load the demo offices, accounts and example cases, and
# start the case managers' web workspace; it prints the accounts to sign in with and its
# address (http://127.0.0.1:8000/ unless --port says otherwise). Ctrl+C stops it.
# Arguments go to `reintegrate serve` (e.g. --port 8080). The data (SQLite database, secret
# key, demo passwords) is kept in ~/.local/share/reintegrate unless REINTEGRATE_DATA says.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/reintegrate serve --demo "$@"
