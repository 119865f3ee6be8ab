"""What the returnee signs is true: a final plan is refused while an approach is still
open, declined approaches are worded by the advice they had, and the emergency support
shows one period (issue 14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.case.model import Case
from engine.evaluation.assessment import Assessor
from engine.model.rulebook import RuleBook
from engine.planning.agreement import NotReadyToSign
from engine.planning.pipeline import Pipeline
from engine.planning.plan import Plan
from engine.planning.planner import Planner
from engine.presentation.drafting import Drafter

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"


def _only_rss(data: dict[str, Any]) -> Case:
    """The first session of the issue: the RSS taken, nothing else answered or agreed."""
    return Case.model_validate({**data, "grid_answers": {}, "agreed_actions": [],
                                "decisions": []})


def _draft(assessor: Assessor, planner: Planner, case: Case, **options: Any) -> Plan:
    return planner.plan(Pipeline(planner.book).run(case), **options)


def _drafted(book: RuleBook, case: Case, lang: str = "en", **options: Any) -> Plan:
    return Drafter(book).draft(Pipeline(book).run(case), lang, **options)


def test_final_is_refused_for_a_plan_with_only_the_rss(
        assessor: Assessor, planner: Planner, senegal: dict[str, Any]) -> None:
    case = _only_rss(senegal)
    assessment = assessor.assess(case)
    still_open = {r.approach for r in assessment.approaches if r.status == "needs_answers"}
    assert still_open, "the RSS alone leaves approaches open"
    with pytest.raises(NotReadyToSign) as refused:
        planner.plan(Pipeline(planner.book).run(case), status="final")
    open_gaps = [g for g in refused.value.gaps if g.code == "approach_open"]
    assert len(open_gaps) == len(still_open)


def test_the_worksheet_lists_exactly_what_final_refuses(
        book: RuleBook, senegal: dict[str, Any]) -> None:
    case = _only_rss(senegal)
    drafter = Drafter(book)
    draft = _drafted(book, case)
    with pytest.raises(NotReadyToSign) as refused:
        _drafted(book, case, status="final")
    assert draft.gaps == refused.value.gaps
    worksheet = str(drafter.render(draft, "md", "en", "worksheet"))
    assert "Nothing is missing" not in worksheet
    assert worksheet.count(": still open. Answer its questions") == sum(
        g.code == "approach_open" for g in draft.gaps)


def test_declining_every_open_approach_with_a_reason_settles_them(
        assessor: Assessor, planner: Planner, senegal: dict[str, Any]) -> None:
    case = _only_rss(senegal)
    still_open = [r.approach for r in assessor.assess(case).approaches
                  if r.status == "needs_answers"]
    declined = Case.model_validate({**case.model_dump(exclude_none=True), "decisions": [
        {"approach": a, "decision": "decline", "reason": "Not now"} for a in still_open]})
    gaps = _draft(assessor, planner, declined).gaps
    assert not [g for g in gaps if g.code in ("approach_open", "declined_without_reason")]
    no_reason = Case.model_validate({**case.model_dump(exclude_none=True), "decisions": [
        {"approach": still_open[0], "decision": "decline"}]})
    codes = [g.code for g in _draft(assessor, planner, no_reason).gaps]
    assert "declined_without_reason" in codes


def test_recommended_but_declined_holds_only_recommended_approaches(
        book: RuleBook, assessor: Assessor, senegal: dict[str, Any]) -> None:
    case = Case.model_validate(senegal)
    assessment = assessor.assess(case)
    recommended = next(r.approach for r in assessment.approaches if r.status == "recommended")
    still_open = next(r.approach for r in assessment.approaches if r.status == "needs_answers")
    declining = Case.model_validate({**senegal, "agreed_actions": [], "decisions": [
        {"approach": recommended, "decision": "decline", "reason": "Already helped"},
        {"approach": still_open, "decision": "decline", "reason": "Not wanted"}]})
    drafter = Drafter(book)
    text = str(drafter.render(_drafted(book, declining), "md", "en", "plan"))
    _head, _, rest = text.partition("**Recommended but declined:**")
    listed, _, after = rest.partition("**Declined while its questions were still open:**")
    assert book.approaches[recommended].name in listed
    assert book.approaches[still_open].name not in listed
    assert book.approaches[still_open].name in after.split("##")[0]


def test_the_needs_table_shows_declined_as_declined(
        book: RuleBook, assessor: Assessor, senegal: dict[str, Any]) -> None:
    case = Case.model_validate({**senegal, "decisions": [
        {"approach": "pss_provider_referral", "decision": "decline", "reason": "Not now"}]})
    plan = _drafted(book, case)
    needs = [n for g in plan.needs for n in g.needs]
    name = book.approaches["pss_provider_referral"].name
    assert any(name in n.declined for n in needs)
    assert not any(name in n.addressed_by + n.pending for n in needs)


def test_one_period_for_the_month_of_emergency_support(
        book: RuleBook, senegal: dict[str, Any]) -> None:
    case = Case.model_validate(senegal)
    plan = _drafted(book, case)
    action = case.agreed_actions[0]
    steps = [a for s in plan.safeguards for a in s.actions if a.id == "month_of_support"]
    assert [(a.dates.start, a.dates.end) for a in steps if a.dates] == [
        (action.starts, action.due)]
    scheduled = [i for i in plan.schedule if i.id.endswith("month_of_support")]
    assert [(i.dates.start, i.dates.end) for i in scheduled] == [(action.starts, action.due)]
    text = str(Drafter(book).render(plan, "md", "en", "plan"))
    assert "until at least" not in text
