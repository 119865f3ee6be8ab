"""The one pipeline every front door uses: case -> scores -> facts -> inference -> results.

Build an ``Assessor`` once per rules version (it compiles and registers the rules), then
assess as many cases as needed; the CLI, the web workspace, trainer scenarios and batch
jobs all call this and hold no domain logic of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from engine.case.model import Case
from engine.evaluation.backends import BACKENDS, Backend, backend_named
from engine.evaluation.decision import Decider
from engine.evaluation.facts import case_facts
from engine.evaluation.results import ApproachResult
from engine.evaluation.scoring import Scores, coding, score_answers
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet


@dataclass(frozen=True, slots=True)
class Assessment:
    """One case's scores and approach results: codes, ids and numbers, in no language."""

    returnee_id: str
    monitoring_round: str
    rules_version: str
    backend: str
    scores: Scores
    approaches: tuple[ApproachResult, ...]
    traced: bool = True

    def approach(self, approach_id: str) -> ApproachResult | None:
        return next((a for a in self.approaches if a.approach == approach_id), None)


class Assessor:
    """One per rules version, weight set and backend; it serves every language, since
    nothing it makes is worded."""

    def __init__(self, book: RuleBook, weight_set: WeightSet | None = None,
                 backend: str = "durable_rules"):
        """``backend`` names the engine that finds the holding checks (see
        ``engine.evaluation.backends.BACKENDS``); every backend gives the same results."""
        self.book = book
        self.weight_set = weight_set or book.weight_set("default")
        self.backend_name = backend
        self.coding = coding(book.instrument)
        if backend not in BACKENDS:  # a bad name fails here, not at the first case
            backend_named(backend, book)

    @cached_property
    def backend(self) -> Backend:
        """Built at the first assessment: scoring alone never starts an inference engine."""
        return backend_named(self.backend_name, self.book)

    @cached_property
    def decider(self) -> Decider:
        return Decider(self.book)

    def score(self, case: Case) -> Scores:
        return score_answers(self.book, self.weight_set, case.rss, self.coding)

    def assess(self, case: Case, *, trace: bool = True) -> Assessment:
        """``trace=False`` gives statuses and modalities only, for work over many cases."""
        scores = self.score(case)
        facts = case_facts(case, scores)
        holding = self.backend.holding(facts)
        return Assessment(case.returnee_id, case.monitoring_round, self.book.version,
                          self.backend.name, scores,
                          self.decider.decide_all(facts, holding, trace=trace), trace)
