"""Cases per second, one by one: the full assessment against scoring alone.

Not a test: it prints. Both paths run side by side on the same cases, alternating in
rounds, so a noisy machine slows both alike and the ratio stays meaningful.

    python benchmarks/throughput.py [--cases 500] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from engine.case.model import Case
from engine.evaluation.assessment import Assessor
from engine.loading.rulebook import load_rulebook


def varied_cases(count: int) -> list[Case]:
    book = load_rulebook()
    questions = sorted(book.questions)
    cases = []
    for n in range(count):
        rss = {e.id: e.choices[(n + i) % len(e.choices)].name
               for i, e in enumerate(book.instrument.elements)}
        answers = {q: ("yes", "no", None)[(n * 7 + i) % 3] for i, q in enumerate(questions)}
        cases.append(Case.model_validate({
            "returnee_id": f"BENCH-{n:05d}",
            "profile": {"age": 30, "sex": "female", "country_of_return": "Senegal",
                        "place_of_return": "Dakar", "date_of_return": "2026-09-01"},
            "rss": rss, "grid_answers": answers,
        }))
    return cases


def timed(work, cases: list[Case]) -> float:
    start = time.perf_counter()
    for case in cases:
        work(case)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    assessor = Assessor(load_rulebook())
    cases = varied_cases(args.cases)
    assessor.assess(cases[0])  # warm: rules compiled and registered
    scoring, assessing = [], []
    for _ in range(args.rounds):
        scoring.append(timed(assessor.score, cases))
        assessing.append(timed(assessor.assess, cases))
    score_rate = args.cases / statistics.median(scoring)
    assess_rate = args.cases / statistics.median(assessing)
    rules = len(assessor.backend.rule_ids)
    print(f"{args.cases} cases x {args.rounds} rounds, {rules} compiled rules, median per round")
    print(f"scoring alone            : {score_rate:10.0f} cases/s")
    print(f"full assessment (durable): {assess_rate:10.0f} cases/s")
    print(f"ratio scoring / full     : {score_rate / assess_rate:10.1f}x")


if __name__ == "__main__":
    main()
