"""The reintegration plan: everything a plan document says, assembled from one assessment
and the case file it came from.

Templates only lay this model out. Every decision (which needs the answers show, which
approach goes under which dimension and horizon, which dates follow from the date of
return, which safeguards the profile triggers, which footnote says "project guidance")
is taken here from the rule data, so the HTML, Markdown and PDF plans, in every language,
say the same thing. Rule text (approach names, questions) is carried as the rule book
gives it, in the plan's language; the engine's own sentences (why an approach is
recommended, why a score is missing) stay codes here and are worded by the presentation
layer, as are the templates' own words.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, SkipValidation

from engine.case.model import ActionStatus, Money
from engine.evaluation.results import ApproachResult, Status
from engine.evaluation.scoring import MissingScore
from engine.model.base import Provenance
from engine.planning.dates import Dates

PlanStatus = Literal["draft", "final"]


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
    missing: MissingScore | None
    """Why there is no score (too few answers); None when there is one."""
    missing_dimensions: list[str] = []
    below: bool | None
    reading: str | None
    note: int | None


class ScoreSection(BaseModel):
    lines: list[ScoreLine]
    threshold: float
    min_coverage: float
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
    declined: list[str] = []
    """Indicated approaches the case file's decisions decline (whatever the advice was)."""
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
    model_config = ConfigDict(arbitrary_types_allowed=True)

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
    result: SkipValidation[ApproachResult]
    """The assessment's result, whose summary the presentation layer words."""
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
    answered_by: str | None = None
    """Who can answer it (an ``answerers`` id of the framework); None when not said."""


class ApproachQuestions(BaseModel):
    """The questions one approach waits on, for one answerer (shared ones listed once,
    under the first approach that waits on them)."""

    approach: str
    questions: list[OpenQuestion]


class AnswererGroup(BaseModel):
    """The worksheet's questions for one kind of answerer, approach by approach."""

    answerer: str | None
    name: str | None
    approaches: list[ApproachQuestions]


class QuestionGroup(BaseModel):
    """Open questions under the dimension of the first approach that waits on them."""

    dimension: str
    name: str
    questions: list[OpenQuestion]


class SetAside(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str
    name: str
    dimension: str
    status: Literal["not_appropriate", "not_indicated"]
    result: SkipValidation[ApproachResult]
    derived: bool
    notes: list[int]


class Trigger(BaseModel):
    """Why a safeguard applies: a profile flag, a number of children, or the age."""

    kind: Literal["vulnerability", "school_aged_children", "age", "returned_children"]
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
    met_by_final_plan: bool = False
    """Making the plan final meets it (``Milestone.met_by_final_plan``)."""


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
    given_by: Literal["returnee", "guardian"] | None
    """Who gave the consent the case file records; None when none is recorded."""
    for_child: bool
    """The returnee is a child: the guardian consents, after the child's view is heard."""
    guardian: str | None
    guardian_text: str | None
    """What the guardian consents to (the plan rules' words); None for an adult."""
    guardian_note: int | None
    child_view_heard: bool | None
    principle_name: str
    principle: str
    principle_note: int
    lines: list[ConsentLine]
    feedback: dict[str, str] = {}
    """How to give feedback or complain, by language, as the office wrote it once."""


class ProviderLine(BaseModel):
    """A service directory entry as a plan names it."""

    id: str
    name: str
    kind: Literal["provider", "programme"]
    contact: str | None
    illustrative: bool


class ActionLine(BaseModel):
    """One agreed action as the case file records it, with its provider looked up."""

    number: int
    """Its place among the case file's agreed actions, from 1 (how the worksheet refers to it)."""
    what: str
    modality: str
    modality_name: str
    provider: ProviderLine | None
    starts: date | None
    due: date | None
    cost: Money | None
    contribution: Money | None
    status: ActionStatus


Standing = Literal["agreed", "accepted_against_advice", "declined", "to_agree"]
"""Where an approach stands between the engine's advice and what was decided: recommended
and taken up (``agreed``), taken up although not recommended, recommended but declined, or
recommended with nothing agreed yet."""


class AgreedApproach(BaseModel):
    id: str
    name: str
    dimension: str
    dimension_name: str
    horizon_name: str
    engine_status: Status
    engine_modality_name: str | None
    standing: Standing
    reason: str | None
    """The case manager's reason for going against the engine's advice, in their words."""
    decided_on: date | None
    actions: list[ActionLine]
    offered_by: list[ProviderLine]
    """Who the service directory says delivers it at the place of return (for the case
    manager choosing a provider)."""
    derived: bool
    notes: list[int]


class DimensionSummary(BaseModel):
    """One line of the plan's summary: a score, the needs it shows and what was agreed."""

    score: ScoreLine
    needs: list[str]
    approaches: list[str]
    """Approaches taken up in this dimension (agreed, or accepted against advice)."""


class BudgetLine(BaseModel):
    """Totals in one currency: amounts in different currencies are never added."""

    currency: str
    cost: Decimal
    contribution: Decimal


class Referral(BaseModel):
    provider: ProviderLine
    assistance: list[str]
    """What each action delivered by it is, as the case file words it."""


Signer = Literal["returnee", "guardian", "interpreter", "case_manager"]


class Signatory(BaseModel):
    role: Signer
    name: str | None
    """The case file's reference (never the returnee's name, which is not in the file)."""
    contact: str | None = None
    """How to reach them (the case manager's office line)."""
    commitments: list[str] = []
    """What they commit to, in their own words (the returnee's)."""


GapCode = Literal["no_action", "action_undated", "action_uncosted", "no_consent",
                  "no_guardian", "consent_not_by_guardian", "no_case_manager",
                  "approach_open", "declined_without_reason"]


class Gap(BaseModel):
    """Something a final plan needs that the case file does not hold yet."""

    code: GapCode
    approach: str | None = None
    """The approach's name, when the gap is about one."""
    action: int | None = None
    """The action's number, when the gap is about one."""


class Plan(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    header: Header
    safeguards: list[PlannedSafeguard]
    scores: ScoreSection
    needs: list[NeedGroup]
    dimensions: list[DimensionPlan]
    horizons: list[HorizonGroup]
    open_questions: list[QuestionGroup]
    questions_by_answerer: list[AnswererGroup]
    set_aside: list[SetAside]
    schedule: list[ScheduleItem]
    consent: ConsentSection
    summary: list[DimensionSummary]
    agreement: list[AgreedApproach]
    budget: list[BudgetLine]
    referrals: list[Referral]
    signatories: list[Signatory]
    gaps: list[Gap]
    """What stops this plan from being final; empty when it can be signed."""
    notes: list[Note]

    def first(self) -> list[PlannedSafeguard]:
        """Safeguards that come before anything else (an unaccompanied child's guardian)."""
        return [s for s in self.safeguards if s.comes_first]

    def recommended(self) -> list[PlannedApproach]:
        return [a for d in self.dimensions for a in d.approaches]
