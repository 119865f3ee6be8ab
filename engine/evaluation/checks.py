"""The grids compiled into atomic checks: the engine-neutral form any backend evaluates.

A check is one test on one kind of fact (a score, an RSS answer, a profile flag, a grid
answer); a join is several checks that must all hold. Each has a stable rule id, so a
trace can name the rule that decided. Which checks *hold* is the backend's job
(durable_rules today); what follows from them is `engine.evaluation.decision`'s, the same for all.
"""

from __future__ import annotations

from dataclasses import replace

from engine.model.checks import Check, Join, criterion_id, feasibility_id, indication_id
from engine.model.conditions import ConditionDefaults
from engine.model.grids import GridEntry
from engine.model.rulebook import RuleBook


def compile_checks(book: RuleBook) -> tuple[list[Check], list[Join]]:
    checks: list[Check] = []
    joins: list[Join] = []
    defaults = condition_defaults(book)
    for entry in book.entries.values():
        checks += [condition.check(indication_id(entry.approach, index), defaults)
                   for index, condition in enumerate(entry.indicated_if_any)]
        checks += _criteria(entry)
        joins += _feasibility(entry)
    return checks, joins


def condition_defaults(book: RuleBook) -> ConditionDefaults:
    return ConditionDefaults(score_below=book.framework.scoring.comprehensive_support_below.value)


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


def shared_tests(checks: list[Check]) -> dict[Check, list[str]]:
    """One test per distinct check (its rule id blanked), naming every rule id that uses it.

    Many approaches share a test ("economic score below 0.50"): a backend evaluates it once
    and reports all its rule ids (in durable_rules each firing costs a Python callback).
    """
    shared: dict[Check, list[str]] = {}
    for check in checks:
        shared.setdefault(replace(check, rule_id=""), []).append(check.rule_id)
    return shared
