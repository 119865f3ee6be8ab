"""The impact of a rule change: what changed in the rules, by id, and whose outcome moves.

Both rule books are loaded in one process (each has its own version, so each has its own
compiled rules); every case is assessed under both, and the comparison is the what-if's.
An office adapting grids or weights runs this before adopting a change: the exit status
says whether any outcome moved, so it can sit in the office's own review.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine.case.model import Case
from engine.case.reading import load_case
from engine.errors import CaseError, Problem
from engine.evaluation.assessment import Assessor
from engine.model.rulebook import RuleBook
from engine.model.translation import Translation
from engine.scenarios.comparison import ApproachChange, compare
from engine.scenarios.reading import read_scenario

CASE_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
MISSING = object()


@dataclass(frozen=True)
class FieldChange:
    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RuleChange:
    """One rule, by kind and id, that was added, removed or changed (with its fields)."""

    kind: str
    id: str
    change: str
    fields: tuple[FieldChange, ...] = ()


def rule_changes(old: RuleBook, new: RuleBook,
                 translations: tuple[Mapping[str, Translation], Mapping[str, Translation]]
                 | None = None) -> list[RuleChange]:
    """Every rule that differs, family by family, each by its stable id; with the two
    books' translations, every translated text too (``translation fr: texts.KEY``)."""
    changes: list[RuleChange] = []
    for kind, items in _families(old).items():
        changes += _changed(kind, items, _families(new)[kind])
    if translations is not None:
        changes += _changed("translation", *translations)
    return changes


def _families(book: RuleBook) -> dict[str, Mapping[str, BaseModel]]:
    plan = book.plan
    return {
        "framework": {"framework": book.framework},
        "RSS element": {e.id: e for e in book.instrument.elements},
        "weight set": book.weight_sets,
        "approach": book.approaches,
        "grid entry": book.entries,
        "question": book.questions,
        "safeguard": {s.id: s for s in plan.safeguards.safeguards},
        "milestone": {m.id: m for m in plan.schedule.milestones},
        "plan rules": {"planning": plan.planning, "reading": plan.reading,
                       "consent": plan.consent},
        "service": {e.id: e for d in book.services for e in d.entries},
    }


def _changed(kind: str, old: Mapping[str, BaseModel],
             new: Mapping[str, BaseModel]) -> Iterator[RuleChange]:
    for rule_id in dict.fromkeys([*old, *new]):
        if rule_id not in new:
            yield RuleChange(kind, rule_id, "removed")
        elif rule_id not in old:
            yield RuleChange(kind, rule_id, "added")
        else:
            before = _flat(old[rule_id].model_dump(mode="json"))
            after = _flat(new[rule_id].model_dump(mode="json"))
            fields = tuple(FieldChange(path, before.get(path, MISSING), after.get(path, MISSING))
                           for path in dict.fromkeys([*before, *after])
                           if before.get(path, MISSING) != after.get(path, MISSING))
            if fields:
                yield RuleChange(kind, rule_id, "changed", fields)


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A nested value as ``path -> leaf`` (``criteria.individual.questions.0.supports``)."""
    if isinstance(value, dict):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list) and value and isinstance(value[0], dict | list):
        items = enumerate(value)
    else:
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, item in items:
        flat |= _flat(item, f"{prefix}.{key}" if prefix else str(key))
    return flat


@dataclass(frozen=True)
class CaseOutcome:
    """One case under both rule books: what moved, or why it could not be compared."""

    name: str
    changes: list[ApproachChange] = field(default_factory=list)
    problem: Problem | None = None
    skipped: bool = False
    """Not a case under the old rules either: reported, not counted as a change."""


@dataclass
class Impact:
    rules: list[RuleChange]
    cases: list[CaseOutcome]

    @property
    def outcomes_changed(self) -> bool:
        return any(c.changes or (c.problem and not c.skipped) for c in self.cases)

    def by_approach(self) -> dict[str, Counter[tuple[str, str]]]:
        """Per approach, how many cases went from one outcome to another."""
        counts: dict[str, Counter[tuple[str, str]]] = {}
        for case in self.cases:
            for change in case.changes:
                key = (outcome_label(change.before), outcome_label(change.after))
                counts.setdefault(change.approach, Counter())[key] += 1
        return counts

    def examples(self, approach: str, limit: int = 2) -> list[tuple[str, ApproachChange]]:
        found = [(c.name, ch) for c in self.cases for ch in c.changes if ch.approach == approach]
        return found[:limit]


def outcome_label(result: Any) -> str:
    if result is None:
        return "absent"
    return result.status + (f" ({result.modality})" if result.modality else "")


def case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in CASE_SUFFIXES)


class ImpactRun:
    """Assesses cases under the old and the new rules, in one process."""

    def __init__(self, old: RuleBook, new: RuleBook, backend: str | None = None,
                 weights: str = "default",
                 translations: tuple[Mapping[str, Translation], Mapping[str, Translation]]
                 | None = None):
        self.old, self.new = old, new
        self.translations = translations
        self.before = Assessor(old, old.weight_set(weights), backend)
        self.after = Assessor(new, new.weight_set(weights), backend)

    def run(self, scenarios: Iterable[Path], cases: Iterable[Path]) -> Impact:
        outcomes = [self._one(path.stem, path, scenario=True) for path in scenarios]
        outcomes += [self._one(str(path), path, scenario=False) for path in cases]
        return Impact(rule_changes(self.old, self.new, self.translations), outcomes)

    def _one(self, name: str, path: Path, *, scenario: bool) -> CaseOutcome:
        try:
            before = self._read(path, self.old, scenario)
        except CaseError as exc:  # not a case under the old rules: not the change's doing
            first = exc.problems[0]
            return CaseOutcome(name, problem=Problem(first.path, first.line, "cannot be read "
                                                     "under the old rules: " + first.message,
                                                     hint=first.hint), skipped=True)
        try:
            after = self._read(path, self.new, scenario)
        except CaseError as exc:
            first = exc.problems[0]
            return CaseOutcome(name, problem=Problem(first.path, first.line, "cannot be read "
                                                     "under the new rules: " + first.message,
                                                     hint=first.hint))
        difference = compare(self.before.assess(before), self.after.assess(after))
        return CaseOutcome(name, difference.approaches)

    @staticmethod
    def _read(path: Path, book: RuleBook, scenario: bool) -> Case:
        return read_scenario(path, book).case if scenario else load_case(path, book)
