"""What ranking the open questions costs: ``questions`` with the settling order (each open
grid question's two answers tried on a copy of the case) against the unranked list, side
by side in one run, for each example with only its RSS answered (the first session, when
the most questions are open). It prints; it asserts nothing. Target: the ranked list in
under a second, so the interview can re-rank after every answer.

    .venv/bin/python benchmarks/settling.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from engine.case.reading import load_case
from engine.loading.rulebook import load_rulebook
from engine.planning.asking import next_questions
from engine.planning.pipeline import Pipeline
from engine.planning.settling import Settling

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"
ROUNDS = 5


def best_of(action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    book = load_rulebook()
    pipeline, settling = Pipeline(book), Settling(book)
    print(f"{'example':<20} {'open grid':>9} {'unranked':>10} {'ranked':>10} {'ratio':>7}")
    for path in sorted(EXAMPLES.glob("*.yaml")):
        case = load_case(path, book).model_copy(
            update={"grid_answers": {}, "decisions": [], "agreed_actions": []})

        def unranked(case=case) -> object:
            outcome = pipeline.run(case)
            return next_questions(book, outcome)

        def ranked(case=case) -> object:
            outcome = pipeline.run(case)
            return settling.ranked(outcome, next_questions(book, outcome))

        plain, sorted_ = best_of(unranked), best_of(ranked)
        count = sum(q.kind == "grid" for q in next_questions(
            book, pipeline.run(case)).questions)
        print(f"{path.stem:<20} {count:>9} {plain * 1000:>8.0f}ms {sorted_ * 1000:>8.0f}ms "
              f"{sorted_ / plain:>6.1f}x")


if __name__ == "__main__":
    main()
