"""The progress chart's geometry: rounds left to right, higher scores higher, a round the
engine could not score left out of its line, and close values printed apart."""

from __future__ import annotations

from itertools import pairwise

from engine.web.pages.progress_chart import LABEL_GAP, progress_chart


def test_rounds_go_right_and_better_scores_go_up():
    chart = progress_chart(["baseline", "6 months", "12 months"],
                           [("composite", [0.2, 0.4, 0.6]), ("economic", [0.1, None, 0.5])],
                           0.5)
    composite, economic = chart.series
    xs = [p.x for p in composite.points]
    ys = [p.y for p in composite.points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert ys == sorted(ys, reverse=True)  # SVG's y grows downwards
    assert [p.value for p in economic.points] == [0.1, 0.5]
    assert economic.path.count("L") == 1
    assert chart.plot_top <= chart.threshold_y <= chart.plot_bottom
    assert {s.dash for s in chart.series} == {"", "8 4"}  # told apart without colour


def test_close_values_are_printed_apart():
    chart = progress_chart(["a", "b"], [(name, [0.41, 0.40]) for name in "wxyz"])
    last = sorted(s.points[1].label_y for s in chart.series)
    assert all(b - a >= LABEL_GAP for a, b in pairwise(last))
    assert [p.label for p in chart.series[0].points] == ["0.41", "0.40"]


def test_first_round_values_sit_left_of_their_points_away_from_the_lines():
    """Lines leave the first round rightwards: its values are printed to the left (clear of
    them); later rounds' to the right. A lone round has no line and keeps the right side."""
    chart = progress_chart(["a", "b", "c"], [("w", [0.2, 0.3, 0.4])])
    first, *later = chart.series[0].points
    assert first.label_dx < 0 and first.label_anchor == "end"
    assert all(p.label_dx > 0 and p.label_anchor == "start" for p in later)
    lone = progress_chart(["a"], [("w", [0.2])]).series[0].points[0]
    assert lone.label_dx > 0
