"""The plan the returnee signs, in the plan model: the budget per currency, the referrals,
who signs, child safeguards that follow the children who returned, and the worksheet's
questions by who answers them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests_support import with_changes

from engine.case.model import Case
from engine.case.reading import load_case
from engine.model.rulebook import RuleBook
from engine.planning.advice import AgainstAdvice
from engine.planning.agreement import NotReadyToSign
from engine.planning.pipeline import Pipeline
from engine.planning.plan import BudgetLine, Gap, Plan
from engine.planning.planner import Planner

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"



def _plan(pipeline: Pipeline, planner: Planner, case: Case, **options: Any) -> Plan:
    outcome = pipeline.run(case)
    assert outcome.issues == ()
    return planner.plan(outcome, **options)


def _action(approach: str, what: str, amount: str | None, currency: str = "ETB",
            **more: Any) -> dict[str, Any]:
    action: dict[str, Any] = {"approach": approach, "what": what, "modality": "direct",
                              "starts": date(2026, 10, 13), "due": date(2026, 10, 31), **more}
    if amount is not None:
        action["cost"] = {"amount": Decimal(amount), "currency": currency}
    return action


# -- budget ----------------------------------------------------------------------------

def test_the_example_budget(pipeline: Pipeline, planner: Planner,
                            ethiopia: dict[str, Any]) -> None:
    plan = _plan(pipeline, planner, with_changes(ethiopia))
    # 1500 + 3000 + 9000 + 4500 + 60000 birr; he brings 5000 to the grant
    assert plan.budget == [BudgetLine(currency="ETB", cost=Decimal("78000"),
                                      contribution=Decimal("5000"))]


def test_budget_per_currency_exactly_without_cancelled_actions(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    actions = [dict(a) for a in ethiopia["agreed_actions"]]
    actions[0]["status"] = "cancelled"  # health centre, 1500 ETB
    actions += [
        _action("school_reintegration", "Bus fares", "0.1", "USD",
                contribution={"amount": Decimal("0.05"), "currency": "USD"}),
        _action("school_reintegration", "School bag", "0.2", "USD"),
        _action("school_reintegration", "Trip, cancelled", "1000", "USD", status="cancelled",
                contribution={"amount": Decimal("7"), "currency": "XOF"}),
        _action("school_reintegration", "Books", "250.55", status="done"),
        _action("pss_provider_referral", "Not costed yet", None),
    ]
    plan = _plan(pipeline, planner, with_changes(ethiopia, agreed_actions=actions))
    assert plan.budget == [
        BudgetLine(currency="ETB", cost=Decimal("76750.55"), contribution=Decimal("5000")),
        BudgetLine(currency="USD", cost=Decimal("0.3"), contribution=Decimal("0.05"))]
    assert str(plan.budget[1].cost) == "0.3"  # exact: no 0.30000000000000004


def test_no_actions_no_budget(pipeline: Pipeline, planner: Planner,
                              make_case: Callable[..., Case]) -> None:
    assert _plan(pipeline, planner, make_case()).budget == []


# -- referrals -------------------------------------------------------------------------

def test_one_referral_per_provider_with_each_action(pipeline: Pipeline, planner: Planner,
                                                    ethiopia: dict[str, Any]) -> None:
    actions = [dict(a) for a in ethiopia["agreed_actions"]]
    actions[0]["status"] = "cancelled"  # the health centre's only action
    actions += [
        _action("financial_counselling_grant", "Savings account for the shop", "0",
                modality="referral", provider="eth_microfinance_partner"),
        _action("pss_provider_referral", "Family session, cancelled", "0",
                modality="referral", provider="eth_counselling_service", status="cancelled"),
    ]
    plan = _plan(pipeline, planner, with_changes(ethiopia, agreed_actions=actions))
    assert [(r.provider.id, r.assistance) for r in plan.referrals] == [
        ("eth_addis_enterprise_centre",
         ["Five-day business skills course and a written business plan for the shop"]),
        ("eth_microfinance_partner",
         ["Economic assessment of the shop plan, then a grant for the first stock, paid in "
          "two parts", "Savings account for the shop"]),
        ("eth_counselling_service", ["Six counselling sessions, one every two weeks"])]
    centre = plan.referrals[0].provider
    assert (centre.name, centre.kind, centre.illustrative) == (
        "Addis small-business support centre (illustrative)", "provider", True)
    assert centre.contact == "Kolfe Keranio sub-city office, weekdays 8:30-17:00"


def test_a_direct_action_is_no_referral(pipeline: Pipeline, planner: Planner,
                                        ethiopia: dict[str, Any]) -> None:
    plan = _plan(pipeline, planner, with_changes(ethiopia))
    assert "School fees, uniforms and materials for the three children for this school " \
           "year" not in [a for r in plan.referrals for a in r.assistance]
    assert len(plan.referrals) == 4


# -- who signs -------------------------------------------------------------------------

def _roles(plan: Plan) -> list[tuple[str, str | None]]:
    return [(s.role, s.name) for s in plan.signatories]


def test_signatories_of_an_adult(pipeline: Pipeline, planner: Planner,
                                 ethiopia: dict[str, Any]) -> None:
    assert _roles(_plan(pipeline, planner, with_changes(ethiopia))) == [
        ("returnee", "ETH-2026-0044"), ("case_manager", "CM-ADD-03")]
    with_interpreter = _plan(pipeline, planner, with_changes(ethiopia, interpreter="INT-04"))
    assert _roles(with_interpreter) == [("returnee", "ETH-2026-0044"),
                                        ("interpreter", "INT-04"),
                                        ("case_manager", "CM-ADD-03")]
    # a guardian written in an adult's file signs nothing
    assert _roles(_plan(pipeline, planner, with_changes(ethiopia, guardian="GRD-01"))) == [
        ("returnee", "ETH-2026-0044"), ("case_manager", "CM-ADD-03")]


def test_signatories_of_a_child_in_order(pipeline: Pipeline, planner: Planner,
                                         ethiopia: dict[str, Any]) -> None:
    profile = {**ethiopia["profile"], "age": 17}
    consent = {**ethiopia["consent"], "given_by": "guardian"}
    plan = _plan(pipeline, planner, with_changes(ethiopia, profile=profile, guardian="GRD-07",
                                          interpreter="INT-04", consent=consent))
    assert _roles(plan) == [("returnee", "ETH-2026-0044"), ("guardian", "GRD-07"),
                            ("interpreter", "INT-04"), ("case_manager", "CM-ADD-03")]
    assert plan.gaps == []
    unnamed = _plan(pipeline, planner, with_changes(ethiopia, profile=profile, case_manager=None))
    assert _roles(unnamed) == [("returnee", "ETH-2026-0044"), ("guardian", None),
                               ("case_manager", None)]
    assert [g.code for g in unnamed.gaps] == ["no_guardian", "consent_not_by_guardian",
                                              "no_case_manager"]


def test_at_eighteen_no_guardian(pipeline: Pipeline, planner: Planner,
                                 ethiopia: dict[str, Any]) -> None:
    profile = {**ethiopia["profile"], "age": 18}
    assert [s.role for s in _plan(pipeline, planner, with_changes(ethiopia, profile=profile))
            .signatories] == ["returnee", "case_manager"]


def test_final_refused_with_the_gaps(pipeline: Pipeline, planner: Planner,
                                     ethiopia: dict[str, Any]) -> None:
    case = with_changes(ethiopia, agreed_actions=ethiopia["agreed_actions"][1:])
    with pytest.raises(NotReadyToSign) as caught:
        _plan(pipeline, planner, case, status="final")
    assert caught.value.gaps == [
        Gap(code="no_action", approach="Referral to health care, including for medical needs")]
    draft = _plan(pipeline, planner, case)
    assert draft.gaps == caught.value.gaps and draft.header.status == "draft"


# -- child safeguards follow the children who returned ---------------------------------

def _returned(ethiopia: dict[str, Any], *members: tuple[str, int]) -> Case:
    household = {**ethiopia["profile"]["household"],
                 "returned_with": [{"relationship": r, "age": a} for r, a in members]}
    return with_changes(ethiopia, profile={**ethiopia["profile"], "household": household})


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def test_the_ethiopian_children_stayed_so_no_child_safeguard(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    plan = _plan(pipeline, planner, with_changes(ethiopia))
    assert ethiopia["profile"]["household"]["school_aged_children"] == 3
    assert [s.id for s in plan.safeguards] == ["medical_referral"]
    assert [i.id for i in plan.schedule if i.id.startswith("child_rights")] == []
    assert [i.id for i in plan.schedule
            if i.dates.start and _months(i.dates.start, i.dates.end) == 24] == []


def test_a_child_who_returned_brings_the_child_safeguard(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    plan = _plan(pipeline, planner, _returned(ethiopia, ("child", 9)))
    assert [s.id for s in plan.safeguards] == ["child_rights", "medical_referral"]
    child = plan.safeguards[0]
    assert [(t.kind, t.label, t.value) for t in child.triggers] == [
        ("returned_children", None, 1)]
    [monitoring] = [i for i in plan.schedule if i.id == "child_rights.child_monitoring"]
    returned = date(2026, 9, 15)
    assert (monitoring.dates.start, monitoring.dates.end) == (returned, date(2028, 9, 15))
    assert monitoring.kind == "safeguard"
    # the returnee is an adult: the child safeguard asks no guardian of him
    assert [s.role for s in plan.signatories] == ["returnee", "case_manager"]


def test_returned_children_are_counted(pipeline: Pipeline, planner: Planner,
                                       ethiopia: dict[str, Any]) -> None:
    case = _returned(ethiopia, ("spouse_or_partner", 39), ("child", 4), ("child", 17),
                     ("child", 18))
    child = _plan(pipeline, planner, case).safeguards[0]
    assert [(t.kind, t.value) for t in child.triggers] == [("returned_children", 2)]


@pytest.mark.parametrize("member", [("spouse_or_partner", 30), ("child", 18), ("parent", 67)])
def test_a_returned_adult_triggers_nothing(pipeline: Pipeline, planner: Planner,
                                           ethiopia: dict[str, Any],
                                           member: tuple[str, int]) -> None:
    plan = _plan(pipeline, planner, _returned(ethiopia, member))
    assert [s.id for s in plan.safeguards] == ["medical_referral"]
    assert [i.id for i in plan.schedule if i.id.startswith("child_rights")] == []


def test_a_child_returnee_triggers_by_age(pipeline: Pipeline, planner: Planner,
                                         ethiopia: dict[str, Any]) -> None:
    profile = {**ethiopia["profile"], "age": 16}
    child = _plan(pipeline, planner, with_changes(ethiopia, profile=profile)).safeguards[0]
    assert child.id == "child_rights"
    assert [(t.kind, t.value) for t in child.triggers] == [("age", 16)]


# -- the worksheet's questions by who answers ------------------------------------------

def _keys_by_answerer(plan: Plan) -> list[tuple[str, str]]:
    return [(q.kind, q.id) for group in plan.questions_by_answerer
            for approach in group.approaches for q in approach.questions]


@pytest.mark.parametrize("example", ["senegal", None])  # the others leave nothing open
def test_questions_by_answerer_are_exactly_the_open_questions(
        pipeline: Pipeline, planner: Planner, book: RuleBook,
        make_case: Callable[..., Case], example: str | None) -> None:
    case = (load_case(EXAMPLES / f"{example}_returnee.yaml", book) if example
            else make_case(rss={"currently_working": "no"}))
    plan = _plan(pipeline, planner, case)
    open_keys = [(q.kind, q.id) for g in plan.open_questions for q in g.questions]
    listed = _keys_by_answerer(plan)
    assert open_keys, "no open question to compare"
    assert sorted(listed) == sorted(open_keys)
    assert len(listed) == len(set(listed))  # each once
    order = [*book.framework.ids("answerers"), None]
    assert [g.answerer for g in plan.questions_by_answerer] == [
        w for w in order if any(g.answerer == w for g in plan.questions_by_answerer)]
    for group in plan.questions_by_answerer:
        assert group.name == (book.framework.name("answerers", group.answerer)
                              if group.answerer else None)
        assert len({a.approach for a in group.approaches}) == len(group.approaches)
        for approach in group.approaches:
            for question in approach.questions:
                assert question.answered_by == group.answerer
                assert question.approaches[0] == approach.approach



def test_the_planner_refuses_actions_nobody_decided_to_take_up(
        book: RuleBook, planner: Planner, ethiopia: dict[str, Any]) -> None:
    """A front door that skips the case check still cannot drop an action silently."""
    action = {"approach": "job_placement", "what": "Work in a shop", "modality": "direct"}
    case = with_changes(ethiopia, agreed_actions=[*ethiopia["agreed_actions"], action])
    with pytest.raises(AgainstAdvice) as caught:
        planner.plan(Pipeline(book).run(case))
    assert [i.loc for i in caught.value.issues] == [("agreed_actions", 5, "approach")]
