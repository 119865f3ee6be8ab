"""The engine-neutral compiled form of the grids: atomic checks with stable rule ids.

A backend (durable_rules, the Python reference) only finds which checks hold; what follows
from them is the decision's. Checks are plain frozen values so they can be compared,
hashed, shared between approaches and snapshotted for review.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_args

from engine.errors import InferenceError

FactKind = Literal["score", "element", "vulnerability", "profile", "answer"]
Operator = Literal["lt", "gte", "in", "eq", "present"]

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt,
    "gte": operator.ge,
    "in": lambda value, operand: value in operand,
    "eq": operator.eq,
    "present": lambda value, operand: True,
}
"""The reference meaning of each operator on a known value. Every backend maps every
operator exhaustively (``require_every_operator``), so a new one fails at start-up, never
silently at run time."""


def require_every_operator(mapped: object, backend: str) -> None:
    """Refuse to start a backend whose operator table misses one (or names an unknown one)."""
    names = set(mapped)  # type: ignore[call-overload]
    expected = set(get_args(Operator))
    if names != expected:
        raise InferenceError(f"backend {backend} maps operators {sorted(names)}, "
                           f"expected exactly {sorted(expected)}")


require_every_operator(OPERATORS, "reference")


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
        return value is not None and OPERATORS[self.op](value, self.operand)


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
