"""The grid's decision path by path: modality choice, failed and open levels, ``any`` levels
with mixed answers, unknown needs and what to ask next, and the bound on shared parts.

Written against the survivors of ``scripts/mutate.py engine/evaluation/decision.py``. Each
case is assessed traced and status-only, which must agree (they walk the same logic twice).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from tests_support import case_data

from engine.case.model import Case
from engine.evaluation import decision
from engine.evaluation.assessment import Assessor
from engine.evaluation.results import ApproachResult, OpenQuestion, Reason
from engine.model.checks import feasibility_id
from engine.model.rulebook import RuleBook

BIZ = "business_startup_revisited"
"""Three ``all`` levels, three feasibility options: other_programme, referral, direct."""
BIZ_SUPPORTING = {"biz_wants_business": "yes", "biz_will_do_plan_and_training": "yes",
                  "biz_needs_new_debt": "no", "biz_market_saturated": "no",
                  "biz_customers_suppliers_reachable": "yes", "biz_economy_stable": "yes"}
BIZ_OPTIONS = ["biz_incubator_open", "biz_partner_provider", "biz_programme_can_fund"]
ESSENTIAL = "essential_needs_support"
"""Its individual level is ``any`` of two questions; its structural level is ``n/a``."""


@pytest.fixture(scope="module")
def assessor(book: RuleBook) -> Assessor:
    return Assessor(book, backend="python")


def _floor(book: RuleBook) -> dict[str, str]:
    """Every RSS element at its unfavourable end: every score-based need shows."""
    return {e.id: next(c.name for c in e.choices if c.points == 0)
            for e in book.instrument.elements}


def _top(book: RuleBook) -> dict[str, str]:
    return {e.id: next(c.name for c in e.choices if c.points == 1)
            for e in book.instrument.elements}


def _result(assessor: Assessor, approach: str, rss: Mapping[str, str],
            answers: Mapping[str, str | None]) -> ApproachResult:
    """The traced result, after checking that status-only work reaches the same status."""
    case = Case.model_validate(case_data(rss=dict(rss), grid_answers=dict(answers)))
    traced = assessor.assess(case).approach(approach)
    quick = assessor.assess(case, trace=False).approach(approach)
    assert traced is not None and quick is not None
    assert (quick.status, quick.modality, quick.rule_ids) == (
        traced.status, traced.modality, traced.rule_ids)
    return traced


def _codes(result: ApproachResult) -> list[str]:
    return [r.code for r in result.reasons]


def _held(result: ApproachResult) -> tuple[str, ...]:
    """The indications that held, as a summary cites them."""
    return tuple(e.rule_id for e in result.trace.indication if e.truth == "holds")


def _grid(*questions: str) -> tuple[OpenQuestion, ...]:
    return tuple(OpenQuestion("grid", q) for q in questions)


def test_undecided_modality_asks_every_open_feasibility_question(
        book: RuleBook, assessor: Assessor) -> None:
    result = _result(assessor, BIZ, _floor(book), BIZ_SUPPORTING)
    assert (result.status, result.modality) == ("recommended", None)
    assert _codes(result)[-2:] == ["appropriate_all_levels", "modality_undecided"]
    assert result.open_questions == _grid(*BIZ_OPTIONS)
    assert result.summary == Reason("recommended", _held(result))
    assert len(_held(result)) == 3


def test_an_open_option_before_a_feasible_one_leaves_the_modality_open(
        book: RuleBook, assessor: Assessor) -> None:
    answers = {**BIZ_SUPPORTING, BIZ_OPTIONS[0]: "no", BIZ_OPTIONS[2]: "yes"}
    result = _result(assessor, BIZ, _floor(book), answers)
    assert (result.status, result.modality) == ("recommended", None)
    assert _codes(result)[-1] == "modality_undecided"
    assert result.open_questions == _grid(BIZ_OPTIONS[1])
    assert [o.outcome for o in result.trace.feasibility] == ["not_feasible", "open", "feasible"]


def test_only_some_options_failing_is_not_no_modality_feasible(
        book: RuleBook, assessor: Assessor) -> None:
    answers = {**BIZ_SUPPORTING, BIZ_OPTIONS[0]: "no", BIZ_OPTIONS[1]: "no"}
    result = _result(assessor, BIZ, _floor(book), answers)
    assert (result.status, result.modality) == ("recommended", None)
    assert "no_modality_feasible" not in _codes(result)
    assert _codes(result)[-1] == "modality_undecided"


def test_every_option_failing_is_no_modality_feasible(book: RuleBook,
                                                      assessor: Assessor) -> None:
    answers = {**BIZ_SUPPORTING, **dict.fromkeys(BIZ_OPTIONS, "no")}
    result = _result(assessor, BIZ, _floor(book), answers)
    assert (result.status, result.modality) == ("recommended", None)
    assert _codes(result)[-1] == "no_modality_feasible"
    assert result.open_questions == ()


@pytest.mark.parametrize(("options", "modality", "index"), [
    (("yes", "yes", "yes"), "other_programme", 0),
    (("no", "yes", "yes"), "referral", 1),
    (("no", "no", "yes"), "direct", 2),
])
def test_the_first_feasible_option_after_failed_ones_is_chosen(
        book: RuleBook, assessor: Assessor, options: tuple[str, ...], modality: str,
        index: int) -> None:
    answers = {**BIZ_SUPPORTING, **dict(zip(BIZ_OPTIONS, options, strict=True))}
    result = _result(assessor, BIZ, _floor(book), answers)
    assert (result.status, result.modality) == ("recommended", modality)
    assert result.reasons[-1] == Reason("modality_chosen", (f"{feasibility_id(BIZ, index)}/0",),
                                        modality=modality)
    assert result.open_questions == ()
    assert f"{feasibility_id(BIZ, index)}" in result.rule_ids


def test_two_failed_levels_the_summary_names_the_first(book: RuleBook,
                                                       assessor: Assessor) -> None:
    answers = {**BIZ_SUPPORTING, "biz_wants_business": "no", "biz_economy_stable": "no",
               "biz_needs_new_debt": None}
    result = _result(assessor, BIZ, _floor(book), answers)
    assert result.status == "not_appropriate"
    assert result.summary == Reason("level_failed", (f"{BIZ}/individual/biz_wants_business",),
                                    level="individual")
    failed = [r for r in result.reasons if r.code == "level_failed"]
    assert [(r.level, r.rule_ids) for r in failed] == [
        ("individual", (f"{BIZ}/individual/biz_wants_business",)),
        ("structural", (f"{BIZ}/structural/biz_economy_stable",))]
    assert result.open_questions == ()  # a failed level asks nothing more


@pytest.mark.parametrize(("cutting_meals", "no_means", "level", "status"), [
    ("yes", "no", "satisfied", "recommended"),
    ("no", "yes", "satisfied", "recommended"),
    ("yes", None, "satisfied", "recommended"),
    ("no", "no", "failed", "not_appropriate"),
    ("no", None, "open", "needs_answers"),
    (None, None, "open", "needs_answers"),
])
def test_an_any_level_with_mixed_answers(book: RuleBook, assessor: Assessor,
                                         cutting_meals: str | None, no_means: str | None,
                                         level: str, status: str) -> None:
    answers = {"ess_cutting_meals": cutting_meals, "ess_no_means_until_plan": no_means,
               "ess_family_can_cover": "no"}
    result = _result(assessor, ESSENTIAL, _floor(book), answers)
    individual, community, structural = result.trace.levels
    assert (individual.combine, individual.outcome) == ("any", level)
    assert (community.outcome, structural.outcome) == ("satisfied", "not_applicable")
    assert result.status == status
    if status == "needs_answers":
        unanswered = [q for q, a in answers.items() if a is None]
        assert result.open_questions == _grid(*unanswered)
        assert result.summary == Reason("questions_open", (f"{ESSENTIAL}/indicated/0",))
        assert result.reasons[-1] == Reason(
            "level_open", tuple(f"{ESSENTIAL}/individual/{q}" for q in unanswered),
            level="individual")


@pytest.mark.parametrize(("wants", "debt", "level", "status"), [
    ("yes", None, "open", "needs_answers"),
    ("no", None, "failed", "not_appropriate"),
    ("no", "yes", "failed", "not_appropriate"),
])
def test_an_all_level_with_mixed_answers(book: RuleBook, assessor: Assessor, wants: str,
                                         debt: str | None, level: str, status: str) -> None:
    answers = {**BIZ_SUPPORTING, "biz_wants_business": wants, "biz_needs_new_debt": debt}
    result = _result(assessor, BIZ, _floor(book), answers)
    assert (result.trace.levels[0].outcome, result.status) == (level, status)


def test_an_unknown_need_asks_the_unanswered_elements_of_its_score(
        book: RuleBook, assessor: Assessor) -> None:
    """Two economic answers: the economic score is unknown (too little answered), the two
    element indications do not hold, so the need is unknown and the other economic
    elements are what to ask, before the open levels' questions."""
    rss = {"currently_working": "yes", "owns_productive_assets": "yes"}
    result = _result(assessor, BIZ, rss, {})
    assert result.status == "needs_answers"
    truths = {e.subject: e.truth for e in result.trace.indication}
    assert truths == {"economic": "unknown", "currently_working": "does_not_hold",
                      "owns_productive_assets": "does_not_hold"}
    assert result.reasons[0] == Reason("need_unknown", (f"{BIZ}/indicated/0",))
    assert result.summary == Reason("questions_open", ())
    economic = [e.id for e in book.instrument.elements_of("economic") if e.id not in rss]
    rss_asked = [q.id for q in result.open_questions if q.kind == "rss"]
    assert rss_asked == economic
    grid_asked = [q.id for q in result.open_questions if q.kind == "grid"]
    assert grid_asked == list(BIZ_SUPPORTING)  # every level open; feasibility not yet
    assert result.open_questions[0].kind == "rss"


def test_two_cases_with_unknown_needs_share_reasons_but_not_questions(book: RuleBook) -> None:
    """The reasons of two results decided alike are one object (kept results stay small),
    yet each case is asked its own unanswered elements, in one process, one after the
    other: a shared explanation must never show one returnee another's questions."""
    fresh = Assessor(book, backend="python")
    first = {"currently_working": "yes", "owns_productive_assets": "yes"}
    second = {"currently_working": "yes", "owns_productive_assets": "yes",
              "economic_satisfaction": "dissatisfied"}
    one, other = (_result(fresh, BIZ, rss, {}) for rss in (first, second))
    assert (one.status, other.status) == ("needs_answers", "needs_answers")
    assert one.reasons is other.reasons and one.summary is other.summary
    for rss, result in ((first, one), (second, other)):
        assert [q.id for q in result.open_questions if q.kind == "rss"] == [
            e.id for e in book.instrument.elements_of("economic") if e.id not in rss]


def test_an_unknown_element_indication_asks_that_element(book: RuleBook,
                                                          assessor: Assessor) -> None:
    """Housing support reads two elements; one unanswered keeps the need unknown."""
    rss = {**_top(book)}
    del rss["housing_standard"]
    result = _result(assessor, "housing_support", rss, {})
    assert result.status == "needs_answers"
    assert [q for q in result.open_questions if q.kind == "rss"] == [
        OpenQuestion("rss", "housing_standard")]


def test_an_unknown_composite_asks_every_unanswered_element(book: RuleBook,
                                                            assessor: Assessor) -> None:
    rss = {"currently_working": "no"}
    result = _result(assessor, "graduation_approach", rss, {})
    assert result.status == "needs_answers"
    assert [q.id for q in result.open_questions if q.kind == "rss"] == [
        e.id for e in book.instrument.elements if e.id not in rss]


def test_a_known_need_asks_no_rss_question(book: RuleBook, assessor: Assessor) -> None:
    result = _result(assessor, BIZ, _floor(book), {})
    assert result.status == "needs_answers"
    assert result.reasons[0] == Reason("indicated", _held(result))
    assert _held(result)
    assert {q.kind for q in result.open_questions} == {"grid"}


def test_no_need_shown_cites_every_indication(book: RuleBook, assessor: Assessor) -> None:
    result = _result(assessor, BIZ, _top(book), BIZ_SUPPORTING)
    assert (result.status, result.modality) == ("not_indicated", None)
    cited = tuple(e.rule_id for e in result.trace.indication)
    assert len(cited) == 3
    assert result.reasons == (Reason("no_need_shown", cited),)
    assert result.summary == Reason("no_need_shown", cited)
    assert result.open_questions == ()


def test_indicated_cites_only_what_held(book: RuleBook, assessor: Assessor) -> None:
    """Economic score low, but working and owning assets: one of three indications."""
    rss = {**_floor(book), "currently_working": "yes", "owns_productive_assets": "yes"}
    result = _result(assessor, BIZ, rss, BIZ_SUPPORTING)
    assert f"{BIZ}/indicated/0" in result.rule_ids
    assert result.reasons[0] == Reason("indicated", (f"{BIZ}/indicated/0",))
    truths = [e.truth for e in result.trace.indication]
    assert truths == ["holds", "does_not_hold", "does_not_hold"]


def test_past_the_limit_shared_parts_are_made_not_kept(
        book: RuleBook, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-running process stops growing at the limit, and its answers stay right."""
    monkeypatch.setattr(decision, "SHARED_LIMIT", 40)
    bounded, free = Assessor(book, backend="python"), Assessor(book, backend="python")
    monkeypatch.setattr(decision, "SHARED_LIMIT", 40)
    cases = [Case.model_validate(case_data(rss=rss, grid_answers=answers))
             for rss in (_floor(book), _top(book), {"currently_working": "no"})
             for answers in ({}, BIZ_SUPPORTING)]
    for case in cases:
        for trace in (True, False):
            kept = bounded.assess(case, trace=trace)
            assert len(bounded.decider._shared) <= 40
            monkeypatch.setattr(decision, "SHARED_LIMIT", 500_000)
            assert free.assess(case, trace=trace) == kept
            monkeypatch.setattr(decision, "SHARED_LIMIT", 40)
    assert len(bounded.decider._shared) == 40


def test_results_of_the_same_answers_share_their_trace_parts(book: RuleBook) -> None:
    """What keeps thousands of kept results small: a second case with the same answers
    reuses the first one's immutable parts instead of making its own."""
    assessor = Assessor(book, backend="python")
    first, second = (assessor.assess(Case.model_validate(case_data(
        returnee_id=f"TEST-000{n}", rss=_floor(book), grid_answers=BIZ_SUPPORTING)))
        for n in (1, 2))
    for mine, theirs in zip(first.approaches, second.approaches, strict=True):
        assert mine == theirs
        assert mine.summary is theirs.summary and mine.reasons is theirs.reasons
        for level, other in zip(mine.trace.levels, theirs.trace.levels, strict=True):
            assert level is other
        for option, other in zip(mine.trace.feasibility, theirs.trace.feasibility,
                                 strict=True):
            assert option is other
        for evidence, other in zip(mine.trace.indication, theirs.trace.indication,
                                   strict=True):
            if not isinstance(evidence.value, float):  # a score's value is never a key
                assert evidence is other
    quick = [assessor.assess(Case.model_validate(case_data(rss=_floor(book))),
                             trace=False).approaches for _ in range(2)]
    assert all(a is b for a, b in zip(*quick, strict=True))


def test_deciding_explains_unless_told_not_to(book: RuleBook, assessor: Assessor) -> None:
    """Explanations are the default; status-only work is asked for by name."""
    case = Case.model_validate(case_data(rss=_floor(book), grid_answers=BIZ_SUPPORTING))
    _assessment, facts = assessor.evaluate(case)
    holding = assessor.backend.holding(facts)
    decider = decision.Decider(book)
    traced = decider.decide_all(facts, holding)
    assert all(r.trace is not None and r.summary is not None for r in traced)
    quick = decider.decide_all(facts, holding, trace=False)
    assert all(r.trace is None and r.summary is None for r in quick)
    assert [(r.status, r.modality) for r in quick] == [(r.status, r.modality) for r in traced]


def test_one_answer_against_rules_out_an_option_of_two_questions(
        book: RuleBook, assessor: Assessor) -> None:
    """The psychosocial referral's first option needs a vetted provider within reach: no
    vetted provider rules it out even before reach is known, so the next option decides."""
    answers = {"pssref_wants_support": "yes", "pssref_experienced_trouble": "yes",
               "pssref_services_nearby": "yes", "pssref_counselling_acceptable": "yes",
               "pss_fz_vetted_provider": "no", "pss_fz_provider_reachable": None,
               "pss_fz_other_programme": "yes"}
    result = _result(assessor, "pss_provider_referral", _floor(book), answers)
    assert (result.status, result.modality) == ("recommended", "other_programme")
    assert [o.outcome for o in result.trace.feasibility][:2] == ["not_feasible", "feasible"]
    answers["pss_fz_vetted_provider"] = "yes"  # now reach is what is open: no modality yet
    result = _result(assessor, "pss_provider_referral", _floor(book), answers)
    assert (result.status, result.modality) == ("recommended", None)
    assert result.open_questions == _grid("pss_fz_provider_reachable",
                                          "pssref_fz_direct_support")


def test_a_scores_value_is_never_a_key_of_the_shared_parts(book: RuleBook) -> None:
    """Scores and points vary without bound: cases that differ only in them (with the same
    truths) add nothing to what a long-running process keeps."""
    water = book.instrument.element("access_to_safe_water")
    assert water is not None
    assessor = Assessor(book, backend="python")
    kept, social = [], []
    for points in (1, 0.75):
        choice = next(c.name for c in water.choices if c.points == points)
        rss = {**_top(book), water.id: choice}
        assessment = assessor.assess(Case.model_validate(case_data(rss=rss)))
        kept.append(len(assessor.decider._shared))
        social.append(assessment.scores.value("social"))
    assert social[0] == 1.0 and 0.5 < social[1] < 1.0  # another value, the same truths
    assert kept[1] == kept[0]


def test_a_known_score_asks_nothing_while_another_indication_is_unknown(
        book: RuleBook, assessor: Assessor) -> None:
    """Economic answered well enough to score high, "currently working" unanswered: only
    that element is asked, not the other unanswered elements of a score already known."""
    rss = _top(book)
    del rss["currently_working"], rss["ability_to_borrow"]
    result = _result(assessor, BIZ, rss, {})
    truths = [e.truth for e in result.trace.indication]
    assert truths == ["does_not_hold", "unknown", "does_not_hold"]
    assert [q for q in result.open_questions if q.kind == "rss"] == [
        OpenQuestion("rss", "currently_working")]


def test_results_with_nothing_case_specific_share_their_whole_trace(book: RuleBook) -> None:
    """With no score or points read (nothing answered), every part is kept, so two cases
    with the same grid answers hold one trace, not two equal ones."""
    assessor = Assessor(book, backend="python")
    first, second = (assessor.assess(Case.model_validate(case_data(
        returnee_id=f"TEST-000{n}", grid_answers=BIZ_SUPPORTING))) for n in (1, 2))
    for mine, theirs in zip(first.approaches, second.approaches, strict=True):
        assert mine.trace is theirs.trace, mine.approach
        assert mine.trace.levels is theirs.trace.levels
