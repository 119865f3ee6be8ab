"""What cohort evidence reads from the rules: which follow-up milestones are the W model's
low points, and how far ahead a design note looks for them."""

from pydantic import Field

from engine.model.base import Id, Sourced
from engine.model.timing import Period


class CohortRules(Sourced):
    low_points: list[Id] = Field(min_length=1)
    horizon: Period
