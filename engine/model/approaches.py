"""Complementary approaches: what can be recommended, in which dimension and category."""

from engine.model.base import Id, Sourced


class Approach(Sourced):
    id: Id
    name: str
    dimension: Id
    category: Id
    description: str
    useful_for: list[str]
    indicators: list[Id]
    modalities: list[Id]
    complementary: Id
    """The complementary approach of Figure 10 this one belongs to (``rules/interventions/
    complementary/``)."""
