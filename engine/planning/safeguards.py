"""Which safeguards a returnee's profile triggers, and by which of their conditions."""

from __future__ import annotations

from engine.case.model import Profile
from engine.model.grids import HasVulnerability
from engine.model.safeguards import ProfileConditionModel, Safeguard, SchoolAgedChildrenAtLeast


def holds(condition: ProfileConditionModel, profile: Profile) -> bool:
    if isinstance(condition, HasVulnerability):
        return condition.vulnerability in profile.vulnerabilities
    if isinstance(condition, SchoolAgedChildrenAtLeast):
        return profile.household.school_aged_children >= condition.school_aged_children_at_least
    return profile.age < condition.age_below


def triggered_by(safeguard: Safeguard, profile: Profile) -> list[ProfileConditionModel]:
    """The conditions of ``safeguard`` that hold for this profile; empty: it does not apply."""
    return [c for c in safeguard.when_any if holds(c, profile)]
