"""The scenario file: a persona (a case), what the engine should say about it, and why a
trainer uses it.

Expectations are codes, never sentences, so a scenario passes or fails the same way in
every language. Only what is named is checked: an approach left out of ``expect`` may have
any status, so a persona states the decisions it is written to teach and no more.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from engine.evaluation.results import ReasonCode, Status
from engine.model.base import Id, RuleModel

ScheduleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]


class ApproachExpectation(RuleModel):
    """What one approach should come out as: a status, and optionally how and why."""

    status: Status
    modality: Id | None = None
    """Checked when given: the modality a recommended approach is delivered by."""
    reason: ReasonCode | None = None
    """Checked when given: the code of the step that decided the status (its summary)."""
    level: Id | None = None
    """Checked when given: the level that failed or is still open."""


class Expectations(RuleModel):
    tolerance: float = Field(default=0.005, ge=0.0, le=0.5)
    """How far a score may be from the expected value and still pass."""
    scores: dict[Id, float | None] = {}
    """Dimension ids and ``composite``; null: the score is expected to be missing."""
    approaches: dict[Id, ApproachExpectation] = {}
    safeguards: list[Id] | None = None
    """Every safeguard the profile should trigger (exactly these), when given."""
    schedule: dict[ScheduleId, date | None] | None = None
    """Schedule items by id (a milestone, or ``safeguard.step``) with the date each ends or
    is due (null: any date). When given, every safeguard step on the plan's schedule must be
    listed; milestones are checked only where named."""


class Scenario(RuleModel):
    """One persona a trainer hands out, and the outcome the rules should give for it."""

    title: Text
    """One line a trainer reads aloud: who this returnee is."""
    titles: dict[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")], Text] = {}
    """The title in other languages, by language code (the handout falls back to English)."""
    teaches: Text
    """The teaching note: what the persona shows, citing the seed passages it is written from."""
    sources: list[Text] = Field(min_length=1)
    """Seed file and section of each passage the persona draws on."""
    case: dict[str, Any]
    """A case file, field for field (see 'Case file' in the README); checked as one."""
    expect: Expectations
