"""RSS answers -> coded points -> three dimension scores and the composite.

Missing answers (don't know, refused, not applicable, or not asked) are never scored as
zero. The policy, documented in the README and tested:
- a score is re-normalised over the answered elements: sum(points x weight) / sum(weight
  of answered elements);
- coverage is the answered share of the *applicable* weight (an element answered "not
  applicable", such as school enrolment without school-aged children, is no gap);
- below the framework's minimum coverage the score is null, with the reason.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from typing import Literal

from pydantic import BaseModel

from engine.model.framework import COMPOSITE
from engine.model.instrument import Element, Instrument
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet

Gap = Literal["dont_know", "refused", "not_applicable", "unanswered"]


class ElementResult(BaseModel):
    element: str
    dimension: str
    choice: str | None
    points: float | None
    gap: Gap | None


class Score(BaseModel):
    """One dimension score (or the composite), with how much of it was answered."""

    name: str
    value: float | None
    coverage: float
    answered: int
    applicable: int
    reason: str | None = None


class Scores(BaseModel):
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


def code_answers(instrument: Instrument, answers: Mapping[str, str]) -> dict[str, ElementResult]:
    """Each element's coded points, or why there are none."""
    return {element.id: _code(element, answers.get(element.id)) for element in instrument.elements}


def _code(element: Element, choice_name: str | None) -> ElementResult:
    choice = element.choice(choice_name) if choice_name else None
    if choice is None:
        return ElementResult(element=element.id, dimension=element.dimension, choice=None,
                             points=None, gap="unanswered")
    return ElementResult(element=element.id, dimension=element.dimension, choice=choice.name,
                         points=choice.points, gap=choice.missing)


def score_answers(book: RuleBook, weight_set: WeightSet, answers: Mapping[str, str],
                  phrases: gettext.NullTranslations | None = None) -> Scores:
    """Scores of one set of answers; ``phrases`` words the reasons for a missing score."""
    _ = (phrases or gettext.NullTranslations()).gettext
    coded = code_answers(book.instrument, answers)
    min_coverage = book.framework.scoring.min_coverage.value
    dimensions = {
        dimension: _weighted(
            dimension,
            [(coded[e.id], weight_set.weights[e.id].dimension)
             for e in book.instrument.elements_of(dimension)],
            min_coverage, _,
        )
        for dimension in book.framework.ids("dimensions")
    }
    composite = _weighted(
        COMPOSITE,
        [(coded[e.id], weight_set.weights[e.id].composite) for e in book.instrument.elements],
        min_coverage, _,
    )
    return Scores(weight_set=weight_set.id, weight_set_official=weight_set.official,
                  min_coverage=min_coverage, dimensions=dimensions, composite=composite,
                  elements=coded)


def _weighted(name: str, items: list[tuple[ElementResult, float]], min_coverage: float,
              _: Callable[[str], str]) -> Score:
    applicable = [(r, w) for r, w in items if r.gap != "not_applicable"]
    answered = [(r, w) for r, w in applicable if r.points is not None]
    applicable_weight = sum(w for _, w in applicable)
    answered_weight = sum(w for _, w in answered)
    coverage = answered_weight / applicable_weight if applicable_weight > 0 else 0.0
    counts = {"answered": len(answered), "applicable": len(applicable)}
    if answered_weight == 0:
        reason = (_("no applicable element") if applicable_weight == 0
                  else _("no element with weight was answered"))
        return Score(name=name, value=None, coverage=coverage, reason=reason, **counts)
    if coverage < min_coverage:
        reason = _("only %(coverage)s of the weight was answered (at least %(minimum)s is "
                   "needed)") % {"coverage": f"{coverage:.0%}", "minimum": f"{min_coverage:.0%}"}
        return Score(name=name, value=None, coverage=coverage, reason=reason, **counts)
    value = sum(r.points * w for r, w in answered) / answered_weight  # type: ignore[operator]
    return Score(name=name, value=value, coverage=coverage, **counts)
