"""The vocabulary of the rules: dimensions, levels, modalities and the scoring policy.

Kept in ``rules/framework.yaml`` so that the engine holds no domain word; every other
rule file is checked against it.
"""

from collections.abc import Iterable
from typing import Protocol, TypeVar

from engine.model.base import Parameter, RuleModel, Term

COMPOSITE = "composite"
"""The score over all dimensions; the one score name that is not a dimension."""


class Answerable(Protocol):
    @property
    def answered_by(self) -> str | None: ...


Asked = TypeVar("Asked", bound=Answerable)


class ScoringPolicy(RuleModel):
    min_coverage: Parameter
    comprehensive_support_below: Parameter


class Framework(RuleModel):
    dimensions: list[Term]
    levels: list[Term]
    modalities: list[Term]
    categories: list[Term]
    vulnerabilities: list[Term]
    monitoring_rounds: list[Term]
    answerers: list[Term] = []
    """Who can answer a question (the returnee, the case manager...); used to group intake."""
    relationships: list[Term] = []
    """How a household member is related to the returnee (a case file's household lists)."""
    scoring: ScoringPolicy

    def ids(self, field: str) -> list[str]:
        return [term.id for term in getattr(self, field)]

    def by_answerer(self, questions: Iterable[Asked]) -> list[tuple[str | None, list[Asked]]]:
        """Questions grouped by who can answer them, in the order of ``answerers``; those
        nobody is named for last; empty groups left out."""
        listed = list(questions)
        order: list[str | None] = [*self.ids("answerers"), None]
        groups = [(who, [q for q in listed if q.answered_by == who]) for who in order]
        return [(who, asked) for who, asked in groups if asked]

    def name(self, field: str, term_id: str) -> str:
        return next(t.name for t in getattr(self, field) if t.id == term_id)
