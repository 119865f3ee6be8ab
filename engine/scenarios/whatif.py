"""What-ifs: one case assessed as it is and with some answers (or rules) changed.

``--set ID=VALUE`` names an RSS element, a grid question or a case field (``age``,
``vulnerabilities``, ``household.returned_with``, ``profile.date_of_return``...); the value
is read as YAML 1.2 by the case reader, so ``yes`` stays a word and ``[a, b]`` is a list.
The changed case is checked like a case file: a choice the element does not have is
refused naming the ``--set`` that gave it. Rule changes come as a derived rule book with
its own identity, so the original rules' results are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.case.model import Case
from engine.case.reading import check_case
from engine.errors import ArgumentError, Problem
from engine.evaluation.assessment import Assessment
from engine.loading.bounded_yaml import EventReader, ReadLimits, Refusal
from engine.loading.source_file import SourceFile, did_you_mean
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet
from engine.planning.pipeline import Pipeline
from engine.scenarios.comparison import Difference, compare

_VALUE_LIMITS = ReadLimits(max_bytes=10_000, max_items=200)
_FIELD_ROOTS = ("profile", "profile.household")
"""Where a short field name is looked for: ``age`` is ``profile.age``."""


@dataclass(frozen=True)
class Setting:
    """One ``--set ID=VALUE`` as typed, where it landed in the case, and what it replaced."""

    text: str
    path: tuple[str, ...]
    value: Any
    was: Any = None


def parse_setting(text: str) -> tuple[str, Any]:
    """``ID=VALUE`` split, the value read as YAML 1.2 (blank: not answered)."""
    target, sep, raw = text.partition("=")
    if not sep or not target.strip():
        raise ArgumentError([Problem(f"--set {text}", None, "a setting is ID=VALUE",
                                     hint="e.g. --set distress_frequency=rarely")])
    try:
        value = EventReader(_VALUE_LIMITS).read(raw) if raw.strip() else None
    except Refusal as refusal:
        raise ArgumentError([Problem(f"--set {text}", None, refusal.message,
                                     hint=refusal.hint)]) from None
    return target.strip(), value


def changed_case(case: Case, settings: Iterable[str], book: RuleBook) -> tuple[Case,
                                                                             list[Setting]]:
    """The case with every setting applied in order, each checked as a case file is."""
    data = case.model_dump(mode="json")
    applied = []
    for text in settings:
        target, value = parse_setting(text)
        path = _path(target, data, book, text)
        parent = _node(data, path[:-1])
        was = parent.get(path[-1])
        if isinstance(was, list) and isinstance(value, str | None):
            value = [part.strip() for part in (value or "").split(",") if part.strip()]
        if value is None and path[0] in ("rss", "grid_answers"):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
        case = _checked(data, book, text)
        applied.append(Setting(text, path, value, was))
    return case, applied


def _path(target: str, data: dict[str, Any], book: RuleBook, text: str) -> tuple[str, ...]:
    if any(e.id == target for e in book.instrument.elements):
        return ("rss", target)
    if target in book.questions:
        return ("grid_answers", target)
    parts = tuple(target.split("."))
    for root in ("", *_FIELD_ROOTS):
        path = (*filter(None, root.split(".")), *parts)
        try:
            parent = _node(data, path[:-1])
        except (KeyError, TypeError):
            continue
        if isinstance(parent, dict) and path[-1] in parent:
            return path
    known = [e.id for e in book.instrument.elements] + list(book.questions) + [
        *data["profile"], *data["profile"]["household"]]
    raise ArgumentError([Problem(f"--set {text}", None, f"no RSS element, grid question or "
                                 f"case field named '{target}'",
                                 hint=did_you_mean(target, known) + "use an id from "
                                 "'reintegrate rules show', or a case field such as age, "
                                 "vulnerabilities or household.returned_with")])


def _node(data: dict[str, Any], path: Sequence[str]) -> Any:
    node: Any = data
    for part in path:
        node = node[part]
    return node


def _checked(data: dict[str, Any], book: RuleBook, text: str) -> Case:
    """The changed data as a case, or the problems blamed on the setting that made them."""
    source = SourceFile(Path(f"--set {text}"), data)
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise ArgumentError([Problem(f"--set {text}", None, p.message, hint=p.hint)
                             for p in source.validation_problems(exc)]) from None
    problems = check_case(case, book, source)
    if problems:
        raise ArgumentError([Problem(f"--set {text}", None, p.message, hint=p.hint)
                             for p in problems])
    return case


@dataclass(frozen=True)
class WhatIfResult:
    before: Assessment
    after: Assessment
    settings: list[Setting]
    difference: Difference
    book_before: RuleBook
    book_after: RuleBook


class WhatIf:
    """One case, before and after: the same Assessor for an answer what-if; a second one,
    on the derived rule book, for a rule what-if (both live in one process)."""

    def __init__(self, book: RuleBook, weight_set: WeightSet | None = None,
                 backend: str | None = None, changed_book: RuleBook | None = None,
                 changed_weights: WeightSet | None = None):
        self.book = book
        self.pipeline = Pipeline(book, weight_set, backend)
        self.changed_book = changed_book or book
        self.changed = (Pipeline(self.changed_book, changed_weights, backend)
                        if changed_book is not None else self.pipeline)

    def run(self, case: Case, settings: Iterable[str] = ()) -> WhatIfResult:
        after_case, applied = changed_case(case, settings, self.changed_book)
        before = self.pipeline.run(case)
        after = self.changed.run(after_case)
        difference = compare(before.assessment, after.assessment,
                             [s.id for s in before.safeguards], [s.id for s in after.safeguards])
        return WhatIfResult(before.assessment, after.assessment, applied, difference,
                            self.book, self.changed_book)
