"""Which profile conditions hold for a returnee: what triggers a safeguard, and whether a
guardian consents and signs for them."""

from __future__ import annotations

from collections.abc import Sequence

from engine.evaluation.facts import Facts
from engine.model.conditions import Condition, ConditionDefaults
from engine.model.plan_rules import GuardianRule
from engine.model.safeguards import Safeguard


def holding(conditions: Sequence[Condition], rule_id: str, facts: Facts,
            defaults: ConditionDefaults) -> list[Condition]:
    """The conditions that hold for this case, in their rule order."""
    return [c for c in conditions if facts.holds(c.check(rule_id, defaults))]


def triggered_by(safeguard: Safeguard, facts: Facts,
                 defaults: ConditionDefaults) -> list[Condition]:
    """The conditions of ``safeguard`` that hold for this case; empty: it does not apply."""
    return holding(safeguard.when_any, safeguard.id, facts, defaults)


def guardian_consents(rule: GuardianRule, facts: Facts, defaults: ConditionDefaults) -> bool:
    """Whether a guardian consents and signs for this returnee (the plan rules say for
    whom: a child)."""
    return bool(holding(rule.consents_when, "guardian", facts, defaults))
