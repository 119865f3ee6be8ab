#!/usr/bin/env bash
# The command-line example: set up, validate the shipped rules, and run the main job on the
# example returnee from Ethiopia: scores and recommendations, then the plan to sign in HTML
# and PDF (English) and in Arabic, and the case manager's worksheet, written to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
case=examples/cases/ethiopia_returnee.yaml
mkdir -p out
.venv/bin/reintegrate validate
.venv/bin/reintegrate recommend "$case"
.venv/bin/reintegrate plan "$case" --format html -o out/ethiopia_plan.html
.venv/bin/reintegrate plan "$case" --format pdf -o out/ethiopia_plan.pdf
.venv/bin/reintegrate plan "$case" --format pdf --lang ar -o out/ethiopia_plan_ar.pdf
.venv/bin/reintegrate plan "$case" --document worksheet --format pdf \
  -o out/ethiopia_worksheet.pdf
