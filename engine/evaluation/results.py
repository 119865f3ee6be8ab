"""What the engine says about each approach, with everything that decided it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Status = Literal["recommended", "not_appropriate", "needs_answers", "not_indicated"]
Truth = Literal["holds", "does_not_hold", "unknown"]


class Evidence(BaseModel):
    """One indication condition, its rule id, what it read and whether it held."""

    rule_id: str
    condition: str
    reads: str
    operand: float | list[str] | None
    value: str | float | None
    truth: Truth


class QuestionOutcome(BaseModel):
    rule_id: str
    question: str
    text: str
    answer: Literal["yes", "no"] | None
    supports: Literal["yes", "no"]
    outcome: Literal["supports", "against", "open"]


class LevelOutcome(BaseModel):
    level: str
    combine: Literal["all", "any"] | None
    outcome: Literal["satisfied", "failed", "open", "not_applicable"]
    questions: list[QuestionOutcome]


class ModalityOutcome(BaseModel):
    rule_id: str
    modality: str
    outcome: Literal["feasible", "not_feasible", "open"]
    questions: list[QuestionOutcome]


class OpenQuestion(BaseModel):
    """Something to ask next session: a grid question, or an RSS element left unanswered."""

    kind: Literal["grid", "rss"]
    id: str
    text: str


class RuleProvenance(BaseModel):
    source: str
    provenance: Literal["verbatim", "derived"]


class ApproachResult(BaseModel):
    approach: str
    name: str
    dimension: str
    category: str
    status: Status
    modality: str | None
    summary: str
    reasons: list[str]
    indication: list[Evidence]
    levels: list[LevelOutcome]
    feasibility: list[ModalityOutcome]
    open_questions: list[OpenQuestion]
    rule_ids: list[str]
    approach_provenance: RuleProvenance
    grid_provenance: RuleProvenance
