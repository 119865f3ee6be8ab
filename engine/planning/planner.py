"""Drafting a plan: one assessment and its case file, laid out by the plan rules.

Every decision a plan document shows is taken here from rule data (which needs the answers
show, which approach goes under which dimension and horizon, which dates follow from the
date of return, which safeguards the profile triggers, which footnote says "project
guidance"), so every format and language says the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from engine.case.model import Case
from engine.evaluation.assessment import Assessment
from engine.evaluation.checks import condition_defaults
from engine.evaluation.facts import Facts, case_facts
from engine.evaluation.results import ApproachResult, Evidence
from engine.model.base import Provenance
from engine.model.conditions import BY_TAG, Condition
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook
from engine.model.safeguards import Safeguard
from engine.planning.dates import dates_of
from engine.planning.plan import (
    AnsweredQuestion,
    ConsentLine,
    ConsentSection,
    DimensionPlan,
    Header,
    HorizonGroup,
    LevelAnswers,
    Need,
    NeedGroup,
    Note,
    OpenQuestion,
    Plan,
    PlannedAction,
    PlannedApproach,
    PlannedSafeguard,
    PlanStatus,
    QuestionGroup,
    ScheduleItem,
    ScoreLine,
    ScoreSection,
    SetAside,
    Trigger,
)
from engine.planning.safeguards import triggered_by

SET_ASIDE = ("not_appropriate", "not_indicated")
NEED_PREFIX = {"score": "score", "element": "rss", "vulnerability": "profile"}
"""A need's id is the kind of fact that shows it and its subject (``rss:currently_working``)."""


class _Sourced(Protocol):
    source: str
    provenance: Provenance


class _Notes:
    """Numbers footnotes in order of first citation; one note per distinct source."""

    def __init__(self) -> None:
        self.notes: dict[tuple[str, str], Note] = {}

    def cite(self, rule: _Sourced) -> int:
        key = (rule.source, rule.provenance)
        if key not in self.notes:
            self.notes[key] = Note(number=len(self.notes) + 1, source=rule.source,
                                   provenance=rule.provenance)
        return self.notes[key].number


class Planner:
    """Drafts plans with one rule book; build it once per rules version, like the Assessor,
    so the lookups every plan needs are indexed once rather than on every plan."""

    def __init__(self, book: RuleBook):
        self.book = book
        self.names = {field: {t.id: t.name for t in getattr(book.framework, field)}
                      for field in ("dimensions", "levels", "modalities", "vulnerabilities",
                                    "monitoring_rounds")}
        self.elements = {e.id: e for e in book.instrument.elements}
        planning = book.plan.planning
        self.horizons = {a.approach: planning.horizon_of(a.approach) for a in planning.approaches}
        self.fill_ins = {m.modality: m.fill_in for m in planning.modalities}

    def name(self, field: str, term_id: str) -> str:
        """The framework's name of a term (a dimension, a level, a modality...)."""
        return self.names[field][term_id]

    def plan(self, case: Case, assessment: Assessment, *, status: PlanStatus = "draft",
             dated: date | None = None) -> Plan:
        """The plan for one assessed case; ``dated`` defaults to the assessment date, else
        today."""
        return _Draft(self, case, assessment).plan(status,
                                                   dated or case.assessed_on or date.today())


class _Draft:
    """One plan being assembled: the case, its assessment and the footnotes cited so far."""

    def __init__(self, planner: Planner, case: Case, assessment: Assessment):
        self.planner = planner
        self.book = planner.book
        self.rules = planner.book.plan
        self.case = case
        self.assessment = assessment
        self.notes = _Notes()
        self.threshold = self.book.framework.scoring.comprehensive_support_below.value
        self.facts: Facts = case_facts(case, assessment.scores)
        self.results = {r.approach: r for r in assessment.approaches}

    def plan(self, status: PlanStatus, dated: date) -> Plan:
        defaults = condition_defaults(self.book)
        applying = [(s, held) for s in self.rules.safeguards.safeguards
                    if (held := triggered_by(s, self.facts, defaults))]
        applying.sort(key=lambda pair: not pair[0].comes_first)
        needs = self.needs({d for s, _ in applying for a in s.actions for d in a.flags_needs_in})
        safeguards = [self.safeguard(s, held, needs) for s, held in applying]
        scores = self.scores()
        dimensions = self.dimensions(needs)
        return Plan(
            header=self.header(status, dated), safeguards=safeguards, scores=scores,
            needs=needs, dimensions=dimensions, horizons=self.horizons(dimensions),
            open_questions=self.open_questions(), set_aside=self.set_aside(),
            schedule=self.schedule(safeguards, dated), consent=self.consent(),
            notes=list(self.notes.notes.values()))

    def dimension_name(self, dimension: str) -> str | None:
        """The framework's name of a dimension; None for the composite score."""
        return None if dimension == COMPOSITE else self.planner.name("dimensions", dimension)

    # -- header and scores -------------------------------------------------------------

    def header(self, status: PlanStatus, dated: date) -> Header:
        profile = self.case.profile
        return Header(
            returnee_id=self.case.returnee_id, country_of_return=profile.country_of_return,
            place_of_return=profile.place_of_return, date_of_return=profile.date_of_return,
            case_manager=self.case.case_manager,
            monitoring_round=self.planner.name("monitoring_rounds", self.case.monitoring_round),
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

    # -- needs -------------------------------------------------------------------------

    def needs(self, urgent_dimensions: set[str]) -> list[NeedGroup]:
        """Every score below the threshold and every indication that holds, once each."""
        found: dict[str, tuple[str | None, tuple[int, int], Need]] = {}
        for score in self.assessment.scores.all():
            if score.value is not None and score.value < self.threshold:
                found[f"score:{score.name}"] = self._score_need(score.name, self.threshold)
        for result in self.assessment.approaches:
            for condition, evidence in self._indications(result):
                key = _need_id(evidence)
                if key not in found:
                    found[key] = self._need(condition)
                need = found[key][2]
                {"recommended": need.addressed_by, "needs_answers": need.pending,
                 "not_appropriate": need.set_aside}[result.status].append(
                    self.approach_name(result))
        groups: list[NeedGroup] = []
        for dimension in [None, *self.book.framework.ids("dimensions")]:
            needs = [need for _dim, _order, need in sorted(
                (v for v in found.values() if v[0] == dimension), key=lambda v: v[1])]
            for need in needs:
                need.urgent = dimension in urgent_dimensions
            if needs:
                groups.append(NeedGroup(dimension=dimension, needs=needs, name=(
                    self.planner.name("dimensions", dimension) if dimension else None)))
        return groups

    def approach_name(self, result: ApproachResult) -> str:
        return self.book.approaches[result.approach].name

    def _indications(self, result: ApproachResult) -> list[tuple[Condition, Evidence]]:
        """Each holding indication with the rule condition it came from (same order)."""
        entry = self.book.entries[result.approach]
        assert result.trace is not None, "a plan is drafted from a traced assessment"
        return [(c, e) for c, e in zip(entry.indicated_if_any, result.trace.indication,
                                       strict=True)
                if e.truth == "holds"]

    def _score_need(self, name: str, threshold: float) -> tuple[str | None, tuple[int, int], Need]:
        return (None if name == COMPOSITE else name, (0, 0), Need(
            id=f"score:{name}", kind="score", label=self.dimension_name(name),
            value=self.assessment.scores.value(name), threshold=threshold))

    def _need(self, condition: Condition) -> tuple[str | None, tuple[int, int], Need]:
        check = condition.check("", condition_defaults(self.book))
        if check.kind == "score":
            return self._score_need(check.subject, float(check.operand))  # type: ignore[arg-type]
        if check.kind == "element":
            element = self.planner.elements[check.subject]
            coded = self.assessment.scores.elements[element.id]
            choice = element.choice(coded.choice) if coded.choice else None
            return (element.dimension, (1, element.number), Need(
                id=f"rss:{element.id}", kind="answer", label=element.name,
                question=element.question, answer=choice.label if choice else None,
                value=coded.points))
        return (None, (2, 0), Need(
            id=f"profile:{check.subject}", kind="profile",
            label=self.planner.name("vulnerabilities", check.subject)))

    # -- approaches --------------------------------------------------------------------

    def dimensions(self, needs: list[NeedGroup]) -> list[DimensionPlan]:
        labels = {n.id: n.label for g in needs for n in g.needs}
        recommended = [r for r in self.assessment.approaches if r.status == "recommended"]
        return [
            DimensionPlan(id=d, name=self.planner.name("dimensions", d), approaches=[
                self.approach(r, labels) for r in recommended if r.dimension == d])
            for d in self.book.framework.ids("dimensions")
            if any(r.dimension == d for r in recommended)
        ]

    def approach(self, result: ApproachResult, labels: dict[str, str | None]) -> PlannedApproach:
        horizon = self.planner.horizons[result.approach]
        modality = result.modality
        return PlannedApproach(
            id=result.approach, name=self.approach_name(result),
            description=self.book.approaches[result.approach].description,
            horizon=horizon.id, horizon_name=horizon.name, modality=modality,
            modality_name=self.planner.name("modalities", modality) if modality else None,
            fill_in=self.planner.fill_ins[modality] if modality else None,
            result=result,
            shown_by=list(dict.fromkeys(labels[_need_id(e)]
                                        for _c, e in self._indications(result))),
            levels=[LevelAnswers(level=level.level, name=self.planner.name("levels", level.level),
                                 outcome=level.outcome,
                                 questions=[AnsweredQuestion(
                                     text=self.book.questions[q.question].text, answer=q.answer)
                                            for q in level.questions])
                    for level in result.trace.levels],  # type: ignore[union-attr]
            derived=self._derived(result), notes=self._cite(result))

    def _cite(self, result: ApproachResult) -> list[int]:
        """The grid entry that decided, then the approach's own description."""
        return sorted({self.notes.cite(self.book.entries[result.approach]),
                       self.notes.cite(self.book.approaches[result.approach])})

    def _derived(self, result: ApproachResult) -> bool:
        """A recommendation is IOM's only if both its grid entry and its approach are
        verbatim."""
        return "derived" in {self.book.entries[result.approach].provenance,
                             self.book.approaches[result.approach].provenance}

    def horizons(self, dimensions: list[DimensionPlan]) -> list[HorizonGroup]:
        planned = [a for d in dimensions for a in d.approaches]
        return [HorizonGroup(id=h.id, name=h.name, note=self.notes.cite(h),
                             approaches=[a.name for a in planned if a.horizon == h.id])
                for h in self.rules.planning.horizons
                if any(a.horizon == h.id for a in planned)]

    def open_questions(self) -> list[QuestionGroup]:
        """Each question still to ask once, with every approach waiting on it."""
        found: dict[tuple[str, str], tuple[str, OpenQuestion]] = {}
        for result in self.assessment.approaches:
            if result.status in SET_ASIDE:
                continue
            for question in result.open_questions:
                key = (question.kind, question.id)
                if key not in found:
                    found[key] = (result.dimension, OpenQuestion(
                        kind=question.kind, id=question.id, text=self._question_text(question.kind,
                                                                                    question.id),
                        approaches=[]))
                found[key][1].approaches.append(self.approach_name(result))
        return [QuestionGroup(dimension=d, name=self.planner.name("dimensions", d),
                              questions=[q for dim, q in found.values() if dim == d])
                for d in self.book.framework.ids("dimensions")
                if any(dim == d for dim, _q in found.values())]

    def _question_text(self, kind: str, question_id: str) -> str:
        if kind == "grid":
            return self.book.questions[question_id].text
        return self.planner.elements[question_id].question

    def set_aside(self) -> list[SetAside]:
        """Cited by the grid entry that set each aside (its description is not shown)."""
        aside = sorted((r for r in self.assessment.approaches if r.status in SET_ASIDE),
                       key=lambda r: SET_ASIDE.index(r.status))
        return [SetAside(id=r.approach, name=self.approach_name(r),
                         status=r.status,  # type: ignore[arg-type]
                         dimension=self.planner.name("dimensions", r.dimension), result=r,
                         derived=self.book.entries[r.approach].provenance == "derived",
                         notes=[self.notes.cite(self.book.entries[r.approach])])
                for r in aside]

    # -- safeguards, schedule, consent -------------------------------------------------

    def safeguard(self, safeguard: Safeguard, held: list[Condition],
                  needs: list[NeedGroup]) -> PlannedSafeguard:
        returned = self.case.profile.date_of_return
        results = self.results
        return PlannedSafeguard(
            id=safeguard.id, name=safeguard.name, comes_first=safeguard.comes_first,
            triggers=[self._trigger(c) for c in held],
            note=self.notes.cite(safeguard),
            actions=[PlannedAction(
                id=a.id, text=a.text, fill_in=a.fill_in,
                dates=dates_of(a.timing, returned) if a.timing else None,
                urgent_needs=[n.label or "" for g in needs if g.dimension in a.flags_needs_in
                              for n in g.needs],
                approach=self.approach_name(results[a.approach]) if a.approach else None,
                approach_status=results[a.approach].status if a.approach else None,
                note=self.notes.cite(a))
                for a in safeguard.actions])

    def _trigger(self, condition: Condition) -> Trigger:
        check = condition.check("", condition_defaults(self.book))
        if check.kind == "vulnerability":
            return Trigger(kind="vulnerability", label=self.planner.name(
                "vulnerabilities", check.subject))
        return Trigger(kind=check.subject, value=self.facts.profile[check.subject])  # type: ignore[arg-type]

    def schedule(self, safeguards: list[PlannedSafeguard], dated: date) -> list[ScheduleItem]:
        """The follow-up milestones and the safeguards' dated steps, by when each is due."""
        returned = self.case.profile.date_of_return
        items = [(m.id, m.name, dates_of(m.timing, returned), "follow_up", self.notes.cite(m))
                 for m in self.rules.schedule.milestones]
        items += [(f"{s.id}.{a.id}", a.text, a.dates, "safeguard", a.note)
                  for s in safeguards for a in s.actions if a.dates]
        planned = [ScheduleItem(id=i, name=name, dates=dates, kind=kind,  # type: ignore[arg-type]
                                passed=dates.end < dated, note=note)
                   for i, name, dates, kind, note in items]
        return sorted(planned, key=lambda i: (i.dates.end, i.dates.start or i.dates.end))

    def consent(self) -> ConsentSection:
        rules = self.rules.consent
        given = self.case.consent
        return ConsentSection(
            recorded=given is not None, recorded_on=given.recorded_on if given else None,
            principle_name=rules.principle.name, principle=rules.principle.text,
            principle_note=self.notes.cite(rules.principle),
            lines=[ConsentLine(consent=c.consent, what=c.what, with_whom=c.with_whom,
                               if_not_given=c.if_not_given,
                               given=getattr(given, c.consent) if given else None,
                               note=self.notes.cite(c))
                   for c in rules.clauses])


def _need_id(evidence: Evidence) -> str:
    return f"{NEED_PREFIX[BY_TAG[evidence.condition].fact]}:{evidence.subject}"
