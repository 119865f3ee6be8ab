"""Opening a case and finding one's cases: the "my cases" list with its flags, the case's
profile and consent (given, withdrawn: each a record that stays)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from engine import CaseError, Problem
from engine.web.workspace import access, audit
from engine.web.workspace.calendar import plan_deadline
from engine.web.workspace.case_files import (
    as_json,
    checked,
    consent_records,
    round_document,
    round_parts,
)
from engine.web.workspace.conflicts import claim
from engine.web.workspace.models import (
    ConsentRecord,
    MonitoringRound,
    PlanVersion,
    Returnee,
    User,
)

CONSENT_PURPOSES = tuple(p for p, _ in ConsentRecord.PURPOSES)


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

    @property
    def needs_attention(self) -> bool:
        return not self.closed and (self.overdue_tasks > 0 or self.plan_overdue)


def my_cases(user: User, today: date | None = None) -> list[CaseRow]:
    """The cases ``user`` may see, those needing attention first (overdue follow-ups, a plan
    not final a month after return), then by returnee id. Audited as one view."""
    today = today or date.today()
    cases = access.returnees(user).annotate(
        overdue=Count("follow_up_tasks", filter=Q(follow_up_tasks__done_on__isnull=True,
                                                  follow_up_tasks__due__lt=today)),
        has_final=Exists(PlanVersion.objects.filter(round__returnee=OuterRef("pk"),
                                                    status="final")),
        is_closed=Exists(Returnee.objects.filter(pk=OuterRef("pk"), closure__isnull=False)),
    ).order_by("returnee_id")
    latest: dict[int, MonitoringRound] = {}
    for round_ in MonitoringRound.objects.filter(returnee__in=cases).order_by("assessed_on",
                                                                              "id"):
        latest[round_.returnee_id] = round_
    rows = [CaseRow(case, latest.get(case.pk), case.overdue,
                    not case.has_final and today > plan_deadline(_returned_on(case)),
                    case.is_closed) for case in cases]
    audit.record(user, "view", None)
    return sorted(rows, key=lambda r: (not r.needs_attention, r.closed,
                                       r.returnee.returnee_id))


def _returned_on(case: Returnee) -> date:
    return date.fromisoformat(case.profile["date_of_return"])


def open_case(user: User, document: dict[str, Any], language: str = "en",
              assessed_on: date | None = None) -> Returnee:
    """A new case from a case document's opening fields (returnee_id, profile, consent and
    optionally goals, guardian, ...), with its baseline round, in the user's office and
    managed by the user. Validated by the engine: raises the engine's CaseError (problems
    naming each field) and saves nothing on bad data; raises AccessRefused for a role that
    does not manage cases."""
    access.require_case_work(user, "create")
    assessed_on = assessed_on or date.today()
    whole = {"case_manager": user.username, **document,
             "monitoring_round": document.get("monitoring_round", "baseline"),
             "assessed_on": assessed_on.isoformat()}
    case = checked(whole, "new case")
    if Returnee.objects.filter(office=user.office, returnee_id=case.returnee_id).exists():
        raise CaseError([Problem("new case", None, "this office already has a case with "
                                 "this returnee id", "returnee_id",
                                 "open that case, or check the id")])
    saved = as_json(case)
    with transaction.atomic():
        returnee = Returnee.objects.create(
            office=user.office, case_manager=user, returnee_id=case.returnee_id,
            profile=saved["profile"], consent=saved.get("consent"), language=language,
            opened_on=assessed_on)
        consent_records(returnee, saved.get("consent"), user, assessed_on)
        MonitoringRound.objects.create(returnee=returnee, kind=case.monitoring_round,
                                       assessed_on=assessed_on, assessor=user,
                                       answers=round_parts(saved))
        audit.record(user, "create", returnee)
    return returnee


def case_for(user: User, pk: int, action: str = "view") -> Returnee:
    """The case, if ``user`` may ``action`` it (audited either way)."""
    case = access.returnee(user, pk, action)
    if action == "view":
        audit.record(user, "view", case)
    return case


def save_profile(user: User, pk: int, profile: dict[str, Any], version: int) -> Returnee:
    """Replace the case's profile (age, sex, places, date of return, household,
    vulnerabilities): engine-validated; StaleVersion if someone saved since ``version``."""
    case = access.returnee(user, pk, "change")  # before the transaction: a refusal's
    with transaction.atomic():                  # audit row must not roll back with it
        latest = case.rounds.order_by("assessed_on", "id").last()
        document = {**round_document(latest), "profile": profile} if latest else {
            "returnee_id": case.returnee_id, "profile": profile}
        saved = as_json(checked(document, f"case {case.pk}"))
        claim(case, version, profile=saved["profile"])
        audit.record(user, "change", case)
    return case


def record_consent(user: User, pk: int, purpose: str, given: bool, given_by: str,
                   on: date, version: int) -> ConsentRecord:
    """Consent given (or refused) for ``purpose`` ("data_processing" or
    "share_with_service_providers"), by the returnee or the guardian, on a date."""
    if purpose not in CONSENT_PURPOSES:
        raise CaseError([Problem("consent", None, "unknown consent purpose", purpose,
                                 "use one of: " + ", ".join(CONSENT_PURPOSES))])
    case = access.returnee(user, pk, "change")
    with transaction.atomic():
        consent = {"data_processing": False, **(case.consent or {}), purpose: given,
                   "given_by": given_by, "recorded_on": on.isoformat()}
        document = {"returnee_id": case.returnee_id, "profile": case.profile,
                    "consent": consent}
        saved = as_json(checked(document, f"case {case.pk}"))
        claim(case, version, consent=saved["consent"])
        entry = ConsentRecord.objects.create(returnee=case, purpose=purpose, given=given,
                                             given_by=given_by, on=on, recorded_by=user)
        audit.record(user, "change", entry)
    return entry


def withdraw_consent(user: User, pk: int, purpose: str, on: date,
                     version: int) -> ConsentRecord:
    """A withdrawal, kept beside the consent it withdraws; the case's consent then says
    no for that purpose (and the plan's referrals follow the engine's consent rules)."""
    case = access.returnee(user, pk, "change")
    given_by = (case.consent or {}).get("given_by", "returnee")
    return record_consent(user, pk, purpose, False, given_by, on, version)


def consent_history(user: User, pk: int) -> list[ConsentRecord]:
    """Every consent record of the case, oldest first."""
    case = access.returnee(user, pk, "view")
    return list(case.consent_records.order_by("on", "id"))

