"""Access: every query scoped by role and office in access.py; refusals audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from engine.web.workspace import access, audit, closure, exports, plans, returnees, rounds
from engine.web.workspace.models import AuditEntry, Returnee

pytestmark = pytest.mark.django_db


def test_each_role_sees_its_cases_only(staff, ethiopia) -> None:
    assert list(access.returnees(staff.manager)) == [ethiopia]
    assert list(access.returnees(staff.supervisor)) == [ethiopia]
    assert list(access.returnees(staff.other_manager)) == []
    assert list(access.returnees(staff.admin)) == []
    assert list(access.returnees(staff.trainer)) == []
    assert list(access.returnees(AnonymousUser())) == []
    Returnee.objects.filter(pk=ethiopia.pk).update(example=True)
    assert list(access.returnees(staff.trainer)) == [ethiopia]


def test_another_offices_case_manager_is_refused_and_it_is_audited(staff, ethiopia) -> None:
    round_pk = ethiopia.rounds.get().pk
    for attempt in (lambda: returnees.case_for(staff.other_manager, ethiopia.pk),
                    lambda: rounds.outcome_of(staff.other_manager, round_pk),
                    lambda: rounds.save_rss(staff.other_manager, round_pk, {}, 1),
                    lambda: plans.draft(staff.other_manager, round_pk),
                    lambda: plans.submit(staff.other_manager, round_pk)):
        with pytest.raises(access.AccessRefused):
            attempt()
    refused = AuditEntry.objects.filter(user=staff.other_manager, outcome="refused")
    assert refused.count() == 5
    assert {(e.target, e.target_id) for e in refused} == {("returnee", ethiopia.pk)}


def test_a_missing_case_is_refused_like_another_offices(staff, ethiopia) -> None:
    with pytest.raises(access.AccessRefused) as missing:
        returnees.case_for(staff.manager, ethiopia.pk + 1000)
    with pytest.raises(access.AccessRefused) as other:
        returnees.case_for(staff.other_manager, ethiopia.pk)
    assert str(missing.value) == str(other.value)


def test_a_trainer_reads_examples_but_changes_nothing(staff, ethiopia) -> None:
    Returnee.objects.filter(pk=ethiopia.pk).update(example=True)
    round_ = ethiopia.rounds.get()
    assert rounds.outcome_of(staff.trainer, round_.pk).outcome
    with pytest.raises(access.AccessRefused):
        rounds.save_rss(staff.trainer, round_.pk, {}, round_.version)
    with pytest.raises(access.AccessRefused):
        returnees.open_case(staff.trainer, {})


def test_a_closed_case_is_read_only(staff, ethiopia) -> None:
    closure.close(staff.manager, ethiopia.pk, "moved_away", date(2027, 1, 5), "",
                  ethiopia.version)
    round_ = ethiopia.rounds.get()
    assert returnees.case_for(staff.manager, ethiopia.pk)
    with pytest.raises(access.AccessRefused):
        rounds.save_rss(staff.manager, round_.pk, {}, round_.version)
    rows = returnees.my_cases(staff.manager)
    assert rows[0].closed and not rows[0].needs_attention


def test_my_cases_flags_a_plan_not_final_a_month_after_return(staff, ethiopia) -> None:
    returned = date.fromisoformat(ethiopia.profile["date_of_return"])
    early, late = (returned.replace(day=returned.day + 1),
                   returned.replace(month=returned.month + 2))
    assert not returnees.my_cases(staff.manager, early)[0].plan_overdue
    assert returnees.my_cases(staff.manager, late)[0].plan_overdue


def test_my_cases_flags_overdue_follow_ups(staff, ethiopia) -> None:
    round_ = ethiopia.rounds.get()
    version = plans.submit(staff.manager, round_.pk)
    plans.approve(staff.supervisor, version.pk)
    plans.finalise(staff.manager, version.pk)
    undone = ethiopia.follow_up_tasks.filter(done_on__isnull=True)  # not the one it met
    first_due = undone.order_by("due").first().due
    row = returnees.my_cases(staff.manager, first_due)[0]
    assert row.overdue_tasks == 0 and not row.plan_overdue
    later = returnees.my_cases(staff.manager, date(first_due.year + 3, 1, 1))[0]
    assert later.overdue_tasks == undone.count() > 0 and later.needs_attention


def test_the_audit_log_is_read_by_supervisors_and_admins_only(staff, ethiopia) -> None:
    assert audit.entries(staff.admin)
    assert all(e.user is None or e.user.office_id == staff.supervisor.office_id
               for e in audit.entries(staff.supervisor))
    with pytest.raises(access.AccessRefused):
        audit.entries(staff.manager)


def test_the_export_is_pseudonymised_and_formula_safe(staff, ethiopia) -> None:
    round_ = ethiopia.rounds.get()
    rounds._save(staff.manager, round_.pk, round_.version,
                 lambda document: {**document, "case_manager": "=HYPERLINK(1)"})
    text = exports.cases_csv(staff.manager)
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    for private in (ethiopia.profile["place_of_return"], "Reopen a small shop"):
        assert private not in text
    assert ethiopia.returnee_id in text
    assert AuditEntry.objects.filter(user=staff.manager, action="export").exists()


@pytest.mark.parametrize("cell", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(cell: str) -> None:
    assert exports.neutralised(cell) == "'" + cell
    assert exports.neutralised("plain") == "plain"
