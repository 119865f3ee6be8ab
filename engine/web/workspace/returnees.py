"""Opening a case and finding one's cases: the "my cases" list with its flags, the case's
profile and consent (given, withdrawn: each a record that stays)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.web.workspace.models import ConsentRecord, MonitoringRound, Returnee, User


@dataclass(frozen=True)
class CaseRow:
    """One line of "my cases": the case, its latest round, and what needs attention."""

    returnee: Returnee
    latest_round: MonitoringRound | None
    overdue_tasks: int
    """Follow-up tasks whose last day has passed undone."""
    plan_overdue: bool
    """No final plan a month after return (the rules' plan_finalised milestone)."""
    closed: bool


def my_cases(user: User, today: date | None = None) -> list[CaseRow]:
    """The cases ``user`` may see, those needing attention first (overdue follow-ups, a plan
    not final a month after return), then by returnee id. Audited as one view."""
    raise NotImplementedError


def open_case(user: User, document: dict[str, Any], language: str = "en",
              assessed_on: date | None = None) -> Returnee:
    """A new case from a case document's opening fields (returnee_id, profile, consent and
    optionally goals, guardian, ...), with its baseline round, in the user's office and
    managed by the user. Validated by the engine: raises the engine's CaseError (problems
    naming each field) and saves nothing on bad data; raises AccessRefused for a role that
    does not manage cases."""
    raise NotImplementedError


def case_for(user: User, pk: int, action: str = "view") -> Returnee:
    """The case, if ``user`` may ``action`` it (audited either way)."""
    raise NotImplementedError


def save_profile(user: User, pk: int, profile: dict[str, Any], version: int) -> Returnee:
    """Replace the case's profile (age, sex, places, date of return, household,
    vulnerabilities): engine-validated; StaleVersion if someone saved since ``version``."""
    raise NotImplementedError


def record_consent(user: User, pk: int, purpose: str, given: bool, given_by: str,
                   on: date, version: int) -> ConsentRecord:
    """Consent given (or refused) for ``purpose`` ("data_processing" or
    "share_with_service_providers"), by the returnee or the guardian, on a date."""
    raise NotImplementedError


def withdraw_consent(user: User, pk: int, purpose: str, on: date,
                     version: int) -> ConsentRecord:
    """A withdrawal, kept beside the consent it withdraws; the case's consent then says
    no for that purpose (and the plan's referrals follow the engine's consent rules)."""
    raise NotImplementedError


def consent_history(user: User, pk: int) -> list[ConsentRecord]:
    """Every consent record of the case, oldest first."""
    raise NotImplementedError
