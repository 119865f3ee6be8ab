"""A whole export scored and recommended chunk by chunk, with flat memory.

Scoring a chunk is a pure function of (the work's rules, the chunk's rows): the rows are
checked and coded (``coding.ChunkReader``), evaluated at once (``VectorEvaluator``) and made
a results table; so chunks can run here, one after the other, or on a Dask cluster
(``engine.batch.cluster``), and the files written are the same bytes either way. Results
are written as they come, in the export's order: a chunk is held only while it is written.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from engine.batch.coding import Chunk, ChunkReader, labelled
from engine.batch.export import ExportLayout
from engine.batch.form import Form
from engine.evaluation.vector import MISSING, STATUSES, SUMMARIES, VectorEvaluator, VectorResults
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet

RESULTS, ERRORS = "results", "errors"


@dataclass
class BatchWork:
    """Everything a chunk is scored with; small to send to a cluster's workers, which
    build the reader and evaluator once each (they are not sent)."""

    book: RuleBook
    weight_set: WeightSet
    form: Form
    layout: ExportLayout
    identity: str
    _built: tuple[ChunkReader, VectorEvaluator] | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_built": None}

    def parts(self) -> tuple[ChunkReader, VectorEvaluator]:
        if self._built is None:
            self._built = (ChunkReader(self.book, self.form, self.layout),
                           VectorEvaluator(self.book, self.weight_set))
        return self._built


def score_chunk(work: BatchWork, batch: pa.Table, first_row: int) -> tuple[pa.Table,
                                                                                  pa.Table]:
    """(results, errors) of one chunk of rows; ``first_row`` numbers its first row."""
    reader, evaluator = work.parts()
    chunk = reader.read(batch, first_row)
    return results_table(work, chunk, evaluator.evaluate(chunk.columns)), chunk.errors


def results_table(work: BatchWork, chunk: Chunk, evaluated: VectorResults) -> pa.Table:
    """The results of a chunk's rows: what the export says of them, then scores and statuses."""
    evaluator = work.parts()[1]
    rows = chunk.columns.rows
    table = chunk.kept
    table = table.append_column("rules", pa.array([work.identity] * rows, pa.string()))
    table = table.append_column("weight_set", pa.array([work.weight_set.id] * rows, pa.string()))
    for name, score in evaluated.scores.items():
        value = score.value
        table = table.append_column(name, pa.array(value, pa.float64(), mask=np.isnan(value)))
        table = table.append_column(f"{name}_coverage", pa.array(score.coverage, pa.float64()))
        table = table.append_column(f"{name}_missing", labelled(score.missing, MISSING))
    levels = evaluator.levels
    reasons = [f"{s}:{levels[lv]}" if lv >= 0 else s
               for s in SUMMARIES for lv in range(-1, len(levels))]
    for approach, result in evaluated.approaches.items():
        table = table.append_column(approach, labelled(result.status, STATUSES))
        table = table.append_column(f"{approach}_modality",
                                    labelled(result.modality, evaluator.modalities))
        reason = result.status.astype(np.int16) * (len(levels) + 1) + result.failed_level + 1
        table = table.append_column(f"{approach}_reason", labelled(reason, reasons))
    return table


@dataclass
class Outcome:
    rows: int = 0
    scored: int = 0
    rows_with_errors: int = 0
    errors: int = 0


ChunkRunner = Callable[[BatchWork, Iterable[tuple[pa.Table, int]]],
                       Iterator[tuple[pa.Table, pa.Table]]]
"""Scores numbered chunks and yields their (results, errors) in the order given."""


def in_process(work: BatchWork,
               chunks: Iterable[tuple[pa.Table, int]]) -> Iterator[tuple[pa.Table, pa.Table]]:
    for batch, first_row in chunks:
        yield score_chunk(work, batch, first_row)


def numbered(batches: Iterable[pa.Table]) -> Iterator[tuple[pa.Table, int]]:
    """Each chunk with the number of its first row in the export (1 = the first data row)."""
    first = 1
    for batch in batches:
        yield batch, first
        first += batch.num_rows


def run_batch(work: BatchWork, batches: Iterable[pa.Table], out_dir: Path,
              runner: ChunkRunner = in_process,
              on_chunk: Callable[[int, pa.Table], None] | None = None,
              parquet: bool = False) -> Outcome:
    """Score every chunk and write results (CSV, and Parquet when ``parquet``) and errors
    (CSV) into ``out_dir``; ``on_chunk(rows done, results)`` follows progress (and feeds
    the cohort report). Parquet is asked for: it costs about a seventh of the run, and the
    CSV holds the same table (see docs/batch.md).

    The next chunk is read, and the last one written, in threads of their own while a chunk
    is scored (the Parquet file in a fourth): Arrow reads and writes files in C++ without
    holding the GIL, so on two cores they overlap. At most ``AHEAD`` chunks wait at each
    end: memory stays flat."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = result_paths(out_dir, parquet)
    outcome = Outcome()
    writers: list[Any] = []
    written: deque[Future[None]] = deque()
    lanes = 2 if parquet else 1
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-writer") as pool, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-parquet") as typed:
        try:
            for results, errors in runner(work, _counted(numbered(_ahead(batches)), outcome)):
                writers = writers or result_writers(work, paths, results, errors)
                written.append(pool.submit(_write, writers, results, errors))
                if parquet:
                    written.append(typed.submit(writers[2].write_table, results))
                while len(written) > AHEAD * lanes:
                    written.popleft().result()
                outcome.scored += results.num_rows
                outcome.errors += errors.num_rows
                outcome.rows_with_errors += len(pc.unique(errors.column("row")))
                if on_chunk:
                    on_chunk(outcome.scored + outcome.rows_with_errors, results)
            while written:
                written.popleft().result()
            if not writers:  # no rows: the files still say what they would hold
                empty = pa.Table.from_arrays(
                    [pa.array([], pa.string()) for _ in work.layout.header],
                    names=work.layout.header)
                writers = result_writers(work, paths, *score_chunk(work, empty, 1))
        finally:
            for pending in written:
                pending.cancel()
            wait(written)
            for writer in writers:
                writer.close()
    return outcome


AHEAD = 1
"""Chunks read ahead of the one being scored, and written behind it, at most. Reading the
next chunk begins only once the one before it is taken: with a queue of one, a chunk also
waited in the reader's hands while the queue was full (a million rows' peak 1.53x the peak
at 10,000 rows; 1.41x so, at the same CPU time)."""
_END = object()
T = TypeVar("T")


def _ahead(items: Iterable[T]) -> Iterator[T]:
    """``items`` made by a thread of their own: the next one is begun only once the one
    before it is taken, so at most ``AHEAD`` wait, made, while one is used."""
    made: queue.Queue[tuple[bool, Any]] = queue.Queue()
    room = threading.Semaphore(AHEAD)
    stop = threading.Event()

    def make() -> None:
        try:
            iterator = iter(items)
            while True:
                room.acquire()
                if stop.is_set():
                    return
                item = next(iterator, _END)
                if item is _END:
                    break
                made.put((True, item))
            made.put((False, None))
        except BaseException as exc:  # handed to the reader, raised there
            made.put((False, exc))

    threading.Thread(target=make, daemon=True, name="batch-reader").start()
    try:
        while True:
            more, item = made.get()
            room.release()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        room.release()


def result_paths(out_dir: Path, parquet: bool = False) -> list[Path]:
    """Where results (CSV), errors (CSV) and, when asked for, results (Parquet) go."""
    paths = [out_dir / f"{RESULTS}.csv", out_dir / f"{ERRORS}.csv"]
    return [*paths, out_dir / f"{RESULTS}.parquet"] if parquet else paths


WRITE_ROWS = 8192
"""Results rows made text and written at a time. A whole chunk's labels made text at once
raised the peak of a million-row run by about 30 MiB; each slice costs about 1 ms of CPU
(100,000 rows: 0.30-0.33 s against 0.28-0.32 s unsliced, 4096 rows: 0.32-0.33 s)."""


def _write(writers: list[Any], results: pa.Table, errors: pa.Table) -> None:
    """A chunk's results and errors into their CSV files (Parquet is written beside)."""
    for start in range(0, results.num_rows, WRITE_ROWS):
        writers[0].write_table(csv_table(results.slice(start, WRITE_ROWS)))
    writers[1].write_table(errors)


def csv_table(table: pa.Table) -> pa.Table:
    """The labels of the dictionary columns written out as text: the same CSV bytes, but
    Arrow's CSV writer takes about a quarter less time over text columns than over
    dictionary ones (measured: 0.35 s against 0.46 s for 100,000 rows, the cast included)."""
    return pa.table([c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
                     for c in table.columns], names=table.column_names)


def result_writers(work: BatchWork, paths: list[Path], results: pa.Table,
                   errors: pa.Table) -> list[Any]:
    """Writers of ``result_paths``: results as CSV, errors as CSV, and results as Parquet
    (which names the rule book in its metadata) when a third path is given."""
    from pyarrow import csv as arrow_csv
    writers = [arrow_csv.CSVWriter(paths[0], csv_table(results.slice(0, 0)).schema),
               arrow_csv.CSVWriter(paths[1], errors.schema)]
    if len(paths) > 2:
        from pyarrow import parquet
        metadata = {b"rules": work.identity.encode(), b"weight_set": work.weight_set.id.encode()}
        writers.append(parquet.ParquetWriter(paths[2], results.schema.with_metadata(metadata)))
    return writers


def _counted(chunks: Iterator[tuple[pa.Table, int]],
             outcome: Outcome) -> Iterator[tuple[pa.Table, int]]:
    for batch, first_row in chunks:
        outcome.rows = first_row + batch.num_rows - 1
        yield batch, first_row

