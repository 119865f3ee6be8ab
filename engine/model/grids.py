"""Feasibility grids: when an approach is indicated, appropriate, and how it is delivered.

One entry per approach: the conditions that show a need (any of them), the yes/no
questions at each level (with which answer supports the approach and how several
questions combine), and the ordered modality options chosen by feasibility answers.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag

from engine.model.base import Fraction, Id, RuleModel, Sourced, form_by_keys

YesNo = Literal["yes", "no"]


class Question(Sourced):
    text: str
    seed_text: str | None = None
    answered_by: Id | None = None
    """Who can answer it (an ``answerers`` id of the framework); project guidance, optional."""


class ScoreBelow(RuleModel):
    """Indicated when a dimension (or the composite) score is below a threshold."""

    score: Id
    below: Fraction | None = None  # None: the framework's comprehensive-support threshold


class ElementAnswerIn(RuleModel):
    """Indicated when an RSS element was answered with one of these choices."""

    element: Id
    answer_in: list[Id] = Field(min_length=1)


class ElementPointsBelow(RuleModel):
    """Indicated when an RSS element's coded points are below a threshold."""

    element: Id
    points_below: Fraction


class HasVulnerability(RuleModel):
    """Indicated when the returnee's profile carries this vulnerability."""

    vulnerability: Id


_condition_form = form_by_keys({
    "score_below": frozenset({"score"}),
    "element_answer_in": frozenset({"element", "answer_in"}),
    "element_points_below": frozenset({"element", "points_below"}),
    "has_vulnerability": frozenset({"vulnerability"}),
})


Condition = Annotated[
    Annotated[ScoreBelow, Tag("score_below")]
    | Annotated[ElementAnswerIn, Tag("element_answer_in")]
    | Annotated[ElementPointsBelow, Tag("element_points_below")]
    | Annotated[HasVulnerability, Tag("has_vulnerability")],
    Discriminator(
        _condition_form,
        custom_error_type="bad_operator",
        custom_error_message=(
            "unknown condition: use {score, below}, {element, answer_in}, "
            "{element, points_below} or {vulnerability}"
        ),
    ),
]


class QuestionUse(RuleModel):
    question: Id
    supports: YesNo


class Criterion(RuleModel):
    combine: Literal["all", "any"] = "all"
    questions: list[QuestionUse] = Field(min_length=1)


NotApplicable = Literal["n/a"]

LevelCriterion = Annotated[
    Annotated[Criterion, Tag("criterion")] | Annotated[NotApplicable, Tag("not_applicable")],
    Discriminator(
        lambda value: "not_applicable" if isinstance(value, str) else "criterion",
    ),
]


class AnswerIs(RuleModel):
    question: Id
    answer: YesNo


class ModalityOption(RuleModel):
    modality: Id
    when: list[AnswerIs] = Field(min_length=1)


class GridEntry(Sourced):
    approach: Id
    indicated_if_any: list[Condition] = Field(min_length=1)
    criteria: dict[Id, LevelCriterion]
    feasibility: list[ModalityOption] = Field(min_length=1)


class Grid(Sourced):
    grid: Id
    dimension: Id
    questions: dict[Id, Question]
    approaches: list[GridEntry]
