"""The batch's faster paths read and write exactly what the plain ones do: a choice column
coded by one hash lookup of its expected texts decodes every cell as decoding each distinct
text would, and the benchmark's stage-by-stage run writes the files ``run_batch`` writes."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from engine.batch.cells import (
    BAD,
    FLAGS,
    UNASKED,
    Coder,
    choice_lookup,
    decode_cells,
    option_flag,
)
from engine.batch.export import export_layout, read_header, row_batches
from engine.batch.form import Form, form_for
from engine.batch.identity import rulebook_identity
from engine.batch.run import BatchWork, run_batch
from engine.model.rulebook import RuleBook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from batch_throughput import STAGES, stage_seconds
from kobo_export import synthetic_table, write_export


@pytest.fixture(scope="module")
def form(book: RuleBook) -> Form:
    return form_for(book, grids=book.framework.ids("dimensions"))


def _cells(vocabulary: list[str | None], rows: int, seed: int) -> pa.Array:
    """A column of ``rows`` cells drawn from ``vocabulary``, sliced so it does not start at
    the first value of its buffers (as a chunk's columns may not)."""
    pick = random.Random(seed)
    return pa.array([pick.choice(vocabulary) for _ in range(rows + 7)], pa.string()).slice(7)


@pytest.mark.parametrize("seed", range(6))
def test_flags_decode_as_each_distinct_text_would(seed: int) -> None:
    vocabulary = ["1", "0", "", "1", "0", " 1", "TRUE", "no", "2", "yes ", "  "]
    if seed % 2:
        vocabulary.append(None)
    cells = _cells(vocabulary, 3_000, seed)
    expected = decode_cells(cells, option_flag, 0, np.int8)
    assert (FLAGS.codes(cells) == expected).all()
    assert set(np.unique(expected)) >= {0, 1, BAD}  # every kind of cell was there


@pytest.mark.parametrize("seed", range(4))
def test_choices_decode_as_each_distinct_text_would(book: RuleBook, form: Form,
                                                    seed: int) -> None:
    for item in form.fields():
        if item.kind != "select_one":
            continue
        lookup = choice_lookup(item, form.languages)
        vocabulary = [*lookup, "", "not a choice", next(iter(lookup)).upper(), " "]
        cells = _cells(vocabulary + ([None] if seed % 2 else []), 500, seed)
        decode = lambda text, lookup=lookup: lookup.get(text, BAD)  # noqa: E731
        coder = Coder(decode, UNASKED, np.int16, lookup)
        expected = decode_cells(cells, decode, UNASKED, np.int16)
        assert (coder.codes(cells) == expected).all(), item.name
        assert (expected == BAD).any() and (expected == UNASKED).any()


def test_the_benchmark_stages_write_what_the_batch_writes(tmp_path: Path, book: RuleBook,
                                                          form: Form) -> None:
    rows = synthetic_table(book, form, 1_500, seed=11)
    rows = pa.table([c.cast(pa.string()) for c in rows.columns], names=rows.column_names)
    bad = rows.to_pylist()
    bad[3]["age"], bad[40]["economic_satisfaction"] = "forty", "quite happy"
    export = tmp_path / "export.csv"
    write_export(pa.Table.from_pylist(bad), export)
    header, delimiter = read_header(export)
    work = BatchWork(book, book.weight_set("default"), form, export_layout(header, form),
                     rulebook_identity(book))
    spent = stage_seconds(work, export, delimiter, tmp_path / "stages")
    run_batch(work, row_batches(export, work.layout, delimiter, chunk_bytes=1 << 20),
              tmp_path / "batch")
    assert list(spent) == list(STAGES)
    for name in ("results.csv", "errors.csv"):
        assert (tmp_path / "stages" / name).read_bytes() == (tmp_path / "batch" / name).read_bytes()
    assert (tmp_path / "batch" / "errors.csv").read_text(encoding="utf-8").count("\n") == 3
