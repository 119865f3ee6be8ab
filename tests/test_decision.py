"""Every approach's status, checked against a plain reading of the rule data.

The engine evaluates through durable_rules and `engine.evaluation.decision`; the oracle reads
the grid entries directly, in a few lines, as a case manager would read the grid.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_support import case_data

from engine.case.model import Case
from engine.evaluation.assessment import Assessor
from engine.evaluation.scoring import Scores
from engine.loading.rulebook import load_rulebook
from engine.model.conditions import (
    ElementAnswerIn,
    ElementPointsBelow,
    HasVulnerability,
    ScoreBelow,
)
from engine.model.grids import Criterion, GridEntry
from engine.model.rulebook import RuleBook
from engine.presentation.wording import Wording

BOOK = load_rulebook()
APPROACHES = sorted(BOOK.entries)


def plain_reading(book: RuleBook, entry: GridEntry, scores: Scores,
                  case: Case) -> tuple[str, str | None]:
    """(status, modality) straight from the rule data; None means unknown."""
    default = book.framework.scoring.comprehensive_support_below.value
    truths: list[bool | None] = []
    for condition in entry.indicated_if_any:
        if isinstance(condition, ScoreBelow):
            value = scores.value(condition.score)
            limit = default if condition.below is None else condition.below
            truths.append(None if value is None else value < limit)
        elif isinstance(condition, ElementAnswerIn | ElementPointsBelow):
            coded = scores.elements[condition.element]
            if coded.gap == "not_applicable":
                truths.append(False)
            elif coded.points is None:
                truths.append(None)
            elif isinstance(condition, ElementAnswerIn):
                truths.append(coded.choice in condition.answer_in)
            else:
                truths.append(coded.points < condition.points_below)
        elif isinstance(condition, HasVulnerability):
            truths.append(condition.vulnerability in case.profile.vulnerabilities)
    indicated = True if True in truths else None if None in truths else False

    answers = {q: a for q, a in case.grid_answers.items() if a is not None}
    levels: list[bool | None] = []
    for criterion in entry.criteria.values():
        if not isinstance(criterion, Criterion):
            levels.append(True)
            continue
        seen = [None if u.question not in answers else answers[u.question] == u.supports
                for u in criterion.questions]
        if criterion.combine == "all":
            levels.append(False if False in seen else True if all(seen) else None)
        else:
            levels.append(True if True in seen else False if all(s is False for s in seen)
                          else None)

    if indicated is False:
        return "not_indicated", None
    if False in levels:
        return "not_appropriate", None
    if indicated is None or None in levels:
        return "needs_answers", None
    for option in entry.feasibility:
        met = [None if w.question not in answers else answers[w.question] == w.answer
               for w in option.when]
        if all(met):
            return "recommended", option.modality
        if False not in met:
            return "recommended", None
    return "recommended", None


def _questions(entry: GridEntry) -> list[str]:
    criteria = [u.question for c in entry.criteria.values() if isinstance(c, Criterion)
                for u in c.questions]
    feasibility = [w.question for o in entry.feasibility for w in o.when]
    return list(dict.fromkeys(criteria + feasibility))


def _rss(book: RuleBook, points: float | None) -> dict[str, str]:
    if points is None:
        return {}
    return {e.id: next(c.name for c in e.scored_choices()
                       if abs(c.points - points) == min(abs(x.points - points)
                                                        for x in e.scored_choices()))
            for e in book.instrument.elements}


def _case(rss: dict[str, str], answers: dict[str, Any], vulnerable: bool) -> Case:
    data = case_data(rss=rss, grid_answers=answers)
    if vulnerable:
        data["profile"]["vulnerabilities"] = BOOK.framework.ids("vulnerabilities")
    return Case.model_validate(data)


@pytest.fixture(scope="module")
def module_assessor() -> Assessor:
    return Assessor(BOOK)


@pytest.mark.parametrize("approach_id", APPROACHES)
def test_every_level_combination(approach_id: str, module_assessor: Assessor) -> None:
    """Each level satisfied, failed or open (3 x 3 x 3), with the need shown."""
    entry = BOOK.entries[approach_id]
    levels = list(entry.criteria)
    for combination in itertools.product(("supports", "against", "open"), repeat=len(levels)):
        answers: dict[str, str | None] = {}
        for level, outcome in zip(levels, combination, strict=True):
            criterion = entry.criteria[level]
            if not isinstance(criterion, Criterion):
                continue
            for use in criterion.questions:
                flip = {"yes": "no", "no": "yes"}
                answers[use.question] = {"supports": use.supports, "open": None,
                                         "against": flip[use.supports]}[outcome]
        case = _case(_rss(BOOK, 0.0), answers, vulnerable=True)
        assessment = module_assessor.assess(case)
        result = assessment.approach(approach_id)
        expected = plain_reading(BOOK, entry, assessment.scores, case)
        assert (result.status, result.modality) == expected, (combination, result.reasons)
        assert expected[0] != "not_indicated", "the all-unfavourable case must show the need"


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_answers_match_plain_reading(data: st.DataObject,
                                            module_assessor: Assessor) -> None:
    approach_id = data.draw(st.sampled_from(APPROACHES))
    entry = BOOK.entries[approach_id]
    rss_level = data.draw(st.sampled_from([None, 0.0, 0.25, 0.5, 0.75, 1.0, "mixed"]))
    if rss_level == "mixed":
        rss = {e.id: data.draw(st.sampled_from([c.name for c in e.choices]))
               for e in BOOK.instrument.elements}
    else:
        rss = _rss(BOOK, rss_level)
    answers = {q: data.draw(st.sampled_from(["yes", "no", None])) for q in _questions(entry)}
    case = _case(rss, answers, vulnerable=data.draw(st.booleans()))
    assessment = module_assessor.assess(case)
    result = assessment.approach(approach_id)
    expected = plain_reading(BOOK, entry, assessment.scores, case)
    assert (result.status, result.modality) == expected, result.reasons
    status_only = module_assessor.assess(case, trace=False).approach(approach_id)
    assert (status_only.status, status_only.modality) == expected
    assert status_only.trace is None and status_only.rule_ids == result.rule_ids
    if result.status == "needs_answers":
        assert result.open_questions
    open_grid = {q.id for q in result.open_questions if q.kind == "grid"}
    assert open_grid <= {q for q, a in answers.items() if a is None}


def test_every_result_carries_its_trace(module_assessor: Assessor) -> None:
    case = _case(_rss(BOOK, 0.0), {}, vulnerable=False)
    assessment = module_assessor.assess(case)
    assert assessment.rules_version == BOOK.version
    for result in assessment.approaches:
        trace = result.trace
        assert result.reasons and result.summary and trace is not None
        assert trace.indication and len(trace.levels) == 3
        for evidence in trace.indication:
            assert evidence.rule_id.startswith(f"{result.approach}/indicated/")
            assert evidence.condition and evidence.subject
        held = {e.rule_id for e in trace.indication if e.truth == "holds"}
        assert held <= set(result.rule_ids)
        cited = {r for reason in result.reasons for r in reason.rule_ids}
        traced = ({e.rule_id for e in trace.indication}
                  | {q.rule_id for lv in trace.levels for q in lv.questions}
                  | {q.rule_id for o in trace.feasibility for q in o.questions})
        assert cited <= traced, "every reason cites what the trace holds"


def test_not_appropriate_summary_names_the_failed_level_after_an_open_one(
        module_assessor: Assessor) -> None:
    """The deciding sentence is the failed level's, even when an earlier level is open."""
    case = _case(_rss(BOOK, 0.0), {"pssref_services_nearby": "no"}, vulnerable=False)
    result = module_assessor.assess(case).approach("pss_provider_referral")
    assert result.status == "not_appropriate"
    assert (result.summary.code, result.summary.level) == ("level_failed", "community")
    words = Wording(BOOK)
    assert words.summary(result).startswith("Not appropriate at the community level")
    assert any(r.startswith("Still to ask at the individual level")
               for r in words.reasons(result))
