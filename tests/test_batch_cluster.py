"""The batch on a Dask cluster of two worker processes writes the same bytes as one process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.batch.export import export_layout, read_header, row_batches
from engine.batch.form import form_for
from engine.batch.identity import rulebook_identity
from engine.batch.run import BatchWork, run_batch
from engine.cli.app import app
from engine.model.rulebook import RuleBook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from kobo_export import styled, synthetic_table, write_export

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as local:
        yield local


def test_cluster_output_is_byte_identical(tmp_path: Path, book: RuleBook, cluster) -> None:  # type: ignore[no-untyped-def]
    from engine.batch.cluster import on_cluster
    form = form_for(book, grids=book.framework.ids("dimensions"))
    rows = synthetic_table(book, form, 3000, seed=9)
    export = tmp_path / "cohort.csv"
    write_export(styled(rows, form, "groups"), export)
    header, delimiter = read_header(export)
    work = BatchWork(book, book.weight_set("default"), form, export_layout(header, form),
                     rulebook_identity(book))
    chunks = lambda: row_batches(export, work.layout, delimiter, chunk_bytes=1 << 17)  # noqa: E731
    single = run_batch(work, chunks(), tmp_path / "single", parquet=True)
    spread = run_batch(work, chunks(), tmp_path / "cluster", on_cluster(cluster.scheduler_address),
                       parquet=True)
    assert single.rows == spread.rows == 3000
    assert len(list(chunks())) >= 3  # the work was split
    for name in ("results.csv", "results.parquet", "errors.csv"):
        assert (tmp_path / "single" / name).read_bytes() == (
            tmp_path / "cluster" / name).read_bytes(), name
    assert len(cluster.scheduler_info["workers"]) == 2


def test_batch_command_on_a_cluster(tmp_path: Path, book: RuleBook, cluster) -> None:  # type: ignore[no-untyped-def]
    form = form_for(book, grids=book.framework.ids("dimensions"))
    write_export(synthetic_table(book, form, 300, seed=1), tmp_path / "e.csv")
    runner = CliRunner()
    for out, extra in (("one", ["--parquet"]),
                       ("many", ["--parquet", "--dask", cluster.scheduler_address])):
        result = runner.invoke(app, ["batch", str(tmp_path / "e.csv"), "-o",
                                     str(tmp_path / out), *extra])
        assert result.exit_code == 0, result.output
    for name in ("results.csv", "results.parquet", "errors.csv", "changes.csv", "report.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes()


def test_no_scheduler_is_a_clear_error(tmp_path: Path, book: RuleBook) -> None:
    form = form_for(book)
    write_export(synthetic_table(book, form, 5), tmp_path / "e.csv")
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "e.csv"), "-o",
                                      str(tmp_path / "o"), "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "no Dask scheduler at tcp://127.0.0.1:9" in result.output
