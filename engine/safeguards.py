"""Safeguards: protective steps a plan must carry because of who the returnee is.

Which profile triggers which safeguard (children in the household, an unaccompanied
child, an emergency return...) is data in ``rules/plan/safeguards.yaml``. The engine only
knows a small condition vocabulary over the case file's profile, so adding a safeguard or
changing an age limit never touches code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Discriminator, Field, Tag

from engine.grids import HasVulnerability
from engine.rule_model import Id, RuleModel, Sourced, form_by_keys
from engine.schedule import Timing

if TYPE_CHECKING:  # the case model imports the rule book, which loads these rules
    from engine.case import Profile


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


def holds(condition: ProfileConditionModel, profile: Profile) -> bool:
    if isinstance(condition, HasVulnerability):
        return condition.vulnerability in profile.vulnerabilities
    if isinstance(condition, SchoolAgedChildrenAtLeast):
        return profile.household.school_aged_children >= condition.school_aged_children_at_least
    return profile.age < condition.age_below


def triggered_by(safeguard: Safeguard, profile: Profile) -> list[ProfileConditionModel]:
    """The conditions of ``safeguard`` that hold for this profile; empty: it does not apply."""
    return [c for c in safeguard.when_any if holds(c, profile)]
