"""Cohort evidence for a design note, against assessing the same cases alone.

The evidence assesses each case of the folder (python backend, traced) after giving it its
place's profile answers, then tallies scores, needs, approaches and low points. The yardstick
is the bare work it cannot avoid: the same cases assessed, traced, on the same backend. Both
run in one process, taking turns each round, on the example cohort copied N times. Target:
the evidence at most 1.5 times the bare assessments. Prints, never asserts.

    python benchmarks/cohort_evidence.py [--copies N] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from engine.evaluation.assessment import Assessor
from engine.loading.rulebook import load_rulebook
from engine.project_design.cohort import cohort_evidence, read_cohort

TARGET = 1.5
COHORT = Path(__file__).resolve().parent.parent / "examples" / "projects" / "cohorts" / "ethiopia"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    book = load_rulebook()
    cases = read_cohort(COHORT, book) * args.copies
    assessor = Assessor(book, backend="python")
    counted = [c for c in cases if c.profile.country_of_return == "Ethiopia"]
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        cohort_evidence(book, cases, "Ethiopia", date(2026, 12, 1))
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        for case in counted:  # the same cases the evidence counts (the others are left out)
            assessor.assess(case)
        bare.append(time.perf_counter() - start)
    evidence, assessments = statistics.median(ours), statistics.median(bare)
    ratio = evidence / assessments
    print(f"{len(counted)} of {len(cases)} cases: cohort evidence {evidence * 1000:.0f} ms, "
          f"bare assessments {assessments * 1000:.0f} ms, ratio {ratio:.2f} (target <= {TARGET}): "
          f"{'met' if ratio <= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
