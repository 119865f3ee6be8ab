"""``reintegrate xlsform`` and ``reintegrate batch``: the survey out to field teams, and
their KoboToolbox exports back in, scored and recommended as a cohort."""

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from engine.cli.command import RulesOption, WeightsOption, err, reports_problems
from engine.errors import ArgumentError, Problem
from engine.loading.rulebook import load_rulebook

if TYPE_CHECKING:
    from engine.cli.output import Target


def register(app: typer.Typer) -> None:
    app.command("xlsform")(xlsform)
    app.command("batch")(batch)


def _listed(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@reports_problems
def xlsform(output: Annotated[Path, typer.Option(
                "--output", "-o", help="The .xlsx file to write.", dir_okay=False)],
            lang: Annotated[str | None, typer.Option(
                "--lang", "-l", help="Languages, comma-separated (default: en and every "
                "translation); the first is the form's default.")] = None,
            grid: Annotated[str | None, typer.Option(
                "--grid", help="Also ask the grid questions of these dimensions "
                "(comma-separated, e.g. economic,social).")] = None,
            rules: RulesOption = None) -> None:
    """Write the RSS (and grid questions) as an XLSForm for KoboToolbox or ODK."""
    from engine.batch.form import form_for
    from engine.batch.identity import rulebook_identity
    from engine.batch.xlsform import FormError, xlsform_bytes
    from engine.cli.output import OutputError, write_atomically
    book = load_rulebook(rules)
    grids = _listed(grid)
    dimensions = book.framework.ids("dimensions")
    unknown = [g for g in grids if g not in dimensions]
    if unknown:
        raise ArgumentError([Problem("--grid", None, f"no dimension named '{unknown[0]}'",
                                     hint=f"use one of: {', '.join(dimensions)}")])
    if output.suffix.lower() != ".xlsx":
        raise ArgumentError([Problem("--output", None, "an XLSForm is an .xlsx file",
                                     hint=f"write to {output.with_suffix('.xlsx').name}")])
    try:
        form = form_for(book, _listed(lang) or None, grids)
        data = xlsform_bytes(form, book.instrument.title, rulebook_identity(book))
    except FormError as exc:
        raise ArgumentError([Problem("--grid", None, str(exc))]) from None
    try:
        write_atomically(_form_target(output), data)
    except OutputError as exc:
        err.print(str(exc), highlight=False, markup=False)
        raise typer.Exit(2) from None
    err.print(f"Wrote {output} ({len(form.fields())} questions, languages "
              f"{', '.join(form.languages)}).", highlight=False, markup=False)


def _form_target(output: Path) -> "Target":
    """Where the form goes: a new file, or an earlier form of this command to replace. Any
    other file there (the export a team downloaded beside it, a form of its own) is kept:
    OutputError, as for a plan."""
    from engine.cli.output import replaceable_target
    return replaceable_target(output, [], False, _earlier_form, "an XLSForm")


def _earlier_form(path: Path) -> bool:
    """Whether ``path`` is a form this command wrote: its settings sheet names
    ``SETTINGS_ID``."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    from engine.batch.xlsform import SETTINGS_ID
    try:
        workbook = load_workbook(path, read_only=True)
        settings = (list(workbook["settings"].iter_rows(max_row=2, values_only=True))
                    if "settings" in workbook.sheetnames else [])
        workbook.close()
    except (OSError, BadZipFile, KeyError, ValueError):
        return False
    fields = dict(zip(*settings[:2], strict=False)) if len(settings) == 2 else {}
    return fields.get("form_id") == SETTINGS_ID


@reports_problems
def batch(export: Annotated[Path, typer.Argument(
              help="A KoboToolbox export: .csv or .xlsx, XML values or labels, with or "
              "without group names in the headers.", dir_okay=False)],
          output: Annotated[Path, typer.Option(
              "--output", "-o", help="Folder for results.csv, errors.csv, changes.csv and "
              "report.html (and results.parquet with --parquet).", file_okay=False)],
          columns: Annotated[Path | None, typer.Option(
              "--columns", help="YAML mapping a case field to the export's column, for forms "
              "not made by 'reintegrate xlsform' (e.g. returnee_id: beneficiary_code).",
              dir_okay=False)] = None,
          dask: Annotated[str | None, typer.Option(
              "--dask", help="Run the chunks on this Dask scheduler (tcp://host:8786); "
              "needs the 'dask' extra.")] = None,
          chunk_rows: Annotated[int, typer.Option(
              "--chunk-rows", min=100, help="Rows per chunk of an .xlsx export (a CSV is "
              "scored about 8 MiB at a time).")] = 50_000,
          parquet: Annotated[bool, typer.Option(
              "--parquet", help="Also write results.parquet: the same table, typed, for "
              "pandas, R or Dask (about a sixth more time).")] = False,
          rules: RulesOption = None, weights: WeightsOption = "default") -> None:
    """Score and recommend every row of a KoboToolbox export: results, errors and a report."""
    import pyarrow as pa
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from engine.batch.export import export_layout, read_header, row_batches
    from engine.batch.form import form_for
    from engine.batch.identity import rulebook_identity
    from engine.batch.report import CohortReport
    from engine.batch.run import BatchWork, in_process, run_batch
    from engine.loading.rulebook import resolve_weight_set

    if export.suffix.lower() not in (".csv", ".xlsx"):
        raise ArgumentError([Problem(export, None, "not a .csv or .xlsx export",
                                     hint="download the export as CSV or XLS(X)")])
    if not export.is_file():
        raise ArgumentError([Problem(export, None, "no such file")])
    _keep_inputs(output, parquet, [export, *([columns] if columns else [])])
    book = load_rulebook(rules)
    weight_set = resolve_weight_set(book, weights)
    mapping = _mapping(columns) if columns else None
    form = form_for(book, grids=book.framework.ids("dimensions"))
    header, delimiter = read_header(export)
    layout = export_layout(header, form, mapping, where=str(export))
    if layout.unused:
        err.print(f"Not used (not the form's): {len(layout.unused)} column(s): "
                  f"{', '.join(layout.unused[:5])}{' ...' if len(layout.unused) > 5 else ''}",
                  highlight=False, markup=False)
    _writable_folder(output)  # made once the export is known to be one
    work = BatchWork(book, weight_set, form, layout, rulebook_identity(book))
    runner = in_process
    if dask:
        from engine.batch.cluster import on_cluster
        runner = on_cluster(dask)
    with tempfile.TemporaryDirectory(prefix="reintegrate-batch-") as spill:
        report = CohortReport(book, spill=Path(spill))
        with Progress(TextColumn("scoring"), BarColumn(), TextColumn("{task.completed:,} rows"),
                      TimeElapsedColumn(), console=err, transient=True,
                      disable=not err.is_terminal) as progress:  # a log gets no bar
            task = progress.add_task("rows", total=None)

            def on_chunk(rows: int, results: pa.Table) -> None:
                report.add(results)
                progress.update(task, completed=rows)

            outcome = run_batch(work, row_batches(export, layout, delimiter,
                                                  chunk_rows=chunk_rows),
                                output, runner, on_chunk, parquet)
        report.write_changes(output / "changes.csv")
    (output / "report.html").write_text(report.html(work.identity, outcome), encoding="utf-8")
    plural = "" if outcome.errors == 1 else "s"
    err.print(f"{outcome.rows:,} rows: {outcome.scored:,} scored, "
              f"{outcome.rows_with_errors:,} with errors ({outcome.errors:,} problem{plural} "
              f"in errors.csv). Rules {work.identity}.\nWrote {output}/: results.csv, "
              f"{'results.parquet, ' if parquet else ''}errors.csv, changes.csv, report.html.",
              highlight=False, markup=False)


def _writable_folder(output: Path) -> None:
    """The output folder, made and tried before any row is read: one the user may not
    write in was a PermissionError traceback."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=output):
            pass
    except OSError as exc:
        raise ArgumentError([Problem(output, None, "cannot write the results in this folder: "
                                     f"{exc.strerror or exc}",
                                     hint="choose a folder you may write in (-o)")]) from None


def _keep_inputs(output: Path, parquet: bool, inputs: list[Path]) -> None:
    """The files the batch writes never replace what it reads: an export saved as
    ``results.csv`` in the output folder was overwritten by its own results."""
    from engine.batch.run import result_paths
    written = [*result_paths(output, parquet), output / "changes.csv", output / "report.html"]
    for path in written:
        for source in inputs:
            if path.exists() and source.exists() and path.samefile(source):
                raise ArgumentError([Problem(source, None, f"the batch writes {path.name} in "
                                             f"{output}, which would replace this input",
                                             hint="choose another output folder (-o)")])


def _mapping(path: Path) -> dict[str, str]:
    """The --columns file: case field -> the export's column header."""
    from ruamel.yaml import YAML, YAMLError
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError, UnicodeDecodeError) as exc:
        raise ArgumentError([Problem(path, None, f"cannot read the column mapping: "
                                     f"{type(exc).__name__}")]) from None
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ArgumentError([Problem(path, 1, "a column mapping is lines of "
                                     "'field: column header'",
                                     hint="e.g. returnee_id: beneficiary_code")])
    return data
