"""A condition kind is one class: defined once, it is observed on a case, compiled, evaluated
the same way by every backend, and worded, with nothing else in the engine to change.

The proof is a kind written here, inside the test, that the engine has never heard of; and
the shipped ``returned_members_at_least`` kind, used by the child-rights safeguard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

import pytest
from pydantic import Field
from tests_support import AVAILABLE_BACKENDS

from engine.case.model import Case
from engine.evaluation.assessment import Assessor
from engine.evaluation.checks import compiled
from engine.model.checks import FactKind, Operator
from engine.model.conditions import (
    AgeBelow,
    Condition,
    ConditionDefaults,
    PartKind,
    ProfileView,
    Reference,
    ReturnedMembersAtLeast,
    ReturnedMemberYoungerThan,
    SchoolAgedChildrenAtLeast,
    TriggerKind,
)
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline

APPROACH = "family_counselling"


class StayedMembersAtLeast(Condition):
    """A kind no rule file knows: at least N household members stayed behind."""

    tag: ClassVar[str] = "stayed_members"
    keys: ClassVar[frozenset[str]] = frozenset({"stayed_members_at_least"})
    fact: ClassVar[FactKind] = "profile"
    reads: ClassVar[str | None] = "value"
    op: ClassVar[Operator] = "gte"
    phrase: ClassVar[str] = "at least %(count)s household members stayed"
    parts: ClassVar[dict[str, PartKind]] = {"count": "number"}

    stayed_members_at_least: int = Field(ge=1)

    def subject(self) -> str:
        return "stayed_members"

    def operand(self, defaults: ConditionDefaults) -> int:
        return self.stayed_members_at_least

    def references(self) -> list[Reference]:
        return []

    def observe(self, profile: ProfileView) -> int:
        return len(profile.household.stayed)  # type: ignore[attr-defined]

    def trigger(self, profile: ProfileView) -> tuple[TriggerKind, int | None]:
        return "returned_children", self.observe(profile)


def _indicated_by(book: RuleBook, name: str, *conditions: Condition) -> RuleBook:
    """A copy whose family counselling is indicated by these conditions alone. Built by hand
    (not ``derive``): a kind the rule files cannot spell would not survive re-validation."""
    entry = book.entries[APPROACH].model_copy(update={"indicated_if_any": list(conditions)})
    return replace(book, version=f"{book.version}+{name}", content_identity=None,
                   entries=book.entries | {APPROACH: entry})


def _household(make_case: Callable[..., Case], **household: Any) -> Case:
    return make_case(profile={"age": 30, "sex": "female", "country_of_return": "Senegal",
                              "place_of_return": "Dakar", "date_of_return": "2026-09-01",
                              "household": household})


def _member(age: int) -> dict[str, Any]:
    return {"relationship": "child", "age": age}


def _statuses(book: RuleBook, case: Case) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Per backend: family counselling's indication truth and the rule ids that held."""
    found = {}
    for backend in AVAILABLE_BACKENDS:
        result = Assessor(book, backend=backend).assess(case).approach(APPROACH)
        assert result is not None and result.trace is not None
        found[backend] = (result.trace.indication[0].truth, result.rule_ids)
    return found


@pytest.mark.parametrize(("stayed", "truth"), [(0, "does_not_hold"), (1, "does_not_hold"),
                                                (2, "holds"), (3, "holds")])
def test_a_kind_defined_in_a_test_works_on_every_backend(
        book: RuleBook, make_case: Callable[..., Case], stayed: int, truth: str) -> None:
    changed = _indicated_by(book, "stayed", StayedMembersAtLeast(stayed_members_at_least=2))
    assert changed.identity != book.identity
    case = _household(make_case, stayed=[_member(40)] * stayed)
    found = _statuses(changed, case)
    assert len(set(found.values())) == 1, found  # every backend says the same
    assert found["python"][0] == truth


@pytest.mark.parametrize(("returned", "truth"), [
    ([], "does_not_hold"), ([9], "does_not_hold"), ([9, 40], "does_not_hold"),
    ([9, 5], "holds"), ([9, 5, 17], "holds"), ([18, 30], "does_not_hold")])
def test_returned_children_at_least_on_every_backend(
        book: RuleBook, make_case: Callable[..., Case], returned: list[int], truth: str) -> None:
    """Two children who came back (at 0 the old durable pattern, which had no ``gte``,
    said "holds" for anyone who had the fact)."""
    changed = _indicated_by(book, "two-children",
                            ReturnedMembersAtLeast(returned_members_at_least=2, younger_than=18))
    case = _household(make_case, returned_with=[_member(age) for age in returned])
    found = _statuses(changed, case)
    assert len(set(found.values())) == 1, found  # every backend says the same
    assert found["python"][0] == truth


def test_the_child_safeguard_uses_the_new_kind(book: RuleBook,
                                               make_case: Callable[..., Case]) -> None:
    """The shipped child-rights safeguard counts the children who came back; those who
    stayed do not trigger it, and the plan says how many came back."""
    rules = compiled(book)
    child_rights = next(s for s in book.plan.safeguards.safeguards
                        if any(isinstance(c, ReturnedMembersAtLeast) for c in s.when_any))
    pipeline = Pipeline(book)
    came_back = pipeline.run(_household(make_case, returned_with=[_member(9), _member(4)]))
    stayed = pipeline.run(_household(make_case, stayed=[_member(9), _member(4)]))
    assert child_rights.id in {s.id for s in came_back.safeguards}
    assert child_rights.id not in {s.id for s in stayed.safeguards}
    assert any(c.op == "gte" for c in rules.safeguards[child_rights.id])
    condition = next(c for c in child_rights.when_any if isinstance(c, ReturnedMembersAtLeast))
    assert condition.trigger(came_back.case.profile) == ("returned_children", 2)


def test_profile_facts_are_observed_only_for_kinds_the_rules_use(
        book: RuleBook, make_case: Callable[..., Case]) -> None:
    observed = {c.subject() for c in compiled(book).observed}
    assert "stayed_members" not in observed
    changed = _indicated_by(book, "stayed-observed",
                            StayedMembersAtLeast(stayed_members_at_least=1))
    assert "stayed_members" in {c.subject() for c in compiled(changed).observed}


def test_profile_kinds_in_a_grid_match_on_both_backends_over_households(
        book: RuleBook, make_case: Callable[..., Case]) -> None:
    """Every profile kind (gte and lt on profile facts) in one grid entry, over households of
    every shape: the two backends name the same holding rules."""
    changed = _indicated_by(
        book, "profile-kinds", SchoolAgedChildrenAtLeast(school_aged_children_at_least=2),
        AgeBelow(age_below=18), ReturnedMemberYoungerThan(returned_member_younger_than=10),
        ReturnedMembersAtLeast(returned_members_at_least=2, younger_than=18))
    operators = {c.op for c in compiled(changed).checks}
    assert operators == {"lt", "gte", "in", "eq", "present"}
    backends = {name: Assessor(changed, backend=name) for name in AVAILABLE_BACKENDS}
    seen: set[tuple[str, ...]] = set()
    for age in (15, 17, 18, 40):
        for school in (0, 1, 2, 5):
            for returned in ([], [9], [12, 3], [17, 18, 1], [30]):
                case = make_case(profile={
                    "age": age, "sex": "male", "country_of_return": "Iraq",
                    "place_of_return": "Erbil", "date_of_return": "2026-09-01",
                    "household": {"school_aged_children": school,
                                  "returned_with": [_member(a) for a in returned]}})
                results = {name: a.assess(case).approach(APPROACH) for name, a in backends.items()}
                assert len({repr(r) for r in results.values()}) == 1, (age, school, returned)
                seen.add(results["python"].rule_ids)  # type: ignore[union-attr]
    assert len(seen) > 8  # the households reached many combinations of holding kinds
