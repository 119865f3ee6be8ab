"""Every backend gives the same holding rule ids: durable_rules against the Python reference.

The compiled checks are the contract between the rules and the backends; these tests hold
the Python reference to durable_rules on thousands of generated cases, op by op, and on the
traps of a Rete engine (a join binds one fact per check).
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest

from engine.evaluation.backends import unavailable

if unavailable("durable_rules"):
    pytest.skip(f"the durable_rules backend {unavailable('durable_rules')}",
                allow_module_level=True)

from tests_support import case_data

from engine.case.model import Case
from engine.errors import ArgumentError
from engine.evaluation.assessment import Assessor
from engine.evaluation.backends import BACKENDS
from engine.evaluation.backends.durable import DurableBackend, open_sessions
from engine.evaluation.backends.python import PythonBackend
from engine.evaluation.checks import compiled
from engine.evaluation.facts import Facts, case_facts
from engine.evaluation.scoring import score_answers
from engine.model.checks import Check
from engine.model.conditions import (
    AgeBelow,
    ReturnedMembersAtLeast,
    ReturnedMemberYoungerThan,
    SchoolAgedChildrenAtLeast,
)
from engine.model.grids import AnswerIs, ModalityOption
from engine.model.instrument import Element
from engine.model.rulebook import RuleBook

GENERATED_CASES = 3000
SEED = 20261123


def _choice(rng: random.Random, element: Element, tilt: str) -> str:
    """A choice name; a tilt towards low or high points reaches both sides of thresholds."""
    scored = sorted(element.scored_choices(), key=lambda c: c.points or 0.0)
    if tilt == "any" or rng.random() < 0.15:  # don't know, refused, not applicable too
        return rng.choice(element.choices).name
    return rng.choice(scored[:2] if tilt == "low" else scored[-2:]).name


def generated_cases(book: RuleBook, count: int, seed: int = SEED) -> list[Case]:
    """Seeded cases over every element's choices, missing answers, grid answers, flags."""
    rng = random.Random(seed)
    questions = sorted(book.questions)
    flags = book.framework.ids("vulnerabilities")
    cases = []
    for n in range(count):
        not_asked = rng.choice((0.0, 0.05, 0.2, 0.5, 0.95))
        tilt = rng.choice(("low", "any", "high"))
        rss = {e.id: _choice(rng, e, tilt) for e in book.instrument.elements
               if rng.random() >= not_asked}
        unanswered = rng.choice((0.0, 0.2, 0.5, 0.9))
        answers: dict[str, Any] = {}
        for question in questions:
            if rng.random() >= unanswered:
                answers[question] = rng.choice(("yes", "no"))
            elif rng.random() < 0.5:
                answers[question] = None  # asked, not answered; otherwise left out
        profile = case_data()["profile"] | {
            "age": rng.choice((15, 17, 18, 30, 66)),
            "vulnerabilities": rng.sample(flags, rng.randint(0, len(flags))),
            "household": {"school_aged_children": rng.randint(0, 4), "returned_with": [
                {"relationship": "child", "age": rng.randint(0, 30)}
                for _ in range(rng.choice((0, 0, 1, 2, 3)))]}}
        cases.append(Case.model_validate(case_data(
            returnee_id=f"GEN-{n:05d}", profile=profile, rss=rss, grid_answers=answers)))
    return cases


@pytest.fixture(scope="module")
def household_book(book: RuleBook) -> RuleBook:
    """The shipped rules with every profile kind (``gte`` and ``lt`` on profile facts) also
    indicating one approach, so the agreement covers every operator over households."""
    entry = book.entries["family_counselling"]
    extra = [SchoolAgedChildrenAtLeast(school_aged_children_at_least=2),
             AgeBelow(age_below=18),
             ReturnedMemberYoungerThan(returned_member_younger_than=10),
             ReturnedMembersAtLeast(returned_members_at_least=2, younger_than=18)]
    return book.derive("household-kinds", "profile kinds as indications", entries=book.entries | {
        "family_counselling": entry.model_copy(
            update={"indicated_if_any": [*entry.indicated_if_any, *extra]})})


@pytest.fixture(scope="module")
def backends(book: RuleBook) -> tuple[DurableBackend, PythonBackend]:
    return DurableBackend(book), PythonBackend(book)


def _rule_ids(book: RuleBook) -> set[str]:
    rules = compiled(book)
    return {c.rule_id for c in rules.checks} | {j.rule_id for j in rules.joins}


@pytest.mark.stress
def test_both_backends_agree_on_generated_cases(household_book: RuleBook) -> None:
    book = household_book
    durable, python = DurableBackend(book), PythonBackend(book)
    assert {c.op for c in compiled(book).checks} == {"lt", "gte", "in", "eq", "present"}
    weights = book.weight_set("default")
    differing: list[str] = []
    ever_held: set[str] = set()
    ever_missed: set[str] = set()
    every_rule = _rule_ids(book)
    for case in generated_cases(book, GENERATED_CASES):
        facts = case_facts(case, score_answers(book, weights, case.rss), compiled(book).observed)
        expected, found = durable.holding(facts), python.holding(facts)
        if expected != found:
            differing.append(f"{case.returnee_id}: durable only {sorted(expected - found)}, "
                             f"python only {sorted(found - expected)}")
        ever_held |= found
        ever_missed |= every_rule - found
    assert not differing, f"{len(differing)} cases differ, e.g.\n" + "\n".join(differing[:5])
    assert open_sessions() == 0
    # The cases reached every rule both ways, so the agreement covers every check and join.
    assert every_rule - ever_held == set()
    assert every_rule - ever_missed == set()


def _facts(*records: dict[str, Any]) -> Facts:
    return Facts(scores={}, choices={}, points={}, vulnerabilities=frozenset(),
                 not_applicable=frozenset(), answers={}, records=list(records))


def _first(book: RuleBook, kind: str, op: str) -> Check:
    return next(c for c in compiled(book).checks if c.kind == kind and c.op == op)


def _other_choice(book: RuleBook, check: Check) -> str:
    element = book.instrument.element(check.subject)
    assert element is not None and isinstance(check.operand, tuple)
    return next(c.name for c in element.choices if c.name not in check.operand)


def _op_cases(book: RuleBook) -> list[tuple[str, Check, list[dict[str, Any]], bool]]:
    """For each op, facts on each side of its test, and a fact missing the field it reads."""
    score = _first(book, "score", "lt")
    points = _first(book, "element", "lt")
    choice = _first(book, "element", "in")
    flag = _first(book, "vulnerability", "present")
    answer = _first(book, "answer", "eq")
    assert isinstance(score.operand, float) and isinstance(points.operand, float)
    assert isinstance(choice.operand, tuple) and isinstance(answer.operand, str)
    other = "no" if answer.operand == "yes" else "yes"
    element = {"kind": "element", "subject": points.subject}
    return [
        ("lt below", score, [{"kind": "score", "subject": score.subject,
                              "value": score.operand - 0.01}], True),
        ("lt at the threshold", score, [{"kind": "score", "subject": score.subject,
                                         "value": score.operand}], False),
        ("lt on points", points, [element | {"choice": "x", "points": 0.0}], True),
        ("lt on points above", points, [element | {"choice": "x", "points": 1.0}], False),
        ("lt without the field", points, [element | {"choice": "x"}], False),
        ("in, a listed choice", choice,
         [{"kind": "element", "subject": choice.subject, "choice": choice.operand[-1],
           "points": 0.0}], True),
        ("in, another choice", choice,
         [{"kind": "element", "subject": choice.subject,
           "choice": _other_choice(book, choice), "points": 0.0}], False),
        ("present", flag, [{"kind": "vulnerability", "subject": flag.subject}], True),
        ("present, another subject", flag,
         [{"kind": "vulnerability", "subject": f"not_{flag.subject}"}], False),
        ("eq, the supporting answer", answer,
         [{"kind": "answer", "subject": answer.subject, "value": answer.operand}], True),
        ("eq, the other answer", answer,
         [{"kind": "answer", "subject": answer.subject, "value": other}], False),
        ("eq, another kind", answer,
         [{"kind": "score", "subject": answer.subject, "value": answer.operand}], False),
    ]


@pytest.mark.parametrize("index", range(12))
def test_every_op_on_each_side(book: RuleBook, backends: tuple[DurableBackend, PythonBackend],
                               index: int) -> None:
    label, check, records, holds = _op_cases(book)[index]
    durable, python = backends
    facts = _facts(*records)
    assert (check.rule_id in python.holding(facts)) is holds, label
    assert python.holding(facts) == durable.holding(facts), label


def _answers(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"kind": "answer", "subject": q, "value": a} for q, a in pairs]


def test_a_join_holds_only_when_every_answer_holds(
        book: RuleBook, backends: tuple[DurableBackend, PythonBackend]) -> None:
    durable, python = backends
    join = next(j for j in compiled(book).joins if len(j.checks) > 1)
    wanted = [(c.subject, str(c.operand)) for c in join.checks]
    flipped = (wanted[0][0], "no" if wanted[0][1] == "yes" else "yes")
    for records, holds in [(_answers(*wanted), True),
                           (_answers(*wanted[1:]), False),
                           (_answers(flipped, *wanted[1:]), False)]:
        facts = _facts(*records)
        assert (join.rule_id in python.holding(facts)) is holds
        assert python.holding(facts) == durable.holding(facts)


def test_a_join_binds_one_fact_per_check(book: RuleBook) -> None:
    """durable_rules needs a fact per pattern: one answer cannot satisfy a join twice."""
    approach, entry = next(iter(book.entries.items()))
    question = entry.feasibility[0].when[0]
    twice = ModalityOption(modality=entry.feasibility[0].modality,
                           when=[question, AnswerIs.model_validate(question.model_dump())])
    changed = book.derive("join-twice", "one answer asked twice in a join", entries=book.entries | {
        approach: entry.model_copy(update={"feasibility": [twice, *entry.feasibility[1:]]})})
    join_id = compiled(changed).joins[0].rule_id
    facts = _facts(*_answers((question.question, question.answer)))
    assert join_id not in DurableBackend(changed).holding(facts)
    assert join_id not in PythonBackend(changed).holding(facts)


def test_both_backends_give_the_same_assessment(book: RuleBook) -> None:
    cases = generated_cases(book, 40, seed=7)
    by_name = {name: Assessor(book, backend=name) for name in BACKENDS}
    for case in cases:
        results = {name: replace(a.assess(case), backend="")
                   for name, a in by_name.items()}
        assert results["python"] == results["durable_rules"], case.returnee_id


def test_durable_rules_stays_the_default(assessor: Assessor) -> None:
    assert assessor.backend.name == "durable_rules"
    assert isinstance(assessor.backend, DurableBackend)


def test_an_unknown_backend_is_named_with_the_choices(book: RuleBook) -> None:
    with pytest.raises(ArgumentError, match="no inference backend named 'drools'") as raised:
        Assessor(book, backend="drools")
    assert "durable_rules, python" in str(raised.value)
