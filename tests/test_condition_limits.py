"""Condition kinds at their limits: the bounds a rule file may write, the names a condition
must find among the rules, an explicit ``below:``, and what each profile kind observes and
shows as the reason a safeguard applies.

Written against the survivors of ``scripts/mutate.py engine/model/conditions.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from tests_support import AVAILABLE_BACKENDS, break_line, case_data

from engine.case.model import Case, Profile
from engine.errors import RuleErrors
from engine.evaluation.assessment import Assessor
from engine.loading.rulebook import load_rulebook
from engine.model.checks import Check
from engine.model.conditions import (
    GRID_CONDITIONS,
    AgeBelow,
    ConditionDefaults,
    ElementAnswerIn,
    ElementPointsBelow,
    GridCondition,
    HasVulnerability,
    ProfileCondition,
    Reference,
    ReturnedMembersAtLeast,
    ReturnedMemberYoungerThan,
    SchoolAgedChildrenAtLeast,
    ScoreBelow,
)
from engine.model.rulebook import RuleBook

GRID = TypeAdapter(GridCondition)
PROFILE = TypeAdapter(ProfileCondition)
DEFAULTS = ConditionDefaults(score_below=0.5)


@pytest.mark.parametrize(("written", "valid"), [
    ({"age_below": 120}, True), ({"age_below": 121}, False),
    ({"age_below": 1}, True), ({"age_below": 0}, False),
    ({"returned_member_younger_than": 120}, True),
    ({"returned_member_younger_than": 121}, False),
    ({"returned_member_younger_than": 1}, True), ({"returned_member_younger_than": 0}, False),
    ({"school_aged_children_at_least": 50}, True),
    ({"school_aged_children_at_least": 51}, False),
    ({"school_aged_children_at_least": 1}, True),
    ({"school_aged_children_at_least": 0}, False),
    ({"returned_members_at_least": 50, "younger_than": 120}, True),
    ({"returned_members_at_least": 51, "younger_than": 18}, False),
    ({"returned_members_at_least": 2, "younger_than": 121}, False),
    ({"returned_members_at_least": 1, "younger_than": 1}, True),
    ({"returned_members_at_least": 0, "younger_than": 18}, False),
    ({"returned_members_at_least": 2, "younger_than": 0}, False),
])
def test_profile_numbers_stay_within_a_lifetime(written: dict[str, Any], valid: bool) -> None:
    for adapter in (GRID, PROFILE):
        if valid:
            assert adapter.validate_python(written) is not None
        else:
            with pytest.raises(ValidationError):
                adapter.validate_python(written)


def test_answer_in_names_at_least_one_choice() -> None:
    assert GRID.validate_python({"element": "possesses_id", "answer_in": ["no"]}).answer_in == [
        "no"]
    with pytest.raises(ValidationError, match="at least 1"):
        GRID.validate_python({"element": "possesses_id", "answer_in": []})


def test_an_unknown_form_names_every_form() -> None:
    with pytest.raises(ValidationError, match=r"unknown condition: use \{score\} or .*"
                                              r"\{returned_members_at_least, younger_than\}"):
        GRID.validate_python({"scor": "economic"})
    with pytest.raises(ValidationError, match=r"unknown profile condition: use "
                                              r"\{vulnerability\} or "):
        PROFILE.validate_python({"score": "economic"})


def test_an_explicit_below_replaces_the_framework_threshold() -> None:
    default = GRID.validate_python({"score": "economic"})
    explicit = GRID.validate_python({"score": "economic", "below": 0.3})
    zero = GRID.validate_python({"score": "economic", "below": 0})
    assert default.check("r", DEFAULTS) == Check("r", "score", "economic", "value", "lt", 0.5,
                                                 "score_below")
    assert explicit.check("r", DEFAULTS).operand == 0.3
    assert zero.check("r", DEFAULTS).operand == 0  # 0 is a threshold, not "no threshold"
    with pytest.raises(ValidationError):
        GRID.validate_python({"score": "economic", "below": 1.5})


@pytest.mark.parametrize("backend", AVAILABLE_BACKENDS)
def test_an_explicit_below_decides_in_an_assessment(book: RuleBook, backend: str) -> None:
    """Graduation is indicated below the 0.50 default; with ``below: 0.9`` a returnee
    scoring 0.75 everywhere needs it too (and the original book still says no)."""
    entry = book.entries["graduation_approach"]
    raised = book.derive("below_0_9", "graduation below 0.9", entries={
        **book.entries, "graduation_approach": entry.model_copy(update={"indicated_if_any": [
            ScoreBelow(score="composite", below=0.9)]})})
    rss = {e.id: next(c.name for c in e.choices if c.points == 0.75)
           for e in book.instrument.elements if any(c.points == 0.75 for c in e.choices)}
    rss |= {e.id: next(c.name for c in e.choices if c.points == 1)
            for e in book.instrument.elements if e.id not in rss}
    case = Case.model_validate(case_data(rss=rss))
    for rules, status in ((raised, "needs_answers"), (book, "not_indicated")):
        result = Assessor(rules, backend=backend).assess(case).approach("graduation_approach")
        assert result is not None and result.status == status
        [evidence] = result.trace.indication
        assert evidence.operand == (0.9 if rules is raised else 0.5)


def test_an_unknown_score_in_a_rule_is_located(rules_copy: Path) -> None:
    line = break_line(rules_copy, "feasibility_grids/economic.yaml", r"\{score: economic\}",
                      "{score: economc}")
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules_copy)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{rules_copy / 'feasibility_grids/economic.yaml'}:{line}:")
    assert "unknown score 'economc'" in str(problem)


def test_an_unknown_choice_in_answer_in_is_located(rules_copy: Path) -> None:
    line = break_line(rules_copy, "feasibility_grids/economic.yaml",
                      r"element: currently_working, answer_in: \[no\]",
                      "element: currently_working, answer_in: [no, maybe]")
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules_copy)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{rules_copy / 'feasibility_grids/economic.yaml'}:{line}:")
    assert "maybe" in str(problem)


def test_each_kind_names_what_it_reads() -> None:
    assert ScoreBelow(score="social").references() == [
        Reference("score", "social", ("score",))]
    assert ElementAnswerIn(element="possesses_id", answer_in=["no", "dont_know"]).references(
        ) == [Reference("element", "possesses_id", ("element",)),
              Reference("choice", "no", ("answer_in", 0), "possesses_id"),
              Reference("choice", "dont_know", ("answer_in", 1), "possesses_id")]
    assert ElementPointsBelow(element="housing_standard", points_below=0.5).references() == [
        Reference("element", "housing_standard", ("element",))]
    assert HasVulnerability(vulnerability="medical_needs").references() == [
        Reference("vulnerability", "medical_needs", ("vulnerability",))]
    for kind in (AgeBelow(age_below=18), SchoolAgedChildrenAtLeast(
            school_aged_children_at_least=1), ReturnedMemberYoungerThan(
            returned_member_younger_than=18), ReturnedMembersAtLeast(
            returned_members_at_least=2, younger_than=18)):
        assert kind.references() == []


def test_each_kind_compiles_to_its_check() -> None:
    compiled = [c.check("r", DEFAULTS) for c in (
        ElementAnswerIn(element="possesses_id", answer_in=["no"]),
        ElementPointsBelow(element="housing_standard", points_below=0.25),
        HasVulnerability(vulnerability="medical_needs"),
        SchoolAgedChildrenAtLeast(school_aged_children_at_least=2),
        AgeBelow(age_below=18),
        ReturnedMemberYoungerThan(returned_member_younger_than=16),
        ReturnedMembersAtLeast(returned_members_at_least=3, younger_than=12))]
    assert compiled == [
        Check("r", "element", "possesses_id", "choice", "in", ("no",), "element_answer_in"),
        Check("r", "element", "housing_standard", "points", "lt", 0.25, "element_points_below"),
        Check("r", "vulnerability", "medical_needs", None, "present", None, "has_vulnerability"),
        Check("r", "profile", "school_aged_children", "value", "gte", 2, "children"),
        Check("r", "profile", "age", "value", "lt", 18, "age"),
        Check("r", "profile", "youngest_returned_member", "value", "lt", 16, "returned_child"),
        Check("r", "profile", "returned_members_younger_than_12", "value", "gte", 3,
              "returned_members")]


def _profile(age: int = 30, returned: tuple[int, ...] = (), children: int = 0) -> Profile:
    data = case_data()
    data["profile"]["age"] = age
    data["profile"]["household"] = {
        "school_aged_children": children,
        "returned_with": [{"relationship": "child", "age": a} for a in returned]}
    return Case.model_validate(data).profile


def test_profile_kinds_observe_their_fact_and_word_their_trigger() -> None:
    """Ages exactly at a limit do not count as younger: 18 is not below 18."""
    profile = _profile(age=17, returned=(40, 18, 17, 9), children=3)
    youngest = ReturnedMemberYoungerThan(returned_member_younger_than=18)
    assert youngest.observe(profile) == 9
    assert youngest.trigger(profile) == ("returned_children", 2)
    assert youngest.observe(_profile(returned=())) is None  # nobody returned: absent, not 0
    at_least = ReturnedMembersAtLeast(returned_members_at_least=2, younger_than=18)
    assert at_least.observe(profile) == 2
    assert at_least.trigger(profile) == ("returned_children", 2)
    assert at_least.observe(_profile(returned=())) == 0
    school = SchoolAgedChildrenAtLeast(school_aged_children_at_least=1)
    assert (school.observe(profile), school.trigger(profile)) == (
        3, ("school_aged_children", 3))
    age = AgeBelow(age_below=18)
    assert (age.observe(profile), age.trigger(profile)) == (17, ("age", 17))
    flag = HasVulnerability(vulnerability="medical_needs")
    assert flag.trigger(profile) == ("vulnerability", None)
    with pytest.raises(NotImplementedError):
        flag.observe(profile)
    with pytest.raises(NotImplementedError):
        ScoreBelow(score="social").trigger(profile)


def test_each_kind_has_a_phrase_naming_exactly_its_parts() -> None:
    """The presentation layer fills a phrase's placeholders from ``parts``: a placeholder
    without a part, or a part without a placeholder, would break a plan's sentence."""
    for kind in GRID_CONDITIONS:
        assert isinstance(kind.phrase, str) and kind.phrase, kind.tag
        assert set(re.findall(r"%\((\w+)\)", kind.phrase)) == set(kind.parts), kind.tag
