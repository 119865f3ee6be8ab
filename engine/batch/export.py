"""KoboToolbox exports in, as users download them: the header matched to the form, and the
rows read in chunks.

An export is a CSV (``;`` or ``,`` separated) or an XLSX with one row per submission.
Its headers are the form's names ("XML values and headers") or its labels, in any
language of the rules, with or without the group in front (``economic/economic_satisfaction``);
a select-multiple question comes as one column of space-separated answers, or one 1/0 column
per option (``vulnerabilities/medical_needs``), or both. Kobo's own columns (``_uuid``,
``_submission_time``, ``_index``...) are kept or ignored. A column mapping (``--columns``)
names the export's column of a case field when the form was not made by
``reintegrate xlsform``. What the cells hold is checked and coded in ``engine.batch.coding``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from engine.batch.cells import choice_lookup
from engine.batch.form import Form, FormField
from engine.errors import ArgumentError, Problem
from engine.loading.source_file import did_you_mean

KOBO_META = frozenset({"start", "end", "today", "deviceid", "username", "simserial",
                       "subscriberid", "phonenumber", "audit", "__version__", "instanceID",
                       "meta/instanceID", "meta/rootUuid", "meta/deprecatedID", "formhub/uuid"})
"""Columns Kobo adds besides those starting with '_'; they are not the returnee's answers."""
UUID, INDEX = "_uuid", "_index"


@dataclass(frozen=True)
class Target:
    """What one export column holds: a form field, or one option of a select-multiple."""

    field: FormField
    option: str | None = None


@dataclass(frozen=True)
class TwoChoices:
    """The columns of the form's most common two-choice question (a grid's yes or no), which
    the CSV parser reads as booleans: a spelling of the first choice true, of the second
    false, a blank null. A boolean is a bit where a text is some ten bytes, so a chunk holds
    a third of the memory (49 against 145 MiB for 100,000 rows) and is coded without
    looking a text up. Any other text there (a typo, a label of two meanings) stops the
    parser: the rows from there are read again as text, where it is the row's error."""

    columns: frozenset[str]
    first: tuple[str, ...]
    second: tuple[str, ...]


@dataclass(frozen=True)
class ExportLayout:
    """Which export column holds which field; built once per export from its header."""

    header: list[str]
    targets: dict[int, Target]
    unused: list[str]
    """Columns that are neither the form's nor Kobo's: ignored, and named once."""
    two_choices: TwoChoices | None = None

    def column_of(self, name: str) -> int | None:
        return next((i for i, t in self.targets.items()
                     if t.field.name == name and t.option is None), None)

    def options_of(self, name: str) -> dict[str, int]:
        return {t.option: i for i, t in self.targets.items()
                if t.field.name == name and t.option is not None}

    def read(self) -> list[str]:
        """The columns the batch reads: the form's, ``_uuid`` and ``_index``. The others
        (Kobo's metadata, columns not of the form) are not parsed into values at all: they
        are not checked, scored or written, so a bad value there is no error."""
        kobo = [i for i, column in enumerate(self.header) if column in (UUID, INDEX)]
        return [self.header[i] for i in sorted({*self.targets, *kobo})]


def export_layout(header: list[str], form: Form, mapping: dict[str, str] | None = None,
                  where: str = "export") -> ExportLayout:
    """Match each header to a field by name or label, with or without its group; ``mapping``
    (field name -> header) first. ArgumentError when a required field or _uuid has none."""
    fields = {f.name: f for f in form.fields()}
    problems: list[Problem] = []
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        problems.append(Problem(where, 1, f"the column '{duplicates[0]}' appears twice",
                                hint="export again, or rename one of them"))
    keys = _header_keys(form)
    targets: dict[int, Target] = {}
    for name, column in (mapping or {}).items():
        if name not in fields:
            problems.append(Problem(  # the nearest, then the profile's: not all 200 ids
                "--columns", None, f"'{name}' is not a field of the form",
                hint=did_you_mean(name, fields) + "use a field of the profile ("
                + ", ".join(f.name for f in fields.values() if f.role == "profile")
                + "), an RSS element or a grid question ('reintegrate rules show' lists "
                "their ids)"))
        elif column not in header:
            problems.append(Problem("--columns", None, f"the export has no column '{column}' "
                                    f"(mapped to '{name}')", hint="copy the header exactly"))
        else:
            targets[header.index(column)] = Target(fields[name])
    mapped = {t.field.name for t in targets.values()}
    unused = []
    for index, column in enumerate(header):
        if index in targets:
            continue
        found = keys.get(column)
        if found is not None and found.field.name not in mapped:
            targets[index] = found
        elif found is None and not (column.startswith("_") or column in KOBO_META):
            unused.append(column)
    layout = ExportLayout(header, targets, unused, _two_choices(header, targets, form))
    if UUID not in header:
        problems.append(Problem(where, 1, "no _uuid column: results are keyed by it",
                                hint="download the export from KoboToolbox with its "
                                "metadata columns"))
    for item in fields.values():
        present = layout.column_of(item.name) is not None or layout.options_of(item.name)
        if item.role == "profile" and item.required and not present:
            problems.append(Problem(where, 1, f"no column for '{item.name}'",
                                    hint="add it to the form, or name its column with "
                                    f"--columns (e.g. {item.name}: \"the column's header\")"))
    if problems:
        raise ArgumentError(problems)
    return layout


def _two_choices(header: list[str], targets: dict[int, Target],
                 form: Form) -> TwoChoices | None:
    """The columns whose question has the two choices most columns share, spelt alike."""
    kinds: dict[tuple[tuple[str, ...], tuple[str, ...]], set[str]] = {}
    for index, target in targets.items():
        item = target.field
        if item.kind != "select_one" or len(item.options) != 2 or target.option is not None:
            continue
        lookup = choice_lookup(item, form.languages)
        first, second = (tuple(sorted(text for text, code in lookup.items()
                                      if code == choice and text)) for choice in (0, 1))
        kinds.setdefault((first, second), set()).add(header[index])
    if not kinds:
        return None
    (first, second), columns = max(kinds.items(), key=lambda kind: len(kind[1]))
    return TwoChoices(frozenset(columns), first, second)


def _header_keys(form: Form) -> dict[str, Target]:
    """Every header a field (or a select-multiple option) may have in an export."""
    keys: dict[str, Target] = {}
    for group in form.groups:
        for item in group.fields:
            spellings = [(item.name, group.name, {o.name: o.name for o in item.options})]
            spellings += [(item.labels[lang], group.labels[lang],
                           {o.labels[lang]: o.name for o in item.options})
                          for lang in form.languages]
            for own, group_name, options in spellings:
                for key in (own, f"{group_name}/{own}"):
                    keys.setdefault(key, Target(item))
                    if item.kind == "select_multiple":
                        for shown, option in options.items():
                            keys.setdefault(f"{key}/{shown}", Target(item, option))
    return keys



def read_header(path: Path) -> tuple[list[str], str | None]:
    """The export's header and, for a CSV, its delimiter."""
    if path.suffix.lower() == ".xlsx":
        first = _xlsx_header(path)
        while first and not first[-1]:  # a cell typed to the right of the table widens the
            first.pop()                 # sheet: its blank headers are no columns ("'' twice")
        return _not_empty(path, first), None
    with path.open("rb") as handle:  # the header line alone: the rows are the parser's
        raw = handle.readline()
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ArgumentError([Problem(path, 1, "the header is not UTF-8 text",
                                     hint="download the export again from KoboToolbox "
                                     "(it writes UTF-8)")]) from None
    delimiter = max((";", ",", "\t"), key=line.count)
    return _not_empty(path, next(csv.reader([line], delimiter=delimiter), [])), delimiter


def _xlsx_header(path: Path) -> list[str]:
    """The first row of the first sheet; a file that is no workbook (a CSV renamed .xlsx,
    a download cut short) is a bad argument, not zipfile's traceback."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    try:
        sheet = load_workbook(path, read_only=True).worksheets[0]
        return [_cell(v) for v in next(sheet.iter_rows(max_row=1, values_only=True), ())]
    except (BadZipFile, KeyError, OSError, ValueError):
        raise ArgumentError([Problem(path, None, "not an Excel workbook (.xlsx), or a damaged "
                                     "one", hint="download the export again from KoboToolbox, "
                                     "as XLSX or CSV")]) from None


def _not_empty(path: Path, header: list[str]) -> list[str]:
    """An export with no header at all is said to be empty, not missing every column."""
    if not any(header):
        raise ArgumentError([Problem(path, 1, "the export is empty: it has no header row",
                                     hint="download the export again from KoboToolbox")])
    return header


PARSE_BLOCK = 1 << 20
"""Bytes the CSV parser reads at a time. Arrow's streaming reader, with its threads, held a
few dozen blocks at its peak (measured: about 40 MiB with 1 MiB blocks, 630 MiB with 16 MiB
ones, on a 1.2 GiB export), so blocks are small and gathered into chunks of
``chunk_bytes`` of parsed values to score (5 MiB: larger chunks cost less per row, about
12 ms of CPU a chunk, but hold more memory at once; see docs/batch.md, "The benchmark")."""


def row_batches(path: Path, layout: ExportLayout, delimiter: str | None,
                chunk_bytes: int = 5 << 20, chunk_rows: int = 50_000) -> Iterator[pa.Table]:
    """The export's rows, about ``chunk_bytes`` (or, from an XLSX, ``chunk_rows``) at a
    time: every value text, a blank cell "" (parsed as text: letting the parser
    dictionary-encode took more time than encoding after), but the two-choice columns
    (``TwoChoices``) booleans while every cell there is one of the choices. A chunk is the
    parser's blocks side by side, not copied into one (copying took 0.07-0.5 s of CPU per
    100,000 rows)."""
    if delimiter is None:
        yield from _xlsx_batches(path, layout.header, chunk_rows)
        return
    done = 0
    try:
        if layout.two_choices is not None:
            try:
                for chunk in _chunks(_blocks(path, layout, delimiter, layout.two_choices),
                                     chunk_bytes):
                    done += chunk.num_rows
                    yield chunk
                return
            except pa.ArrowInvalid as exc:
                if "conversion error to bool" not in str(exc):
                    raise
        yield from _chunks(_after(_blocks(path, layout, delimiter, None), done), chunk_bytes)
    except pa.ArrowInvalid as exc:  # the parser quotes the row: only its reason is kept
        reason = re.sub(r"Row #\d+: ", "", str(exc)).split(": ", 2)[:2]  # its own count
        message = ("a cell of a column the form reads is not UTF-8 text"
                   if "invalid UTF8" in str(exc) else ": ".join(reason[1:] or reason))
        line = (_first_ragged_line(path, delimiter or ",", len(layout.header))
                if "columns, got" in str(exc) else None)
        raise ArgumentError([Problem(path, line, "the export stops being a CSV: " + message,
                                     hint="export it again from KoboToolbox (or mend that "
                                     "line); no row after it was scored")]) from None


def _blocks(path: Path, layout: ExportLayout, delimiter: str,
            two_choices: TwoChoices | None) -> Iterator[pa.RecordBatch]:
    """The parser's blocks of the columns the batch reads; with ``two_choices``, those
    columns as booleans (ArrowInvalid at the first cell that is neither choice)."""
    from pyarrow import csv as arrow_csv
    header = layout.header
    booleans = two_choices.columns if two_choices is not None else frozenset()
    reader = arrow_csv.open_csv(
        path,
        read_options=arrow_csv.ReadOptions(  # no threads of Arrow's own: they read blocks
            column_names=header, skip_rows=1,  # ahead (32 MiB more at the peak of a million
            block_size=PARSE_BLOCK, use_threads=False),  # rows) for no time saved
        parse_options=arrow_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=arrow_csv.ConvertOptions(
            column_types={h: pa.bool_() if h in booleans else pa.string() for h in header},
            include_columns=layout.read(), strings_can_be_null=False,
            # a blank boolean is null, quoted or not; text columns have no nulls at all
            null_values=[""], quoted_strings_can_be_null=True,
            true_values=list(two_choices.first) if two_choices else None,
            false_values=list(two_choices.second) if two_choices else None))
    yield from reader


def _after(blocks: Iterator[pa.RecordBatch], skipped: int) -> Iterator[pa.RecordBatch]:
    """The blocks without their first ``skipped`` rows (already read once, as booleans)."""
    for block in blocks:
        if skipped >= block.num_rows:
            skipped -= block.num_rows
            continue
        yield block.slice(skipped) if skipped else block
        skipped = 0


def _chunks(blocks: Iterator[pa.RecordBatch], chunk_bytes: int) -> Iterator[pa.Table]:
    """Blocks gathered until they hold ``chunk_bytes``."""
    gathered: list[pa.RecordBatch] = []
    size = 0  # of the blocks gathered, summed as they come (``nbytes`` takes longer)
    for block in blocks:
        gathered.append(block)
        size += block.get_total_buffer_size()
        if size >= chunk_bytes:
            yield pa.Table.from_batches(gathered)
            gathered, size = [], 0
    if gathered and sum(b.num_rows for b in gathered):
        yield pa.Table.from_batches(gathered)


def _first_ragged_line(path: Path, delimiter: str, width: int) -> int | None:
    """The line where the first row with another number of cells than the header starts.

    Arrow names no row when values may hold line breaks, so the file is read again, only
    on this path: "Expected 213 columns, got 10" alone left a team searching a file of
    thousands of rows."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        start = 1
        for record in reader:
            if record and len(record) != width:
                return start
            start = reader.line_num + 1
    return None


def _xlsx_batches(path: Path, header: list[str], chunk_rows: int) -> Iterator[pa.Table]:
    from openpyxl import load_workbook
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows: list[list[str]] = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        rows.append([_cell(v) for v in row[:len(header)]] + [""] * (len(header) - len(row)))
        if len(rows) == chunk_rows:
            yield _batch(header, rows)
            rows = []
    if rows:
        yield _batch(header, rows)


def _batch(header: list[str], rows: list[list[str]]) -> pa.Table:
    return pa.table([pa.array(c, pa.string()) for c in zip(*rows, strict=True)], names=header)


def _cell(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would hold ("" when blank)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
