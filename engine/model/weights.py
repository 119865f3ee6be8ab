"""Weight sets: how much each RSS element counts in its dimension and in the composite.

The official global weights are not public, so no set may pass for them by accident:
each set states whether it is official and how it was built.
"""

from typing import Annotated

from pydantic import Field, Strict

from engine.model.base import Id, Provenance, RuleModel, Sourced

SUM_TOLERANCE = 1e-6
"""Float tolerance for "sums to 1" — numerical, not a domain threshold."""


Weight = Annotated[float, Strict(), Field(allow_inf_nan=False)]
"""A finite number: NaN would pass the sum check and then make every coverage 0%. Its sign
is checked by the loader, which says what a negative weight means."""


class ElementWeight(RuleModel):
    dimension: Weight
    composite: Weight
    source: str | None = None
    provenance: Provenance | None = None


class WeightSet(Sourced):
    id: Id
    name: str
    official: bool
    construction: str
    weights: dict[Id, ElementWeight]
