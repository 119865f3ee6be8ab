"""A Kobo export scored and recommended, against the time pandas takes just to read it.

Not a test: it prints, it does not assert. In one run, on the same generated export:
  (1) ``pandas.read_csv`` of the file (the yardstick: reading it at all),
  (2) the batch: read in chunks, checked, scored, recommended, results and errors written
      as CSV, as ``reintegrate batch`` writes them by default (``engine.batch.run.run_batch``,
      in this process, no report), and (2b) the same with results.parquet too (``--parquet``),
taking turns in rounds, each timed by the wall clock and by CPU time (the CPU ratio holds
on a busy machine, where the wall clock also counts other people's work; "CPUs busy" is CPU
time over wall time: above 1 where the batch's threads ran at once); then
  (3) the peak memory (VmHWM) of the whole ``reintegrate batch`` command, report
      included, at 10^4 and at 10^6 rows, each in a process of its own.
With ``--stages``, first where the batch's time goes: each stage of (2) timed on its own,
one after the other in one thread (so they add up, and do not overlap as in (2)). With
``--threads``, last, the CPU time of each of (2)'s threads in one more run: the longest is
the least wall-clock time the batch can take, however free the cores.

    python benchmarks/batch_throughput.py [--rows 100000] [--rounds 3] [--stages] [--threads]
                                          [--memory 10000,1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
from kobo_export import write_large_export

from engine.batch.export import export_layout, read_header, row_batches
from engine.batch.form import form_for
from engine.batch.identity import rulebook_identity
from engine.batch.run import (
    BatchWork,
    csv_table,
    result_paths,
    result_writers,
    results_table,
    run_batch,
)
from engine.loading.rulebook import load_rulebook

TARGET, GOAL, MEMORY_TARGET = 1.5, 1.0, 1.5
T = TypeVar("T")


def timed(work: Callable[[], object]) -> tuple[float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


PEAK_PROBE = """
import atexit, sys
def peak():
    with open("/proc/self/status") as status:
        line = next(l for l in status if l.startswith("VmHWM:"))
    print("VmHWM", int(line.split()[1]), file=sys.stderr)
atexit.register(peak)
from engine.cli.app import app
app()
"""
"""Runs the command and prints its peak RSS as it exits. VmHWM is the peak of the process's
own memory: ru_maxrss would also count this parent's pages, copied at fork, kept over exec."""


def peak_rss_mib(export: Path, out: Path) -> float:
    """The peak RSS of ``reintegrate batch EXPORT -o OUT`` in a process of its own."""
    done = subprocess.run([sys.executable, "-c", PEAK_PROBE, "batch", str(export), "-o",
                           str(out)], capture_output=True, text=True, check=False)
    found = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("VmHWM")]
    if done.returncode != 0 or not found:
        raise SystemExit(f"reintegrate batch failed: {done.stderr[-2000:]}")
    return int(found[-1]) / 1024


STAGES = ("parse the CSV", "check and code", "evaluate", "results table", "write CSV",
          "write Parquet")
"""The last is only done with ``--parquet``."""


def write_csv(writers: list[Any], results: pa.Table, errors: pa.Table) -> None:
    writers[0].write_table(csv_table(results))
    writers[1].write_table(errors)


def stage_seconds(work: BatchWork, export: Path, delimiter: str | None,
                  out: Path) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of each stage of ``run_batch``, run one after the other."""
    spent = dict.fromkeys(STAGES, (0.0, 0.0))

    def timed_stage(name: str, work_done: Callable[..., T], *args: Any) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        made = work_done(*args)
        was = spent[name]
        spent[name] = (was[0] + time.perf_counter() - wall, was[1] + time.process_time() - cpu)
        return made

    reader, evaluator = work.parts()
    batches = row_batches(export, work.layout, delimiter)
    out.mkdir(parents=True, exist_ok=True)
    writers: list[Any] = []
    first = 1
    gc.collect()
    while (batch := timed_stage(STAGES[0], next, batches, None)) is not None:
        chunk = timed_stage(STAGES[1], reader.read, batch, first)
        evaluated = timed_stage(STAGES[2], evaluator.evaluate, chunk.columns)
        results = timed_stage(STAGES[3], results_table, work, chunk, evaluated)
        writers = writers or result_writers(work, result_paths(out, parquet=True), results,
                                            chunk.errors)
        timed_stage(STAGES[4], write_csv, writers, results, chunk.errors)
        timed_stage(STAGES[5], writers[2].write_table, results)
        first += batch.num_rows
    for writer in writers:
        writer.close()
    return spent


THREADS = {"MainThread": "checking, coding, scoring", "batch-reader": "parsing the CSV",
           "batch-writer": "writing the CSVs", "batch-parquet": "writing Parquet"}


def thread_seconds(work: Callable[[], object]) -> dict[str, float]:
    """CPU seconds of each thread of this process while ``work`` runs, by what the thread
    does (Arrow's own C++ threads together). Read from /proc every 10 ms (a thread's last
    10 ms may be missed: it ends between two readings)."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu: dict[int, float] = {}
    names: dict[int, str] = {}
    done = threading.Event()

    def read() -> None:
        for thread in threading.enumerate():
            if thread.native_id is not None:
                names.setdefault(thread.native_id, thread.name.split("_")[0])
        for task in os.scandir("/proc/self/task"):
            try:
                with open(f"{task.path}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:  # the thread ended
                continue
            cpu[int(task.name)] = (int(fields[11]) + int(fields[12])) / tick

    read()
    before = dict(cpu)

    def sample() -> None:
        while not done.wait(0.01):
            read()

    sampler = threading.Thread(target=sample, name="sampler")
    sampler.start()
    try:
        work()
    finally:
        done.set()
        sampler.join()
    read()
    spent: dict[str, float] = {}
    for tid, seconds in cpu.items():
        name = names.get(tid, "")
        if name != "sampler":
            label = THREADS.get(name, "Arrow's own threads")
            spent[label] = spent.get(label, 0.0) + seconds - before.get(tid, 0.0)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory", default="10000,1000000",
                        help="Row counts whose peak memory is compared ('' to skip).")
    parser.add_argument("--keep", type=Path, help="Keep generated exports in this folder.")
    parser.add_argument("--threads", action="store_true",
                        help="Last, the CPU time of each thread of the batch.")
    parser.add_argument("--stages", action="store_true",
                        help="First time each stage of the batch on its own.")
    args = parser.parse_args()
    import pandas

    book = load_rulebook()
    form = form_for(book, grids=book.framework.ids("dimensions"))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="batch-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    def export_of(rows: int) -> Path:
        path = folder / f"kobo-{rows}.csv"
        if not path.exists():
            write_large_export(book, form, rows, path)
        return path

    export = export_of(args.rows)
    header, delimiter = read_header(export)
    work = BatchWork(book, book.weight_set("default"), form, export_layout(header, form),
                     rulebook_identity(book))
    if args.stages:
        spent = stage_seconds(work, export, delimiter, folder / "out-stages")
        print(f"where the batch's time goes, {args.rows:,} rows, stages one after the other in "
              "one thread:")
        for name, (wall, cpu) in spent.items():
            shown = f"{name} (--parquet)" if name == STAGES[-1] else name
            print(f"  {shown:<24}: {wall:6.2f} s wall  {cpu:6.2f} s CPU")
        default = [spent[name] for name in STAGES[:-1]]
        print(f"  {'all but Parquet':<24}: {sum(w for w, _ in default):6.2f} s wall  "
              f"{sum(c for _, c in default):6.2f} s CPU   (the command's default outputs)")
    paths = {
        "pandas.read_csv": lambda: pandas.read_csv(export, sep=delimiter),
        "batch score + recommend": lambda: run_batch(
            work, row_batches(export, work.layout, delimiter), folder / "out"),
        "batch, with --parquet": lambda: run_batch(
            work, row_batches(export, work.layout, delimiter), folder / "out-parquet",
            parquet=True),
    }
    seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
    for _ in range(args.rounds):
        for name, work_done in paths.items():
            seconds[name].append(timed(work_done))
    wall = {n: statistics.median(w for w, _ in s) for n, s in seconds.items()}
    cpu = {n: statistics.median(c for _, c in s) for n, s in seconds.items()}
    size = export.stat().st_size / (1 << 20)
    print(f"{args.rows:,}-row Kobo export ({size:,.0f} MiB, {len(header)} columns), median of "
          f"{args.rounds} rounds taking turns, {os.cpu_count()} CPUs")
    for name in paths:
        print(f"  {name:<24}: {wall[name]:6.2f} s wall  {cpu[name]:6.2f} s CPU  "
              f"{args.rows / wall[name]:9,.0f} rows/s  {cpu[name] / wall[name]:4.1f} CPUs busy")
    yardstick = "pandas.read_csv"
    for clock, times in (("wall", wall), ("CPU", cpu)):
        ratio = times["batch score + recommend"] / times[yardstick]
        verdict = "met" if ratio <= GOAL else "target met" if ratio <= TARGET else "NOT met"
        print(f"  batch / read_csv ({clock:>4}): {ratio:5.2f}x   "
              f"(target <= {TARGET}x, goal <= {GOAL}x: {verdict})")
    print(f"  with --parquet / read_csv: {wall['batch, with --parquet'] / wall[yardstick]:5.2f}x "
          f"wall, {cpu['batch, with --parquet'] / cpu[yardstick]:5.2f}x CPU")
    sizes = [int(n) for n in args.memory.split(",") if n]
    if len(sizes) >= 2:
        peaks = {n: peak_rss_mib(export_of(n), folder / f"out-{n}") for n in sizes}
        for rows, peak in peaks.items():
            print(f"  peak memory, reintegrate batch, {rows:>9,} rows: {peak:7.0f} MiB")
        ratio = peaks[sizes[-1]] / peaks[sizes[0]]
        verdict = "met" if ratio <= MEMORY_TARGET else "NOT met"
        print(f"  peak memory {sizes[-1]:,} / {sizes[0]:,} rows: {ratio:5.2f}x   "
              f"(target <= {MEMORY_TARGET}x: {verdict})")
    if args.threads:
        for name, run in (("batch score + recommend", paths["batch score + recommend"]),
                          ("batch, with --parquet", paths["batch, with --parquet"])):
            gc.collect()
            wall = time.perf_counter()
            spent = thread_seconds(run)
            wall = time.perf_counter() - wall
            print(f"  {name}, CPU by thread ({wall:.2f} s wall, one more run): "
                  + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in spent.items()))


if __name__ == "__main__":
    main()
