"""The plan model's content: scores, needs, approaches by dimension and level, open
questions, dates from the date of return, safeguards exactly when their conditions hold,
consent, and provenance that never passes project guidance off as IOM's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from engine.case.model import Case
from engine.case.reading import load_case
from engine.evaluation.assessment import Assessment
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.planning.plan import Plan
from engine.planning.planner import Planner
from engine.presentation.score_chart import score_chart
from engine.presentation.wording import Wording

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"


@pytest.fixture(scope="module")
def drafted(book: RuleBook, pipeline: Pipeline,
            planner: Planner) -> dict[str, tuple[Case, Assessment, Plan]]:
    found = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        case = load_case(path, book)
        outcome = pipeline.run(case)
        found[path.stem.removesuffix("_returnee")] = (case, outcome.assessment,
                                                      planner.plan(outcome))
    return found


def _plan(pipeline: Pipeline, planner: Planner, case: Case, **options: object) -> Plan:
    return planner.plan(pipeline.run(case), **options)  # type: ignore[arg-type]


def _schedule(plan: Plan) -> dict[str, tuple[date | None, date]]:
    return {item.id: (item.dates.start, item.dates.end) for item in plan.schedule}


# -- header, scores, needs ----------------------------------------------------------------

def test_header_is_the_case_file(drafted: dict) -> None:
    _case, assessment, plan = drafted["ethiopia"]
    header = plan.header
    assert header.returnee_id == "ETH-2026-0044"
    assert header.place_of_return == "Addis Ababa, Kolfe Keranio sub-city"
    assert header.date_of_return == date(2026, 9, 15)
    assert header.case_manager == "CM-ADD-03"
    assert header.goals is not None and header.goals.startswith("Reopen a small shop")
    assert header.rules_version == assessment.rules_version
    assert (header.status, header.dated) == ("draft", date(2026, 10, 6))
    assert header.monitoring_round.startswith("Initial monitoring")


def test_final_status_and_date_are_the_callers(pipeline: Pipeline, planner: Planner,
                                               drafted: dict) -> None:
    case = drafted["iraq"][0]
    plan = _plan(pipeline, planner, case, status="final", dated=date(2026, 11, 2))
    assert (plan.header.status, plan.header.dated) == ("final", date(2026, 11, 2))


def test_scores_and_their_reading(drafted: dict) -> None:
    _case, assessment, plan = drafted["iraq"]
    lines = {line.id: line for line in plan.scores.lines}
    assert list(lines) == ["economic", "social", "psychosocial", "composite"]
    for line in plan.scores.lines:
        assert line.value == assessment.scores.value(line.id)
    assert round(lines["economic"].value, 2) == 0.39
    assert lines["economic"].below is True
    assert lines["economic"].reading == (
        "More likely to require more comprehensive individual support.")
    assert lines["social"].below is False
    assert lines["social"].reading == "Can benefit from a more hands-off approach."
    assert lines["composite"].name is None and lines["economic"].name == "Economic"
    assert plan.scores.threshold == 0.50
    assert plan.scores.weight_set_official is False
    assert "NOT the official" in plan.scores.weight_set


def test_a_score_without_enough_answers_has_no_reading(pipeline: Pipeline, planner: Planner,
                                                        make_case: Callable[..., Case]) -> None:
    plan = _plan(pipeline, planner, make_case(rss={"currently_working": "no"}))
    psychosocial = next(line for line in plan.scores.lines if line.id == "psychosocial")
    assert psychosocial.value is None and psychosocial.below is None
    assert psychosocial.reading is None
    assert psychosocial.missing == "no_weighted_answer"


def test_chart_bars_are_the_scores(drafted: dict) -> None:
    plan = drafted["ethiopia"][2]
    chart = score_chart([(line.name, line.value) for line in plan.scores.lines],
                        plan.scores.threshold)
    assert [row.value for row in chart.rows] == [line.value for line in plan.scores.lines]
    for row in chart.rows:
        assert row.bar_width == pytest.approx(row.value * chart.plot_width)
        assert row.text_bar.count("█") == round(row.value * 20)
        assert row.text_bar.index("┃") == 10
    assert chart.threshold_x == pytest.approx(chart.plot_start + 0.5 * chart.plot_width)
    assert chart.rows[-1].label is None  # the composite, last


def test_needs_are_tied_to_answers_and_scores(drafted: dict) -> None:
    plan = drafted["ethiopia"][2]
    needs = {need.id: need for group in plan.needs for need in group.needs}
    economic = needs["score:economic"]
    assert economic.kind == "score" and round(economic.value, 2) == 0.06
    assert economic.threshold == 0.50
    working = needs["rss:currently_working"]
    assert working.question == (
        "Are you currently working, including self-employment or casual work?")
    assert working.answer == "No"
    assert "Business start-up with market assessment, business plan and training" in (
        working.addressed_by)
    assert needs["profile:medical_needs"].addressed_by == [
        "Referral to health care, including for medical needs"]
    # Answers that show no need are not needs.
    assert "rss:possesses_id" not in needs and "score:composite" in needs
    groups = [group.dimension for group in plan.needs]
    assert groups == [None, "economic", "social", "psychosocial"]


def test_a_need_whose_approach_was_set_aside_says_so(drafted: dict) -> None:
    plan = drafted["iraq"][2]
    needs = {need.id: need for group in plan.needs for need in group.needs}
    assets = needs["rss:owns_productive_assets"]
    assert assets.addressed_by == [] and assets.set_aside == [
        "Business start-up with market assessment, business plan and training"]


# -- approaches, open questions, set aside ------------------------------------------------

def test_recommended_approaches_by_dimension(drafted: dict) -> None:
    _case, assessment, plan = drafted["ethiopia"]
    recommended = {r.approach: r for r in assessment.approaches if r.status == "recommended"}
    assert {a.id for a in plan.recommended()} == set(recommended) == {
        "business_startup_revisited", "financial_counselling_grant", "pss_provider_referral",
        "health_referral", "school_reintegration"}
    assert [d.id for d in plan.dimensions] == ["economic", "social", "psychosocial"]
    for dimension in plan.dimensions:
        for approach in dimension.approaches:
            assert recommended[approach.id].dimension == dimension.id
            assert approach.result is recommended[approach.id]
            assert [level.level for level in approach.levels] == [
                "individual", "community", "structural"]


def test_modality_provider_line_and_horizon(drafted: dict) -> None:
    plan = drafted["ethiopia"][2]
    approaches = {a.id: a for a in plan.recommended()}
    startup = approaches["business_startup_revisited"]
    assert (startup.modality, startup.fill_in) == ("referral", "Provider")
    assert startup.modality_name == "Referral to a service provider"
    assert startup.horizon == "longer_term"
    school = approaches["school_reintegration"]
    assert (school.modality, school.fill_in, school.horizon) == ("direct", None, "immediate")
    iraq = {a.id: a for a in drafted["iraq"][2].recommended()}
    assert (iraq["vocational_training"].modality, iraq["vocational_training"].fill_in) == (
        "other_programme", "Programme")
    horizons = {h.id: h.approaches for h in plan.horizons}
    assert "Education reintegration and school enrolment for children" in horizons["immediate"]


def test_levels_show_what_was_answered(drafted: dict) -> None:
    plan = drafted["ethiopia"][2]
    startup = next(a for a in plan.recommended() if a.id == "business_startup_revisited")
    individual = startup.levels[0]
    assert individual.name == "Individual" and individual.outcome == "satisfied"
    assert ("Does the returnee want to start or re-open their own business?", "yes") in [
        (q.text, q.answer) for q in individual.questions]
    essential = next(a for a in drafted["senegal"][2].recommended()
                     if a.id == "essential_needs_support")
    assert essential.levels[2].outcome == "not_applicable" and not essential.levels[2].questions


def test_open_questions_are_those_of_approaches_needing_answers(drafted: dict,
                                                               book: RuleBook) -> None:
    _case, assessment, plan = drafted["senegal"]
    listed = {(q.kind, q.id): q for g in plan.open_questions for q in g.questions}
    waiting = [r for r in assessment.approaches if r.status == "needs_answers"]
    assert waiting
    for result in waiting:
        for question in result.open_questions:
            name = book.approaches[result.approach].name
            assert name in listed[(question.kind, question.id)].approaches
    assert len(listed) == len({(q.kind, q.id) for r in waiting for q in r.open_questions})
    business = listed[("grid", "biz_wants_business")]
    assert business.text == "Does the returnee want to start or re-open their own business?"


def test_set_aside_with_why(drafted: dict, book: RuleBook) -> None:
    _case, assessment, plan = drafted["senegal"]
    aside = {a.id: a for a in plan.set_aside}
    assert set(aside) == {r.approach for r in assessment.approaches
                          if r.status in ("not_appropriate", "not_indicated")}
    referral = aside["pss_provider_referral"]
    assert referral.status == "not_appropriate"
    assert "psychosocial support / psychological services" in Wording(book).summary(
        referral.result)
    assert [a.status for a in plan.set_aside] == sorted(
        (a.status for a in plan.set_aside), key=["not_appropriate", "not_indicated"].index)


# -- schedule --------------------------------------------------------------------------

def test_schedule_dates_from_the_date_of_return(drafted: dict) -> None:
    schedule = _schedule(drafted["ethiopia"][2])  # returned 2026-09-15
    assert schedule["plan_finalised"] == (None, date(2026, 10, 15))
    assert schedule["check_in_first_low_point"] == (date(2026, 10, 15), date(2026, 11, 15))
    assert schedule["check_in_second_low_point"] == (date(2027, 2, 15), date(2027, 3, 15))
    assert schedule["intermediate_monitoring"] == (date(2027, 3, 15), date(2027, 6, 15))
    assert schedule["final_monitoring"] == (date(2027, 9, 15), date(2028, 3, 15))
    # his children stayed in Addis Ababa: no child safeguard, so no 24-month monitoring
    assert "child_rights.child_monitoring" not in schedule


def test_child_monitoring_dates_from_the_date_of_return(pipeline: Pipeline, planner: Planner,
                                                        drafted: dict) -> None:
    case = _with_returned(drafted["ethiopia"][0], [{"relationship": "child", "age": 9}])
    schedule = _schedule(_plan(pipeline, planner, case))  # returned 2026-09-15
    assert schedule["child_rights.child_monitoring"] == (date(2026, 9, 15), date(2028, 9, 15))


def test_schedule_is_in_date_order_and_clamps_month_ends(
        pipeline: Pipeline, planner: Planner, make_case: Callable[..., Case]) -> None:
    case = make_case(profile={"age": 30, "sex": "male", "country_of_return": "Iraq",
                              "place_of_return": "Erbil", "date_of_return": "2026-01-31"})
    plan = _plan(pipeline, planner, case, dated=date(2026, 2, 1))
    schedule = _schedule(plan)
    assert schedule["plan_finalised"] == (None, date(2026, 2, 28))
    assert schedule["check_in_first_low_point"] == (date(2026, 2, 28), date(2026, 3, 31))
    assert schedule["check_in_second_low_point"] == (date(2026, 6, 30), date(2026, 7, 31))
    ends = [item.dates.end for item in plan.schedule]
    assert ends == sorted(ends)


def test_passed_moments_are_marked(pipeline: Pipeline, planner: Planner,
                                   drafted: dict) -> None:
    case = drafted["ethiopia"][0]
    plan = _plan(pipeline, planner, case, dated=date(2026, 11, 16))
    passed = {item.id for item in plan.schedule if item.passed}
    assert passed == {"plan_finalised", "check_in_first_low_point"}


# -- safeguards --------------------------------------------------------------------------

def _profile(**changes: object) -> dict:
    profile: dict = {"age": 30, "sex": "female", "country_of_return": "Senegal",
                     "place_of_return": "Dakar", "date_of_return": "2026-09-01",
                     "household": {"school_aged_children": 0}, "vulnerabilities": []}
    profile.update(changes)
    return profile


def _returned(*members: tuple[str, int], school_aged_children: int = 0) -> dict:
    return {"school_aged_children": school_aged_children,
            "returned_with": [{"relationship": r, "age": a} for r, a in members]}


def _with_returned(case: Case, returned_with: list[dict]) -> Case:
    """A copy of ``case`` with these household members returned with the returnee."""
    data = case.model_dump(exclude_none=True)
    data["profile"]["household"]["returned_with"] = returned_with
    return Case.model_validate(data)


@pytest.mark.parametrize(("profile", "expected"), [
    (_profile(), []),
    # school-aged children who stayed while the returnee was away are not a child's return
    (_profile(household={"school_aged_children": 1}), []),
    (_profile(household={"school_aged_children": 4}), []),
    (_profile(household=_returned(("child", 9))), ["child_rights"]),
    (_profile(household=_returned(("spouse_or_partner", 31), ("child", 17))),
     ["child_rights"]),
    (_profile(household=_returned(("child", 18))), []),
    (_profile(household=_returned(("spouse_or_partner", 30), school_aged_children=3)), []),
    (_profile(age=17), ["child_rights"]),
    (_profile(age=18), []),
    (_profile(age=16, vulnerabilities=["unaccompanied_child"]),
     ["unaccompanied_child", "child_rights"]),
    (_profile(vulnerabilities=["emergency_return"]), ["emergency_return"]),
    (_profile(vulnerabilities=["victim_of_trafficking"]), ["trafficking_referral"]),
    (_profile(vulnerabilities=["medical_needs"]), ["medical_referral"]),
    (_profile(vulnerabilities=["medical_needs", "emergency_return"],
              household=_returned(("child", 4), ("child", 7))),
     ["child_rights", "emergency_return", "medical_referral"]),
])
def test_safeguards_exactly_when_their_conditions_hold(
        pipeline: Pipeline, planner: Planner, make_case: Callable[..., Case],
        profile: dict, expected: list[str]) -> None:
    plan = _plan(pipeline, planner, make_case(profile=profile))
    assert [s.id for s in plan.safeguards] == expected
    assert [s.id for s in plan.first()] == (
        ["unaccompanied_child"] if "unaccompanied_child" in expected else [])


def test_examples_carry_their_safeguards(drafted: dict) -> None:
    # Ethiopia: his three school-aged children stayed in Addis Ababa (returned_with: [])
    assert [s.id for s in drafted["ethiopia"][2].safeguards] == ["medical_referral"]
    assert [s.id for s in drafted["senegal"][2].safeguards] == ["emergency_return"]
    assert drafted["iraq"][2].safeguards == []


def test_child_safeguard_content(pipeline: Pipeline, planner: Planner, drafted: dict) -> None:
    case = _with_returned(drafted["ethiopia"][0], [{"relationship": "child", "age": 9}])
    child = _plan(pipeline, planner, case).safeguards[0]
    assert child.id == "child_rights"
    assert [(t.kind, t.value) for t in child.triggers] == [("returned_children", 1)]
    actions = {a.id: a for a in child.actions}
    assert set(actions) == {"best_interests", "child_view", "school_enrolment",
                            "child_monitoring"}
    assert actions["child_view"].fill_in == "The child's view, in the child's words"
    assert actions["school_enrolment"].approach == (
        "Education reintegration and school enrolment for children")
    assert actions["school_enrolment"].approach_status == "recommended"
    monitoring = actions["child_monitoring"].dates
    assert monitoring is not None and monitoring.end == date(2028, 9, 15)


def test_emergency_safeguard_content(drafted: dict) -> None:
    plan = drafted["senegal"][2]  # returned 2026-11-17
    emergency = plan.safeguards[0]
    actions = {a.id: a for a in emergency.actions}
    meeting = actions["meet_case_manager"].dates
    assert meeting is not None and (meeting.kind, meeting.end) == ("by", date(2026, 11, 20))
    support = actions["month_of_support"].dates
    # the month agreed in the case file, not the rule's month from the return beside it
    assert support is not None and (support.start, support.end) == (
        date(2026, 11, 20), date(2026, 12, 19))
    assert actions["month_of_support"].approach_status == "recommended"
    # "urgent reintegration needs, such as psychosocial support": those of every dimension
    dimensions = [g for g in plan.needs if g.dimension is not None]
    assert actions["flag_urgent_needs"].urgent_needs == [n.label for g in dimensions
                                                         for n in g.needs]
    assert "Desire to receive psychological support" in actions["flag_urgent_needs"].urgent_needs
    assert all(need.urgent for g in dimensions for need in g.needs)
    assert not any(n.urgent for g in plan.needs if g.dimension is None for n in g.needs)
    schedule = _schedule(plan)
    assert schedule["emergency_return.meet_case_manager"] == (None, date(2026, 11, 20))
    assert plan.schedule[0].id == "emergency_return.meet_case_manager"


def test_no_urgent_flag_without_emergency(drafted: dict) -> None:
    plan = drafted["ethiopia"][2]
    assert not any(need.urgent for group in plan.needs for need in group.needs)


# -- consent and provenance --------------------------------------------------------------

def test_consent_lines_follow_the_case_file(drafted: dict, pipeline: Pipeline,
                                            planner: Planner,
                                            make_case: Callable[..., Case]) -> None:
    consent = drafted["senegal"][2].consent
    assert consent.recorded and consent.recorded_on == date(2026, 11, 20)
    assert {line.consent: line.given for line in consent.lines} == {
        "data_processing": True, "share_with_service_providers": False}
    assert consent.principle.startswith("All personal data must be collected")
    unrecorded = _plan(pipeline, planner, make_case()).consent
    assert not unrecorded.recorded
    assert [line.given for line in unrecorded.lines] == [None, None]


def test_footnotes_keep_project_guidance_apart(drafted: dict, book: RuleBook) -> None:
    plan = drafted["ethiopia"][2]
    notes = {note.number: note for note in plan.notes}
    assert sorted(notes) == list(range(1, len(notes) + 1))
    for approach in plan.recommended():
        entry = book.entries[approach.id]
        cited = {(notes[n].source, notes[n].provenance) for n in approach.notes}
        assert (entry.source, entry.provenance) in cited
        assert approach.derived == ("derived" in {notes[n].provenance for n in approach.notes})
    derived = [n for n in notes.values() if n.provenance == "derived"]
    verbatim = [n for n in notes.values() if n.provenance == "verbatim"]
    assert derived and verbatim
    reading = next(line for line in plan.scores.lines if line.id == "economic")
    assert notes[reading.note].provenance == "verbatim"
    schedule = {item.id: item for item in plan.schedule}
    assert notes[schedule["check_in_first_low_point"].note].provenance == "derived"
    # the timing is quoted, the name is the project's
    assert notes[schedule["intermediate_monitoring"].note].provenance == "derived"
