"""The follow-up schedule with every safeguard's dated steps, and the limits of a timing.

Written against the survivors of ``scripts/mutate.py`` on ``engine/planning/protection.py``,
``engine/planning/dates.py`` and ``engine/model/timing.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from tests_support import case_data

from engine.case.model import Case
from engine.model.rulebook import RuleBook
from engine.model.timing import MAX_DAYS, MAX_MONTHS, Period, ScheduleRules, Timing
from engine.planning.dates import Dates, dates_of
from engine.planning.pipeline import Pipeline
from engine.planning.plan import Plan
from engine.planning.planner import Planner

TIMING: TypeAdapter = TypeAdapter(Timing)
RETURNED = date(2026, 9, 1)


@pytest.fixture(scope="module")
def pipeline(book: RuleBook) -> Pipeline:
    return Pipeline(book, backend="python")


def _plan(pipeline: Pipeline, planner: Planner, dated: date = RETURNED,
          rss: dict[str, str] | None = None, **profile: Any) -> Plan:
    data = case_data(rss=rss or {})
    data["profile"].update(profile)
    return planner.plan(pipeline.run(Case.model_validate(data)), dated=dated)


def _several_safeguards(pipeline: Pipeline, planner: Planner, dated: date = RETURNED) -> Plan:
    """A returnee with medical needs, back in an emergency with two children, often in
    distress (a psychosocial need the emergency's first meeting flags as urgent)."""
    return _plan(pipeline, planner, dated, rss={"distress_frequency": "very_often"},
                 vulnerabilities=["medical_needs", "emergency_return"],
                 household={"returned_with": [{"relationship": "child", "age": 4},
                                              {"relationship": "child", "age": 7}]})


def test_every_safeguards_dated_steps_reach_the_schedule_in_date_order(
        pipeline: Pipeline, planner: Planner) -> None:
    plan = _several_safeguards(pipeline, planner)
    assert [s.id for s in plan.safeguards] == [
        "child_rights", "emergency_return", "medical_referral"]
    assert [(i.id, i.kind, i.dates.start, i.dates.end) for i in plan.schedule] == [
        ("emergency_return.meet_case_manager", "safeguard", None, date(2026, 9, 4)),
        ("emergency_return.month_of_support", "safeguard", RETURNED, date(2026, 10, 1)),
        ("plan_finalised", "follow_up", None, date(2026, 10, 1)),
        ("check_in_first_low_point", "follow_up", date(2026, 10, 1), date(2026, 11, 1)),
        ("check_in_second_low_point", "follow_up", date(2027, 2, 1), date(2027, 3, 1)),
        ("intermediate_monitoring", "follow_up", date(2027, 3, 1), date(2027, 6, 1)),
        ("final_monitoring", "follow_up", date(2027, 9, 1), date(2028, 3, 1)),
        ("child_rights.child_monitoring", "safeguard", RETURNED, date(2028, 9, 1))]
    emergency = plan.safeguards[1]
    by_id = {a.id: a for a in emergency.actions}
    assert by_id["flag_urgent_needs"].dates is None  # an undated step stays off the schedule
    assert by_id["meet_case_manager"].dates == Dates(kind="by", start=None,
                                                     end=date(2026, 9, 4))
    step = next(i for i in plan.schedule if i.id == "emergency_return.meet_case_manager")
    assert (step.name, step.note) == (by_id["meet_case_manager"].text,
                                      by_id["meet_case_manager"].note)


def test_a_moment_ending_on_the_plans_date_has_not_passed(pipeline: Pipeline,
                                                          planner: Planner) -> None:
    plan = _several_safeguards(pipeline, planner, dated=date(2026, 10, 1))
    passed = {i.id for i in plan.schedule if i.passed}
    assert passed == {"emergency_return.meet_case_manager"}
    later = _several_safeguards(pipeline, planner, dated=date(2026, 10, 2))
    assert {i.id for i in later.schedule if i.passed} == {
        "emergency_return.meet_case_manager", "emergency_return.month_of_support",
        "plan_finalised"}


def test_a_safeguards_steps_carry_their_approach_and_urgent_needs(
        book: RuleBook, pipeline: Pipeline, planner: Planner) -> None:
    plan = _several_safeguards(pipeline, planner)
    emergency = next(s for s in plan.safeguards if s.id == "emergency_return")
    by_id = {a.id: a for a in emergency.actions}
    support = by_id["month_of_support"]
    assert support.approach == book.approaches["essential_needs_support"].name
    assert support.approach_status == "needs_answers"
    assert by_id["meet_case_manager"].approach is None
    assert by_id["meet_case_manager"].approach_status is None
    flagged = by_id["flag_urgent_needs"].urgent_needs
    psychosocial = next(g for g in plan.needs if g.dimension == "psychosocial")
    assert flagged == [n.label for n in psychosocial.needs] and flagged
    assert by_id["meet_case_manager"].urgent_needs == []


def test_triggers_name_the_flag_or_count(book: RuleBook, pipeline: Pipeline,
                                         planner: Planner) -> None:
    plan = _several_safeguards(pipeline, planner)
    triggers = {s.id: [(t.kind, t.label, t.value) for t in s.triggers] for s in plan.safeguards}
    assert triggers == {
        "child_rights": [("returned_children", None, 2)],
        "emergency_return": [("vulnerability",
                              book.framework.name("vulnerabilities", "emergency_return"), None)],
        "medical_referral": [("vulnerability",
                              book.framework.name("vulnerabilities", "medical_needs"), None)]}


@pytest.mark.parametrize(("period", "valid"), [
    ({"months": MAX_MONTHS}, True), ({"months": MAX_MONTHS + 1}, False),
    ({"days": MAX_DAYS}, True), ({"days": MAX_DAYS + 1}, False),
    ({"days": 0}, True), ({"months": 0}, True), ({"days": -1}, False),
    ({"days": "3"}, False), ({"months": True}, False), ({"months": 1.0}, False),
])
def test_a_period_stays_within_fifty_years_and_whole_units(period: dict[str, Any],
                                                           valid: bool) -> None:
    if valid:
        assert Period.model_validate(period) is not None
    else:
        with pytest.raises(ValidationError):
            Period.model_validate(period)


def test_the_longest_periods_stay_on_the_calendar() -> None:
    assert (MAX_MONTHS, MAX_DAYS) == (600, 20_000)  # about fifty years, as documented
    assert Period(months=MAX_MONTHS).after(date(2026, 1, 31)) == date(2076, 1, 31)
    assert Period(days=MAX_DAYS).after(date(2026, 1, 1)) == date(2080, 10, 4)
    assert Period(months=0).after(date(2026, 1, 31)) == date(2026, 1, 31)
    assert Period(days=0).after(date(2026, 1, 31)) == date(2026, 1, 31)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 12, 15), 1, date(2027, 1, 15)),   # into the next year
    (date(2026, 1, 15), 11, date(2026, 12, 15)),  # the last month of the same year
    (date(2026, 1, 15), 12, date(2027, 1, 15)),
    (date(2026, 5, 31), 1, date(2026, 6, 30)),    # clamped, not carried into July
    (date(2026, 6, 30), 1, date(2026, 7, 30)),    # a shorter start day is kept
])
def test_calendar_months(start: date, months: int, expected: date) -> None:
    assert Period(months=months).after(start) == expected


@pytest.mark.parametrize(("window", "valid"), [
    ({"start": {"months": 2}, "end": {"months": 2}}, False),  # a window is not a moment
    ({"start": {"days": 10}, "end": {"days": 10}}, False),
    ({"start": {"days": 0}, "end": {"days": 1}}, True),
    ({"start": {"months": 0}, "end": {"months": 1}}, True),
    ({"start": {"days": 20}, "end": {"days": 10}}, False),
    ({"start": {"months": 1}, "end": {"days": 60}}, False),
])
def test_a_window_starts_before_it_ends_in_one_unit(window: dict[str, Any],
                                                    valid: bool) -> None:
    if valid:
        assert TIMING.validate_python({"window": window}) is not None
    else:
        with pytest.raises(ValidationError):
            TIMING.validate_python({"window": window})


def test_day_windows_and_periods_have_their_dates() -> None:
    window = TIMING.validate_python({"window": {"start": {"days": 7}, "end": {"days": 14}}})
    assert dates_of(window, RETURNED) == Dates(kind="window", start=date(2026, 9, 8),
                                               end=date(2026, 9, 15))
    lasting = TIMING.validate_python({"lasting": {"days": 30}})
    assert dates_of(lasting, RETURNED) == Dates(kind="period", start=RETURNED,
                                                end=date(2026, 10, 1))
    deadline = TIMING.validate_python({"within": {"days": 3}})
    assert dates_of(deadline, RETURNED) == Dates(kind="by", start=None, end=date(2026, 9, 4))


def test_a_schedule_has_at_least_one_milestone() -> None:
    """Every plan carries the follow-up schedule: rules without a milestone are refused."""
    one = {"id": "plan_finalised", "name": "Plan finalised", "timing": {"within": {"days": 3}},
           "source": "a test", "provenance": "derived"}
    assert len(ScheduleRules.model_validate({"milestones": [one]}).milestones) == 1
    with pytest.raises(ValidationError, match="at least 1"):
        ScheduleRules.model_validate({"milestones": []})
