"""The rules a reintegration plan is drafted with, as read from ``rules/plan/``.

Five files, each about one part of the plan: ``schedule.yaml`` (follow-up moments),
``safeguards.yaml`` (protective steps triggered by the profile), ``approaches.yaml``
(immediate or longer-term, and what to fill in per modality), ``reading.yaml`` (what a
score below or above the threshold suggests) and ``consent.yaml`` (what is shared with
whom). Every entry carries ``source`` and ``provenance``.
"""

from typing import Annotated

from pydantic import Field, StringConstraints

from engine.model.base import Id, RuleModel, Sourced, Term
from engine.model.conditions import ProfileCondition
from engine.model.safeguards import SafeguardRules
from engine.model.timing import ScheduleRules


class ModalityForm(Sourced):
    """What a plan leaves to fill in for a modality: a referral names its provider."""

    modality: Id
    fill_in: str | None = None


class ApproachHorizon(Sourced):
    approach: Id
    horizon: Id


class ApproachPlanning(RuleModel):
    horizons: list[Term] = Field(min_length=1)
    modalities: list[ModalityForm]
    approaches: list[ApproachHorizon]

    def horizon_of(self, approach_id: str) -> Term:
        horizon = next(a.horizon for a in self.approaches if a.approach == approach_id)
        return next(h for h in self.horizons if h.id == horizon)


class Reading(Sourced):
    text: str
    quote: str | None = None


class ScoreReading(RuleModel):
    """What a score suggests, either side of the framework's comprehensive-support threshold."""

    below: Reading
    not_below: Reading


class ConsentPrinciple(Sourced):
    name: str
    text: str


class ConsentClause(Sourced):
    """One kind of sharing: what, with whom, which consent field allows it, and if not."""

    consent: Id
    what: str
    with_whom: str
    if_not_given: str


class GuardianRule(Sourced):
    """When a guardian consents and signs for the returnee (a child)."""

    consents_when: list[ProfileCondition] = Field(min_length=1)
    text: str
    """What the guardian consents to, said to the family in the plan."""
    quote: str | None = None


class ConsentRules(RuleModel):
    principle: ConsentPrinciple
    clauses: list[ConsentClause] = Field(min_length=1)
    guardian: GuardianRule


class SourceTitles(Sourced):
    """The title printed for each seed file a rule's ``source`` cites; itself sourced, as a
    bibliography is (the seeds' own list of documents), so that no title is ours unsaid."""

    titles: dict[str, Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]]


class PlanRules(RuleModel):
    schedule: ScheduleRules
    safeguards: SafeguardRules
    planning: ApproachPlanning
    reading: ScoreReading
    consent: ConsentRules
    sources: SourceTitles
    feedback: dict[str, str] = {}
    """How a returnee gives feedback or complains, by language: the office writes it once
    (``office.yaml`` of its folder, ``engine.loading.office``); empty in the shipped rules."""
