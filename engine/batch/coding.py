"""A chunk of a Kobo export's rows checked and coded against the form, column by column.

Values are choice names or labels in any language of the rules, numbers and dates. Every
value is checked as a case file is: a bad value puts its row, column, value and what was
expected in the errors, and the row is not scored. A value is only echoed from a coded
column (a choice, a number, a date), never from free text or an id, which may be personal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from engine.batch.cells import (
    AMBIGUOUS,
    BAD,
    FLAGS,
    UNASKED,
    Coder,
    blank_cells,
    bool_mask,
    choice_lookup,
    decode_cells,
    distinct_texts,
    is_date,
    number_test,
    option_matcher,
    two_choice_codes,
)
from engine.batch.export import INDEX, UUID, ExportLayout
from engine.batch.form import VULNERABILITIES, Form, FormField
from engine.case.model import RETURNEE_ID_RULE
from engine.evaluation.checks import compiled
from engine.evaluation.vector import Columns
from engine.model.calendar import EARLIEST, LATEST
from engine.model.conditions import ConditionDefaults
from engine.model.rulebook import RuleBook

ECHO_LIMIT = 40
"""A bad coded value is echoed up to this many characters."""

_INTEGER = re.compile(r"[+-]?\d+(\.0*)?")


@dataclass
class Chunk:
    """One chunk read: the rows that can be scored, column by column, and the errors."""

    columns: Columns
    kept: pa.Table
    """Per scored row: its row number, _uuid, _index and the profile fields the outputs show."""
    errors: pa.Table


ERROR_SCHEMA = pa.schema([("row", pa.int64()), (UUID, pa.string()), ("column", pa.string()),
                          ("value", pa.string()), ("expected", pa.string())])
KEPT_FIELDS = ("returnee_id", "monitoring_round", "country_of_return", "place_of_return", "sex",
               "age")


class ChunkReader:
    """Checks and codes chunks of one export against the form (built once per export)."""

    def __init__(self, book: RuleBook, form: Form, layout: ExportLayout):
        self.book = book
        self.form = form
        self.layout = layout
        self.fields = form.fields()
        self.lookups = {f.name: choice_lookup(f, form.languages)
                        for f in self.fields if f.kind.startswith("select")}
        self.coders = {name: Coder(lambda text, lookup=lookup: lookup.get(text, BAD), UNASKED,
                                    np.int16, lookup)
                       for name, lookup in self.lookups.items()}
        self.multiple = {f.name: option_matcher(f, form.languages)
                         for f in self.fields if f.kind == "select_multiple"}
        defaults = ConditionDefaults(score_below=book.framework.scoring
                                     .comprehensive_support_below.value)
        self.asked_if = {f.name: f.asked_if.check("asked_if", defaults)
                         for f in self.fields if f.asked_if is not None}
        self.not_applicable = {e.id: [c.name for c in e.choices].index(e.not_applicable().name)
                               for e in book.instrument.elements if e.asked_if is not None}
        self.columns = {f.name: layout.column_of(f.name) for f in self.fields}
        self.observed = compiled(book).observed

    def read(self, batch: pa.Table | pa.RecordBatch, first_row: int) -> Chunk:
        errors = _Errors(batch, first_row)
        codes: dict[str, np.ndarray] = {}
        numbers: dict[str, np.ndarray] = {}
        flags: dict[str, dict[str, np.ndarray]] = {}
        for item in self.fields:
            column = self.columns[item.name]
            array = batch.column(self.layout.header[column]) if column is not None else None
            if item.kind == "select_multiple":
                flags[item.name] = self._multiple(item, batch, errors)
                continue
            if array is None:  # a required field's column is there (export_layout checks)
                continue
            header = self.layout.header[column]
            if item.kind == "select_one":
                codes[item.name] = self._select(item, array, header, errors)
                blank = codes[item.name] == UNASKED
            elif item.kind == "integer":
                numbers[item.name], blank = _integers(item, array, header, errors)
            elif item.kind == "date":
                blank = _dates(array, header, errors)
            else:
                blank = blank_cells(array)
                if item.pattern:
                    matches = pc.match_substring_regex(array, f"^(?:{item.pattern})$")
                    errors.add(header, bool_mask(pc.invert(matches)) & ~blank, None,
                               "must be " + RETURNEE_ID_RULE)
            if item.required and item.role == "profile":  # a blank answer is "not asked"
                errors.add(header, blank, None, "required: it is blank")
        self._not_applicable(codes, numbers, flags)
        ok = ~errors.bad
        kept_rows = np.flatnonzero(ok)
        columns = Columns(len(kept_rows))
        for item in self.fields:
            if item.role == "element" and item.name in codes:
                columns.choices[item.name] = codes[item.name][kept_rows]
            elif item.role == "grid" and item.name in codes:
                columns.answers[item.name] = (codes[item.name][kept_rows] + 1).astype(np.int8)
        for by_option in flags.values():
            for option, flag in by_option.items():
                columns.vulnerabilities[option] = flag[kept_rows]
        columns.profile = self._profile_facts(numbers, kept_rows)
        return Chunk(columns, self._kept(batch, first_row, kept_rows, codes, numbers),
                     errors.table())

    def _select(self, item: FormField, array: pa.Array, header: str,
                errors: _Errors) -> np.ndarray:
        if pa.types.is_boolean(array.type):  # parsed as a choice: never a bad value
            return two_choice_codes(array)
        coded = self.coders[item.name].codes(array)
        expected = "one of: " + ", ".join(item.option_names()) + " (or their labels)"
        errors.add(header, coded == BAD, array, expected)
        errors.add(header, coded == AMBIGUOUS, array,
                   "a label that means different answers in different languages: "
                   "export with XML values")
        return coded

    def _multiple(self, item: FormField, batch: pa.Table | pa.RecordBatch,
                  errors: _Errors) -> dict[str, np.ndarray]:
        """The options chosen: from the one-per-option 1/0 columns when the export has them,
        else from the column of space-separated answers (both are checked)."""
        rows = batch.num_rows
        chosen = {o: np.zeros(rows, dtype=bool) for o in item.option_names()}
        column = self.layout.column_of(item.name)
        if column is not None:
            array = batch.column(self.layout.header[column])
            parse = self.multiple[item.name]
            texts, where = distinct_texts(array)
            parsed = [parse(text) if text else set() for text in texts] + [set()]
            unknown = np.array([found is None for found in parsed])[where]
            errors.add(self.layout.header[column], unknown, array,
                       "answers among: " + ", ".join(item.option_names())
                       + ", separated by spaces")
            chosen = {o: np.array([o in (found or ()) for found in parsed])[where]
                      for o in item.option_names()}
        options = self.layout.options_of(item.name)
        for option, column in options.items():
            array = batch.column(self.layout.header[column])
            coded = FLAGS.codes(array)
            errors.add(self.layout.header[column], coded == BAD, array, "1 or 0")
            chosen[option] = coded == 1
        return chosen

    def _not_applicable(self, codes: dict[str, np.ndarray], numbers: dict[str, np.ndarray],
                        flags: dict[str, dict[str, np.ndarray]]) -> None:
        """An element the form skipped (its asked_if did not hold) has its not-applicable
        answer, as the form's ``relevant`` made it unanswerable."""
        for name, check in self.asked_if.items():
            if name not in codes:
                continue
            if check.kind == "vulnerability":
                asked = flags.get(VULNERABILITIES, {}).get(check.subject)
            else:
                values = numbers.get(check.subject)
                asked = None if values is None else number_test(check, values)
            if asked is None:
                continue
            skipped = ~asked & (codes[name] == UNASKED)
            codes[name][skipped] = self.not_applicable[name]

    def _profile_facts(self, numbers: dict[str, np.ndarray],
                       kept_rows: np.ndarray) -> dict[str, np.ndarray]:
        """The profile facts the rules read, each observed by its own condition on the row's
        profile; a row is a case file without household member lists (the form does not ask
        who returned with the returnee), as ``_RowProfile`` says. Once per distinct profile."""
        if not self.observed:
            return {}
        unknown = np.full(len(kept_rows), np.nan)
        age = numbers.get("age", unknown)[kept_rows] if "age" in numbers else unknown
        children = (numbers["school_aged_children"][kept_rows]
                    if "school_aged_children" in numbers else np.zeros(len(kept_rows)))
        span = 1 << 20  # one number per (age, children) pair: both are small integers
        keys, where = np.unique(np.nan_to_num(age, nan=-1) * span
                                + np.nan_to_num(children, nan=-1), return_inverse=True)
        profiles = [_RowProfile(int(k // span), _RowHousehold(int(k % span))) for k in keys]
        facts = {}
        for condition in self.observed:
            seen = [condition.observe(p) for p in profiles]
            facts[condition.subject()] = np.array(
                [np.nan if v is None else v for v in seen], dtype=float)[where.ravel()]
        return facts

    def _kept(self, batch: pa.Table | pa.RecordBatch, first_row: int, kept_rows: np.ndarray,
              codes: dict[str, np.ndarray], numbers: dict[str, np.ndarray]) -> pa.Table:
        take = pa.array(kept_rows)
        header = self.layout.header
        kept = {"row": pa.array(kept_rows + first_row), UUID: batch.column(UUID).take(take),
                INDEX: (batch.column(INDEX).take(take) if INDEX in header
                        else pa.nulls(len(kept_rows), pa.string()))}
        fields = {f.name: f for f in self.fields}
        for name in KEPT_FIELDS:
            item = fields[name]
            column = self.layout.column_of(name)
            if name in codes:
                kept[name] = labelled(codes[name][kept_rows], item.option_names())
            elif name in numbers:
                kept[name] = pa.array(numbers[name][kept_rows], pa.float64())
            elif column is not None:
                kept[name] = batch.column(header[column]).take(take)
            else:
                kept[name] = pa.nulls(len(kept_rows), pa.string())
        return pa.table(kept)


@dataclass(frozen=True)
class _RowHousehold:
    school_aged_children: int
    returned_with: tuple[()] = ()


@dataclass(frozen=True)
class _RowProfile:
    """A row's profile as a condition observes it (``conditions.ProfileView``)."""

    age: int
    household: _RowHousehold


class _Errors:
    """A chunk's problems, gathered column by column as masks, then made rows."""

    def __init__(self, batch: pa.Table | pa.RecordBatch, first_row: int):
        self.batch = batch
        self.first_row = first_row
        self.uuids = batch.column(UUID)
        self.bad = np.zeros(batch.num_rows, dtype=bool)
        self.parts: list[pa.Table] = []
        self.add(UUID, blank_cells(self.uuids), None, "required: it is blank")

    def add(self, column: str, mask: np.ndarray, echoed: pa.Array | None,
            expected: str) -> None:
        if not mask.any():
            return
        self.bad |= mask
        where = pa.array(np.flatnonzero(mask))
        count = len(where)
        value = (pc.utf8_slice_codeunits(echoed.take(where), 0, ECHO_LIMIT)
                 if echoed is not None else pa.nulls(count, pa.string()))
        self.parts.append(pa.table({
            "row": pa.array(np.flatnonzero(mask) + self.first_row),
            UUID: self.uuids.take(where), "column": pa.array([column] * count, pa.string()),
            "value": value.cast(pa.string()),
            "expected": pa.array([expected] * count, pa.string())}, schema=ERROR_SCHEMA))

    def table(self) -> pa.Table:
        if not self.parts:
            return ERROR_SCHEMA.empty_table()
        return pa.concat_tables(self.parts).sort_by([("row", "ascending")])


def labelled(codes: np.ndarray, labels: list[str] | tuple[str, ...]) -> pa.DictionaryArray:
    """Codes shown as their labels (a negative code: null), stored as a dictionary: cheap
    to make, small in Parquet, written as the labels in CSV."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0),
                                          pa.array(labels, pa.string()))


def _integers(item: FormField, array: pa.Array, header: str,
              errors: _Errors) -> tuple[np.ndarray, np.ndarray]:
    """The numbers (NaN where blank or bad) and where the cell is blank."""
    least, most = item.bounds

    def number(text: str) -> float:
        if not text.strip():
            return np.nan
        value = int(float(text)) if _INTEGER.fullmatch(text.strip()) else None
        fits = value is not None and (least is None or value >= least) and (
            most is None or value <= most)
        return float(value) if fits else -np.inf  # type: ignore[arg-type]

    coded = decode_cells(array, number, np.nan, np.float64)
    bounds = f" from {least}" if least is not None else ""
    bounds += f" to {most}" if most is not None else ""
    errors.add(header, coded == -np.inf, array, f"a whole number{bounds}")
    return np.where(coded == -np.inf, np.nan, coded), np.isnan(coded)


def _dates(array: pa.Array, header: str, errors: _Errors) -> np.ndarray:
    """Checks the dates; returns where the cell is blank."""
    blank, good, bad = 0, 1, 2
    coded = decode_cells(array, lambda text: blank if not text.strip()
                         else good if is_date(text) else bad, blank, np.int8)
    errors.add(header, coded == bad, array, f"a date as year-month-day between "
               f"{EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return coded == blank
