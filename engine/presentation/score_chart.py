"""Geometry of the score chart: one horizontal bar per dimension, then the composite.

Like Figures 7-8 of 001 (a returnee's dimension scores side by side), with the 0.50 line
of the grids' guidance drawn across. Positions are computed here and drawn by the
template (``templates/partials/score_chart.svg.j2``), so every word on the chart is
translated with the rest of the plan. The chart must read in grey scale: the composite is
black, dimensions mid grey, the threshold a dashed black line, and each value is printed.
"""

import math

from pydantic import BaseModel

WIDTH = 560.0
PLOT_START = 16.0
PLOT_WIDTH = 430.0
TOP = 22.0
LABEL_HEIGHT = 15.0
BAR_HEIGHT = 16.0
ROW_GAP = 9.0
COMPOSITE_GAP = 8.0
AXIS_HEIGHT = 26.0
TEXT_CELLS = 20
"""Cells of the text bar used where an image cannot go (the Markdown plan)."""


class ChartRow(BaseModel):
    label: str | None
    """The dimension's name; None for the composite, whose label the template translates."""
    value: float | None
    label_y: float
    bar_y: float
    bar_width: float
    text_bar: str


class Tick(BaseModel):
    x: float
    value: float


class ScoreChart(BaseModel):
    width: float
    height: float
    plot_start: float
    plot_width: float
    bar_height: float
    value_x: float
    threshold: float
    threshold_x: float
    plot_top: float
    plot_bottom: float
    rows: list[ChartRow]
    ticks: list[Tick]


def score_chart(scores: list[tuple[str | None, float | None]], threshold: float) -> ScoreChart:
    """Lay out ``(label, value)`` rows; the last row is the composite and stands apart."""
    rows: list[ChartRow] = []
    y = TOP
    for index, (label, value) in enumerate(scores):
        if index == len(scores) - 1:
            y += COMPOSITE_GAP
        rows.append(ChartRow(
            label=label, value=value, label_y=y + LABEL_HEIGHT - 4, bar_y=y + LABEL_HEIGHT,
            bar_width=0.0 if value is None else value * PLOT_WIDTH,
            text_bar=text_bar(value, threshold)))
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    bottom = y - ROW_GAP + 4
    return ScoreChart(
        width=WIDTH, height=bottom + AXIS_HEIGHT, plot_start=PLOT_START, plot_width=PLOT_WIDTH,
        bar_height=BAR_HEIGHT, value_x=PLOT_START + PLOT_WIDTH + 10, threshold=threshold,
        threshold_x=PLOT_START + threshold * PLOT_WIDTH, plot_top=TOP - 4, plot_bottom=bottom,
        rows=rows,
        ticks=[Tick(x=PLOT_START + v * PLOT_WIDTH, value=v) for v in (0, 0.25, 0.5, 0.75, 1)])


def text_bar(value: float | None, threshold: float) -> str:
    """A bar of block characters with a mark at the threshold: ``█████░░░░░┃░░░░░░░░░░``.
    Half a cell rounds up, as the value printed beside it does (0.225 fills 5 cells and
    reads 0.23), not to the even neighbour as ``round`` would."""
    filled = 0 if value is None else math.floor(value * TEXT_CELLS + 0.5)
    cells = ["█" if i < filled else ("·" if value is None else "░") for i in range(TEXT_CELLS)]
    cells.insert(round(threshold * TEXT_CELLS), "┃")
    return "".join(cells)
