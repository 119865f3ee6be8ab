"""Cases per second by backend and trace, side by side, and the memory of kept results.

Not a test: it prints, it does not assert. In one run, on the same 10,000 distinct generated
cases (seeded: every element's choices, don't know, refused and unanswered, grid answers
given or not, profile flags, ages and households), taking turns in rounds so a noisy machine
slows every path alike:
  (a) the durable_rules backend with the full trace (the one-case path of the CLI),
  (b) the Python backend with the full trace,
  (c) status only: the Python backend without building the traced evidence,
with the ratios b/a and c/a against their targets, the inference step alone on the same
facts, and the memory of the 10,000 traced results kept at once together with every cache
the assessment keeps (measured with tracemalloc from a new Assessor, so the decision's
shared parts count), then of the caches alone once the results are dropped.

    python benchmarks/throughput.py [--cases 10000] [--rounds 3] [--profile]

``--profile`` adds where the time of path (b) goes, by pipeline step and by function.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from engine.case.model import Case
from engine.evaluation.assessment import Assessor
from engine.evaluation.checks import compiled
from engine.evaluation.facts import case_facts
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook

TARGETS = {"b/a": 5.0, "c/a": 20.0}
MEMORY_TARGET_MIB = 200
SEED = 20261206

Work = Callable[[Case], object]
Item = TypeVar("Item")


def varied_cases(book: RuleBook, count: int, seed: int = SEED) -> list[Case]:
    """``count`` distinct cases: seeded answers over every choice (missing ones included),
    grid answers given, left open or absent, flags, ages and households of every shape."""
    rng = random.Random(seed)
    questions = sorted(book.questions)
    flags = book.framework.ids("vulnerabilities")
    cases = []
    for n in range(count):
        missing = rng.choice((0.0, 0.05, 0.2, 0.5))
        rss = {e.id: rng.choice(e.choices).name for e in book.instrument.elements
               if rng.random() >= missing}
        open_share = rng.choice((0.0, 0.3, 0.7, 1.0))
        answers: dict[str, Any] = {q: rng.choice(("yes", "no")) for q in questions
                                   if rng.random() >= open_share}
        household = {"school_aged_children": rng.randint(0, 4), "returned_with": [
            {"relationship": "child", "age": rng.randint(0, 17)}
            for _ in range(rng.choice((0, 0, 1, 2)))]}
        cases.append(Case.model_validate({
            "returnee_id": f"BENCH-{n:05d}",
            "profile": {"age": rng.choice((16, 24, 30, 45, 61)), "sex": "female",
                        "country_of_return": "Senegal", "place_of_return": "Dakar",
                        "date_of_return": "2026-09-01", "household": household,
                        "vulnerabilities": rng.sample(flags, rng.randint(0, 3))},
            "rss": rss, "grid_answers": answers,
        }))
    return cases


def status_only(assessor: Assessor) -> Work:
    """Statuses and modalities without the traced evidence or reasons (batch work)."""
    return lambda case: assessor.assess(case, trace=False)


def inference_floor(assessor: Assessor) -> Work:
    """Scoring, facts and the backend, no decision: what status-only cannot go below."""
    observed = compiled(assessor.book).observed

    def work(case: Case) -> object:
        return assessor.backend.holding(case_facts(case, assessor.score(case), observed))
    return work


def rates(paths: dict[str, Callable[[Item], object]], items: Sequence[Item],
          rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """Items/s of each path by wall clock and by CPU time (this process's, the steadier
    figure on a machine busy with other work): the median of ``rounds``, the paths taking
    turns in each round."""
    walls: dict[str, list[float]] = {name: [] for name in paths}
    cpus: dict[str, list[float]] = {name: [] for name in paths}
    for work in paths.values():
        work(items[0])  # warm: rules compiled and registered, lazy caches filled
    for _ in range(rounds):
        for name, work in paths.items():
            gc.collect()
            start, cpu = time.perf_counter(), time.process_time()
            for item in items:
                work(item)
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(time.process_time() - cpu)
    return ({name: len(items) / statistics.median(s) for name, s in walls.items()},
            {name: len(items) / statistics.median(s) for name, s in cpus.items()})


def kept_memory(book: RuleBook, cases: list[Case], trace: bool) -> tuple[float, float]:
    """MiB taken by one result per case kept at once together with the caches of a new
    Assessor, then by its caches alone once the results are dropped (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    assessor = Assessor(book, backend="python")
    kept = [assessor.assess(case, trace=trace) for case in cases]
    with_results = tracemalloc.get_traced_memory()[0] - before
    del kept
    gc.collect()
    caches = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return with_results / (1 << 20), caches / (1 << 20)


def memory_line(label: str, mib: tuple[float, float], count: int) -> str:
    total, caches = mib
    verdict = "met" if total <= MEMORY_TARGET_MIB else "NOT met"
    return (f"  {label:<20}: {total:7,.1f} MiB with the caches ({caches:,.1f} MiB of caches, "
            f"{(total - caches) * 1024 / count:,.1f} KiB a result; target <= "
            f"{MEMORY_TARGET_MIB} MiB: {verdict})")


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
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    book = load_rulebook()
    cases = varied_cases(book, args.cases)
    durable = Assessor(book)
    python = Assessor(book, backend="python")
    statuses = status_only(python)
    paths = {"a": durable.assess, "b": python.assess, "c": statuses,
             "floor": inference_floor(python)}
    rate, cpu_rate = rates(paths, cases, args.rounds)
    observed = compiled(book).observed
    facts = [case_facts(case, python.score(case), observed) for case in cases]
    step, _ = rates({"durable": durable.backend.holding, "python": python.backend.holding},
                    facts, args.rounds)

    rules = compiled(book)
    distinct = len({(tuple(sorted(c.rss.items())), tuple(sorted(c.grid_answers.items())))
                    for c in cases})
    print(f"{args.cases:,} cases ({distinct:,} distinct in their answers) x {args.rounds} "
          f"rounds, {len(rules.checks)} checks and {len(rules.joins)} joins compiled, median "
          "of the rounds; cases/s by wall clock, then by CPU time")
    print(f"(a) durable_rules, full trace : {rate['a']:7,.0f} {cpu_rate['a']:7,.0f}")
    for path, label in (("b", "python, full trace   "), ("c", "status only, python  ")):
        ratio = f"{path}/a"
        print(f"({path}) {label}     : {rate[path]:7,.0f} {cpu_rate[path]:7,.0f}   {ratio} "
              f"{rate[path] / rate['a']:5.1f}x {cpu_rate[path] / cpu_rate['a']:5.1f}x   "
              f"(target >= {TARGETS[ratio]:.0f}x)")
    print(f"    floor of (c): scoring + facts + python backend, no decision: "
          f"{rate['floor']:,.0f} cases/s ({rate['floor'] / rate['a']:.1f}x a; CPU "
          f"{cpu_rate['floor'] / cpu_rate['a']:.1f}x)")
    print(f"inference step alone on the same facts: durable_rules {step['durable']:,.0f}/s, "
          f"python {step['python']:,.0f}/s ({step['python'] / step['durable']:.0f}x)")
    if args.profile:
        profile(python.assess, cases)
    print(f"\nmemory of {args.cases:,} results kept at once, with the caches (tracemalloc):")
    print(memory_line("full trace (python)", kept_memory(book, cases, True), args.cases))
    print(memory_line("status only", kept_memory(book, cases, False), args.cases))


if __name__ == "__main__":
    main()
