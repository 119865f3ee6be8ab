"""The evaluation step of the pipeline: case -> scores -> facts -> holding checks -> results.

``engine.planning.pipeline.Pipeline`` is what front doors call; it runs this step, then
what follows from the results (safeguards, the guardian, the agreement with the advice).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from engine.case.model import Case
from engine.evaluation.backends import Backend, backend_named, check_backend_name
from engine.evaluation.checks import compiled
from engine.evaluation.decision import Decider
from engine.evaluation.facts import Facts, case_facts
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
    rules_identity: str
    """The hash of the rule book's content: what a kept result is compared by."""
    backend: str
    scores: Scores
    approaches: tuple[ApproachResult, ...]
    traced: bool = True

    def approach(self, approach_id: str) -> ApproachResult | None:
        return next((a for a in self.approaches if a.approach == approach_id), None)


class Assessor:
    """One per rule book, weight set and backend; it serves every language, since
    nothing it makes is worded."""

    def __init__(self, book: RuleBook, weight_set: WeightSet | None = None,
                 backend: str | None = None):
        """``backend`` names the engine that finds the holding checks (see
        ``engine.evaluation.backends``; None: the default where it loads); every backend
        gives the same results."""
        self.book = book
        self.weight_set = weight_set or book.weight_set("default")
        self._backend_asked = backend
        if backend is not None:
            check_backend_name(backend)  # a bad name fails here, not at the first case
        self.coding = coding(book.instrument)

    @cached_property
    def backend_name(self) -> str:
        """The default is found at first use: finding it imports the inference engine,
        which scoring alone never needs."""
        return check_backend_name(self._backend_asked)

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
        return self.evaluate(case, trace=trace)[0]

    def evaluate(self, case: Case, *, trace: bool = True) -> tuple[Assessment, Facts]:
        """The assessment and the facts it was made from (the pipeline reads both)."""
        scores = self.score(case)
        facts = case_facts(case, scores, compiled(self.book).observed)
        holding = self.backend.holding(facts)
        return Assessment(case.returnee_id, case.monitoring_round, self.book.version,
                          self.book.identity, self.backend.name, scores,
                          self.decider.decide_all(facts, holding, trace=trace), trace), facts
