"""The one pipeline every front door calls: case -> scores -> facts -> holding checks ->
decisions -> safeguards, guardian and agreement issues, as one language-free outcome.

A plan (in any language) is laid out from an outcome, never from a case again: nothing
downstream recomputes what the pipeline already has. Build one ``Pipeline`` per rule book,
weight set and backend and run it on as many cases as needed; the rules are compiled once
per book (``engine.evaluation.checks.compiled``), whatever the number of pipelines.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.case.community import ProfileAnswer, at_place
from engine.case.model import Case
from engine.evaluation.assessment import Assessment, Assessor
from engine.evaluation.checks import compiled
from engine.evaluation.facts import Facts
from engine.evaluation.scoring import Scores
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet
from engine.planning.advice import CaseIssue, advice_issues


@dataclass(frozen=True)
class TriggeredSafeguard:
    """A safeguard the profile triggers, with the positions of its conditions that hold."""

    id: str
    held: tuple[int, ...]


@dataclass(frozen=True)
class Outcome:
    """Everything the engine concludes about one case: codes, ids and numbers only."""

    case: Case
    assessment: Assessment
    facts: Facts
    safeguards: tuple[TriggeredSafeguard, ...]
    """In rule order; a plan puts those that come first before the others."""
    guardian_required: bool
    """Whether a guardian consents and signs for the returnee (the plan rules say when)."""
    issues: tuple[CaseIssue, ...]
    """Where the case file's actions and decisions contradict the advice without a reason:
    a plan is refused until they are settled (``Planner.plan`` raises AgainstAdvice)."""
    profile_answers: tuple[ProfileAnswer, ...] = ()
    """Grid questions the community profile of the place of return answered (the case's
    own answers win), each with the profile's id and version and the value it read."""


class Pipeline:
    """One per rule book, weight set and backend; it serves every language."""

    def __init__(self, book: RuleBook, weight_set: WeightSet | None = None,
                 backend: str | None = None, *, illustrative_profiles: bool = False):
        """``backend`` names the engine that finds the holding checks
        (``engine.evaluation.backends``); None: the default where it loads.
        ``illustrative_profiles``: let community profiles marked illustrative (invented
        values, as every shipped one is) answer questions; only examples and training do."""
        self.book = book
        self.assessor = Assessor(book, weight_set, backend)
        self.illustrative_profiles = illustrative_profiles

    @property
    def backend(self) -> str:
        """The name of the backend in use (the default resolved)."""
        return self.assessor.backend_name

    def score(self, case: Case) -> Scores:
        """The RSS scores alone: no inference engine is started for them."""
        return self.assessor.score(case)

    def assess(self, case: Case, *, trace: bool = True) -> Assessment:
        """Scores and statuses only (``trace=False``: no explanation, for many cases)."""
        return self.assessor.assess(case, trace=trace)

    def run(self, case: Case) -> Outcome:
        """The whole outcome of one case, traced (a plan explains every part of it): the
        case as its place's community profile completes it, then evaluated."""
        case, answered = at_place(case, self.book, illustrative=self.illustrative_profiles)
        assessment, facts = self.assessor.evaluate(case)
        rules = compiled(self.book)
        safeguards = tuple(
            TriggeredSafeguard(safeguard_id, held)
            for safeguard_id, checks in rules.safeguards.items()
            if (held := tuple(i for i, check in enumerate(checks) if facts.holds(check))))
        guardian = any(facts.holds(check) for check in rules.guardian)
        return Outcome(case, assessment, facts, safeguards, guardian,
                       tuple(advice_issues(case, assessment)), answered)
