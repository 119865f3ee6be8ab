"""The Reintegration Sustainability Survey as data: elements, their questions and coding.

Each answer choice either carries coded points in [0, 1] or says why the answer is
missing (don't know, refused, not applicable); scoring treats the two very differently.
"""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from engine.model.base import Fraction, Id, RuleModel, Sourced
from engine.model.conditions import ProfileCondition

MissingReason = Literal["dont_know", "refused", "not_applicable"]

FIVE_POINT = frozenset({1.0, 0.75, 0.5, 0.25, 0.0})
YES_NO = frozenset({1.0, 0.0})


class Choice(RuleModel):
    name: Id
    label: str
    points: Fraction | None = None
    missing: MissingReason | None = None

    @model_validator(mode="after")
    def _points_or_missing(self) -> "Choice":
        if (self.points is None) == (self.missing is None):
            raise ValueError(
                f"choice '{self.name}' needs either 'points' (0 to 1) or 'missing' "
                "(dont_know, refused or not_applicable), not both or neither"
            )
        return self


class Scale(Sourced):
    choices: list[Choice]


Number = Annotated[int, Field(ge=1, le=999, strict=True)]
"""The number an indicator or element carries in the survey (1 to 30 in the RSS)."""


class Indicator(Sourced):
    id: Id
    number: Number
    dimension: Id
    name: str


class Element(Sourced):
    id: Id
    number: Number
    dimension: Id
    indicator: Id
    name: str
    question: str
    scale: Id | None = None
    choices: list[Choice] = []
    asked_if: ProfileCondition | None = None
    """When the question is put at all (school enrolment only with school-aged children):
    a form skips it otherwise, and the skipped answer is the element's not-applicable choice."""

    def not_applicable(self) -> Choice | None:
        """The answer an element has when its question does not apply, if it has one."""
        return next((c for c in self.choices if c.missing == "not_applicable"), None)

    def choice(self, name: str) -> Choice | None:
        return next((c for c in self.choices if c.name == name), None)

    def scored_choices(self) -> list[Choice]:
        return [c for c in self.choices if c.points is not None]


class Instrument(Sourced):
    id: Id
    title: str
    answered_by: Id | None = None
    """Who answers the survey's questions (an ``answerers`` id of the framework)."""
    missing_choices: list[Choice]
    scales: dict[Id, Scale]
    indicators: list[Indicator]
    elements: list[Element]

    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)

    def elements_of(self, dimension: str) -> list[Element]:
        return [e for e in self.elements if e.dimension == dimension]
