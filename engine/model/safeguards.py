"""Safeguards: protective steps a plan must carry because of who the returnee is.

Which profile triggers which safeguard (children in the household, an unaccompanied
child, an emergency return...) is data in ``rules/plan/safeguards.yaml``. The engine only
knows a small condition vocabulary over the case file's profile, so adding a safeguard or
changing an age limit never touches code.
"""

from pydantic import Field

from engine.model.base import Id, RuleModel, Sourced
from engine.model.conditions import ProfileCondition
from engine.model.timing import Timing


class SafeguardAction(Sourced):
    """One step of a safeguard, optionally dated, with a line to fill in or needs to flag."""

    id: Id
    text: str
    timing: Timing | None = None
    fill_in: str | None = None
    flags_needs_in: list[Id] = []
    approach: Id | None = None
    quote: str | None = None


class Safeguard(Sourced):
    id: Id
    name: str
    comes_first: bool = False
    when_any: list[ProfileCondition] = Field(min_length=1)
    actions: list[SafeguardAction] = Field(min_length=1)
    quote: str | None = None


class SafeguardRules(RuleModel):
    safeguards: list[Safeguard]
