"""Feasibility grids: when an approach is indicated, appropriate, and how it is delivered.

One entry per approach: the conditions that show a need (any of them), the yes/no
questions at each level (with which answer supports the approach and how several
questions combine), and the ordered modality options chosen by feasibility answers.
"""

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag

from engine.model.base import Id, RuleModel, Sourced
from engine.model.conditions import GridCondition

YesNo = Literal["yes", "no"]


class SameAs(RuleModel):
    """An RSS element that asks the same thing as a grid question: its choices that mean
    yes and those that mean no (others, such as "sometimes", agree with either)."""

    element: Id
    yes: list[Id] = Field(min_length=1)
    no: list[Id] = Field(min_length=1)


class Question(Sourced):
    text: str
    seed_text: str | None = None
    answered_by: Id | None = None
    """Who can answer it (an ``answerers`` id of the framework); project guidance, optional."""
    same_as: SameAs | None = None
    """The RSS element asking the same thing: a case whose answers disagree is warned about."""


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
    indicated_if_any: list[GridCondition] = Field(min_length=1)
    criteria: dict[Id, LevelCriterion]
    feasibility: list[ModalityOption] = Field(min_length=1)


class Grid(Sourced):
    grid: Id
    dimension: Id
    questions: dict[Id, Question]
    approaches: list[GridEntry]
