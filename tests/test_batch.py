"""``reintegrate batch``: Kobo exports in every style, bad rows, and agreement with the
one-case path on every row of a generated cohort."""

from __future__ import annotations

import csv
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from engine.batch.cells import UNASKED, two_choice_codes
from engine.batch.coding import ChunkReader
from engine.batch.export import export_layout, read_header, row_batches
from engine.batch.form import VULNERABILITIES, Form, form_for
from engine.batch.identity import rulebook_identity
from engine.batch.run import BatchWork, run_batch
from engine.case.model import Case
from engine.cli.app import app
from engine.evaluation.assessment import Assessor
from engine.evaluation.checks import compiled
from engine.evaluation.vector import MISSING, STATUSES, SUMMARIES, VectorEvaluator
from engine.model.rulebook import RuleBook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from kobo_export import styled, synthetic_table, write_export

runner = CliRunner()


@pytest.fixture(scope="module")
def form(book: RuleBook) -> Form:
    return form_for(book, grids=book.framework.ids("dimensions"))


def _batch(export: Path, out: Path, *args: str) -> CliRunner:
    """The command, with results.parquet too: its typed table is what these tests compare."""
    result = runner.invoke(app, ["batch", str(export), "-o", str(out), "--parquet", *args])
    assert result.exit_code == 0, result.output
    return result


def _xlsx(table: pa.Table, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(table.column_names)
    for row in table.to_pylist():
        sheet.append([_number(v) for v in row.values()])
    book.save(path)


def _number(value: object) -> object:
    """Spreadsheets hold numbers as numbers."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def test_header_and_value_styles_import_identically(tmp_path: Path, book: RuleBook,
                                                    form: Form) -> None:
    table = synthetic_table(book, form, 400, seed=3)
    variants = {"names": styled(table, form), "groups": styled(table, form, "groups"),
                "labels_en": styled(table, form, "labels", "labels", "en"),
                "groups_fr_values": styled(table, form, "groups", "labels", "fr"),
                "labels_ar": styled(table, form, "labels", "labels", "ar")}
    outputs = {}
    for name, variant in variants.items():
        export = tmp_path / f"{name}.csv"
        write_export(variant, export, ";" if name != "groups" else ",")
        _batch(export, tmp_path / name)
        outputs[name] = pq.read_table(tmp_path / name / "results.parquet")
    _xlsx(variants["groups_fr_values"], tmp_path / "export.xlsx")
    _batch(tmp_path / "export.xlsx", tmp_path / "xlsx", "--chunk-rows", "150")
    outputs["xlsx"] = pq.read_table(tmp_path / "xlsx" / "results.parquet")
    reference = outputs.pop("names")
    assert reference.num_rows == 400
    for name, output in outputs.items():
        assert output.equals(reference), name
    assert Counter(reference.column("monitoring_round").to_pylist()) == {
        "baseline": 267, "intermediate": 133}


def test_select_multiple_from_either_column(tmp_path: Path, book: RuleBook, form: Form) -> None:
    """The space-separated column alone, or the 1/0 option columns alone, read the same."""
    table = synthetic_table(book, form, 200, seed=5)
    options = [n for n in table.column_names if n.startswith(f"{VULNERABILITIES}/")]
    write_export(table.drop_columns(options), tmp_path / "joined.csv")
    write_export(table.drop_columns([VULNERABILITIES]), tmp_path / "options.csv")
    for name in ("joined", "options"):
        _batch(tmp_path / f"{name}.csv", tmp_path / name)
    assert pq.read_table(tmp_path / "joined" / "results.parquet").equals(
        pq.read_table(tmp_path / "options" / "results.parquet"))


def _as_case(row: dict[str, str | None], book: RuleBook) -> Case:
    """The case file a row stands for, written as a case manager would (the reference)."""
    elements = {e.id: e for e in book.instrument.elements}
    rss = {e: v for e, v in row.items() if e in elements and v is not None}
    enrolment = next(e for e in book.instrument.elements if e.asked_if is not None)
    if enrolment.id not in rss and int(row["school_aged_children"]) == 0:
        rss[enrolment.id] = enrolment.not_applicable().name  # the form did not ask
    return Case.model_validate({
        "returnee_id": row["returnee_id"], "monitoring_round": row["monitoring_round"],
        "profile": {"age": int(row["age"]), "sex": row["sex"],
                    "country_of_return": row["country_of_return"],
                    "place_of_return": row["place_of_return"],
                    "date_of_return": row["date_of_return"],
                    "household": {"size": int(row["household_size"]),
                                  "school_aged_children": int(row["school_aged_children"])},
                    "vulnerabilities": (row[VULNERABILITIES] or "").split()},
        "rss": rss,
        "grid_answers": {q: v for q, v in row.items() if q in book.questions and v},
    })


@pytest.mark.stress
def test_batch_and_one_case_paths_agree_on_every_row(tmp_path: Path, book: RuleBook,
                                                     form: Form) -> None:
    rows = 20_000
    export = tmp_path / "cohort.csv"
    table = synthetic_table(book, form, rows, seed=11)
    write_export(styled(table, form, "groups"), export)
    header, delimiter = read_header(export)
    layout = export_layout(header, form)
    reader = ChunkReader(book, form, layout)
    evaluator = VectorEvaluator(book)
    one_case = Assessor(book, backend="python")
    levels, modalities = book.framework.ids("levels"), book.framework.ids("modalities")
    seen: Counter[str] = Counter()
    compared = 0
    source = iter(table.to_pylist())
    first = 1
    for batch in row_batches(export, layout, delimiter, chunk_bytes=1 << 20):
        chunk = reader.read(batch, first)
        first += batch.num_rows
        assert chunk.errors.num_rows == 0
        results = evaluator.evaluate(chunk.columns)
        for i in range(chunk.columns.rows):
            row = next(source)
            assessment = one_case.assess(_as_case(row, book))
            for score in assessment.scores.all():
                got = results.scores[score.name]
                value = None if np.isnan(got.value[i]) else float(got.value[i])
                missing = None if got.missing[i] < 0 else MISSING[got.missing[i]]
                assert (value, float(got.coverage[i]), int(got.answered[i]),
                        int(got.applicable[i]), missing) == (
                    score.value, score.coverage, score.answered, score.applicable,
                    score.missing), (row["_uuid"], score.name)
            for expected in assessment.approaches:
                got = results.approaches[expected.approach]
                held = tuple(sorted(r for r, h in results.held.items()
                                    if h[i] and r.split("/", 1)[0] == expected.approach))
                level = levels[got.failed_level[i]] if got.failed_level[i] >= 0 else None
                modality = modalities[got.modality[i]] if got.modality[i] >= 0 else None
                assert (STATUSES[got.status[i]], modality, held, SUMMARIES[got.status[i]],
                        level) == (expected.status, expected.modality, expected.rule_ids,
                                   expected.summary.code, expected.summary.level), (
                    row["_uuid"], expected.approach)
                seen[expected.status] += 1
                seen[f"modality {expected.modality}"] += 1
            for element in assessment.scores.elements.values():
                seen[f"gap {element.gap}"] += 1
            compared += 1
    assert compared == rows
    # The cohort covered what the agreement must hold for.
    gaps = ("dont_know", "refused", "not_applicable", "unanswered")
    assert all(seen[f"gap {g}"] > 1000 for g in gaps)
    assert all(seen[s] > 100 for s in STATUSES)
    assert all(seen[f"modality {m}"] > 20 for m in modalities)
    flags = table.column(VULNERABILITIES).to_pylist()
    for flag in book.framework.ids("vulnerabilities"):
        assert sum(flag in (f or "") for f in flags) > 1000
    assert set(table.column("school_aged_children").to_pylist()) == {0, 1, 2, 3, 4}
    compiled_book = compiled(book)
    assert {c.op for c in compiled_book.checks} >= {"lt", "in", "present", "eq"}
    assert compiled_book.joins


def test_bad_rows_land_in_the_errors_file(tmp_path: Path, book: RuleBook, form: Form) -> None:
    table = synthetic_table(book, form, 30, seed=2)
    rows = pa.table([c.cast(pa.string()) for c in table.columns],
                    names=table.column_names).to_pylist()
    rows[2]["age"] = "forty"
    rows[4]["sex"] = "F"
    rows[5]["economic_satisfaction"] = "quite happy"
    rows[7]["returnee_id"] = "Amina Diallo"
    rows[9]["date_of_return"] = "2026-13-01"
    rows[11][VULNERABILITIES] = "medical_needs homeless"
    rows[12][f"{VULNERABILITIES}/medical_needs"] = "2"
    rows[13]["place_of_return"] = None
    rows[14]["_uuid"] = None
    for row in rows:
        row["vocational_training_wants"] = "yes"  # not a column of the form: ignored
    rows[16]["voc_wants_training"] = "maybe"
    export = tmp_path / "bad.csv"
    write_export(pa.Table.from_pylist(rows), export)
    result = _batch(export, tmp_path / "out")
    with (tmp_path / "out" / "errors.csv").open(encoding="utf-8") as handle:
        errors = [(int(r["row"]), r["column"], r["value"], r["expected"])
                  for r in csv.DictReader(handle)]
    assert [(r, c, v) for r, c, v, _ in errors] == [
        (3, "age", "forty"), (5, "sex", "F"), (6, "economic_satisfaction", "quite happy"),
        (8, "returnee_id", ""), (10, "date_of_return", "2026-13-01"),
        (12, VULNERABILITIES, "medical_needs homeless"),
        (13, f"{VULNERABILITIES}/medical_needs", "2"), (14, "place_of_return", ""),
        (15, "_uuid", ""), (17, "voc_wants_training", "maybe")]
    expected = dict(((r, c), e) for r, c, _, e in errors)
    assert expected[(3, "age")] == "a whole number from 0 to 120"
    assert expected[(8, "returnee_id")].startswith("must be a pseudonymous code")
    assert "Amina" not in (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8")
    scored = pq.read_table(tmp_path / "out" / "results.parquet")
    assert scored.num_rows == 20
    assert 3 not in scored.column("row").to_pylist()
    assert "30 rows: 20 scored, 10 with errors" in result.output
    assert "vocational_training_wants" in result.output  # named as not used


def test_a_mapping_names_the_columns_of_another_form(tmp_path: Path, book: RuleBook,
                                                     form: Form) -> None:
    table = synthetic_table(book, form, 50, seed=4)
    renamed = table.rename_columns([{"returnee_id": "beneficiary_code", "age": "Age (years)"}
                                    .get(n, n) for n in table.column_names])
    write_export(table, tmp_path / "ours.csv")
    write_export(renamed, tmp_path / "theirs.csv")
    (tmp_path / "columns.yaml").write_text(
        "returnee_id: beneficiary_code\nage: Age (years)\n", encoding="utf-8")
    _batch(tmp_path / "ours.csv", tmp_path / "ours")
    _batch(tmp_path / "theirs.csv", tmp_path / "theirs", "--columns",
           str(tmp_path / "columns.yaml"))
    assert pq.read_table(tmp_path / "theirs" / "results.parquet").equals(
        pq.read_table(tmp_path / "ours" / "results.parquet"))
    unmapped = runner.invoke(app, ["batch", str(tmp_path / "theirs.csv"), "-o",
                                   str(tmp_path / "x")])
    assert unmapped.exit_code == 2
    assert "no column for 'returnee_id'" in unmapped.output
    assert "--columns" in unmapped.output


def test_an_export_without_uuid_is_refused(tmp_path: Path, book: RuleBook, form: Form) -> None:
    write_export(synthetic_table(book, form, 5).drop_columns(["_uuid"]), tmp_path / "e.csv")
    result = runner.invoke(app, ["batch", str(tmp_path / "e.csv"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "no _uuid column" in result.output


def test_results_name_the_rule_book(tmp_path: Path, book: RuleBook, form: Form) -> None:
    write_export(synthetic_table(book, form, 10), tmp_path / "e.csv")
    _batch(tmp_path / "e.csv", tmp_path / "o")
    parquet = pq.read_table(tmp_path / "o" / "results.parquet")
    assert parquet.schema.metadata[b"rules"] == book.identity.encode()
    assert set(parquet.column("rules").to_pylist()) == {book.identity}
    assert parquet.column("_uuid").to_pylist() == synthetic_table(
        book, form, 10).column("_uuid").to_pylist()


def test_cohort_report_and_changes(tmp_path: Path, book: RuleBook, form: Form) -> None:
    table = synthetic_table(book, form, 600, seed=8)
    write_export(table, tmp_path / "e.csv")
    _batch(tmp_path / "e.csv", tmp_path / "o")
    report = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert report.count("<svg") == 4 + 5 + 2  # distributions, groupings, approaches, change
    for words in ("Score distributions", "By place of return", "By sex", "By age band",
                  "By monitoring round", "Approaches indicated most",
                  "Change between monitoring rounds", book.identity):
        assert words in report
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', report))
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours  # greys only
    assert "RT-" not in report  # no returnee is named
    with (tmp_path / "o" / "changes.csv").open(encoding="utf-8") as handle:
        changes = list(csv.DictReader(handle))
    ids = table.column("returnee_id").to_pylist()
    assert len(changes) == sum(1 for n in Counter(ids).values() if n > 1) > 150
    first = next(c for c in changes if c["composite_change"])
    assert float(first["composite_change"]) == pytest.approx(
        float(first["composite_last"]) - float(first["composite_first"]))


@pytest.mark.parametrize(("name", "expected"), [("missing.csv", "no such file"),
                                                ("export.json", "not a .csv or .xlsx export")])
def test_an_export_that_cannot_be_read_exits_2(tmp_path: Path, name: str,
                                               expected: str) -> None:
    if name.endswith(".json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / name), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert expected in result.output
    assert not (tmp_path / "o").exists()


def test_an_empty_export_writes_empty_results(tmp_path: Path, book: RuleBook,
                                              form: Form) -> None:
    write_export(synthetic_table(book, form, 3).slice(0, 0), tmp_path / "e.csv")
    result = _batch(tmp_path / "e.csv", tmp_path / "o")
    assert "0 rows: 0 scored" in result.output
    assert pq.read_table(tmp_path / "o" / "results.parquet").num_rows == 0


def test_a_broken_csv_is_a_clear_error_without_its_text(tmp_path: Path, book: RuleBook,
                                                        form: Form) -> None:
    write_export(synthetic_table(book, form, 20), tmp_path / "e.csv")
    with (tmp_path / "e.csv").open("a", encoding="utf-8") as handle:
        handle.write('"x";"Amina Diallo";"y"\n')
    result = runner.invoke(app, ["batch", str(tmp_path / "e.csv"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "the export stops being a CSV: Expected" in result.output
    assert "Amina" not in result.output


def test_parquet_is_written_when_asked_for_and_holds_the_csv_table(tmp_path: Path,
                                                                    book: RuleBook,
                                                                    form: Form) -> None:
    write_export(synthetic_table(book, form, 300, seed=6), tmp_path / "e.csv")
    plain = runner.invoke(app, ["batch", str(tmp_path / "e.csv"), "-o", str(tmp_path / "csv")])
    assert plain.exit_code == 0, plain.output
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "changes.csv", "errors.csv", "report.html", "results.csv"]
    assert "results.parquet" not in plain.output
    asked = _batch(tmp_path / "e.csv", tmp_path / "both")
    assert "results.parquet" in asked.output
    for name in ("results.csv", "errors.csv", "changes.csv", "report.html"):
        assert (tmp_path / "csv" / name).read_bytes() == (tmp_path / "both" / name).read_bytes()
    typed = pq.read_table(tmp_path / "both" / "results.parquet")
    with (tmp_path / "csv" / "results.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == typed.column_names
    assert len(rows) == typed.num_rows == 300
    assert [float(r["composite"]) if r["composite"] else None for r in rows] == (
        typed.column("composite").to_pylist())  # every digit, as Parquet holds it
    for name in ("_uuid", "vocational_training", "vocational_training_reason"):
        assert [r[name] or None for r in rows] == typed.column(name).to_pylist(), name


def test_columns_not_read_are_not_parsed(tmp_path: Path, book: RuleBook, form: Form) -> None:
    """A column that is neither the form's nor _uuid/_index is not parsed: text that is not
    even UTF-8 there is no error; in a column the batch reads, it stops the run, saying so."""
    write_export(synthetic_table(book, form, 40, seed=12), tmp_path / "e.csv")
    lines = (tmp_path / "e.csv").read_bytes().split(b"\n")
    extra = [lines[0] + b';"notes"'] + [line + b';"caf\xe9 \xff"' for line in lines[1:-1]]
    (tmp_path / "extra.csv").write_bytes(b"\n".join([*extra, b""]))
    _batch(tmp_path / "e.csv", tmp_path / "plain")
    result = _batch(tmp_path / "extra.csv", tmp_path / "extra")
    assert "notes" in result.output  # named as not used
    assert "40 rows: 40 scored, 0 with errors" in result.output
    for name in ("results.csv", "results.parquet", "errors.csv"):
        assert (tmp_path / "plain" / name).read_bytes() == (
            tmp_path / "extra" / name).read_bytes(), name
    broken = [*lines[:5], lines[5].replace(b'"baseline"', b'"basel\xffine"'), *lines[6:]]
    (tmp_path / "broken.csv").write_bytes(b"\n".join(broken))
    stopped = runner.invoke(app, ["batch", str(tmp_path / "broken.csv"), "-o",
                                  str(tmp_path / "o")])
    assert stopped.exit_code == 2
    assert "a cell of a column the form reads is not UTF-8 text" in stopped.output


def test_the_results_never_replace_the_export(tmp_path: Path, book: RuleBook,
                                              form: Form) -> None:
    """An export saved as results.csv in the output folder was overwritten by its own
    results (exit 0, the export lost)."""
    export = tmp_path / "results.csv"
    write_export(synthetic_table(book, form, 5), export)
    kept = export.read_bytes()
    result = runner.invoke(app, ["batch", str(export), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "which would replace this input" in result.output
    assert export.read_bytes() == kept


def test_a_short_row_is_located_by_its_line(tmp_path: Path, book: RuleBook,
                                            form: Form) -> None:
    """"Expected 213 columns, got 3" named no line; the row is found by its line, counted
    past a value that holds a line break (Arrow gives no row number then)."""
    export = tmp_path / "e.csv"
    write_export(synthetic_table(book, form, 6), export)
    rows = list(csv.reader(export.open(encoding="utf-8", newline=""), delimiter=";"))
    place = next(i for i, name in enumerate(rows[0]) if name.endswith("place_of_return"))
    rows[2][place] = "Kolda,\nMédina"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerows(rows[:4])
        writer.writerow(["x", "y", "z"])  # data row 4, on line 6 (row 2 takes two lines)
        writer.writerows(rows[4:])
    result = runner.invoke(app, ["batch", str(export), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert f"{export}:6: the export stops being a CSV: Expected" in result.output


def test_cells_typed_right_of_an_xlsx_table_are_no_columns(tmp_path: Path, book: RuleBook,
                                                           form: Form) -> None:
    """A note typed two cells right of a row widens the sheet: its blank headers stopped
    the batch with "the column '' appears twice"."""
    export = tmp_path / "e.xlsx"
    table = synthetic_table(book, form, 4)
    _xlsx(table, export)
    from openpyxl import load_workbook
    workbook = load_workbook(export)
    workbook.active.cell(row=3, column=table.num_columns + 3, value="called back")
    workbook.save(export)
    result = runner.invoke(app, ["batch", str(export), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "4 rows: 4 scored" in result.output
    assert result.output.splitlines()[0].strip()  # no progress bar's blank line in a log


def test_an_output_folder_that_cannot_be_made_is_a_bad_argument(tmp_path: Path, book: RuleBook,
                                                                 form: Form) -> None:
    """A folder the user may not write in (or, as here, below a file) was a traceback
    from mkdir; it is now refused before any row is read."""
    export = tmp_path / "e.csv"
    write_export(synthetic_table(book, form, 3), export)
    result = runner.invoke(app, ["batch", str(export), "-o", str(export / "out")])
    assert result.exit_code == 2
    assert "cannot write the results in this folder" in result.output
    assert "Traceback" not in result.output


def test_a_misspelt_field_in_the_mapping_is_suggested(tmp_path: Path, book: RuleBook,
                                                      form: Form) -> None:
    """'returne_id' listed every id of the form (about 200) and suggested none."""
    write_export(synthetic_table(book, form, 3), tmp_path / "e.csv")
    (tmp_path / "columns.yaml").write_text("returne_id: beneficiary_code\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "e.csv"), "-o", str(tmp_path / "o"),
                                 "--columns", str(tmp_path / "columns.yaml")])
    assert result.exit_code == 2
    assert "did you mean 'returnee_id'?" in result.output
    assert "pssref_services_nearby" not in result.output


@pytest.mark.parametrize("kind", ["renamed", "empty_csv", "empty_xlsx"])
def test_an_export_that_is_no_export_is_one_sentence(tmp_path: Path, kind: str) -> None:
    """A CSV renamed .xlsx was zipfile's BadZipFile traceback; an empty file listed every
    profile field as a missing column."""
    if kind == "renamed":
        export = tmp_path / "e.xlsx"
        export.write_text("_uuid;age\n1;30\n", encoding="utf-8")
        said = "not an Excel workbook (.xlsx)"
    elif kind == "empty_csv":
        export = tmp_path / "e.csv"
        export.write_text("", encoding="utf-8")
        said = "the export is empty"
    else:
        export = tmp_path / "e.xlsx"
        Workbook().save(export)
        said = "the export is empty"
    result = runner.invoke(app, ["batch", str(export), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert said in result.output and "Traceback" not in result.output
    assert result.output.count("\n  ") == 1  # one problem
    assert not (tmp_path / "o").exists()


def test_two_choice_columns_are_read_as_booleans_and_again_as_text(tmp_path: Path,
                                                                     book: RuleBook,
                                                                     form: Form) -> None:
    """The yes/no grid columns are parsed as booleans while every cell there is a choice;
    from the first that is not, the rest is read again as text. Either way the results and
    errors are byte for byte those of reading every column as text, with no row lost or
    read twice where the parser started again."""
    table = styled(synthetic_table(book, form, 3000, seed=13), form, "groups", "labels", "fr")
    rows = table.to_pylist()
    grid = next(n for n in table.column_names if n.split("/")[-1] in book.questions)
    rows[10][grid] = ""  # quoted blank
    rows[11][grid] = None  # unquoted blank
    rows[1200]["profile/place_of_return"] = "Conakry\nquartier 2"  # a row of two lines
    rows[2400][grid] = "peut-être"
    rows[2500][grid] = " Oui"
    rows[2600][grid] = "NA"
    export = tmp_path / "e.csv"
    write_export(pa.Table.from_pylist(rows), export)
    header, delimiter = read_header(export)
    layout = export_layout(header, form)
    assert layout.two_choices is not None and grid in layout.two_choices.columns
    as_text = replace(layout, two_choices=None)
    chunks = list(row_batches(export, layout, delimiter, chunk_bytes=1 << 16))
    assert chunks[0].column(grid).type == pa.bool_()  # read as booleans up to row 2400
    assert chunks[-1].column(grid).type == pa.string()  # then again as text
    assert sum(c.num_rows for c in chunks) == 3000
    outputs = {}
    for name, used in (("booleans", layout), ("text", as_text)):
        work = BatchWork(book, book.weight_set("default"), form, used, rulebook_identity(book))
        outcome = run_batch(work, row_batches(export, used, delimiter, chunk_bytes=1 << 16),
                            tmp_path / name)
        assert (outcome.rows, outcome.scored, outcome.rows_with_errors) == (3000, 2997, 3)
        outputs[name] = [(tmp_path / name / f).read_bytes()
                         for f in ("results.csv", "errors.csv")]
    assert outputs["booleans"] == outputs["text"]
    errors = list(csv.DictReader(outputs["text"][1].decode().splitlines()))
    assert [(int(e["row"]), e["column"], e["value"]) for e in errors] == [
        (2401, grid, "peut-être"), (2501, grid, " Oui"), (2601, grid, "NA")]


def test_two_choice_codes_read_the_bits_of_every_block_and_slice() -> None:
    cells = [True, None, False, True, None, False, False, True, True, None, False]
    codes = {True: 0, False: 1, None: UNASKED}
    column = pa.chunked_array([pa.array(cells), pa.array([None, True], pa.bool_()),
                               pa.array([], pa.bool_())])
    assert two_choice_codes(column).tolist() == [codes[c] for c in [*cells, None, True]]
    for start in range(len(cells)):
        part = pa.array(cells).slice(start, 5)
        assert two_choice_codes(part).tolist() == [codes[c] for c in cells[start:start + 5]]


def test_the_next_chunk_is_read_only_once_the_one_before_is_taken() -> None:
    """Memory stays flat: at most one chunk waits, made, while one is used; an error while
    reading is raised where the chunks are used; stopping early ends the reading thread."""
    from engine.batch.run import _ahead
    made: list[int] = []

    def chunks() -> Iterator[int]:
        for number in range(5):
            made.append(number)
            yield number

    taken = _ahead(chunks())
    assert next(taken) == 0
    time.sleep(0.3)  # time enough for the reader to run ahead, were it allowed to
    assert made == [0, 1]
    assert next(taken) == 1
    time.sleep(0.3)
    assert made == [0, 1, 2]
    taken.close()
    time.sleep(0.3)
    assert made == [0, 1, 2]
    assert not [t for t in threading.enumerate() if t.name == "batch-reader"]

    def broken() -> Iterator[int]:
        yield 0
        raise ValueError("the export stops")

    with pytest.raises(ValueError, match="the export stops"):
        list(_ahead(broken()))
