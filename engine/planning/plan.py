"""The reintegration plan: everything a plan document says, assembled from one assessment
and the case file it came from.

Templates only lay this model out. Every decision (which needs the answers show, which
approach goes under which dimension and horizon, which dates follow from the date of
return, which safeguards the profile triggers, which footnote says "project guidance")
is taken here from the rule data, so the HTML, Markdown and PDF plans, in every language,
say the same thing. Rule text (approach names, questions, reasons) is carried as the rules
and the assessment wrote it; the templates add only their own translatable words.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Protocol

from pydantic import BaseModel

from engine.case.model import Case
from engine.evaluation.assessment import Assessment
from engine.evaluation.results import ApproachResult, Evidence
from engine.model.base import Provenance
from engine.model.framework import COMPOSITE
from engine.model.grids import ElementAnswerIn, ElementPointsBelow, HasVulnerability, ScoreBelow
from engine.model.rulebook import RuleBook
from engine.model.safeguards import AgeBelow, ProfileConditionModel, Safeguard
from engine.planning.dates import Dates, dates_of
from engine.planning.safeguards import triggered_by

PlanStatus = Literal["draft", "final"]
SET_ASIDE = ("not_appropriate", "not_indicated")


class Note(BaseModel):
    """A footnote on where a rule comes from; a derived one is project guidance, not IOM's."""

    number: int
    source: str
    provenance: Provenance


class Header(BaseModel):
    returnee_id: str
    country_of_return: str
    place_of_return: str
    date_of_return: date
    case_manager: str | None
    monitoring_round: str
    assessed_on: date | None
    rules_version: str
    status: PlanStatus
    dated: date
    goals: str | None
    """The returnee's own words, as the case file holds them."""


class ScoreLine(BaseModel):
    id: str
    name: str | None
    """The dimension's name; None for the composite, whose name the template translates."""
    value: float | None
    coverage: float
    answered: int
    applicable: int
    reason: str | None
    """Why there is no score (too few answers); None when there is one."""
    below: bool | None
    reading: str | None
    note: int | None


class ScoreSection(BaseModel):
    lines: list[ScoreLine]
    threshold: float
    threshold_note: int
    weight_set: str
    weight_set_official: bool


class Need(BaseModel):
    """One thing the answers, scores or profile show, and what the plan does about it."""

    id: str
    kind: Literal["score", "answer", "profile"]
    label: str | None
    """Element, dimension or vulnerability name; None for the composite score."""
    question: str | None = None
    answer: str | None = None
    value: float | None = None
    threshold: float | None = None
    addressed_by: list[str] = []
    """Recommended approaches this need indicates."""
    pending: list[str] = []
    """Indicated approaches still waiting for answers."""
    set_aside: list[str] = []
    """Indicated approaches found not appropriate."""
    urgent: bool = False


class NeedGroup(BaseModel):
    dimension: str | None
    """None for what spans dimensions: the composite score and profile flags."""
    name: str | None
    needs: list[Need]


class AnsweredQuestion(BaseModel):
    text: str
    answer: Literal["yes", "no"] | None


class LevelAnswers(BaseModel):
    level: str
    name: str
    outcome: Literal["satisfied", "failed", "open", "not_applicable"]
    questions: list[AnsweredQuestion]


class PlannedApproach(BaseModel):
    id: str
    name: str
    description: str
    horizon: str
    horizon_name: str
    modality: str | None
    """None when the feasibility questions have not settled it yet."""
    modality_name: str | None
    fill_in: str | None
    """Label of the line left blank for who delivers it (a referral's provider)."""
    reason: str
    shown_by: list[str | None]
    levels: list[LevelAnswers]
    derived: bool
    notes: list[int]


class DimensionPlan(BaseModel):
    id: str
    name: str
    approaches: list[PlannedApproach]


class HorizonGroup(BaseModel):
    id: str
    name: str
    approaches: list[str]
    note: int


class OpenQuestion(BaseModel):
    kind: Literal["grid", "rss"]
    """A grid question, or a survey (RSS) element left unanswered."""
    id: str
    text: str
    approaches: list[str]


class QuestionGroup(BaseModel):
    """Open questions under the dimension of the first approach that waits on them."""

    dimension: str
    name: str
    questions: list[OpenQuestion]


class SetAside(BaseModel):
    id: str
    name: str
    dimension: str
    status: Literal["not_appropriate", "not_indicated"]
    reason: str
    derived: bool
    notes: list[int]


class Trigger(BaseModel):
    """Why a safeguard applies: a profile flag, the number of children, or the age."""

    kind: Literal["vulnerability", "school_aged_children", "age"]
    label: str | None = None
    value: int | None = None


class PlannedAction(BaseModel):
    id: str
    text: str
    dates: Dates | None
    fill_in: str | None
    urgent_needs: list[str]
    """The needs this action flags as urgent (those of the dimensions it names)."""
    approach: str | None
    approach_status: str | None
    note: int


class PlannedSafeguard(BaseModel):
    id: str
    name: str
    comes_first: bool
    triggers: list[Trigger]
    actions: list[PlannedAction]
    note: int


class ScheduleItem(BaseModel):
    id: str
    name: str
    dates: Dates
    kind: Literal["follow_up", "safeguard"]
    passed: bool
    """The window or deadline ended before the plan's date."""
    note: int


class ConsentLine(BaseModel):
    consent: str
    what: str
    with_whom: str
    if_not_given: str
    given: bool | None
    """None when no consent is recorded in the case file."""
    note: int


class ConsentSection(BaseModel):
    recorded: bool
    recorded_on: date | None
    principle_name: str
    principle: str
    principle_note: int
    lines: list[ConsentLine]


class Plan(BaseModel):
    header: Header
    safeguards: list[PlannedSafeguard]
    scores: ScoreSection
    needs: list[NeedGroup]
    dimensions: list[DimensionPlan]
    horizons: list[HorizonGroup]
    open_questions: list[QuestionGroup]
    set_aside: list[SetAside]
    schedule: list[ScheduleItem]
    consent: ConsentSection
    notes: list[Note]

    def first(self) -> list[PlannedSafeguard]:
        """Safeguards that come before anything else (an unaccompanied child's guardian)."""
        return [s for s in self.safeguards if s.comes_first]

    def recommended(self) -> list[PlannedApproach]:
        return [a for d in self.dimensions for a in d.approaches]


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

    def plan(self, status: PlanStatus, dated: date) -> Plan:
        applying = [(s, held) for s in self.rules.safeguards.safeguards
                    if (held := triggered_by(s, self.case.profile))]
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
                reason=score.reason, below=below, reading=chosen.text if chosen else None,
                note=self.notes.cite(chosen) if chosen else None))
        weight_set = self.book.weight_sets.get(scores.weight_set)
        return ScoreSection(
            lines=lines, threshold=self.threshold,
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
                if evidence.reads not in found:
                    found[evidence.reads] = self._need(condition)
                need = found[evidence.reads][2]
                {"recommended": need.addressed_by, "needs_answers": need.pending,
                 "not_appropriate": need.set_aside}[result.status].append(result.name)
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

    def _indications(self, result: ApproachResult) -> list[tuple[object, Evidence]]:
        """Each holding indication with the rule condition it came from (same order)."""
        entry = self.book.entries[result.approach]
        return [(c, e) for c, e in zip(entry.indicated_if_any, result.indication, strict=True)
                if e.truth == "holds"]

    def _score_need(self, name: str, threshold: float) -> tuple[str | None, tuple[int, int], Need]:
        return (None if name == COMPOSITE else name, (0, 0), Need(
            id=f"score:{name}", kind="score", label=self.dimension_name(name),
            value=self.assessment.scores.value(name), threshold=threshold))

    def _need(self, condition: object) -> tuple[str | None, tuple[int, int], Need]:
        if isinstance(condition, ScoreBelow):
            return self._score_need(condition.score, self.threshold if condition.below is None
                                    else condition.below)
        if isinstance(condition, ElementAnswerIn | ElementPointsBelow):
            element = self.planner.elements[condition.element]
            coded = self.assessment.scores.elements[element.id]
            choice = element.choice(coded.choice) if coded.choice else None
            return (element.dimension, (1, element.number), Need(
                id=f"rss:{element.id}", kind="answer", label=element.name,
                question=element.question, answer=choice.label if choice else None,
                value=coded.points))
        assert isinstance(condition, HasVulnerability)
        return (None, (2, 0), Need(
            id=f"profile:{condition.vulnerability}", kind="profile",
            label=self.planner.name("vulnerabilities", condition.vulnerability)))

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
            id=result.approach, name=result.name,
            description=self.book.approaches[result.approach].description,
            horizon=horizon.id, horizon_name=horizon.name, modality=modality,
            modality_name=self.planner.name("modalities", modality) if modality else None,
            fill_in=self.planner.fill_ins[modality] if modality else None,
            reason=result.summary,
            shown_by=list(dict.fromkeys(labels[e.reads] for _c, e in self._indications(result))),
            levels=[LevelAnswers(level=level.level, name=self.planner.name("levels", level.level),
                                 outcome=level.outcome,
                                 questions=[AnsweredQuestion(text=q.text, answer=q.answer)
                                            for q in level.questions])
                    for level in result.levels],
            derived=_derived(result), notes=self._cite(result))

    def _cite(self, result: ApproachResult) -> list[int]:
        """The grid entry that decided, then the approach's own description."""
        return sorted({self.notes.cite(result.grid_provenance),
                       self.notes.cite(result.approach_provenance)})

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
                        kind=question.kind, id=question.id, text=question.text, approaches=[]))
                found[key][1].approaches.append(result.name)
        return [QuestionGroup(dimension=d, name=self.planner.name("dimensions", d),
                              questions=[q for dim, q in found.values() if dim == d])
                for d in self.book.framework.ids("dimensions")
                if any(dim == d for dim, _q in found.values())]

    def set_aside(self) -> list[SetAside]:
        """Cited by the grid entry that set each aside (its description is not shown)."""
        aside = sorted((r for r in self.assessment.approaches if r.status in SET_ASIDE),
                       key=lambda r: SET_ASIDE.index(r.status))
        return [SetAside(id=r.approach, name=r.name, status=r.status,  # type: ignore[arg-type]
                         dimension=self.planner.name("dimensions", r.dimension),
                         reason=r.summary, derived=r.grid_provenance.provenance == "derived",
                         notes=[self.notes.cite(r.grid_provenance)])
                for r in aside]

    # -- safeguards, schedule, consent -------------------------------------------------

    def safeguard(self, safeguard: Safeguard, held: list[ProfileConditionModel],
                  needs: list[NeedGroup]) -> PlannedSafeguard:
        returned = self.case.profile.date_of_return
        results = {r.approach: r for r in self.assessment.approaches}
        return PlannedSafeguard(
            id=safeguard.id, name=safeguard.name, comes_first=safeguard.comes_first,
            triggers=[self._trigger(c) for c in held],
            note=self.notes.cite(safeguard),
            actions=[PlannedAction(
                id=a.id, text=a.text, fill_in=a.fill_in,
                dates=dates_of(a.timing, returned) if a.timing else None,
                urgent_needs=[n.label or "" for g in needs if g.dimension in a.flags_needs_in
                              for n in g.needs],
                approach=results[a.approach].name if a.approach else None,
                approach_status=results[a.approach].status if a.approach else None,
                note=self.notes.cite(a))
                for a in safeguard.actions])

    def _trigger(self, condition: ProfileConditionModel) -> Trigger:
        profile = self.case.profile
        if isinstance(condition, HasVulnerability):
            return Trigger(kind="vulnerability", label=self.planner.name(
                "vulnerabilities", condition.vulnerability))
        if isinstance(condition, AgeBelow):
            return Trigger(kind="age", value=profile.age)
        return Trigger(kind="school_aged_children", value=profile.household.school_aged_children)

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


def _derived(result: ApproachResult) -> bool:
    """A recommendation is IOM's only if both its grid entry and its approach are verbatim."""
    return "derived" in {result.grid_provenance.provenance, result.approach_provenance.provenance}
