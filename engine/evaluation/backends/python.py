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

from dataclasses import dataclass, field

from engine.evaluation.checks import compiled
from engine.evaluation.facts import Facts
from engine.model.checks import Check, Join
from engine.model.rulebook import RuleBook

_Key = tuple[str, str]
"""The fact a check reads: (kind, subject)."""

_BY_VALUE = frozenset({"eq", "in"})
"""Operators whose holding values can be listed, so a fact finds its checks by one look-up
(most checks are grid answers: ``eq``); the others are tested one by one."""


class PythonBackend:
    """Evaluates the compiled checks of one RuleBook in plain Python.

    Built once per rule book; ``holding`` keeps no state between cases, so threads may
    share one instance without a lock.
    """

    name = "python"

    def __init__(self, book: RuleBook):
        compiled_book = compiled(book)
        self.joins: tuple[Join, ...] = compiled_book.joins
        building: dict[_Key, _Reads] = {}
        for check, rule_ids in compiled_book.shared_tests().items():
            reads = building.setdefault((check.kind, check.subject), _Reads())
            if check.op in _BY_VALUE:
                for value in _values(check):
                    reads.valued(check.field, value)[0].extend(rule_ids)
            else:
                reads.singles.append((check, tuple(rule_ids)))
        for j, join in enumerate(self.joins):
            for m, check in enumerate(join.checks):
                reads = building.setdefault((check.kind, check.subject), _Reads())
                if check.op in _BY_VALUE:
                    for value in _values(check):
                        reads.valued(check.field, value)[1].append((j, m))
                else:
                    reads.members.append((check, j, m))

        self._lookup: dict[_Key, _Lookup] = {key: reads.frozen()
                                             for key, reads in building.items()}
        """Per fact (kind, subject): what its values decide, in one look-up."""
        self._one_field = {key: by_field[0] for key, (by_field, singles, members)
                           in self._lookup.items()
                           if len(by_field) == 1 and not singles and not members}
        """The facts read by one field's value alone (most: grid answers), the short way:
        (the field, what each of its values decides)."""
        self._apart = frozenset(
            j for j, join in enumerate(self.joins)
            if len({(c.kind, c.subject) for c in join.checks}) == len(join.checks))
        """Joins whose checks each read a fact of their own: no fact can be bound to two of
        them, so such a join holds as soon as each check has a fact (no search)."""

    def holding(self, facts: Facts) -> set[str]:
        """Rule ids whose checks hold for these facts (the hot loop of work over many cases,
        hence written out flat)."""
        held: set[str] = set()
        hits: list[tuple[int, int, int]] = []
        """(join, member check, fact): each fact, by index, that satisfies a join's check."""
        lookup, one_field = self._lookup.get, self._one_field.get
        for n, record in enumerate(facts.records):
            key = (record["kind"], record["subject"])
            short = one_field(key)  # the short way: one field, no other check reads this fact
            if short is not None:  # (the lines below it repeat those at the end of the loop,
                # without a call: most facts of most cases take this way)
                found = short[1].get(record.get(short[0]))
                if found is not None:
                    if found[0]:
                        held.update(found[0])
                    for j, m in found[1]:
                        hits.append((j, m, n))
                continue
            reads = lookup(key)
            if reads is None:
                continue
            fields, singles, members = reads
            for check, rule_ids in singles:
                if check.test(record.get(check.field)):
                    held.update(rule_ids)
            for check, j, m in members:
                if check.test(record.get(check.field)):
                    hits.append((j, m, n))
            # A fact lacking the field a check reads never satisfies it (``Check.test`` of
            # None, a value no check lists), as in durable_rules.
            for name, by_value in fields:
                found = by_value.get(record.get(name))
                if found is not None:
                    if found[0]:
                        held.update(found[0])
                    for j, m in found[1]:
                        hits.append((j, m, n))
        if hits:
            matched: dict[int, list[set[int]]] = {}
            for j, m, n in hits:
                if j not in matched:
                    matched[j] = [set() for _ in self.joins[j].checks]
                matched[j][m].add(n)
            apart = self._apart
            held.update(self.joins[j].rule_id for j, members_of in matched.items()
                        if (all(members_of) if j in apart else _distinct(members_of)))
        return held


_ByValue = dict[object, tuple[tuple[str, ...], tuple[tuple[int, int], ...]]]
"""A field's values -> the rule ids they make hold and the (join, member) places they fill."""

_Lookup = tuple[
    tuple[tuple[str | None, _ByValue], ...],
    tuple[tuple[Check, tuple[str, ...]], ...],
    tuple[tuple[Check, int, int], ...]]
"""``_Reads`` as tuples: what ``holding`` walks for one fact."""


@dataclass
class _Reads:
    """The checks that read one fact: by the value of a field (``eq``, ``in``: the rule ids
    of single checks and the (join, member) places it fills), or tested one by one."""

    by_field: dict[str | None, dict[object, tuple[list[str], list[tuple[int, int]]]]] = field(
        default_factory=dict)
    singles: list[tuple[Check, tuple[str, ...]]] = field(default_factory=list)
    members: list[tuple[Check, int, int]] = field(default_factory=list)

    def frozen(self) -> _Lookup:
        return (tuple((name, {value: (tuple(ids), tuple(places))
                              for value, (ids, places) in by_value.items()})
                      for name, by_value in self.by_field.items()),
                tuple(self.singles), tuple(self.members))

    def valued(self, name: str | None,
               value: object) -> tuple[list[str], list[tuple[int, int]]]:
        return self.by_field.setdefault(name, {}).setdefault(value, ([], []))


def _values(check: Check) -> tuple[object, ...]:
    """The values for which an ``eq`` or ``in`` check holds."""
    return check.operand if check.op == "in" else (check.operand,)  # type: ignore[return-value]


def _distinct(members: list[set[int]], used: frozenset[int] = frozenset()) -> bool:
    """Whether each member check can be bound to a fact of its own (joins have few members)."""
    if not members:
        return True
    return any(_distinct(members[1:], used | {n}) for n in members[0] - used)
