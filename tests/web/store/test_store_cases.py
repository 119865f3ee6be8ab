"""Opening a case, its consent over time, follow-up tasks and closure."""

from __future__ import annotations

from datetime import date

import pytest

from engine import CaseError
from engine.web.workspace import closure, follow_up, plans, returnees, rounds
from engine.web.workspace.conflicts import StaleVersion
from engine.web.workspace.models import AuditEntry, Returnee

pytestmark = pytest.mark.django_db

OPENING = {
    "returnee_id": "GIN-2026-0007",
    "profile": {"age": 24, "sex": "female", "country_of_return": "Guinea",
                "place_of_return": "Conakry, Matoto", "date_of_return": "2026-11-02",
                "household": {"size": 2, "returned_with": [{"relationship": "child",
                                                            "age": 5}]},
                "vulnerabilities": ["emergency_return"]},
    "consent": {"data_processing": True, "share_with_service_providers": True,
                "recorded_on": "2026-11-05"},
}


def test_a_new_case_opens_with_its_baseline_round_in_the_users_office(staff) -> None:
    case = returnees.open_case(staff.manager, OPENING, "fr", date(2026, 11, 5))
    assert case.office == staff.manager.office and case.case_manager == staff.manager
    assert [r.kind for r in case.rounds.all()] == ["baseline"]
    assert rounds.outcome_of(staff.manager, case.rounds.get().pk).outcome.assessment
    assert [(c.purpose, c.given) for c in returnees.consent_history(staff.manager, case.pk)
            ] == [("data_processing", True), ("share_with_service_providers", True)]
    with pytest.raises(CaseError, match="already has a case"):
        returnees.open_case(staff.manager, OPENING)


def test_a_bad_opening_is_refused_with_the_engines_problems(staff) -> None:
    bad = {**OPENING, "returnee_id": "Fatima Diallo",
           "profile": {**OPENING["profile"], "vulnerabilities": ["sad"]}}
    with pytest.raises(CaseError) as refused:
        returnees.open_case(staff.manager, bad)
    text = " ".join(str(p) for p in refused.value.problems)
    assert "pseudonymous code" in text and "Fatima" not in text
    assert not Returnee.objects.exists()


def test_a_withdrawal_is_kept_beside_the_consent_and_changes_the_case(staff) -> None:
    case = returnees.open_case(staff.manager, OPENING, "en", date(2026, 11, 5))
    returnees.withdraw_consent(staff.manager, case.pk, "share_with_service_providers",
                               date(2026, 12, 1), case.version)
    history = returnees.consent_history(staff.manager, case.pk)
    assert [(c.purpose, c.given, c.on) for c in history][-1] == (
        "share_with_service_providers", False, date(2026, 12, 1))
    assert len(history) == 3 and history[-1].recorded_by == staff.manager
    stored = Returnee.objects.get(pk=case.pk)
    assert stored.consent["share_with_service_providers"] is False
    outcome = rounds.outcome_of(staff.manager, case.rounds.get().pk).outcome
    assert outcome.case.consent.share_with_service_providers is False
    with pytest.raises(StaleVersion):  # the page's copy is out of date now
        returnees.withdraw_consent(staff.manager, case.pk, "data_processing",
                                   date(2026, 12, 2), case.version)


def test_follow_up_tasks_are_ticked_off_once(staff, ethiopia) -> None:
    version = plans.submit(staff.manager, ethiopia.rounds.get().pk)
    plans.approve(staff.supervisor, version.pk)
    plans.finalise(staff.manager, version.pk)
    task = next(t for t in follow_up.tasks(staff.manager, ethiopia.pk) if t.done_on is None)
    assert task in follow_up.overdue(staff.manager, date(task.due.year + 1, 1, 1))
    done = follow_up.mark_done(staff.manager, task.pk, task.due, task.version)
    assert done.done_on == task.due and done.done_by == staff.manager
    assert task not in follow_up.overdue(staff.manager, date(task.due.year + 1, 1, 1))
    # a second tick (a double click, a colleague a moment later) leaves the first one
    again = follow_up.mark_done(staff.supervisor, task.pk, date(2027, 1, 1), task.version)
    assert (again.done_on, again.done_by, again.version) == (task.due, staff.manager,
                                                             done.version)


def test_closing_needs_a_known_reason_and_a_note_for_other(staff, ethiopia) -> None:
    assert [r for r, _ in closure.closure_choices()] == [
        "support_period_ended", "returnees_choice", "moved_away", "criteria_no_longer_met",
        "loss_of_contact", "death", "other"]
    with pytest.raises(CaseError):
        closure.close(staff.manager, ethiopia.pk, "bored", date(2027, 1, 1), "", 1)
    with pytest.raises(CaseError):
        closure.close(staff.manager, ethiopia.pk, "other", date(2027, 1, 1), " ", 1)
    closed = closure.close(staff.manager, ethiopia.pk, "other", date(2027, 1, 1),
                           "transferred to another programme", ethiopia.version)
    assert closed.reason == "other"
    assert AuditEntry.objects.filter(action="close", target_id=ethiopia.pk).exists()
