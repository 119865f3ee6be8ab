"""Geometry of the progress chart: the four RSS scores (three dimensions and the composite)
over the monitoring rounds, as lines a reader can tell apart in grey.

The scores come from the engine's outcome of each round; this module only places them.
Each series has its own dash pattern and marker and every point prints its value, so the
chart reads on a black-and-white printout. Words (round names, series names) are given by
the view in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

WIDTH = 760.0
HEIGHT = 300.0
LEFT = 48.0
RIGHT = 220.0
INSET = 70.0
"""Room between the axis and the first and last rounds, for their labels."""
LABEL_GAP = 13.0
"""Least vertical distance between two value labels of one round."""
LABEL_DX = 9.0
"""Horizontal distance from a point to its value label."""
TOP = 16.0
BOTTOM = 40.0
DASHES = ("", "8 4", "2 3", "10 3 2 3")
"""Composite solid, then one pattern per dimension."""
MARKERS = ("square", "circle", "triangle", "diamond")
FILLS = ("#000000", "#ffffff", "#000000", "#ffffff")
STROKES = ("#000000", "#444444", "#444444", "#444444")
WIDTHS = (3.0, 2.0, 2.0, 2.0)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    mark: str
    """The marker's SVG path, drawn around (x, y)."""
    label_y: float = 0.0
    """Where the value is printed: beside the point, moved apart from its neighbours."""
    label_dx: float = LABEL_DX
    """Right of the point, or left of it in the first round (its lines leave rightwards)."""

    @property
    def label_anchor(self) -> str:
        return "end" if self.label_dx < 0 else "start"

    @property
    def label(self) -> str:
        return f"{self.value:.2f}"


def marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f"M{x - 4:.1f},{y - 4:.1f} h8 v8 h-8 z"
    if shape == "circle":
        return f"M{x - 4:.1f},{y:.1f} a4,4 0 1,0 8,0 a4,4 0 1,0 -8,0 z"
    if shape == "triangle":
        return f"M{x:.1f},{y - 5:.1f} l5,9 h-10 z"
    return f"M{x:.1f},{y - 5:.1f} l5,5 l-5,5 l-5,-5 z"


@dataclass(frozen=True)
class Series:
    name: str
    dash: str
    fill: str
    stroke: str
    width: float
    points: tuple[Point, ...]
    legend_y: float
    legend_x: float
    legend_mark: str

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}"
                        for i, p in enumerate(self.points))


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Level:
    y: float
    label: str
    label_x: float


@dataclass(frozen=True)
class ProgressChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    rounds: tuple[Tick, ...]
    levels: tuple[Level, ...]
    series: tuple[Series, ...]
    threshold_y: float | None


def progress_chart(rounds: list[str], series: list[tuple[str, list[float | None]]],
                   threshold: float | None = None) -> ProgressChart:
    """``rounds`` are the x labels in time order; ``series`` pairs a name with one score (0-1,
    or None when the round did not score it) per round."""
    plot_right = WIDTH - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    span = plot_right - LEFT - 2 * INSET
    step = span / max(len(rounds) - 1, 1)
    xs = [LEFT + INSET + (i * step if len(rounds) > 1 else span / 2)
          for i in range(len(rounds))]

    def y_of(value: float) -> float:
        return plot_bottom - value * (plot_bottom - TOP)

    drawn = []
    for index, (name, values) in enumerate(series):
        style = index % len(DASHES)
        points = tuple(Point(x, y_of(v), v, marker(MARKERS[style], x, y_of(v)), y_of(v) + 4,
                             -LABEL_DX if n == 0 and len(rounds) > 1 else LABEL_DX)
                       for n, (x, v) in enumerate(zip(xs, values, strict=True))
                       if v is not None)
        legend_y = TOP + 10 + index * 22
        legend_x = plot_right + 16
        drawn.append(Series(name, DASHES[style], FILLS[style], STROKES[style], WIDTHS[style],
                            points, legend_y, legend_x,
                            marker(MARKERS[style], legend_x + 14, legend_y)))
    drawn = _labels_apart(drawn)
    return ProgressChart(
        WIDTH, HEIGHT, LEFT, plot_right, TOP, plot_bottom,
        tuple(Tick(x, plot_bottom + 20, label) for x, label in zip(xs, rounds, strict=True)),
        tuple(Level(y_of(v), f"{v:.2f}", LEFT - 6) for v in (0.0, 0.25, 0.5, 0.75, 1.0)),
        tuple(drawn), y_of(threshold) if threshold is not None else None)


def _labels_apart(series: list[Series]) -> list[Series]:
    """Value labels of one round pushed apart downwards so close scores stay readable."""
    by_x: dict[float, list[tuple[int, int]]] = {}
    for s_index, one in enumerate(series):
        for p_index, point in enumerate(one.points):
            by_x.setdefault(point.x, []).append((s_index, p_index))
    moved = {(s, p): series[s].points[p].label_y for ids in by_x.values() for s, p in ids}
    for ids in by_x.values():
        ordered = sorted(ids, key=lambda key: moved[key])
        for before, after in pairwise(ordered):
            moved[after] = max(moved[after], moved[before] + LABEL_GAP)
    return [replace(one, points=tuple(replace(point, label_y=moved[(s, p)])
                                      for p, point in enumerate(one.points)))
            for s, one in enumerate(series)]
