"""The vectorised evaluator's checks: every kind, field and operator against the one-case
backend's semantics (a fact of the check's kind and subject whose field passes the test)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from engine.case.model import Case
from engine.evaluation.checks import compiled
from engine.evaluation.facts import Facts, case_facts
from engine.evaluation.scoring import coding, score_answers
from engine.evaluation.vector import ANSWERS, Columns, VectorEvaluator
from engine.model.checks import Check
from engine.model.rulebook import RuleBook


def _cases(book: RuleBook, count: int) -> list[Case]:
    rng = random.Random(5)
    flags = book.framework.ids("vulnerabilities")
    cases = []
    for n in range(count):
        rss = {e.id: rng.choice(e.choices).name for e in book.instrument.elements
               if rng.random() > 0.15}
        cases.append(Case.model_validate({
            "returnee_id": f"VEC-{n:04d}",
            "profile": {"age": rng.randint(8, 70), "sex": "male", "country_of_return": "Iraq",
                        "place_of_return": "Erbil", "date_of_return": "2026-02-01",
                        "household": {"school_aged_children": rng.choice([0, 0, 1, 3]),
                                      "returned_with": [
                                          {"relationship": "child", "age": rng.randint(1, 30)}
                                          for _ in range(rng.choice([0, 0, 1, 2]))]},
                        "vulnerabilities": [f for f in flags if rng.random() < 0.3]},
            "rss": rss,
            "grid_answers": {q: rng.choice(["yes", "no", None]) for q in book.questions}}))
    return cases


def _columns(book: RuleBook, cases: list[Case]) -> Columns:
    columns = Columns(len(cases))
    for element in book.instrument.elements:
        index = {c.name: i for i, c in enumerate(element.choices)}
        columns.choices[element.id] = np.array(
            [index.get(c.rss.get(element.id), -1) for c in cases], dtype=np.int16)
    for question in book.questions:
        columns.answers[question] = np.array(
            [ANSWERS.index(a) + 1 if (a := c.grid_answers.get(question)) else 0 for c in cases],
            dtype=np.int8)
    for flag in book.framework.ids("vulnerabilities"):
        columns.vulnerabilities[flag] = np.array([flag in c.profile.vulnerabilities
                                                  for c in cases])
    for condition in compiled(book).observed:
        columns.profile[condition.subject()] = np.array(
            [np.nan if (v := condition.observe(c.profile)) is None else v for c in cases],
            dtype=float)
    return columns


def _backend_holds(check: Check, facts: Facts) -> bool:
    """``backends.python``: some fact of the check's kind and subject passes its test."""
    return any(check.test(r.get(check.field)) for r in facts.records
               if (r["kind"], r["subject"]) == (check.kind, check.subject))


def _every_operator(book: RuleBook) -> list[Check]:
    element = next(e for e in book.instrument.elements if len(e.choices) > 5)
    names = [c.name for c in element.choices]
    question = sorted(book.questions)[0]
    flag = book.framework.ids("vulnerabilities")[0]
    return [
        Check("s1", "score", "economic", "value", "lt", 0.5),
        Check("s2", "score", "composite", "value", "gte", 0.5),
        Check("s3", "score", "social", "value", "eq", 0.5),
        Check("s4", "score", "psychosocial", "value", "in", (0.5, 0.75)),
        Check("s5", "score", "economic", "value", "present"),
        Check("e1", "element", element.id, "choice", "in", tuple(names[:2])),
        Check("e2", "element", element.id, "choice", "eq", names[1]),
        Check("e3", "element", element.id, "choice", "eq", "dont_know"),
        Check("e4", "element", element.id, "choice", "lt", names[2]),
        Check("e5", "element", element.id, "choice", "gte", names[2]),
        Check("e6", "element", element.id, "points", "lt", 0.5),
        Check("e7", "element", element.id, "points", "gte", 0.75),
        Check("e8", "element", element.id, "points", "eq", 0.25),
        Check("e9", "element", element.id, "points", "in", (0.0, 1.0)),
        Check("e10", "element", element.id, "choice", "present"),
        Check("v1", "vulnerability", flag, None, "present"),
        Check("v2", "vulnerability", flag, None, "eq", "present"),
        Check("a1", "answer", question, "value", "eq", "yes"),
        Check("a2", "answer", question, "value", "in", ("no",)),
        Check("a3", "answer", question, "value", "present"),
        Check("a4", "answer", question, "value", "lt", "t"),
        Check("p1", "profile", "age", "value", "gte", 18),
        Check("p2", "profile", "returned_members_younger_than_18", "value", "gte", 1),
        Check("p3", "profile", "returned_members_younger_than_18", "value", "eq", 0),
        Check("p4", "profile", "age", "value", "in", (20, 21, 22)),
        Check("p5", "profile", "nobody_observes_this", "value", "eq", 1),
    ]


@pytest.fixture(scope="module")
def cases(book: RuleBook) -> list[Case]:
    return _cases(book, 600)


def test_every_operator_holds_where_the_backend_finds_a_fact(book: RuleBook,
                                                             cases: list[Case]) -> None:
    evaluator = VectorEvaluator(book)
    facts = evaluator.facts(_columns(book, cases))
    table = coding(book.instrument)
    weights = book.weight_set("default")
    observed = compiled(book).observed
    one_case = [case_facts(c, score_answers(book, weights, c.rss, table), observed)
                for c in cases]
    for check in _every_operator(book):
        got = facts.holds(check)
        expected = [_backend_holds(check, f) for f in one_case]
        assert got.tolist() == expected, check
        # a missing answer, a flag's absent field and a fact no rule observes are no facts
        never = check.rule_id in ("e3", "v2", "p5")
        assert (sum(expected) == 0) if never else (0 < sum(expected) < len(cases)), check
        known = facts.known(check)
        assert known.tolist() == [f.known(check.kind, check.subject) for f in one_case], check
