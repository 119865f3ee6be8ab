"""Weight sets: how much each RSS element counts in its dimension and in the composite.

The official global weights are not public, so no set may pass for them by accident:
each set states whether it is official and how it was built.
"""

from __future__ import annotations

from engine.model.base import Id, Provenance, RuleModel, Sourced

SUM_TOLERANCE = 1e-6
"""Float tolerance for "sums to 1" — numerical, not a domain threshold."""


class ElementWeight(RuleModel):
    dimension: float
    composite: float
    source: str | None = None
    provenance: Provenance | None = None


class WeightSet(Sourced):
    id: Id
    name: str
    official: bool
    construction: str
    weights: dict[Id, ElementWeight]
