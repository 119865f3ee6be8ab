"""The Project Design Grid and the Conditions Analysis Grid (001, section IV).

The Project Design Grid asks, for each complementary approach, questions under three
headings (appropriateness, resources, complementarity). The Conditions Analysis Grid sorts
what must hold for a selected approach into aspects (appropriateness at the individual and
community level; human, financial and technology resources; complementarity with what
exists and the support foreseen; impact on the sustainability of reintegration) and asks a
few questions of every selected approach. Each aspect says what an answer against the
approach means: it is not appropriate, or it sets a condition to meet first.
"""

from typing import Literal

from pydantic import Field, model_validator

from engine.model.base import Id, RuleModel, Sourced

YesNo = Literal["yes", "no"]
Column = Literal["appropriateness", "resources", "complementarity"]
"""The Project Design Grid's headings, as the seed prints them."""
Consequence = Literal["not_appropriate", "condition_to_meet"]
"""What an answer against an approach means for it."""
AnswerKind = Literal["yes_no", "open"]
"""``open``: a question to discuss ("What are the risks?"); its answer is shown, never decides."""


class ProjectQuestion(Sourced):
    """One question to the project development officer, asked per approach.

    ``text`` is the seed's sentence when ``provenance`` is verbatim; ``supports``, the
    ``aspect`` it is filed under and the ``condition`` to meet are always the project's
    reading (project guidance, not IOM's)."""

    id: Id
    text: str = Field(min_length=3)
    aspect: Id
    answer: AnswerKind = "yes_no"
    supports: YesNo | None = None
    """The answer that speaks for the approach (yes/no questions only)."""
    when_against: Consequence | None = None
    """Overrides the aspect's consequence for this question."""
    condition: str | None = None
    """What must be put in place when the answer is against and that sets a condition."""

    @model_validator(mode="after")
    def _answer_kind(self) -> "ProjectQuestion":
        if self.answer == "yes_no" and self.supports is None:
            raise ValueError("a yes/no question needs 'supports: yes' or 'supports: no'")
        if self.answer == "open" and (self.supports or self.when_against or self.condition):
            raise ValueError("an open question decides nothing: remove supports, "
                             "when_against and condition")
        return self


class GridQuestion(ProjectQuestion):
    column: Column


class SeedRow(RuleModel):
    """A row of the seed's grid as printed: its name and its four cells (appropriateness,
    appropriateness, resources, complementarity), kept to check the verbatim questions."""

    name: str
    cells: list[str] = Field(min_length=4, max_length=4)


class ProjectGridEntry(Sourced):
    approach: Id
    seed_rows: list[SeedRow] = []
    questions: list[GridQuestion] = Field(min_length=1)


class ProjectDesignGrid(Sourced):
    grid: Id
    approaches: list[ProjectGridEntry]


class Aspect(Sourced):
    id: Id
    name: str
    seed_text: str | None = None
    """The seed's bullet this aspect is read from, word for word."""
    when_against: Consequence


class ConditionsAnalysisGrid(Sourced):
    grid: Id
    aspects: list[Aspect]
    questions: list[ProjectQuestion] = []
    """Asked of every selected approach, beside its own Project Design Grid questions."""
