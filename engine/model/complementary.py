"""The 16 complementary approaches of Figure 10: what a reintegration project can include.

They sit one step above the individual-level approaches of the grids: a case manager plans
"referral to a psychosocial support provider" for one returnee; a project development officer
decides whether a project includes "Psychosocial Support" at all, and what it needs first.
"""

from pydantic import Field

from engine.model.base import Id, RuleModel, Sourced


class ComplementaryApproach(Sourced):
    id: Id
    number: int = Field(ge=1, le=99)
    """Its number in Figure 10, so a reader can find it in the report."""
    name: str
    category: Id
    explanation: str


class Total(Sourced):
    """How many complementary approaches the source counts: ``validate`` finds each of them."""

    value: int = Field(ge=1, le=99)


class Figure(RuleModel):
    total: Total
    complementary_approaches: list[ComplementaryApproach]
