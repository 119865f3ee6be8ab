"""Scoring at its edges: coverage between the thresholds, zero weights, shared coding.

Written against the survivors of ``scripts/mutate.py engine/evaluation/scoring.py``: each
test pins a behaviour the main scoring tests left free to change unnoticed.
"""

from __future__ import annotations

import pytest
from tests_support import case_data

from engine.case.model import Case
from engine.evaluation.scoring import code_answers, coding, score_answers
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet
from engine.planning.pipeline import Pipeline
from engine.planning.planner import Planner


def _weighted(book: RuleBook, dimension: str, weights: list[float]) -> WeightSet:
    """The default set with these dimension weights for one dimension (in element order)."""
    default = book.weight_set("default")
    changed = dict(default.weights)
    for element, weight in zip(book.instrument.elements_of(dimension), weights, strict=True):
        changed[element.id] = changed[element.id].model_copy(update={"dimension": weight})
    return default.model_copy(update={"weights": changed})


def _at(book: RuleBook, points: float, dimension: str | None = None) -> dict[str, str]:
    """Every element (of one dimension) answered with the choice worth these points."""
    return {e.id: next(c.name for c in e.choices if c.points == points)
            for e in book.instrument.elements
            if dimension is None or e.dimension == dimension}


def test_coverage_between_half_and_the_minimum_gives_no_score(book: RuleBook) -> None:
    """55% answered: above one half, still below the 60% minimum."""
    weights = _weighted(book, "economic", [0.3, 0.25, 0.05, 0.05, 0.1, 0.1, 0.05, 0.05, 0.05])
    first_two = list(_at(book, 1, "economic").items())[:2]
    score = score_answers(book, weights, dict(first_two)).dimensions["economic"]
    assert score.coverage == pytest.approx(0.55)
    assert (score.value, score.missing) == (None, "coverage_below_minimum")


def test_coverage_is_rounded_to_nine_decimals(book: RuleBook) -> None:
    """A weight sum short of 60% by a ninth decimal is short; one short only by float noise
    (a tenth decimal) is not: the tolerance is nine decimals, no more, no less."""
    economic = book.instrument.elements_of("economic")
    answer = {economic[0].id: next(c.name for c in economic[0].choices if c.points == 1)}
    short = _weighted(book, "economic", [0.599999999, 0.400000001, *[0.0] * 7])
    noise = _weighted(book, "economic", [0.5999999996, 0.4000000004, *[0.0] * 7])
    assert score_answers(book, short, answer).dimensions["economic"].value is None
    assert score_answers(book, noise, answer).dimensions["economic"].value == 1.0


def test_zero_weights_leave_nothing_applicable(book: RuleBook) -> None:
    """All the social weight on school enrolment, answered "no school-aged children": no
    applicable weight is left, so no score and no coverage (no division by zero)."""
    elements = [e.id for e in book.instrument.elements_of("social")]
    weights = _weighted(book, "social", [1.0 if e == "children_enrolled_in_school" else 0.0
                                         for e in elements])
    answers = {**_at(book, 1), "children_enrolled_in_school": "no_school_aged_children"}
    social = score_answers(book, weights, answers).dimensions["social"]
    assert (social.value, social.missing, social.coverage) == (
        None, "no_applicable_element", 0.0)
    assert (social.answered, social.applicable) == (10, 10)


def test_zero_weighted_answers_only_are_no_weighted_answer(book: RuleBook) -> None:
    elements = book.instrument.elements_of("economic")
    weights = _weighted(book, "economic", [1.0, *[0.0] * (len(elements) - 1)])
    answers = {e.id: next(c.name for c in e.choices if c.points == 1) for e in elements[1:]}
    economic = score_answers(book, weights, answers).dimensions["economic"]
    assert (economic.value, economic.missing, economic.coverage) == (
        None, "no_weighted_answer", 0.0)


def test_value_reads_the_composite_and_each_dimension(book: RuleBook) -> None:
    answers = {**_at(book, 1), **_at(book, 0, "economic")}
    scores = score_answers(book, book.weight_set("default"), answers)
    assert scores.value("economic") == 0.0
    assert scores.value("social") == pytest.approx(1.0)
    assert scores.value(COMPOSITE) == scores.composite.value
    assert 0.0 < scores.composite.value < 1.0  # type: ignore[operator]
    assert [s.name for s in scores.all()] == [*book.framework.ids("dimensions"), COMPOSITE]


def test_shared_coding_gives_the_same_results_as_coding_each_case(book: RuleBook) -> None:
    """The per-instrument table (used for many cases) codes answers, gaps, unanswered
    elements and an unknown choice exactly as coding one case does."""
    table = coding(book.instrument)
    answers = {**_at(book, 1), "economic_satisfaction": "dont_know",
               "ability_to_borrow": "no_such_choice"}
    del answers["access_to_housing"]
    shared = code_answers(book.instrument, answers, table)
    assert shared == code_answers(book.instrument, answers)
    assert shared["currently_working"].points == 1
    assert shared["economic_satisfaction"].gap == "dont_know"
    assert shared["ability_to_borrow"].gap == "unanswered"
    assert shared["access_to_housing"].gap == "unanswered"
    assert score_answers(book, book.weight_set("default"), answers, table) == score_answers(
        book, book.weight_set("default"), answers)


def _half(book: RuleBook) -> dict[str, str]:
    """Every element at its middle choice (0.5 points), the yes/no ones half yes, half no
    (and one left out where their number is odd): every score is one half exactly."""
    answers = {e.id: c.name for e in book.instrument.elements for c in e.choices
               if c.points == 0.5}
    for dimension in book.framework.ids("dimensions"):
        binary = [e for e in book.instrument.elements_of(dimension) if e.id not in answers]
        for index, element in enumerate(binary[:len(binary) // 2 * 2]):
            answers[element.id] = next(c.name for c in element.choices
                                       if c.points == index % 2)
    return answers


def test_a_score_of_exactly_one_half_is_not_below_the_threshold(book: RuleBook) -> None:
    """0.50 in decimal, however the weighted mean falls in binary floating point: "Score
    0.50, below 0.50" must never be printed, and no need or approach follows from it."""
    assert book.framework.scoring.comprehensive_support_below.value == 0.5
    answers = _half(book)
    case = Case.model_validate(case_data(rss=answers))
    outcome = Pipeline(book, backend="python").run(case)
    assert [(s.name, s.value) for s in outcome.assessment.scores.all()] == [
        *((d, 0.5) for d in book.framework.ids("dimensions")), (COMPOSITE, 0.5)]
    plan = Planner(book).plan(outcome)
    reading = book.plan.reading.not_below.text
    assert [(line.below, line.reading) for line in plan.scores.lines] == [
        (False, reading)] * len(plan.scores.lines)
    assert not [n for g in plan.needs for n in g.needs if n.kind == "score"]
    for result in outcome.assessment.approaches:
        assert all(e.truth == "does_not_hold" for e in result.trace.indication
                   if e.condition == "score_below"), result.approach
