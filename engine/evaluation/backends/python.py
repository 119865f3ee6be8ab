"""The plain-Python reference backend: the same compiled checks, evaluated in a dict lookup.

It gives exactly the holding rule ids durable_rules gives (``tests/test_backends.py`` checks
thousands of cases), without the engine's lock, sessions and one Python callback per firing,
so work over many cases costs about the facts of each case. Checks are indexed by the fact
they read (kind, subject), so a fact only meets the few checks that read it.

Two behaviours of durable_rules are kept on purpose:
- a fact matches a check only when the field the check reads is present in it;
- a join binds each of its checks to a fact of its own (Rete binds one fact per pattern), so
  a join whose checks read the same fact twice never holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from engine.evaluation.checks import compile_checks
from engine.evaluation.facts import Facts
from engine.model.checks import Check, Join
from engine.model.rulebook import RuleBook

_Key = tuple[str, str]
_Test = tuple[str | None, Callable[[Any, Any], bool], Any]
"""A check's test on one fact: the field it reads (None for presence), op, operand."""

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "present": lambda value, operand: True,
    "lt": lambda value, operand: value is not None and value < operand,
    "eq": lambda value, operand: value is not None and value == operand,
    "in": lambda value, operand: value is not None and value in operand,
}
"""A fact lacking the field a check reads never satisfies it (as in durable_rules)."""


def _test(check: Check) -> _Test:
    return check.field, _OPS[check.op], check.operand


class PythonBackend:
    """Evaluates the compiled checks of one RuleBook in plain Python.

    Built once per rules version; ``holding`` keeps no state between cases, so threads may
    share one instance without a lock.
    """

    name = "python"

    def __init__(self, book: RuleBook):
        checks, joins = compile_checks(book)
        self.joins: list[Join] = joins
        shared: dict[Check, list[str]] = {}
        for check in checks:  # one test per distinct check, naming every rule id using it
            shared.setdefault(replace(check, rule_id=""), []).append(check.rule_id)
        self.singles: dict[_Key, list[tuple[_Test, tuple[str, ...]]]] = {}
        for check, rule_ids in shared.items():
            self.singles.setdefault((check.kind, check.subject), []).append(
                (_test(check), tuple(rule_ids)))
        self.members: dict[_Key, list[tuple[_Test, int, int]]] = {}
        for j, join in enumerate(joins):
            for m, check in enumerate(join.checks):
                self.members.setdefault((check.kind, check.subject), []).append(
                    (_test(check), j, m))

    def holding(self, facts: Facts) -> set[str]:
        """Rule ids whose checks hold for these facts."""
        held: set[str] = set()
        matched: dict[int, list[set[int]]] = {}
        """Per join (by index), per member check, the facts (by index) that satisfy it."""
        for n, record in enumerate(facts.records):
            key = (record["kind"], record["subject"])
            for (field, test, operand), rule_ids in self.singles.get(key, ()):
                if test(record.get(field), operand):
                    held.update(rule_ids)
            for (field, test, operand), j, m in self.members.get(key, ()):
                if test(record.get(field), operand):
                    if j not in matched:
                        matched[j] = [set() for _ in self.joins[j].checks]
                    matched[j][m].add(n)
        held.update(self.joins[j].rule_id for j, members in matched.items()
                    if _distinct(members))
        return held


def _distinct(members: list[set[int]], used: frozenset[int] = frozenset()) -> bool:
    """Whether each member check can be bound to a fact of its own (joins have few members)."""
    if not members:
        return True
    return any(_distinct(members[1:], used | {n}) for n in members[0] - used)
