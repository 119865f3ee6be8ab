"""What the engine says about each approach: codes, ids and values, never sentences.

A result stored in a database, a batch row or a scenario expectation is the same bytes in
every language; the presentation layer words it when a person reads it. The classes are
slotted frozen dataclasses because thousands of results may be kept at once (a batch, a
caseload): each approach costs a few hundred bytes, not a few kilobytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["recommended", "not_appropriate", "needs_answers", "not_indicated"]
Truth = Literal["holds", "does_not_hold", "unknown"]
Answer = Literal["yes", "no"]

ReasonCode = Literal[
    "no_need_shown",          # every indication was read and none held (cites them all)
    "indicated",              # the indications that held
    "need_unknown",           # no indication held and some could not be read yet
    "level_failed",           # answers against the approach at ``level`` (cites them)
    "level_open",             # questions still to ask at ``level`` (cites them)
    "appropriate_all_levels",
    "modality_chosen",        # ``modality``, with the answers that chose it (cites them)
    "no_modality_feasible",
    "modality_undecided",
    "recommended",            # summary: indicated (cites) and appropriate at every level
    "questions_open",         # summary: what held (cites, maybe nothing) and questions to ask
]


@dataclass(frozen=True, slots=True)
class Reason:
    """One step of why an approach has its status: a code and the rule ids it cites.

    The values behind the ids (a score, an answer) are in the result's trace.
    """

    code: ReasonCode
    rule_ids: tuple[str, ...] = ()
    level: str | None = None
    modality: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One indication condition: its rule id, kind, what it read, its value and its truth."""

    rule_id: str
    condition: str
    """The condition kind (``score_below``, ``element_answer_in``...)."""
    subject: str
    """What it read: a score, an RSS element or a vulnerability id."""
    operand: float | int | tuple[str, ...] | None
    value: str | float | None
    truth: Truth


@dataclass(frozen=True, slots=True)
class QuestionOutcome:
    rule_id: str
    question: str
    answer: Answer | None
    supports: Answer
    outcome: Literal["supports", "against", "open"]


@dataclass(frozen=True, slots=True)
class LevelOutcome:
    level: str
    combine: Literal["all", "any"] | None
    outcome: Literal["satisfied", "failed", "open", "not_applicable"]
    questions: tuple[QuestionOutcome, ...]


@dataclass(frozen=True, slots=True)
class ModalityOutcome:
    rule_id: str
    modality: str
    outcome: Literal["feasible", "not_feasible", "open"]
    questions: tuple[QuestionOutcome, ...]


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """Something to ask next session: a grid question, or an RSS element left unanswered."""

    kind: Literal["grid", "rss"]
    id: str


@dataclass(frozen=True, slots=True)
class Trace:
    """Everything that decided one approach, condition by condition and answer by answer."""

    indication: tuple[Evidence, ...]
    levels: tuple[LevelOutcome, ...]
    feasibility: tuple[ModalityOutcome, ...]


@dataclass(frozen=True, slots=True)
class ApproachResult:
    """One approach's status; ``summary``, ``reasons`` and ``trace`` are empty when the
    assessment was made status-only (batch work that keeps no explanation)."""

    approach: str
    dimension: str
    category: str
    status: Status
    modality: str | None
    rule_ids: tuple[str, ...]
    """The rule ids of this approach whose checks held."""
    summary: Reason | None = None
    """The one step that decided the status (the full steps are in ``reasons``)."""
    reasons: tuple[Reason, ...] = ()
    open_questions: tuple[OpenQuestion, ...] = ()
    trace: Trace | None = None
