"""Cases per second by backend and trace, side by side, and the memory of kept results.

Not a test: it prints, it does not assert. In one run, on the same generated cases, taking
turns in rounds so a noisy machine slows every path alike:
  (a) the durable_rules backend with the full trace (the one-case path of the CLI),
  (b) the Python backend with the full trace,
  (c) status only: the Python backend without building the traced evidence,
with the ratios b/a and c/a against their targets, the inference step alone on the same
facts, and the memory that 10,000 kept results take (tracemalloc).

    python benchmarks/throughput.py [--cases 300] [--rounds 5] [--keep 10000] [--profile]

``--profile`` adds where the time of path (b) goes, by pipeline step and by function.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import TypeVar

from engine.case.model import Case
from engine.evaluation.assessment import Assessor
from engine.evaluation.checks import compile_checks
from engine.evaluation.facts import case_facts
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook

TARGETS = {"b/a": 5.0, "c/a": 20.0}
MEMORY_TARGET_MIB = 200
MEMORY_BUDGET = 1 << 30
"""Bytes of kept results the benchmark allows itself; beyond, it measures fewer and scales."""

Work = Callable[[Case], object]
Item = TypeVar("Item")


def varied_cases(book: RuleBook, count: int) -> list[Case]:
    """Cases that differ in every RSS answer, grid answer and profile flag, deterministically."""
    questions = sorted(book.questions)
    flags = book.framework.ids("vulnerabilities")
    cases = []
    for n in range(count):
        rss = {e.id: e.choices[(n + i) % len(e.choices)].name
               for i, e in enumerate(book.instrument.elements)}
        answers = {q: ("yes", "no", None)[(n * 7 + i) % 3] for i, q in enumerate(questions)}
        cases.append(Case.model_validate({
            "returnee_id": f"BENCH-{n:05d}",
            "profile": {"age": 30, "sex": "female", "country_of_return": "Senegal",
                        "place_of_return": "Dakar", "date_of_return": "2026-09-01",
                        "vulnerabilities": [f for i, f in enumerate(flags) if (n >> i) & 1]},
            "rss": rss, "grid_answers": answers,
        }))
    return cases


def status_only(assessor: Assessor) -> Work:
    """Statuses and modalities without the traced evidence or reasons (batch work)."""
    return lambda case: assessor.assess(case, trace=False)


def inference_floor(assessor: Assessor) -> Work:
    """Scoring, facts and the backend, no decision: what status-only cannot go below."""
    def work(case: Case) -> object:
        return assessor.backend.holding(case_facts(case, assessor.score(case)))
    return work


def rates(paths: dict[str, Callable[[Item], object]], items: Sequence[Item],
          rounds: int) -> dict[str, float]:
    """Items/s of each path: the median of ``rounds``, the paths taking turns in each round."""
    seconds: dict[str, list[float]] = {name: [] for name in paths}
    for work in paths.values():
        work(items[0])  # warm: rules compiled and registered, lazy caches filled
    for _ in range(rounds):
        for name, work in paths.items():
            gc.collect()
            start = time.perf_counter()
            for item in items:
                work(item)
            seconds[name].append(time.perf_counter() - start)
    return {name: len(items) / statistics.median(s) for name, s in seconds.items()}


def kept_bytes(work: Work, cases: list[Case], count: int) -> int:
    """Bytes that ``count`` results of ``work`` take while kept (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [work(cases[n % len(cases)]) for n in range(count)]
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del kept  # alive until measured, then freed before the next measurement
    return used


def kept_memory(work: Work, cases: list[Case], keep: int) -> str:
    """The memory of ``keep`` kept results; scaled from fewer when they would not fit."""
    sample = min(keep, 100)
    each = kept_bytes(work, cases, sample) / sample
    measured = min(keep, max(sample, int(MEMORY_BUDGET // max(each, 1))))
    if measured > sample:
        each = kept_bytes(work, cases, measured) / measured
    total_mib = each * keep / (1 << 20)
    scaled = "" if measured == keep else f", measured on {measured:,} and scaled"
    verdict = "met" if total_mib <= MEMORY_TARGET_MIB else "NOT met"
    return (f"{total_mib:9,.1f} MiB  ({each / 1024:,.1f} KiB each{scaled}; "
            f"target <= {MEMORY_TARGET_MIB} MiB: {verdict})")


def profile(work: Work, cases: list[Case]) -> None:
    """Where the time of one path goes: by pipeline step, then the costliest functions."""
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    for case in cases:
        work(case)
    profiler.disable()
    stats = pstats.Stats(profiler)
    cumulative = {(file.rsplit("/", 1)[-1], name): entry[3]
                  for (file, _line, name), entry in stats.stats.items()}  # type: ignore[attr-defined]
    total = cumulative.get(("assessment.py", "assess"))
    if not total:
        print("\nprofile: Assessor.assess not found in assessment.py; steps not shown")
        stats.sort_stats("tottime").print_stats(12)
        return
    steps = {"scoring": ("scoring.py", "score_answers"), "facts": ("facts.py", "case_facts"),
             "backend": ("python.py", "holding"), "decision": ("decision.py", "decide_all")}
    print(f"\nwhere the time of (b) goes, {len(cases)} cases under cProfile "
          f"(profiling inflates Python-heavy steps):")
    counted = 0.0
    for step, key in steps.items():
        spent = cumulative.get(key)
        if spent is None:
            print(f"  {step:<28}: not found ({key[0]}:{key[1]})")
            continue
        counted += spent
        print(f"  {step:<28}: {spent / total:6.1%}")
    print(f"  {'the rest (building results)':<28}: {(total - counted) / total:6.1%}")
    print("costliest functions by own time:")
    stats.sort_stats("tottime").print_stats(12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    book = load_rulebook()
    cases = varied_cases(book, args.cases)
    durable = Assessor(book)
    python = Assessor(book, backend="python")
    statuses = status_only(python)
    paths = {"a": durable.assess, "b": python.assess, "c": statuses,
             "floor": inference_floor(python)}
    rate = rates(paths, cases, args.rounds)
    facts = [case_facts(case, python.score(case)) for case in cases]
    step = rates({"durable": durable.backend.holding, "python": python.backend.holding},
                 facts, args.rounds)

    checks, joins = compile_checks(book)
    print(f"{args.cases} cases x {args.rounds} rounds, {len(checks)} checks and {len(joins)} "
          "joins compiled, median of the rounds")
    print(f"(a) durable_rules, full trace : {rate['a']:9,.0f} cases/s")
    print(f"(b) python, full trace        : {rate['b']:9,.0f} cases/s   "
          f"b/a {rate['b'] / rate['a']:6.1f}x   (target >= {TARGETS['b/a']:.0f}x)")
    print(f"(c) status only, python       : {rate['c']:9,.0f} cases/s   "
          f"c/a {rate['c'] / rate['a']:6.1f}x   (target >= {TARGETS['c/a']:.0f}x)")
    print(f"    floor of (c): scoring + facts + python backend, no decision: "
          f"{rate['floor']:,.0f} cases/s ({rate['floor'] / rate['a']:.1f}x a)")
    print(f"inference step alone on the same facts: durable_rules {step['durable']:,.0f}/s, "
          f"python {step['python']:,.0f}/s ({step['python'] / step['durable']:.0f}x)")
    if args.profile:
        profile(python.assess, cases)
    print(f"\nmemory of {args.keep:,} kept results (tracemalloc):")
    full = kept_memory(python.assess, cases, args.keep)
    print(f"  full trace (python) : {full}")
    print(f"  status only         : {kept_memory(statuses, cases, args.keep)}")


if __name__ == "__main__":
    main()
