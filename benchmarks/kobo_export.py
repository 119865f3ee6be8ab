"""Synthetic KoboToolbox exports of the RSS form, as many rows as wanted, in every style.

Not real returnees: answers are drawn at random from the rules (seeded, so a file is the
same every time) with what real exports hold: unanswered questions, "don't know" and
"refused", school enrolment skipped without school-aged children, every vulnerability
alone and together, households of every size, grid answers yes, no and not asked, and
returnees seen again at a later monitoring round.

    python benchmarks/kobo_export.py ROWS OUT.csv [--headers names|groups|labels]
                                      [--values names|labels] [--lang fr] [--seed 7]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as arrow_csv

from engine.batch.form import VULNERABILITIES, Form, form_for
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook

PLACES = {"Ethiopia": ["Addis Ababa", "Dire Dawa", "Jimma"], "Senegal": ["Dakar", "Kolda"],
          "Iraq": ["Erbil", "Mosul", "Baghdad"]}
UNASKED_SHARE = 0.04
MISSING_SHARE = 0.06
"""Answers "don't know", "refused" or not applicable, per element."""
REPEATED_SHARE = 1 / 3
"""The share of rows that are a returnee seen again at a later monitoring round."""


def synthetic_table(book: RuleBook, form: Form, rows: int, seed: int = 7, start: int = 0,
                    total: int | None = None) -> pa.Table:
    """An export in XML names (values and headers without groups), one column per field,
    the select-multiple both as one column and one 1/0 column per option: rows ``start``
    to ``start + rows`` of an export of ``total`` rows (made a part at a time)."""
    rng = np.random.default_rng([seed, start])
    people = max(1, int(np.ceil((total or rows) * (1 - REPEATED_SHARE))))
    n = np.arange(start, start + rows)
    rounds = book.framework.ids("monitoring_rounds")
    places = [(c, p) for c, ps in PLACES.items() for p in ps]
    person = np.random.default_rng([seed, people])  # the same person in every part
    place = person.integers(0, len(places), people)[n % people]
    children = np.where(rng.random(rows) < 0.4, 0, rng.integers(1, 5, rows))
    table: dict[str, pa.Array] = {
        "_id": pa.array(n + 1000),
        "_uuid": pc.binary_join_element_wise(
            "5e1c", pa.array(n).cast(pa.string()), pa.array([f"-{seed:x}"] * rows), "-"),
        "_submission_time": pa.array(["2026-10-01T09:30:00"] * rows),
        "_index": pa.array(n + 1),
        "returnee_id": pc.binary_join_element_wise(
            "RT", pa.array(n % people).cast(pa.string()), "-"),
        "monitoring_round": pa.array(np.array(rounds)[np.minimum(n // people, len(rounds) - 1)]),
        "age": pa.array(person.integers(8, 75, people)[n % people]),
        "sex": pa.array(np.array(["female", "male", "other", "not_stated"])[
            rng.choice(4, rows, p=[0.45, 0.45, 0.05, 0.05])]),
        "country_of_return": pa.array([places[i][0] for i in place]),
        "place_of_return": pa.array([places[i][1] for i in place]),
        "date_of_return": pa.array(np.array(["2026-01-15", "2025-11-02", "2026-03-30"])[
            person.integers(0, 3, people)[n % people]]),
        "household_size": pa.array(children + rng.integers(1, 6, rows)),
        "school_aged_children": pa.array(children),
    }
    flags = book.framework.ids("vulnerabilities")
    has = {f: rng.random(rows) < 0.12 for f in flags}
    joined = np.array([""] * rows, dtype=object)
    for flag in flags:
        joined = np.where(has[flag], joined + " " + flag, joined)
    table[VULNERABILITIES] = pa.array([v.strip() or None for v in joined], pa.string())
    for flag in flags:
        table[f"{VULNERABILITIES}/{flag}"] = pa.array(has[flag].astype(int))
    for element in book.instrument.elements:
        names = np.array([c.name for c in element.choices] + [""], dtype=object)
        scored = [i for i, c in enumerate(element.choices) if c.points is not None]
        missing = [i for i, c in enumerate(element.choices) if c.points is None]
        picked = np.array(scored)[rng.integers(0, len(scored), rows)]
        said_missing = rng.random(rows) < MISSING_SHARE
        picked[said_missing] = np.array(missing)[rng.integers(0, len(missing),
                                                              int(said_missing.sum()))]
        picked[rng.random(rows) < UNASKED_SHARE] = len(element.choices)
        if element.asked_if is not None:  # the form skips it: mostly blank, sometimes said
            skipped = (children == 0) & (rng.random(rows) < 0.8)
            picked[skipped] = len(element.choices)
        table[element.id] = pa.array([v or None for v in names[picked]], pa.string())
    favoured = _favoured(book)
    agreeable = np.where(rng.random(rows) < 0.5, 0.92, 0.55)  # some rows favour most approaches
    for item in form.fields():
        if item.role == "grid":
            answers = np.array(["yes", "no"], dtype=object)
            first = answers if favoured.get(item.name, "yes") == "yes" else answers[::-1]
            drawn = np.where(rng.random(rows) < agreeable, first[0], first[1]).astype(object)
            drawn[rng.random(rows) < 0.15] = None
            table[item.name] = pa.array(drawn, pa.string())
    return pa.table(table)


def _favoured(book: RuleBook) -> dict[str, str]:
    """The answer of each grid question that speaks for an approach (or makes it feasible)."""
    favoured = {a.question: a.answer for entry in book.entries.values()
                for option in entry.feasibility for a in option.when}
    favoured.update({use.question: use.supports for entry in book.entries.values()
                     for criterion in entry.criteria.values() if not isinstance(criterion, str)
                     for use in criterion.questions})
    return favoured


def styled(table: pa.Table, form: Form, headers: str = "names", values: str = "names",
           language: str = "en") -> pa.Table:
    """The same export as Kobo writes it with group names in the headers ("groups"), or
    with labels for headers and/or values in ``language``."""
    fields = {f.name: (g, f) for g in form.groups for f in g.fields}
    columns, names = [], []
    for name in table.column_names:
        column = table.column(name)
        field_name, _, option = name.partition("/")
        group, item = fields.get(field_name, (None, None))
        if item is not None and values == "labels" and item.kind.startswith("select") \
                and not option:
            labels = {o.name: o.labels[language] for o in item.options}
            many = item.kind == "select_multiple"
            column = pa.array([None if v is None else " ".join(labels[w] for w in v.split())
                               if many else labels[v] for v in column.to_pylist()], pa.string())
        if item is not None and headers == "groups":
            name = f"{group.name}/{name}"
        elif item is not None and headers == "labels":
            shown = next((o.labels[language] for o in item.options if o.name == option), "")
            name = f"{item.labels[language]}/{shown}" if option else item.labels[language]
        columns.append(column)
        names.append(name)
    return pa.table(columns, names=names)


def write_export(table: pa.Table, path: Path, delimiter: str = ";") -> None:
    """Kobo's CSV exports are ';'-separated by default."""
    arrow_csv.write_csv(table, path, arrow_csv.WriteOptions(delimiter=delimiter,
                                                            quoting_style="needed"))


def write_large_export(book: RuleBook, form: Form, rows: int, path: Path, seed: int = 7,
                       part: int = 50_000, headers: str = "groups", values: str = "names",
                       language: str = "en") -> None:
    """An export of ``rows`` rows written a part at a time (a million rows fit in memory
    only as a file)."""
    writer = None
    try:
        for start in range(0, rows, part):
            table = styled(synthetic_table(book, form, min(part, rows - start), seed, start,
                                           rows), form, headers, values, language)
            if writer is None:
                writer = arrow_csv.CSVWriter(path, table.schema, write_options=arrow_csv
                                             .WriteOptions(delimiter=";",
                                                           quoting_style="needed"))
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--headers", choices=["names", "groups", "labels"], default="groups")
    parser.add_argument("--values", choices=["names", "labels"], default="names")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    book = load_rulebook()
    form = form_for(book, grids=book.framework.ids("dimensions"))
    write_large_export(book, form, args.rows, args.out, args.seed, headers=args.headers,
                       values=args.values, language=args.lang)


if __name__ == "__main__":
    main()
