"""What every part of one plan reads: the rule index, the case, its assessment and the
footnotes cited so far (shared, so notes are numbered in order of first citation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from engine.evaluation.results import ApproachResult, Evidence
from engine.model.base import Provenance
from engine.model.conditions import BY_TAG
from engine.model.framework import COMPOSITE
from engine.model.plan_rules import PlanRules
from engine.model.rulebook import RuleBook
from engine.planning.plan import Note

if TYPE_CHECKING:  # the pipeline's outcome is what a plan is drafted from
    from engine.planning.pipeline import Outcome

NEED_PREFIX = {"score": "score", "element": "rss", "vulnerability": "profile",
               "profile": "profile"}
"""A need's id is the kind of fact that shows it and its subject (``rss:currently_working``)."""


class _Sourced(Protocol):
    source: str
    provenance: Provenance


class Notes:
    """Numbers footnotes in order of first citation; one note per distinct source."""

    def __init__(self) -> None:
        self.notes: dict[tuple[str, str], Note] = {}

    def cite(self, rule: _Sourced) -> int:
        key = (rule.source, rule.provenance)
        if key not in self.notes:
            self.notes[key] = Note(number=len(self.notes) + 1, source=rule.source,
                                   provenance=rule.provenance)
        return self.notes[key].number


class PlanIndex:
    """The look-ups every plan needs, made once per rule book (and language)."""

    def __init__(self, book: RuleBook):
        self.book = book
        self.names = {field: {t.id: t.name for t in getattr(book.framework, field)}
                      for field in ("dimensions", "levels", "modalities", "vulnerabilities",
                                    "monitoring_rounds", "answerers", "relationships")}
        self.elements = {e.id: e for e in book.instrument.elements}
        planning = book.plan.planning
        self.horizons = {a.approach: planning.horizon_of(a.approach) for a in planning.approaches}
        self.fill_ins = {m.modality: m.fill_in for m in planning.modalities}

    def name(self, field: str, term_id: str) -> str:
        """The framework's name of a term (a dimension, a level, a modality...)."""
        return self.names[field][term_id]


class Section:
    """One part of a plan being drafted; every part of one plan shares this state."""

    def __init__(self, index: PlanIndex, outcome: Outcome, notes: Notes):
        self.index = index
        self.book = index.book
        self.rules: PlanRules = index.book.plan
        self.outcome = outcome
        self.case = outcome.case
        self.assessment = outcome.assessment
        self.notes = notes
        self.threshold = self.book.framework.scoring.comprehensive_support_below.value
        self.results = {r.approach: r for r in outcome.assessment.approaches}

    def dimension_name(self, dimension: str) -> str | None:
        """The framework's name of a dimension; None for the composite score."""
        return None if dimension == COMPOSITE else self.index.name("dimensions", dimension)

    def approach_name(self, result: ApproachResult) -> str:
        return self.book.approaches[result.approach].name

    def _indications(self, result: ApproachResult) -> list[Evidence]:
        """The indications of an approach that held, with what each read."""
        assert result.trace is not None, "a plan is drafted from a traced assessment"
        return [e for e in result.trace.indication if e.truth == "holds"]


def need_id(evidence: Evidence) -> str:
    return f"{NEED_PREFIX[BY_TAG[evidence.condition].fact]}:{evidence.subject}"
