"""The grids compiled into atomic checks: the engine-neutral form any backend evaluates.

A check is one test on one kind of fact (a score, an RSS answer, a profile flag, a grid
answer); a join is several checks that must all hold. Each has a stable rule id, so a
trace can name the rule that decided. Which checks *hold* is the backend's job
(durable_rules today); what follows from them is `engine.decision`'s, the same for all.
"""

from __future__ import annotations

from engine.model.checks import Check, Join, criterion_id, feasibility_id, indication_id
from engine.model.grids import (
    ElementAnswerIn,
    ElementPointsBelow,
    GridEntry,
    HasVulnerability,
    ScoreBelow,
)
from engine.model.rulebook import RuleBook


def compile_checks(book: RuleBook) -> tuple[list[Check], list[Join]]:
    checks: list[Check] = []
    joins: list[Join] = []
    default_threshold = book.framework.scoring.comprehensive_support_below.value
    for entry in book.entries.values():
        checks += _indications(entry, default_threshold)
        checks += _criteria(entry)
        joins += _feasibility(entry)
    return checks, joins


def _indications(entry: GridEntry, default_threshold: float) -> list[Check]:
    checks = []
    for index, condition in enumerate(entry.indicated_if_any):
        rule_id = indication_id(entry.approach, index)
        if isinstance(condition, ScoreBelow):
            threshold = default_threshold if condition.below is None else condition.below
            checks.append(Check(rule_id, "score", condition.score, "value", "lt", threshold))
        elif isinstance(condition, ElementAnswerIn):
            checks.append(Check(rule_id, "element", condition.element, "choice", "in",
                                tuple(condition.answer_in)))
        elif isinstance(condition, ElementPointsBelow):
            checks.append(Check(rule_id, "element", condition.element, "points", "lt",
                                condition.points_below))
        elif isinstance(condition, HasVulnerability):
            checks.append(Check(rule_id, "vulnerability", condition.vulnerability))
    return checks


def _criteria(entry: GridEntry) -> list[Check]:
    return [
        Check(criterion_id(entry.approach, level, use.question), "answer", use.question,
              "value", "eq", use.supports)
        for level, criterion in entry.criteria.items()
        if not isinstance(criterion, str)
        for use in criterion.questions
    ]


def _feasibility(entry: GridEntry) -> list[Join]:
    return [
        Join(feasibility_id(entry.approach, index),
             tuple(Check(f"{feasibility_id(entry.approach, index)}/{k}", "answer", a.question,
                         "value", "eq", a.answer) for k, a in enumerate(option.when)))
        for index, option in enumerate(entry.feasibility)
    ]

