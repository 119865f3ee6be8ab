#!/usr/bin/env bash
# Quick start, command 1: set up, validate the shipped rules, and run the main job
# (scores and recommendations) on the example returnee from Ethiopia.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/reintegrate validate
.venv/bin/reintegrate recommend examples/cases/ethiopia_returnee.yaml
