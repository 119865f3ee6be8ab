"""Which safeguards a returnee's profile triggers, and by which of their conditions."""

from __future__ import annotations

from engine.evaluation.facts import Facts
from engine.model.conditions import Condition, ConditionDefaults
from engine.model.safeguards import Safeguard


def triggered_by(safeguard: Safeguard, facts: Facts,
                 defaults: ConditionDefaults) -> list[Condition]:
    """The conditions of ``safeguard`` that hold for this case; empty: it does not apply."""
    return [c for c in safeguard.when_any if facts.holds(c.check(safeguard.id, defaults))]
