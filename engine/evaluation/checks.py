"""The rules compiled into atomic checks, once per rule book: the engine-neutral form any
backend evaluates.

A check is one test on one kind of fact (a score, an RSS answer, a profile fact, a grid
answer); a join is several checks that must all hold. Each has a stable rule id, so a trace
can name the rule that decided. Which grid checks *hold* is the backend's job; what follows
from them is `engine.evaluation.decision`'s, the same for all. The plan's profile conditions
(safeguards, the guardian rule) are compiled here too, so nothing compiles a rule twice.

Compiled forms are kept per book ``identity`` (the hash of its content), never per rules
version or file: a derived book (a what-if) gets its own, and a copy whose texts were
translated shares its parent's.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from threading import Lock

from engine.model.checks import Check, Join, criterion_id, feasibility_id, indication_id
from engine.model.conditions import Condition, ConditionDefaults
from engine.model.grids import GridEntry
from engine.model.rulebook import RuleBook

KEPT_BOOKS = 16
"""Compiled books kept at once (the shipped rules, a few what-ifs); the oldest goes first."""


@dataclass(frozen=True)
class CompiledBook:
    identity: str
    checks: tuple[Check, ...]
    """Grid checks: each approach's indications, then its level questions."""
    joins: tuple[Join, ...]
    """Grid joins: each approach's feasibility options."""
    indications: dict[str, tuple[Check, ...]]
    """Each approach's indication checks, in rule order."""
    safeguards: dict[str, tuple[Check, ...]]
    """Each safeguard's ``when_any`` checks, in rule order."""
    guardian: tuple[Check, ...]
    """When a guardian consents and signs."""
    observed: tuple[Condition, ...]
    """One condition per profile fact any rule reads: what a case's facts must observe."""

    def shared_tests(self) -> dict[Check, list[str]]:
        """One test per distinct grid check (its rule id blanked), naming every rule id
        that uses it. Many approaches share a test ("economic score below 0.50"): a backend
        evaluates it once and reports all its rule ids."""
        shared: dict[Check, list[str]] = {}
        for check in self.checks:
            shared.setdefault(replace(check, rule_id=""), []).append(check.rule_id)
        return shared


_kept: OrderedDict[str, CompiledBook] = OrderedDict()
_lock = Lock()


def compiled(book: RuleBook) -> CompiledBook:
    """The book's compiled checks, made at its first use and kept per identity."""
    identity = book.identity
    with _lock:
        found = _kept.get(identity)
        if found is not None:
            _kept.move_to_end(identity)
            return found
    made = compile_book(book)
    with _lock:
        _kept[identity] = made
        while len(_kept) > KEPT_BOOKS:
            _kept.popitem(last=False)
    return made


def compile_book(book: RuleBook) -> CompiledBook:
    defaults = condition_defaults(book)
    indications = {
        entry.approach: tuple(condition.check(indication_id(entry.approach, index), defaults)
                              for index, condition in enumerate(entry.indicated_if_any))
        for entry in book.entries.values()}
    checks = [check for entry in book.entries.values()
              for check in (*indications[entry.approach], *_criteria(entry))]
    joins = [join for entry in book.entries.values() for join in _feasibility(entry)]
    safeguards = {s.id: tuple(c.check(f"{s.id}/when/{i}", defaults)
                              for i, c in enumerate(s.when_any))
                  for s in book.plan.safeguards.safeguards}
    guardian_rule = book.plan.consent.guardian.consents_when
    guardian = tuple(c.check(f"guardian/when/{i}", defaults)
                     for i, c in enumerate(guardian_rule))
    every = [*(c for e in book.entries.values() for c in e.indicated_if_any),
             *(c for s in book.plan.safeguards.safeguards for c in s.when_any),
             *guardian_rule]
    observed = {c.subject(): c for c in every if c.fact == "profile"}
    return CompiledBook(book.identity, tuple(checks), tuple(joins), indications, safeguards,
                        guardian, tuple(observed.values()))


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
