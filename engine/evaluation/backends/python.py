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

from engine.evaluation.checks import compiled
from engine.evaluation.facts import Facts
from engine.model.checks import Check, Join
from engine.model.rulebook import RuleBook

_Key = tuple[str, str]
"""The fact a check reads: (kind, subject)."""


class PythonBackend:
    """Evaluates the compiled checks of one RuleBook in plain Python.

    Built once per rule book; ``holding`` keeps no state between cases, so threads may
    share one instance without a lock.
    """

    name = "python"

    def __init__(self, book: RuleBook):
        compiled_book = compiled(book)
        self.joins: tuple[Join, ...] = compiled_book.joins
        self.singles: dict[_Key, list[tuple[Check, tuple[str, ...]]]] = {}
        for check, rule_ids in compiled_book.shared_tests().items():
            self.singles.setdefault((check.kind, check.subject), []).append(
                (check, tuple(rule_ids)))
        self.members: dict[_Key, list[tuple[Check, int, int]]] = {}
        for j, join in enumerate(self.joins):
            for m, check in enumerate(join.checks):
                self.members.setdefault((check.kind, check.subject), []).append((check, j, m))

    def holding(self, facts: Facts) -> set[str]:
        """Rule ids whose checks hold for these facts."""
        held: set[str] = set()
        matched: dict[int, list[set[int]]] = {}
        """Per join (by index), per member check, the facts (by index) that satisfy it."""
        for n, record in enumerate(facts.records):
            key = (record["kind"], record["subject"])
            # A fact lacking the field a check reads never satisfies it (``Check.test`` of
            # None), as in durable_rules.
            for check, rule_ids in self.singles.get(key, ()):
                if check.test(record.get(check.field)):
                    held.update(rule_ids)
            for check, j, m in self.members.get(key, ()):
                if check.test(record.get(check.field)):
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
