"""RSS answers -> coded points -> three dimension scores and the composite.

Missing answers (don't know, refused, not applicable, or not asked) are never scored as
zero. The policy, documented in the README and tested:
- a score is re-normalised over the answered elements: sum(points x weight) / sum(weight
  of answered elements);
- coverage is the answered share of the *applicable* weight (an element answered "not
  applicable", such as school enrolment without school-aged children, is no gap);
- below the framework's minimum coverage the score is null, with the reason;
- the composite is null while any dimension has no score (it would hide a blind spot).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from engine.model.framework import COMPOSITE
from engine.model.instrument import Element, Instrument
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet

Gap = Literal["dont_know", "refused", "not_applicable", "unanswered"]
MissingScore = Literal["no_applicable_element", "no_weighted_answer", "coverage_below_minimum",
                       "dimension_missing"]
"""Why a score is null; ``dimension_missing``: the composite, while a dimension has none."""

DIGITS = 9
"""Coverage and scores are rounded to this many decimals: weights and points are decimal
fractions, so 0.3 + 0.3 summed in binary floating point must still reach a 60% minimum, and
a weighted mean of one half must not fall to 0.49999999999999994, below a 0.50 threshold."""


@dataclass(frozen=True, slots=True)
class ElementResult:
    element: str
    dimension: str
    choice: str | None
    points: float | None
    gap: Gap | None


@dataclass(frozen=True, slots=True)
class Score:
    """One dimension score (or the composite), with how much of it was answered."""

    name: str
    value: float | None
    coverage: float
    answered: int
    applicable: int
    missing: MissingScore | None = None
    """Why there is no value; None when there is one."""
    missing_dimensions: tuple[str, ...] = ()
    """For the composite: the dimensions without a score."""


@dataclass(frozen=True, slots=True)
class Scores:
    weight_set: str
    weight_set_official: bool
    min_coverage: float
    dimensions: dict[str, Score]
    composite: Score
    elements: dict[str, ElementResult]

    def value(self, name: str) -> float | None:
        return self.composite.value if name == COMPOSITE else self.dimensions[name].value

    def all(self) -> list[Score]:
        return [*self.dimensions.values(), self.composite]


Coding = dict[str, dict[str | None, ElementResult]]
"""Every element's result for every choice (and for no answer), made once per instrument."""


def coding(instrument: Instrument) -> Coding:
    return {e.id: {None: _code(e, None), **{c.name: _code(e, c.name) for c in e.choices}}
            for e in instrument.elements}


def code_answers(instrument: Instrument, answers: Mapping[str, str],
                 table: Coding | None = None) -> dict[str, ElementResult]:
    """Each element's coded points, or why there are none (shared results from ``table``)."""
    if table is None:
        return {e.id: _code(e, answers.get(e.id)) for e in instrument.elements}
    return {e.id: table[e.id].get(answers.get(e.id)) or table[e.id][None]
            for e in instrument.elements}


def _code(element: Element, choice_name: str | None) -> ElementResult:
    choice = element.choice(choice_name) if choice_name else None
    if choice is None:
        return ElementResult(element.id, element.dimension, None, None, "unanswered")
    return ElementResult(element.id, element.dimension, choice.name, choice.points,
                         choice.missing)


def score_answers(book: RuleBook, weight_set: WeightSet, answers: Mapping[str, str],
                  table: Coding | None = None) -> Scores:
    """Scores of one set of answers; ``table`` (from ``coding``) shares element results."""
    coded = code_answers(book.instrument, answers, table)
    min_coverage = book.framework.scoring.min_coverage.value
    # one walk over the elements, in the instrument's order (the order of every sum)
    weighted: dict[str, list[tuple[ElementResult, float]]] = {
        dimension: [] for dimension in book.framework.ids("dimensions")}
    overall: list[tuple[ElementResult, float]] = []
    for element in book.instrument.elements:
        result, weights = coded[element.id], weight_set.weights[element.id]
        weighted[element.dimension].append((result, weights.dimension))
        overall.append((result, weights.composite))
    dimensions = {dimension: _weighted(dimension, items, min_coverage)
                  for dimension, items in weighted.items()}
    composite = _weighted(COMPOSITE, overall, min_coverage)
    unscored = tuple(name for name, score in dimensions.items() if score.value is None)
    if unscored and composite.value is not None:
        # A composite over answers that leave a whole dimension unscored would read as a
        # full picture; it is withheld, and the reason names the dimensions.
        composite = replace(composite, value=None, missing="dimension_missing",
                            missing_dimensions=unscored)
    return Scores(weight_set.id, weight_set.official, min_coverage, dimensions, composite, coded)


def _weighted(name: str, items: list[tuple[ElementResult, float]],
              min_coverage: float) -> Score:
    applicable: list[float] = []
    answered: list[float] = []
    products: list[float] = []
    for r, w in items:  # one walk; the sums below run over the same sequences, in order
        if r.gap != "not_applicable":
            applicable.append(w)
            if r.points is not None:
                answered.append(w)
                products.append(r.points * w)
    applicable_weight = sum(applicable)
    answered_weight = sum(answered)
    coverage = answered_weight / applicable_weight if applicable_weight > 0 else 0.0
    coverage = round(coverage, DIGITS)
    counts = (coverage, len(answered), len(applicable))
    if answered_weight == 0:
        missing = "no_applicable_element" if applicable_weight == 0 else "no_weighted_answer"
        return Score(name, None, *counts, missing)  # type: ignore[arg-type]
    if coverage < min_coverage:
        return Score(name, None, *counts, "coverage_below_minimum")
    value = round(sum(products) / answered_weight, DIGITS)
    return Score(name, value, *counts)
