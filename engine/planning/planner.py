"""Drafting a plan: one assessment and its case file, laid out by the plan rules.

Every decision a plan document shows is taken here from rule data (which needs the answers
show, which approach goes under which dimension and horizon, which dates follow from the
date of return, which safeguards the profile triggers, which footnote says "project
guidance"), so every format and language says the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.model.rulebook import RuleBook
from engine.planning.advice import AgainstAdvice
from engine.planning.agreement import Agreement, NotReadyToSign
from engine.planning.approach_plan import Approaches
from engine.planning.draft import Notes, PlanIndex, Section
from engine.planning.needs import Needs
from engine.planning.pipeline import Outcome
from engine.planning.plan import (
    Header,
    Plan,
    PlanStatus,
    ScoreLine,
    ScoreSection,
)
from engine.planning.protection import Protection


class Planner:
    """Lays out plans with one rule book (in one language); build it once per book and
    language, so the look-ups every plan needs are indexed once."""

    def __init__(self, book: RuleBook):
        self.book = book
        self.index = PlanIndex(book)

    def plan(self, outcome: Outcome, *, status: PlanStatus = "draft",
             dated: date | None = None) -> Plan:
        """The plan of one case's outcome; ``dated`` defaults to the assessment date, else
        today. A final plan is refused (NotReadyToSign, with what is missing) until the
        case file holds what a plan to sign needs; actions nobody decided to take up are
        refused (AgainstAdvice) rather than left out of the plan."""
        if outcome.issues:  # a front door reports them with their lines first
            raise AgainstAdvice(list(outcome.issues))
        draft = _Draft(self.index, outcome, Notes())
        plan = draft.plan(status, dated or outcome.case.assessed_on or date.today())
        if status == "final" and plan.gaps:
            raise NotReadyToSign(plan.gaps)
        return plan


class _Draft(Section):
    """One plan being assembled from its sections, which share its state and notes."""

    def __init__(self, *shared: Any):
        super().__init__(*shared)
        self.need_section = Needs(*shared)
        self.approach_section = Approaches(*shared)
        self.protection = Protection(*shared)
        self.agreement = Agreement(*shared)

    def plan(self, status: PlanStatus, dated: date) -> Plan:
        by_id = {s.id: s for s in self.rules.safeguards.safeguards}
        applying = [(by_id[t.id], [by_id[t.id].when_any[i] for i in t.held])
                    for t in self.outcome.safeguards]
        applying.sort(key=lambda pair: not pair[0].comes_first)
        needs = self.need_section.needs({d for s, _ in applying for a in s.actions
                                          for d in a.flags_needs_in})
        safeguards = [self.protection.safeguard(s, held, needs) for s, held in applying]
        scores = self.scores()
        approaches = self.approach_section
        dimensions = approaches.dimensions(needs)
        agreed = self.agreement.approaches()
        open_questions = approaches.open_questions()
        return Plan(
            header=self.header(status, dated), safeguards=safeguards, scores=scores,
            needs=needs, dimensions=dimensions, horizons=approaches.horizons(dimensions),
            open_questions=open_questions,
            questions_by_answerer=approaches.by_answerer(open_questions),
            set_aside=approaches.set_aside(),
            schedule=self.protection.schedule(safeguards, dated),
            consent=self.protection.consent(),
            summary=self.agreement.summary(scores.lines, needs, agreed), agreement=agreed,
            budget=self.agreement.budget(agreed), referrals=self.agreement.referrals(agreed),
            signatories=self.agreement.signatories(), gaps=self.agreement.gaps(agreed),
            notes=list(self.notes.notes.values()))

    # -- header and scores -------------------------------------------------------------

    def header(self, status: PlanStatus, dated: date) -> Header:
        profile = self.case.profile
        return Header(
            returnee_id=self.case.returnee_id, country_of_return=profile.country_of_return,
            place_of_return=profile.place_of_return, date_of_return=profile.date_of_return,
            case_manager=self.case.case_manager,
            monitoring_round=self.index.name("monitoring_rounds", self.case.monitoring_round),
            assessed_on=self.case.assessed_on, rules_version=self.assessment.rules_version,
            status=status, dated=dated, goals=self.case.goals)

    def scores(self) -> ScoreSection:
        scores = self.assessment.scores
        reading = self.rules.reading
        lines = []
        for score in scores.all():
            below = None if score.value is None else score.value < self.threshold
            chosen = None if below is None else reading.below if below else reading.not_below
            lines.append(ScoreLine(
                id=score.name, name=self.dimension_name(score.name), value=score.value,
                coverage=score.coverage, answered=score.answered, applicable=score.applicable,
                missing=score.missing, missing_dimensions=list(score.missing_dimensions),
                below=below, reading=chosen.text if chosen else None,
                note=self.notes.cite(chosen) if chosen else None))
        weight_set = self.book.weight_sets.get(scores.weight_set)
        return ScoreSection(
            lines=lines, threshold=self.threshold, min_coverage=scores.min_coverage,
            threshold_note=self.notes.cite(
                self.book.framework.scoring.comprehensive_support_below),
            weight_set=weight_set.name if weight_set else scores.weight_set,
            weight_set_official=scores.weight_set_official)

