"""The cohort report: what a monitoring and evaluation officer reads of a whole batch.

Score distributions per dimension, the share below the comprehensive-support threshold by
place, sex, age band and monitoring round, the approaches indicated most, and each
returnee's change between rounds where ids repeat. It is built chunk by chunk from the
results as they are written: counts and sums per group, and per returnee only the few
numbers the change between rounds needs.

Charts are SVG drawn to read in grey: one dark fill per series with the value printed on
every bar, the threshold a dashed line, and the stacked approach bars told apart by pattern
as well as shade. Words are English (the report is not translated yet).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from markupsafe import Markup, escape

from engine.batch.form import SEX_WORDS
from engine.batch.run import Outcome
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook

BINS = 20
GROUPINGS = {"country_of_return": "Country of return", "place_of_return": "Place of return",
             "sex": "Sex", "age_band": "Age band", "monitoring_round": "Monitoring round"}
ORDERED = ("age_band", "monitoring_round")
PARTS = 32
"""Files the returnees' rounds are split into by a hash of the id (``CohortReport.spill``)."""
MOST_GROUPS = 12
"""Groups shown per grouping (the largest); the rest are summed as "other"."""
AGE_BAND = 10
"""Years per age band: a statistical grouping of the report, not a rule."""
INDICATED = ("recommended", "needs_answers", "not_appropriate")
"""The statuses of an approach whose need was shown, as the report stacks them."""


@dataclass
class _Group:
    rows: int = 0
    scored: int = 0
    below: int = 0


@dataclass
class CohortReport:
    book: RuleBook
    rows: int = 0
    histograms: dict[str, np.ndarray] = field(default_factory=dict)
    unscored: Counter[str] = field(default_factory=Counter)
    below: Counter[str] = field(default_factory=Counter)
    groups: dict[str, dict[str, _Group]] = field(default_factory=dict)
    statuses: dict[str, Counter[str]] = field(default_factory=dict)
    spill: Path | None = None
    """A folder for the returnee ids, rounds and scores of every row, split by a hash of the
    id into ``PARTS`` files: the change between rounds is then made a part at a time, so the
    memory it takes does not grow with the export."""
    followed: int = 0
    change_counts: np.ndarray = field(default_factory=lambda: np.zeros(BINS, dtype=np.int64))
    change_sums: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.threshold = self.book.framework.scoring.comprehensive_support_below.value
        self.scores = [*self.book.framework.ids("dimensions"), COMPOSITE]
        self.rounds = self.book.framework.ids("monitoring_rounds")
        self.histograms = {s: np.zeros(BINS, dtype=np.int64) for s in self.scores}
        self.groups = {g: defaultdict(_Group) for g in GROUPINGS}
        self.statuses = {a: Counter() for a in self.book.approaches}
        self.change_sums = {s: [0.0, 0] for s in self.scores}
        self._parts: list[Any] = []

    def add(self, results: pa.Table) -> None:
        """Count one chunk of results in."""
        self.rows += results.num_rows
        for score in self.scores:
            values = results.column(score).to_numpy(zero_copy_only=False)
            known = values[~np.isnan(values)]
            self.histograms[score] += np.bincount(
                np.minimum((known * BINS).astype(int), BINS - 1), minlength=BINS)
            self.unscored[score] += len(values) - len(known)
            self.below[score] += int((known < self.threshold).sum())
        composite = results.column(COMPOSITE).to_numpy(zero_copy_only=False)
        scored = ~np.isnan(composite)
        counted = {"rows": pa.array(np.ones(len(composite), dtype=np.int64)),
                   "scored": pa.array(scored.astype(np.int64)),
                   "below": pa.array((scored & (composite < self.threshold)).astype(np.int64))}
        ages = results.column("age").to_numpy(zero_copy_only=False)
        for name in GROUPINGS:
            key = (_bands(ages) if name == "age_band"
                   else results.column(name).cast(pa.string()))
            table = pa.table({"key": key, **counted}).group_by("key").aggregate(
                [("rows", "sum"), ("scored", "sum"), ("below", "sum")])
            for row in table.to_pylist():
                group = self.groups[name][row["key"]]
                group.rows += row["rows_sum"]
                group.scored += row["scored_sum"]
                group.below += row["below_sum"]
        for approach in self.statuses:
            counts = pc.value_counts(results.column(approach)).to_pylist()
            self.statuses[approach].update({c["values"]: c["counts"] for c in counts})
        if self.spill is not None and results.num_rows:
            self._keep(results.select(["returnee_id", "monitoring_round", *self.scores]))

    def _keep(self, seen: pa.Table) -> None:
        seen = seen.combine_chunks()
        part = _partition(seen.column("returnee_id").combine_chunks(), PARTS)
        if not self._parts:
            self._parts = [pa.ipc.new_stream(self.spill / f"part-{n:02d}.arrow",  # type: ignore[operator]
                                             seen.schema) for n in range(PARTS)]
        for n in np.unique(part):
            self._parts[n].write_table(seen.filter(pa.array(part == n)))

    def write_changes(self, path: Path) -> None:
        """``changes.csv``: each returnee seen at two rounds or more, the scores at the first
        and last round and the change, written a part at a time (and counted for the
        report)."""
        from pyarrow import csv as arrow_csv
        for part in self._parts:
            part.close()
        writer = None
        try:
            for n in range(PARTS if self._parts else 0):
                with pa.memory_map(str(self.spill / f"part-{n:02d}.arrow")) as source:  # type: ignore[operator]
                    changes = self._changes(pa.ipc.open_stream(source).read_all())
                writer = writer or arrow_csv.CSVWriter(path, changes.schema)
                writer.write_table(changes)
            if writer is None:
                arrow_csv.write_csv(self._changes(None), path)
        finally:
            if writer is not None:
                writer.close()

    def _changes(self, seen: pa.Table | None) -> pa.Table:
        columns: dict[str, pa.Array] = {"returnee_id": pa.array([], pa.string()),
                                        "first_round": pa.array([], pa.string()),
                                        "last_round": pa.array([], pa.string())}
        if seen is None or seen.num_rows == 0:
            for score in self.scores:
                for end in ("first", "last", "change"):
                    columns[f"{score}_{end}"] = pa.array([], pa.float64())
            return pa.table(columns)
        order = {r: i for i, r in enumerate(self.rounds)}
        rounds = np.array([order.get(r, -1) for r in
                           seen.column("monitoring_round").cast(pa.string()).to_pylist()])
        seen = seen.append_column("round_order", pa.array(rounds))
        seen = seen.sort_by([("returnee_id", "ascending"), ("round_order", "ascending")])
        ids = seen.column("returnee_id").to_numpy(zero_copy_only=False)
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        ends = np.r_[starts[1:], len(ids)] - 1
        repeated = ends > starts
        first, last = starts[repeated], ends[repeated]
        self.followed += len(first)
        columns = {"returnee_id": pa.array(ids[first], pa.string()),
                   "first_round": seen.column("monitoring_round").take(first).cast(pa.string()),
                   "last_round": seen.column("monitoring_round").take(last).cast(pa.string())}
        for score in self.scores:
            values = seen.column(score).to_numpy(zero_copy_only=False)
            columns[f"{score}_first"] = pa.array(values[first], mask=np.isnan(values[first]))
            columns[f"{score}_last"] = pa.array(values[last], mask=np.isnan(values[last]))
            change = values[last] - values[first]
            columns[f"{score}_change"] = pa.array(change, mask=np.isnan(change))
            known = change[~np.isnan(change)]
            self.change_sums[score][0] += float(known.sum())
            self.change_sums[score][1] += len(known)
            if score == COMPOSITE:
                self.change_counts += np.histogram(known, bins=np.linspace(-1, 1, BINS + 1))[0]
        return pa.table(columns)

    def html(self, identity: str, outcome: Outcome) -> str:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        from engine.presentation.rendering import templates_dir
        environment = Environment(loader=FileSystemLoader(templates_dir()),
                                  autoescape=select_autoescape(["html", "j2"]))
        names = {d: self.book.framework.name("dimensions", d)
                 for d in self.book.framework.ids("dimensions")} | {COMPOSITE: "Composite"}
        return environment.get_template("cohort_report.html.j2").render(
            identity=identity, outcome=outcome, threshold=self.threshold,
            weight_sets=sorted(self.book.weight_sets), rows=self.rows,
            distributions=[(names[s], _histogram(self.histograms[s], self.threshold),
                            self._share(s), self.unscored[s]) for s in self.scores],
            groupings=[(label, self._group_chart(name)) for name, label in GROUPINGS.items()],
            approaches=self._approach_chart(),
            followed=self.followed, change_chart=self._change_chart(),
            change_means=self._change_means(names))

    # -- parts ------------------------------------------------------------------------------

    def _share(self, score: str) -> str:
        scored = int(self.histograms[score].sum())
        return f"{self.below[score] / scored:.0%}" if scored else "–"

    def _group_chart(self, name: str) -> Markup:
        if name in ORDERED:  # bands and rounds in their own order, the rest largest first
            order = {r: i for i, r in enumerate(self.rounds)}
            groups = sorted(self.groups[name].items(),
                            key=lambda kv: (kv[0] is None, order.get(kv[0], 0), str(kv[0])))
        else:
            groups = sorted(self.groups[name].items(), key=lambda kv: (-kv[1].rows, str(kv[0])))
        shown, rest = groups[:MOST_GROUPS], groups[MOST_GROUPS:]
        if rest:
            other = _Group(sum(g.rows for _, g in rest), sum(g.scored for _, g in rest),
                           sum(g.below for _, g in rest))
            shown.append((f"other ({len(rest)})", other))
        bars = [(f"{'not given' if key is None else SEX_WORDS.get(key, key)}  (n={g.rows:,})",
                 g.below / g.scored if g.scored else None) for key, g in shown]
        return _bars(bars, f"share with a composite score below {self.threshold:.2f}")

    def _approach_chart(self) -> Markup:
        rows = sorted(self.statuses.items(), key=lambda kv: -sum(kv[1][s] for s in INDICATED))
        return _stacked([(self.book.approaches[a].name, [c[s] for s in INDICATED])
                         for a, c in rows], ["recommended", "needs answers", "not appropriate"],
                        self.rows)

    def _change_chart(self) -> Markup | None:
        counted = int(self.change_counts.sum())
        if counted == 0:
            return None
        edges = np.linspace(-1, 1, BINS + 1)
        return _columns(self.change_counts, [f"{e:+.1f}" for e in edges[::4]],
                        f"change in composite score (last round - first), {counted:,} "
                        "returnees with a composite score at both")

    def _change_means(self, names: dict[str, str]) -> list[tuple[str, str]]:
        return [(names[s], f"{total / count:+.3f}" if count else "–")
                for s, (total, count) in self.change_sums.items()]


def _partition(ids: pa.Array, parts: int) -> np.ndarray:
    """Each id's part: a hash of its bytes (position-weighted, so anagrams differ), the same
    for the same id in any chunk."""
    offsets = np.frombuffer(ids.buffers()[1], dtype=np.int32)[ids.offset:ids.offset + len(ids) + 1]
    start, lengths = offsets[0], np.diff(offsets)
    data = np.frombuffer(ids.buffers()[2], dtype=np.uint8)[start:offsets[-1]].astype(np.int64)
    position = np.arange(len(data)) - np.repeat(offsets[:-1] - start, lengths)
    weighted = data * (position % 61 + 1) * 2654435761 % 4294967291
    sums = np.add.reduceat(weighted, offsets[:-1] - start) if len(data) else np.zeros(0)
    return (np.where(lengths > 0, sums, 0) % parts).astype(np.int64)


def _bands(ages: np.ndarray) -> pa.Array:
    """Ages as bands of ``AGE_BAND`` years ("20–29"); null where no age."""
    known = ~np.isnan(ages)
    low = np.where(known, ages, 0).astype(int) // AGE_BAND * AGE_BAND
    names = np.array([f"{b:>3}–{b + AGE_BAND - 1}" for b in range(0, 130, AGE_BAND)])
    return pa.array(names[np.minimum(low // AGE_BAND, len(names) - 1)], mask=~known)


# -- SVG --------------------------------------------------------------------------------------

INK, MID, LIGHT = "#1a1a1a", "#6b6b6b", "#d0d0d0"
FONT = 'font-family="DejaVu Sans, sans-serif" font-size="12"'


def _histogram(counts: np.ndarray, threshold: float) -> Markup:
    """Bars of 0.05 score bands, the threshold dashed, counts printed above the bars."""
    width, height, left, bottom = 340, 160, 24, 116
    step = (width - left - 30) / BINS
    top = max(int(counts.max()), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" {FONT}>']
    for i, count in enumerate(counts):
        h = count / top * (bottom - 20)
        parts.append(f'<rect x="{left + i * step:.1f}" y="{bottom - h:.1f}" '
                     f'width="{step - 1:.1f}" height="{h:.1f}" fill="{INK}"/>')
    x = left + threshold * BINS * step
    parts.append(f'<line x1="{x:.1f}" y1="10" x2="{x:.1f}" y2="{bottom}" stroke="{INK}" '
                 'stroke-width="1.5" stroke-dasharray="5 3"/>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{left + BINS * step}" y2="{bottom}" '
                 f'stroke="{MID}"/>')
    for value in (0, 0.25, 0.5, 0.75, 1):
        tick = left + value * BINS * step
        parts.append(f'<text x="{tick:.1f}" y="{bottom + 15}" text-anchor="middle">'
                     f'{value:.2f}</text>')
    parts.append(f'<text x="{left}" y="{bottom + 36}" fill="{MID}">rows per band of 0.05 '
                 f'(highest: {top:,})</text></svg>')
    return Markup("".join(parts))


def _bars(rows: list[tuple[str, float | None]], caption: str) -> Markup:
    """Horizontal bars of shares, each labelled with its group and its value."""
    label_width, plot, row = 230, 300, 22
    height = row * len(rows) + 34
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + plot + 60}" '
             f'height="{height}" role="img" {FONT}>']
    for i, (label, share) in enumerate(rows):
        y = 8 + i * row
        parts.append(f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">'
                     f'{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{plot}" height="16" '
                     f'fill="none" stroke="{LIGHT}"/>')
        if share is not None:
            parts.append(f'<rect x="{label_width}" y="{y}" width="{share * plot:.1f}" '
                         f'height="16" fill="{INK}"/>')
        shown = "no score" if share is None else f"{share:.0%}"
        parts.append(f'<text x="{label_width + plot + 6}" y="{y + 13}">{shown}</text>')
    parts.append(f'<text x="{label_width}" y="{height - 8}" fill="{MID}">{escape(caption)}'
                 '</text></svg>')
    return Markup("".join(parts))


def _stacked(rows: list[tuple[str, list[int]]], series: list[str], total: int) -> Markup:
    """Per approach, rows whose need was shown, stacked by status: black, a hatched grey and
    a light grey, so the three read apart without colour; counts printed at the end."""
    plot, row, left = 560, 38, 4
    height = row * len(rows) + 56
    fills = [INK, "url(#hatch)", LIGHT]
    top = max([sum(c) for _, c in rows] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{plot + 140}" '
             f'height="{height}" role="img" {FONT}><defs><pattern id="hatch" width="6" '
             f'height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
             f'<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" '
             f'stroke="{MID}" stroke-width="3"/></pattern></defs>']
    for i, (label, counts) in enumerate(rows):
        y, x = 4 + i * row, float(left)
        parts.append(f'<text x="{left}" y="{y + 12}">{escape(label)}</text>')
        for count, fill in zip(counts, fills, strict=True):
            w = count / top * plot
            parts.append(f'<rect x="{x:.1f}" y="{y + 16}" width="{w:.1f}" height="16" '
                         f'fill="{fill}" stroke="{INK}" stroke-width="0.5"/>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 29}">{sum(counts):,} '
                     f'({sum(counts) / max(total, 1):.0%})</text>')
    y = height - 44
    x = left
    for name, fill in zip(series, fills, strict=True):
        parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{fill}" '
                     f'stroke="{INK}" stroke-width="0.5"/><text x="{x + 20}" y="{y + 12}">'
                     f'{escape(name)}</text>')
        x += 30 + 8 * len(name)
    parts.append(f'<text x="{left}" y="{height - 10}" fill="{MID}">returnees for whom the '
                 'approach is indicated, by status (share of all scored rows)</text></svg>')
    return Markup("".join(parts))


def _columns(counts: np.ndarray, ticks: list[str], caption: str) -> Markup:
    width, height, left, bottom = 560, 170, 20, 130
    step = (width - left - 20) / len(counts)
    top = max(int(counts.max()), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" {FONT}>']
    for i, count in enumerate(counts):
        h = count / top * (bottom - 24)
        x = left + i * step
        parts.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{step - 2:.1f}" '
                     f'height="{h:.1f}" fill="{INK}"/>')
        if count:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{bottom - h - 4:.1f}" '
                         f'text-anchor="middle" font-size="10">{count:,}</text>')
    zero = left + len(counts) / 2 * step
    parts.append(f'<line x1="{zero:.1f}" y1="8" x2="{zero:.1f}" y2="{bottom}" stroke="{INK}" '
                 'stroke-dasharray="5 3"/>')
    for i, tick in enumerate(ticks):
        parts.append(f'<text x="{left + i * 4 * step:.1f}" y="{bottom + 15}" '
                     f'text-anchor="middle">{tick}</text>')
    parts.append(f'<text x="{left}" y="{bottom + 32}" fill="{MID}">{escape(caption)}'
                 '</text></svg>')
    return Markup("".join(parts))
