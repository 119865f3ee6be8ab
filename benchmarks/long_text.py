"""PDF time of the longest free text a case file may hold, against the example's own plan.

A review timed one unbroken word in ``goals``: 10,000 characters took 4.8 s and 99,900 took
138 s, the time growing with the square of the length. Since then runs over 40 characters
carry zero-width spaces for layout (``text_safety.breakable``) and returnee text no longer
breaks ``anywhere``. This prints the time to draft and render the returnee's plan as a PDF
for the Ethiopian example, and for the same case with ``goals`` replaced by one word of
10,000, 40,000 and 99,000 characters (the documented limit is 100,000 per text), each as a
ratio to the example. The PDFs are made in turn, in one process (warm), the fastest of
ROUNDS kept. Target (stated in the README): the 99,000-character word within 5 times the
example's plan; time that grows in step with the text (the 99,000 / 40,000 ratio near 2.5,
not 6). Prints, never asserts.

    python benchmarks/long_text.py [--rounds N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from engine import Drafter, Pipeline, load_rules, read_case

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "cases" / "ethiopia_returnee.yaml"
LENGTHS = (10_000, 40_000, 99_000)
TARGET = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    book = load_rules()
    drafter, pipeline = Drafter(book), Pipeline(book)
    example = read_case(EXAMPLE, book).case
    cases = {"example": example} | {
        f"goals: one {n:,}-character word": example.model_copy(update={"goals": "x" * n})
        for n in LENGTHS}
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(rounds):
        for name, case in cases.items():
            start = time.perf_counter()
            drafter.render(drafter.draft(pipeline.run(case), "en"), "pdf", "en", "plan")
            best[name] = min(best[name], time.perf_counter() - start)
    print(f"{'plan as PDF':<36}{'seconds':>9}{'ratio':>8}")
    for name, seconds in best.items():
        print(f"{name:<36}{seconds:>9.2f}{seconds / best['example']:>7.2f}x")
    longest = best[f"goals: one {LENGTHS[-1]:,}-character word"] / best["example"]
    growth = (best[f"goals: one {LENGTHS[-1]:,}-character word"]
              / best[f"goals: one {LENGTHS[-2]:,}-character word"])
    print(f"target: the {LENGTHS[-1]:,}-character word at most {TARGET:.0f}x the example "
          f"(measured {longest:.2f}x); {LENGTHS[-1]:,} / {LENGTHS[-2]:,} characters: "
          f"{growth:.2f}x the time")


if __name__ == "__main__":
    main()
