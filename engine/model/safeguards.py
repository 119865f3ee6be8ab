"""Safeguards: protective steps a plan must carry because of who the returnee is.

Which profile triggers which safeguard (children in the household, an unaccompanied
child, an emergency return...) is data in ``rules/plan/safeguards.yaml``. The engine only
knows a small condition vocabulary over the case file's profile, so adding a safeguard or
changing an age limit never touches code.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Discriminator, Field, Tag

from engine.model.base import Id, RuleModel, Sourced, form_by_keys
from engine.model.grids import HasVulnerability
from engine.model.timing import Timing


class SchoolAgedChildrenAtLeast(RuleModel):
    """Holds when the household has at least this many school-aged children."""

    school_aged_children_at_least: int = Field(ge=1)


class AgeBelow(RuleModel):
    """Holds when the returnee is younger than this (the returnee is a child)."""

    age_below: int = Field(ge=1, le=120)


ProfileConditionModel = HasVulnerability | SchoolAgedChildrenAtLeast | AgeBelow

_condition_form = form_by_keys({
    "has_vulnerability": frozenset({"vulnerability"}),
    "children": frozenset({"school_aged_children_at_least"}),
    "age": frozenset({"age_below"}),
})
"""The tags differ from the keys so an error's location names a key once."""


ProfileCondition = Annotated[
    Annotated[HasVulnerability, Tag("has_vulnerability")]
    | Annotated[SchoolAgedChildrenAtLeast, Tag("children")]
    | Annotated[AgeBelow, Tag("age")],
    Discriminator(
        _condition_form,
        custom_error_type="bad_condition",
        custom_error_message=(
            "unknown profile condition: use {vulnerability: ID}, "
            "{school_aged_children_at_least: N} or {age_below: N}"
        ),
    ),
]


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
