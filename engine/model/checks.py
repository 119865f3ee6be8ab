"""The engine-neutral compiled form of the grids: atomic checks with stable rule ids.

A backend (durable_rules, the Python reference) only finds which checks hold; what follows
from them is the decision's. Checks are plain frozen values so they can be compared,
hashed, shared between approaches and snapshotted for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

FactKind = Literal["score", "element", "vulnerability", "profile", "answer"]
Operator = Literal["lt", "gte", "in", "eq", "present"]


@dataclass(frozen=True)
class Check:
    rule_id: str
    kind: FactKind
    subject: str
    field: str | None = None
    op: Operator = "present"
    operand: float | str | tuple[str, ...] | None = None
    condition: str | None = None
    """The condition kind it was compiled from; None for a grid question's answer."""

    def test(self, value: Any) -> bool:
        """Whether a known fact's ``field`` value passes this check (the reference semantics
        every backend must reproduce)."""
        if self.op == "present":
            return True
        if value is None:
            return False
        if self.op == "lt":
            return value < self.operand
        if self.op == "gte":
            return value >= self.operand
        if self.op == "in":
            return value in self.operand  # type: ignore[operator]
        return value == self.operand


@dataclass(frozen=True)
class Join:
    """All of ``checks`` hold at once (a modality option's feasibility answers)."""

    rule_id: str
    checks: tuple[Check, ...]


def indication_id(approach: str, index: int) -> str:
    return f"{approach}/indicated/{index}"


def criterion_id(approach: str, level: str, question: str) -> str:
    return f"{approach}/{level}/{question}"


def feasibility_id(approach: str, index: int) -> str:
    return f"{approach}/feasibility/{index}"
