"""Monitoring rounds: their answers, what the engine makes of them, what to ask next, the
decisions and agreed actions, and progress over rounds. Every score, status, reason and
question order comes from the engine's pipeline; this module only stores and asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine import Outcome, Problem
from engine.web.workspace.models import MonitoringRound, User


@dataclass(frozen=True)
class RoundOutcome:
    """The engine's outcome of one round, with the rule book it came from."""

    outcome: Outcome
    rules_identity: str
    warnings: list[Problem]
    """Possible but implausible answers the engine warns about (shown, not blocking)."""


@dataclass(frozen=True)
class Question:
    """A question to ask now, in the engine's order: an RSS element or a grid question."""

    kind: str  # "rss" or "grid"
    id: str
    approaches: list[str]
    first_session: bool
    """In the first-session set: the few whose answers settle the most approaches."""


@dataclass(frozen=True)
class ProgressPoint:
    """One round on the progress chart: its kind, date and the four scores (economic,
    social, psychosocial, overall; None where too little was answered to score)."""

    round_pk: int
    kind: str
    assessed_on: date
    scores: dict[str, float | None]


def round_for(user: User, pk: int, action: str = "view") -> MonitoringRound:
    """The round, if ``user`` may ``action`` its case (audited either way)."""
    raise NotImplementedError


def rounds_of(user: User, returnee_pk: int) -> list[MonitoringRound]:
    """The case's rounds, oldest first."""
    raise NotImplementedError


def round_kinds() -> list[tuple[str, str]]:
    """(id, name) of the monitoring rounds the rules define (baseline, intermediate,
    final), with their windows as the rules name them."""
    raise NotImplementedError


def start_round(user: User, returnee_pk: int, kind: str, assessed_on: date) -> MonitoringRound:
    """A new round of the case (e.g. intermediate at 6-9 months): RSS and grid answers
    start empty; decisions and agreed actions carry over from the latest round (they are
    still the plan until changed)."""
    raise NotImplementedError


def save_rss(user: User, pk: int, answers: dict[str, str | None], version: int
             ) -> MonitoringRound:
    """Set RSS answers (element id -> choice name, "dont_know"/"refused" included; None
    clears one). Engine-validated; StaleVersion if the round changed since ``version``."""
    raise NotImplementedError


def save_grid_answers(user: User, pk: int, answers: dict[str, str | None], version: int
                      ) -> MonitoringRound:
    """Set grid answers (question id -> "yes", "no", or None to clear)."""
    raise NotImplementedError


def record_decision(user: User, pk: int, approach: str, decision: str,
                    reason: str | None, version: int) -> MonitoringRound:
    """Accept or decline an approach (a reason is needed against the engine's advice:
    the engine says so as a problem)."""
    raise NotImplementedError


def record_agreed_action(user: User, pk: int, action: dict[str, Any], version: int,
                         replace: int | None = None) -> MonitoringRound:
    """Add an agreed action (approach, what, modality, provider, starts, due, cost,
    contribution, status), or replace the one at index ``replace``."""
    raise NotImplementedError


def remove_agreed_action(user: User, pk: int, index: int, version: int) -> MonitoringRound:
    raise NotImplementedError


def outcome_of(user: User, pk: int) -> RoundOutcome:
    """The engine's outcome of the round (scores, approach statuses with their reasons and
    traces, safeguards), with the shipped rule book. Raises the engine's CaseError when the
    stored answers do not agree (e.g. an action under an approach nobody took up)."""
    raise NotImplementedError


def questions_to_ask(user: User, pk: int, everything: bool = False) -> list[Question]:
    """What to ask now, in the engine's "ask this next" order: RSS elements first, then the
    grid questions of indicated approaches, the first-session set first."""
    raise NotImplementedError


def providers(user: User, pk: int, approach: str | None = None) -> list[tuple[str, str]]:
    """(id, name) of the service directory's providers for the case's country."""
    raise NotImplementedError


def progress(user: User, returnee_pk: int) -> list[ProgressPoint]:
    """The four scores over the case's rounds, oldest first (the engine scores each)."""
    raise NotImplementedError
