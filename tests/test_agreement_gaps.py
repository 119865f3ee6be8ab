"""The agreed part of a plan against the advice: decisions and actions that contradict it,
where each approach stands, what a plan to sign still lacks, and who offers an approach
at the place of return.

Written against the survivors of ``scripts/mutate.py engine/planning/agreement.py``, on the
Ethiopian example (recommended: business start-up, financial counselling, psychosocial
referral, health referral, school reintegration; not appropriate: job placement).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests_support import with_changes

from engine.case.model import Case
from engine.model.rulebook import RuleBook
from engine.planning.advice import AgainstAdvice, CaseIssue, advice_issues
from engine.planning.pipeline import Pipeline
from engine.planning.plan import AgreedApproach, BudgetLine, Gap, Plan
from engine.planning.planner import Planner

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"
JOB = "job_placement"  # not appropriate for the Ethiopian returnee
HEALTH = "health_referral"  # recommended; the first agreed action is its only one


@pytest.fixture(scope="module")
def pipeline(book: RuleBook) -> Pipeline:
    return Pipeline(book, backend="python")


def _plan(pipeline: Pipeline, planner: Planner, case: Case) -> Plan:
    return planner.plan(pipeline.run(case))


def _standing(plan: Plan, approach: str) -> AgreedApproach:
    return next(a for a in plan.agreement if a.id == approach)


def _job_action(**more: Any) -> dict[str, Any]:
    return {"approach": JOB, "what": "Apprenticeship in a garage", "modality": "referral",
            "provider": "eth_microfinance_partner", "starts": date(2026, 11, 2),
            "due": date(2027, 2, 26),
            "cost": {"amount": Decimal("2500"), "currency": "ETB"}, **more}


# -- contradictions the case check finds -------------------------------------------------

def test_actions_against_the_advice_are_issues_at_their_place(
        pipeline: Pipeline, ethiopia: dict[str, Any]) -> None:
    actions = [*ethiopia["agreed_actions"], _job_action(),
               {**ethiopia["agreed_actions"][0], "status": "cancelled"},
               {**ethiopia["agreed_actions"][0], "what": "Second check-up"}]
    decisions = [{"approach": HEALTH, "decision": "decline", "reason": "Treated abroad"}]
    case = with_changes(ethiopia, agreed_actions=actions, decisions=decisions)
    assessment = pipeline.assess(case)
    issues = advice_issues(case, assessment)
    assert issues == [
        CaseIssue(("agreed_actions", 0, "approach"), "action_under_declined", HEALTH,
                  "recommended", action=1),
        CaseIssue(("agreed_actions", 5, "approach"), "action_not_recommended", JOB,
                  "not_appropriate", action=6),
        CaseIssue(("agreed_actions", 7, "approach"), "action_under_declined", HEALTH,
                  "recommended", action=8)]  # the cancelled one (7th) is no contradiction
    with pytest.raises(AgainstAdvice, match=r"action_under_declined \(health_referral\); "
                                            r"action_not_recommended \(job_placement\)"):
        Planner(pipeline.book).plan(pipeline.run(case))


@pytest.mark.parametrize(("approach", "decision", "reason", "issue"), [
    (HEALTH, "decline", None, True),      # declining a recommended approach: say why
    (HEALTH, "decline", "Treated abroad", False),
    (HEALTH, "accept", None, False),      # taking up the advice needs no reason
    (JOB, "accept", None, True),          # taking up what was not recommended: say why
    (JOB, "accept", "He found the garage himself", False),
    (JOB, "decline", None, False),        # declining what was not recommended: the advice
])
def test_a_decision_against_the_advice_needs_a_reason(
        pipeline: Pipeline, ethiopia: dict[str, Any], approach: str, decision: str,
        reason: str | None, issue: bool) -> None:
    written = {"approach": approach, "decision": decision, "reason": reason}
    actions = [a for a in ethiopia["agreed_actions"]
               if not (decision == "decline" and a["approach"] == approach)]
    case = with_changes(ethiopia, decisions=[{"approach": HEALTH, "decision": "accept"}, written],
                 agreed_actions=actions)
    status = "recommended" if approach == HEALTH else "not_appropriate"
    expected = [CaseIssue(("decisions", 1), "reason_missing", approach, status,
                          decision=decision)] if issue else []
    assert advice_issues(case, pipeline.assess(case)) == expected


def test_an_action_under_an_accepted_approach_is_no_issue(
        pipeline: Pipeline, ethiopia: dict[str, Any]) -> None:
    case = with_changes(ethiopia, agreed_actions=[*ethiopia["agreed_actions"], _job_action()],
                 decisions=[{"approach": JOB, "decision": "accept", "reason": "His choice"}])
    assert advice_issues(case, pipeline.assess(case)) == []


# -- where each approach stands ----------------------------------------------------------

def test_an_approach_accepted_against_advice_is_planned_in_full(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    """Its budget, its referral, its gaps and its line in the summary, like any other."""
    case = with_changes(ethiopia,
                 agreed_actions=[*ethiopia["agreed_actions"], _job_action(starts=None)],
                 decisions=[{"approach": JOB, "decision": "accept",
                             "reason": "He found the garage himself",
                             "decided_on": date(2026, 10, 6)}])
    plan = _plan(pipeline, planner, case)
    job = _standing(plan, JOB)
    assert (job.standing, job.engine_status, job.engine_modality_name) == (
        "accepted_against_advice", "not_appropriate", None)
    assert (job.reason, job.decided_on) == ("He found the garage himself", date(2026, 10, 6))
    assert [a.number for a in job.actions] == [6]
    assert plan.budget == [BudgetLine(currency="ETB", cost=Decimal("80500"),
                                      contribution=Decimal("5000"))]
    microfinance = next(r for r in plan.referrals if r.provider.id == "eth_microfinance_partner")
    assert "Apprenticeship in a garage" in microfinance.assistance
    assert plan.gaps == [Gap(code="action_undated", approach=job.name, action=6)]
    economic = next(s for s in plan.summary if s.score.id == "economic")
    assert job.name in economic.approaches


def test_a_declined_approach_is_shown_but_not_planned(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    actions = [{**a, "status": "cancelled"} if a["approach"] == HEALTH else a
               for a in ethiopia["agreed_actions"]]
    case = with_changes(ethiopia, agreed_actions=actions, decisions=[
        {"approach": HEALTH, "decision": "decline", "reason": "Treated abroad"}])
    plan = _plan(pipeline, planner, case)
    health = _standing(plan, HEALTH)
    assert (health.standing, health.reason) == ("declined", "Treated abroad")
    assert plan.budget[0].cost == Decimal("76500")  # 78000 less its 1500
    assert "eth_health_centre" not in [r.provider.id for r in plan.referrals]
    assert plan.gaps == []  # no action needed for what was declined
    assert all(health.name not in s.approaches for s in plan.summary)


def test_an_approach_whose_actions_are_all_cancelled_is_still_to_agree(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    actions = [{**a, "status": "cancelled"} if a["approach"] == HEALTH else a
               for a in ethiopia["agreed_actions"]]
    plan = _plan(pipeline, planner, with_changes(ethiopia, agreed_actions=actions))
    health = _standing(plan, HEALTH)
    assert health.standing == "to_agree"
    assert [a.status for a in health.actions] == ["cancelled"]
    assert plan.gaps == [Gap(code="no_action", approach=health.name)]
    assert all(health.name not in s.approaches for s in plan.summary)
    accepted = _plan(pipeline, planner, with_changes(ethiopia, agreed_actions=actions, decisions=[
        {"approach": HEALTH, "decision": "accept"}]))
    assert _standing(accepted, HEALTH).standing == "agreed"  # decided, actions to come
    assert accepted.gaps == plan.gaps


def test_only_recommended_or_decided_approaches_are_listed(
        book: RuleBook, pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    plan = _plan(pipeline, planner, with_changes(ethiopia))
    assert [a.id for a in plan.agreement] == [
        "business_startup_revisited", "financial_counselling_grant", "pss_provider_referral",
        HEALTH, "school_reintegration"]
    assert {a.standing for a in plan.agreement} == {"agreed"}
    school = _standing(plan, "school_reintegration")
    direct = book.framework.name("modalities", "direct")
    assert (school.engine_modality_name, school.actions[0].provider) == (direct, None)
    assert school.actions[0].modality_name == direct
    assert _standing(plan, HEALTH).actions[0].provider.id == "eth_health_centre"


# -- what a plan to sign still lacks -----------------------------------------------------

@pytest.mark.parametrize(("missing", "codes"), [
    ({"starts": None}, ["action_undated"]),
    ({"due": None}, ["action_undated"]),
    ({"cost": None}, ["action_uncosted"]),
    ({"starts": None, "due": None, "cost": None}, ["action_undated", "action_uncosted"]),
])
def test_each_missing_part_of_an_action_is_a_gap(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any],
        missing: dict[str, Any], codes: list[str]) -> None:
    actions = [dict(a) for a in ethiopia["agreed_actions"]]
    for key in missing:
        del actions[2][key]
    plan = _plan(pipeline, planner, with_changes(ethiopia, agreed_actions=actions))
    name = _standing(plan, "school_reintegration").name
    assert plan.gaps == [Gap(code=c, approach=name, action=3) for c in codes]


def test_a_cancelled_action_needs_no_dates_or_cost(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    actions = [dict(a) for a in ethiopia["agreed_actions"]]
    actions.append({"approach": "school_reintegration", "what": "Trip", "modality": "direct",
                    "status": "cancelled"})
    assert _plan(pipeline, planner, with_changes(ethiopia, agreed_actions=actions)).gaps == []


def test_a_child_without_recorded_consent_lacks_consent_not_a_guardians_consent(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    profile = {**ethiopia["profile"], "age": 16}
    data = {k: v for k, v in ethiopia.items() if k != "consent"}
    plan = _plan(pipeline, planner, with_changes(data, profile=profile, guardian="GRD-07"))
    assert [g.code for g in plan.gaps] == ["no_consent"]
    adult = _plan(pipeline, planner, with_changes(data))
    assert [g.code for g in adult.gaps] == ["no_consent"]
    by_child = _plan(pipeline, planner, with_changes(ethiopia, profile=profile, guardian="GRD-07"))
    assert [g.code for g in by_child.gaps] == ["consent_not_by_guardian"]


# -- who offers an approach where the returnee lives -------------------------------------

@pytest.mark.parametrize(("country", "place", "offered"), [
    ("Ethiopia", "ADDIS ABABA, Bole sub-city",
     ["eth_addis_enterprise_centre", "eth_microfinance_partner"]),
    ("Ethiopia", "Bahir Dar", ["eth_microfinance_partner"]),  # no places: the whole country
    ("ethiopia", "Bahir Dar", ["eth_microfinance_partner"]),
    ("Mali", "Bamako", []),  # no directory for the country
])
def test_offered_by_those_serving_the_place_of_return(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any], country: str,
        place: str, offered: list[str]) -> None:
    profile = {**ethiopia["profile"], "country_of_return": country, "place_of_return": place}
    actions = [a for a in ethiopia["agreed_actions"] if "provider" not in a]
    plan = _plan(pipeline, planner, with_changes(ethiopia, profile=profile, agreed_actions=actions))
    grant = _standing(plan, "financial_counselling_grant")
    assert [p.id for p in grant.offered_by] == offered


def test_an_entry_serving_several_places_serves_each(book: RuleBook,
                                                     ethiopia: dict[str, Any]) -> None:
    directory = book.directory("Ethiopia")
    assert directory is not None
    entries = [e.model_copy(update={"places": ["Addis Ababa", "Adama"]})
               if e.id == "eth_addis_enterprise_centre" else e for e in directory.entries]
    wider = book.derive("adama", "the enterprise centre also serves Adama", services=[
        d.model_copy(update={"entries": entries}) if d is directory else d
        for d in book.services])
    profile = {**ethiopia["profile"], "place_of_return": "Adama"}
    actions = [a for a in ethiopia["agreed_actions"] if "provider" not in a]
    case = with_changes(ethiopia, profile=profile, agreed_actions=actions)
    plan = Planner(wider).plan(Pipeline(wider, backend="python").run(case))
    assert [p.id for p in _standing(plan, "financial_counselling_grant").offered_by] == [
        "eth_addis_enterprise_centre", "eth_microfinance_partner"]


@pytest.mark.parametrize(("entry", "approach", "derived"), [
    ("verbatim", "verbatim", False), ("derived", "verbatim", True),
    ("verbatim", "derived", True)])
def test_an_approach_is_marked_derived_if_its_entry_or_its_text_is(
        book: RuleBook, ethiopia: dict[str, Any], entry: str, approach: str,
        derived: bool) -> None:
    """Derived content is never shown as official guidance."""
    changed = book.derive("provenance", "health referral marked", entries={
        **book.entries, HEALTH: book.entries[HEALTH].model_copy(update={"provenance": entry})},
        approaches={**book.approaches, HEALTH: book.approaches[HEALTH].model_copy(
            update={"provenance": approach})})
    plan = Planner(changed).plan(Pipeline(changed, backend="python").run(with_changes(ethiopia)))
    assert _standing(plan, HEALTH).derived is derived
    assert _standing(plan, "school_reintegration").derived is True


def test_the_summary_lists_each_dimensions_needs_and_approaches_taken_up(
        pipeline: Pipeline, planner: Planner, ethiopia: dict[str, Any]) -> None:
    plan = _plan(pipeline, planner, with_changes(ethiopia))
    for line in plan.summary:
        group = [n.label for g in plan.needs if g.dimension == line.score.id for n in g.needs]
        assert line.needs == group
    economic = next(s for s in plan.summary if s.score.id == "economic")
    assert economic.needs and all(economic.needs)
    assert economic.approaches == [_standing(plan, a).name for a in (
        "business_startup_revisited", "financial_counselling_grant")]
