"""RSS scoring: the seed's worked example and every missing-answer path."""

from __future__ import annotations

import pytest

from engine.evaluation.scoring import score_answers
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet
from engine.presentation.wording import Wording

ECONOMIC_FLOOR = {  # every economic element at its unfavourable end (0 points)
    "food_insecurity_frequency": "very_often", "ability_to_borrow": "no",
    "borrowing_frequency": "very_often", "debt_to_spending": "debt_exceeds_monthly_spending",
    "access_to_employment_training": "very_poor", "currently_working": "no",
    "owns_productive_assets": "no", "searching_for_job": "yes",
}


def test_floor_answers_score_zero(book: RuleBook) -> None:
    for element_id, choice in ECONOMIC_FLOOR.items():
        assert book.instrument.element(element_id).choice(choice).points == 0


def test_worked_example_satisfied_is_0_75_times_0_15(book: RuleBook) -> None:
    """000: 'Satisfied' = 0.75; 0.75 x 0.15 = 0.1125, the rest of the dimension adding 0."""
    scores = score_answers(book, book.weight_set("seed-example"),
                           {"economic_satisfaction": "satisfied", **ECONOMIC_FLOOR})
    assert scores.elements["economic_satisfaction"].points == 0.75
    assert scores.dimensions["economic"].value == pytest.approx(0.1125, abs=1e-9)
    assert scores.dimensions["economic"].coverage == pytest.approx(1.0)


def test_worked_example_composite_weight(book: RuleBook) -> None:
    """The composite weight of that element is 0.05: 0.75 x 0.05 = 0.0375.

    The seed prints "0.75 * 0.05 = 0.06", an arithmetic slip; the product is 0.0375.
    With every other element answered at 0, the composite is that one weighted point.
    """
    answers = {e.id: next(c.name for c in e.choices if c.points == 0)
               for e in book.instrument.elements}
    answers["economic_satisfaction"] = "satisfied"
    scores = score_answers(book, book.weight_set("seed-example"), answers)
    assert scores.composite.value == pytest.approx(0.0375, abs=1e-9)


def _all_favourable(book: RuleBook) -> dict[str, str]:
    return {e.id: next(c.name for c in e.choices if c.points == 1)
            for e in book.instrument.elements}


def test_all_favourable_scores_one_everywhere(book: RuleBook) -> None:
    scores = score_answers(book, book.weight_set("default"), _all_favourable(book))
    for item in scores.all():
        assert item.value == pytest.approx(1.0)
        assert item.coverage == pytest.approx(1.0)


@pytest.mark.parametrize("gap", ["dont_know", "refused"])
def test_missing_answer_is_renormalised_not_zero(book: RuleBook, gap: str) -> None:
    answers = _all_favourable(book)
    answers["economic_satisfaction"] = gap
    scores = score_answers(book, book.weight_set("seed-example"), answers)
    economic = scores.dimensions["economic"]
    assert scores.elements["economic_satisfaction"].gap == gap
    assert economic.value == pytest.approx(1.0)  # not pulled down by the gap
    assert economic.coverage == pytest.approx(1 - 0.15)
    assert economic.answered == 8 and economic.applicable == 9


def test_unanswered_element_counts_as_a_gap(book: RuleBook) -> None:
    answers = _all_favourable(book)
    del answers["ability_to_borrow"]
    scores = score_answers(book, book.weight_set("seed-example"), answers)
    assert scores.elements["ability_to_borrow"].gap == "unanswered"
    assert scores.dimensions["economic"].coverage == pytest.approx(1 - 0.08)


def test_renormalisation_value(book: RuleBook) -> None:
    """Two answered elements: (1 x 0.15 + 0 x 0.08) / (0.15 + 0.08)."""
    answers = {"economic_satisfaction": "very_satisfied", "ability_to_borrow": "no"}
    weights = book.weight_set("seed-example")
    scores = score_answers(book, weights, answers)
    economic = scores.dimensions["economic"]
    assert economic.value is None  # coverage 0.23 is below the minimum
    assert economic.coverage == pytest.approx(0.23)
    assert economic.missing == "coverage_below_minimum"
    assert Wording(book).missing_score(economic, scores.min_coverage) == (
        "only 23% of the weight was answered (at least 60% is needed)")


def test_renormalised_value_just_above_minimum_coverage(book: RuleBook) -> None:
    weights = book.weight_set("default")
    economic = book.instrument.elements_of("economic")
    answers = {e.id: next(c.name for c in e.choices if c.points == 1) for e in economic[:5]}
    answers[economic[5].id] = next(c.name for c in economic[5].choices if c.points == 0)
    scores = score_answers(book, weights, answers)  # 6 of 9 equal weights: coverage 0.667
    assert scores.dimensions["economic"].coverage == pytest.approx(6 / 9)
    assert scores.dimensions["economic"].value == pytest.approx(5 / 6)


def test_not_applicable_is_no_coverage_gap(book: RuleBook) -> None:
    answers = _all_favourable(book)
    answers["children_enrolled_in_school"] = "no_school_aged_children"
    scores = score_answers(book, book.weight_set("default"), answers)
    social = scores.dimensions["social"]
    assert scores.elements["children_enrolled_in_school"].gap == "not_applicable"
    assert social.coverage == pytest.approx(1.0)
    assert social.applicable == 10 and social.answered == 10
    assert social.value == pytest.approx(1.0)


def test_dont_know_is_a_coverage_gap_unlike_not_applicable(book: RuleBook) -> None:
    answers = _all_favourable(book)
    answers["children_enrolled_in_school"] = "dont_know"
    social = score_answers(book, book.weight_set("default"), answers).dimensions["social"]
    assert social.coverage == pytest.approx(10 / 11)
    assert social.applicable == 11


def test_below_minimum_coverage_gives_null_with_reason(book: RuleBook) -> None:
    answers = {"participation_in_social_activities": "very_often"}
    scores = score_answers(book, book.weight_set("default"), answers)
    psychosocial = scores.dimensions["psychosocial"]
    assert psychosocial.value is None
    assert psychosocial.coverage == pytest.approx(0.1)
    assert psychosocial.missing == "coverage_below_minimum"
    assert "10%" in Wording(book).missing_score(psychosocial, scores.min_coverage)
    assert scores.composite.value is None


def test_nothing_answered(book: RuleBook) -> None:
    scores = score_answers(book, book.weight_set("default"), {})
    for item in scores.all():
        assert item.value is None and item.coverage == 0 and item.answered == 0
        assert item.missing == "no_weighted_answer"
        assert Wording(book).missing_score(item, scores.min_coverage) == (
            "no element with weight was answered")


def test_minimum_coverage_is_data(book: RuleBook) -> None:
    looser = book.framework.model_copy(update={"scoring": book.framework.scoring.model_copy(
        update={"min_coverage": book.framework.scoring.min_coverage.model_copy(
            update={"value": 0.05})})})
    loose_book = RuleBook(**{**book.__dict__, "framework": looser})
    answers = {"participation_in_social_activities": "very_often"}
    scores = score_answers(loose_book, book.weight_set("default"), answers)
    assert scores.dimensions["psychosocial"].value == pytest.approx(1.0)


def _weight_set_with(book: RuleBook, economic: list[float]) -> WeightSet:
    """The default set with these economic dimension weights (in element order)."""
    default = book.weight_set("default")
    weights = dict(default.weights)
    for element, weight in zip(book.instrument.elements_of("economic"), economic, strict=True):
        weights[element.id] = weights[element.id].model_copy(update={"dimension": weight})
    return default.model_copy(update={"weights": weights})


def test_coverage_at_the_minimum_is_enough_despite_binary_floats(book: RuleBook) -> None:
    """0.3 + 0.3 is 0.6 in decimal but 0.5999999999999999 in binary floating point."""
    weights = _weight_set_with(book, [0.3, 0.3, 0.01, 0.01, 0.16, 0.07, 0.03, 0.01, 0.11])
    economic = book.instrument.elements_of("economic")
    answers = {e.id: next(c.name for c in e.choices if c.points == 1) for e in economic[:2]}
    score = score_answers(book, weights, answers).dimensions["economic"]
    assert score.coverage == 0.6
    assert score.value == pytest.approx(1.0) and score.missing is None


def test_no_composite_while_a_dimension_has_no_score(book: RuleBook) -> None:
    """Every social answer missing: the composite would read 0.00 at 63% coverage."""
    answers = {e.id: next(c.name for c in e.choices if c.points == 0)
               for e in book.instrument.elements if e.dimension != "social"}
    scores = score_answers(book, book.weight_set("default"), answers)
    assert scores.dimensions["social"].value is None
    assert scores.composite.value is None
    assert scores.composite.missing == "dimension_missing"
    assert scores.composite.missing_dimensions == ("social",)
    assert scores.composite.coverage == pytest.approx(19 / 30, abs=0.01)
    assert Wording(book).missing_score(scores.composite, scores.min_coverage) == (
        "not given while a dimension has no score: Social")
