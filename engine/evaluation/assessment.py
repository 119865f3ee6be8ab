"""The one pipeline every front door uses: case -> scores -> facts -> inference -> results.

Build an ``Assessor`` once per rules version (it compiles and registers the rules), then
assess as many cases as needed; the CLI, the web workspace, trainer scenarios and batch
jobs all call this and hold no domain logic of their own.
"""

from __future__ import annotations

import gettext

from pydantic import BaseModel

from engine.case.model import Case
from engine.evaluation.backends import backend_named
from engine.evaluation.decision import Decider
from engine.evaluation.facts import case_facts
from engine.evaluation.results import ApproachResult
from engine.evaluation.scoring import Scores, score_answers
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet


class Assessment(BaseModel):
    returnee_id: str
    monitoring_round: str
    rules_version: str
    backend: str
    scores: Scores
    approaches: list[ApproachResult]

    def approach(self, approach_id: str) -> ApproachResult | None:
        return next((a for a in self.approaches if a.approach == approach_id), None)


class Assessor:
    def __init__(self, book: RuleBook, weight_set: WeightSet | None = None,
                 phrases: gettext.NullTranslations | None = None,
                 backend: str = "durable_rules"):
        """``phrases`` words the reasons in a language; the rule text comes from ``book``.

        ``backend`` names the engine that finds the holding checks (see
        ``engine.evaluation.backends.BACKENDS``); every backend gives the same results.
        """
        self.book = book
        self.weight_set = weight_set or book.weight_set("default")
        self.phrases = phrases
        self.backend = backend_named(backend, book)
        self.decider = Decider(book, phrases)

    def score(self, case: Case) -> Scores:
        return score_answers(self.book, self.weight_set, case.rss, self.phrases)

    def assess(self, case: Case) -> Assessment:
        scores = self.score(case)
        facts = case_facts(case, scores)
        holding = self.backend.holding(facts)
        return Assessment(
            returnee_id=case.returnee_id,
            monitoring_round=case.monitoring_round,
            rules_version=self.book.version,
            backend=self.backend.name,
            scores=scores,
            approaches=self.decider.decide_all(facts, holding),
        )
