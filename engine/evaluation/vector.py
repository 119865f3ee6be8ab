"""The compiled checks and the grid decision for a whole column-oriented batch at once.

The one-case path (scoring -> facts -> backend -> ``Decider.status_only``) is the
reference; this evaluates the same compiled checks (``checks.compiled``) and walks the same
laid-out grid entries (``Decider.layouts``) with one NumPy operation per element, check,
level and option over all rows, so a batch costs about as much as reading its file.

Identical results are the contract, down to the last bit of a score:
- sums are made element by element in the instrument's order, as ``scoring`` makes them
  with Python's ``sum`` (plain left-to-right before Python 3.12, Neumaier-compensated
  from 3.12 on: both are reproduced); float64 products and quotients are IEEE, as in Python;
- coverage and scores are rounded with Python's own ``round`` (NumPy rounds differently), once per
  distinct value;
- a check holds only where the one-case backend would find a fact for it (an unscored
  element, a null score or an unanswered question is no fact), and a join holds only when
  each of its checks can bind a fact of its own, as in ``backends.python``.
NumPy rather than polars or pyarrow compute: the order of every floating-point operation
is explicit here, where a dataframe library may sum in another order or in parallel.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np

from engine.evaluation.checks import compiled
from engine.evaluation.decision import Decider
from engine.evaluation.scoring import DIGITS
from engine.model.checks import Check
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet

STATUSES = ("recommended", "not_appropriate", "needs_answers", "not_indicated")
"""Status codes: a status is its index here (``ApproachResult.status``)."""
SUMMARIES = ("recommended", "level_failed", "questions_open", "no_need_shown")
"""The summary reason code of each status, by the same index (``Decider.decide``)."""
MISSING = ("no_applicable_element", "no_weighted_answer", "coverage_below_minimum",
           "dimension_missing")
"""Why a score is null, by index; -1 where there is a value (``scoring.MissingScore``)."""
ANSWERS = ("yes", "no")
"""A grid answer's code is its index here plus one; 0 is not asked."""

_ANSWER_INDEX = {a: i for i, a in enumerate(ANSWERS)}
_COMPENSATED_SUM = sys.version_info >= (3, 12)


@dataclass
class Columns:
    """A batch of returnees column by column, in the rules' ids.

    ``choices``: per RSS element, the index of the answer in the element's ``choices`` (-1
    not asked); ``answers``: per grid question, 0 not asked, 1 yes, 2 no; ``vulnerabilities``:
    per profile flag, whether the returnee has it; ``profile``: per profile fact the rules
    read (``CompiledBook.observed``, by subject), its value, NaN where there is none. A
    missing column means nobody answered.
    """

    rows: int
    choices: dict[str, np.ndarray] = field(default_factory=dict)
    answers: dict[str, np.ndarray] = field(default_factory=dict)
    vulnerabilities: dict[str, np.ndarray] = field(default_factory=dict)
    profile: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class ScoreColumns:
    value: np.ndarray
    """float64, NaN where the score is null."""
    coverage: np.ndarray
    answered: np.ndarray
    applicable: np.ndarray
    missing: np.ndarray
    """Index into ``MISSING``, -1 where there is a value."""


@dataclass
class ApproachColumns:
    status: np.ndarray
    """Index into ``STATUSES``."""
    modality: np.ndarray
    """Index into the framework's modalities, -1 for none."""
    failed_level: np.ndarray
    """Index into the framework's levels of the level that failed, -1 if none did."""


@dataclass
class VectorResults:
    rows: int
    scores: dict[str, ScoreColumns]
    approaches: dict[str, ApproachColumns]
    held: dict[str, np.ndarray]
    """Per rule id, where its check (or join) held: the one-case ``ApproachResult.rule_ids``."""


class VectorEvaluator:
    """One per rule book and weight set, like ``Assessor``; ``evaluate`` keeps no state."""

    def __init__(self, book: RuleBook, weight_set: WeightSet | None = None):
        self.book = book
        self.weight_set = weight_set or book.weight_set("default")
        self.elements = book.instrument.elements
        self.dimensions = book.framework.ids("dimensions")
        self.levels = book.framework.ids("levels")
        self.modalities = book.framework.ids("modalities")
        self.min_coverage = book.framework.scoring.min_coverage.value
        # Per element, a table over answer index + 1 (0: not asked): points and "not applicable".
        self._points = {e.id: np.array([np.nan] + [np.nan if c.points is None else c.points
                                                   for c in e.choices]) for e in self.elements}
        self._not_applicable = {e.id: np.array([False] + [c.missing == "not_applicable"
                                                          for c in e.choices])
                                for e in self.elements}
        self._choice_index = {e.id: {c.name: i for i, c in enumerate(e.choices)}
                              for e in self.elements}
        compiled_book = compiled(book)
        self.joins = compiled_book.joins
        self.tests = compiled_book.shared_tests()
        self.layouts = Decider(book).layouts
        self._passing: dict[Check, np.ndarray] = {}

    def passing(self, check: Check, names: dict[str, int]) -> np.ndarray:
        """Which of ``names`` pass ``check``, by index + 1 (0: no name); made once per
        check, as names compare as Python compares their text."""
        table = self._passing.get(check)
        if table is None:
            table = np.zeros(len(names) + 1, dtype=bool)
            for name, index in names.items():
                table[index + 1] = check.test(name)
            self._passing[check] = table
        return table

    def facts(self, columns: Columns) -> ColumnFacts:
        """What the one-case facts would hold for each row, with the scores made."""
        return ColumnFacts(self, columns)

    def evaluate(self, columns: Columns) -> VectorResults:
        facts = self.facts(columns)
        held: dict[str, np.ndarray] = {}
        for check, rule_ids in self.tests.items():
            holds = facts.holds(check)
            for rule_id in rule_ids:
                held[rule_id] = holds
        for join in self.joins:
            subjects = [(c.kind, c.subject) for c in join.checks]
            if len(set(subjects)) < len(subjects):  # two checks, one fact: never binds
                held[join.rule_id] = np.zeros(columns.rows, dtype=bool)
                continue
            holds = np.ones(columns.rows, dtype=bool)
            for check in join.checks:
                holds &= facts.holds(check)
            held[join.rule_id] = holds
        approaches = {layout.approach: self._decide(layout, facts, held)
                      for layout in self.layouts}
        return VectorResults(columns.rows, facts.scores, approaches, held)

    def _decide(self, layout: object, facts: ColumnFacts,
                held: dict[str, np.ndarray]) -> ApproachColumns:
        """``Decider.status_only`` over all rows: each step decides the rows still open."""
        rows = facts.rows
        status = np.full(rows, STATUSES.index("recommended"), dtype=np.int8)
        failed_level = np.full(rows, -1, dtype=np.int8)
        indicated = np.zeros(rows, dtype=bool)
        readable = np.ones(rows, dtype=bool)
        for check in layout.indications:  # type: ignore[attr-defined]
            indicated |= held[check.rule_id]
            readable &= facts.known(check)
        decided = ~indicated & readable
        status[decided] = STATUSES.index("not_indicated")
        open_level = np.zeros(rows, dtype=bool)
        for level in layout.levels:  # type: ignore[attr-defined]
            if level.combine is None:
                continue
            supports = [facts.answer(q.question) == _code(q.supports) for q in level.asked]
            against = [(facts.answer(q.question) != 0) & ~s
                       for q, s in zip(level.asked, supports, strict=True)]
            if level.combine == "all":
                failed = np.logical_or.reduce(against)
                satisfied = np.logical_and.reduce(supports)
            else:
                satisfied = np.logical_or.reduce(supports)
                failed = np.logical_and.reduce(against)
            failing = failed & ~decided
            status[failing] = STATUSES.index("not_appropriate")
            failed_level[failing] = self.levels.index(level.level)
            decided |= failing
            open_level |= ~failed & ~satisfied
        unsettled = ~decided & (~indicated | open_level)
        status[unsettled] = STATUSES.index("needs_answers")
        recommended = ~decided & ~unsettled
        modality = np.full(rows, -1, dtype=np.int8)
        choosing = recommended.copy()
        for option in layout.options:  # type: ignore[attr-defined]
            chosen = choosing & held[option.rule_id]
            modality[chosen] = self.modalities.index(option.modality)
            choosing &= ~chosen
            against = np.zeros(rows, dtype=bool)
            for q in option.asked:
                answer = facts.answer(q.question)
                against |= (answer != 0) & (answer != _code(q.supports))
            choosing &= against  # an option not known to fail stops the search
        return ApproachColumns(status, modality, failed_level)


def _code(answer: str) -> int:
    return ANSWERS.index(answer) + 1


class ColumnFacts:
    """What the one-case facts would hold, column by column, computed once per batch."""

    def __init__(self, evaluator: VectorEvaluator, columns: Columns):
        self.rows = rows = columns.rows
        self.columns = columns
        self.evaluator = evaluator
        unasked = np.full(rows, -1, dtype=np.int16)
        self.choice = {e.id: columns.choices.get(e.id, unasked) for e in evaluator.elements}
        self.points = {e: evaluator._points[e][c + 1] for e, c in self.choice.items()}
        self.scored = {e: ~np.isnan(p) for e, p in self.points.items()}
        self.not_applicable = {e: evaluator._not_applicable[e][c + 1]
                               for e, c in self.choice.items()}
        self.scores = self._scores()
        self._unanswered = np.zeros(rows, dtype=np.int8)
        self._absent = np.zeros(rows, dtype=bool)

    def answer(self, question: str) -> np.ndarray:
        return self.columns.answers.get(question, self._unanswered)

    def _scores(self) -> dict[str, ScoreColumns]:
        weights = self.evaluator.weight_set.weights
        scores = {d: self._weighted([(e.id, weights[e.id].dimension)
                                     for e in self.evaluator.elements if e.dimension == d])
                  for d in self.evaluator.dimensions}
        composite = self._weighted([(e.id, weights[e.id].composite)
                                    for e in self.evaluator.elements])
        unscored = np.logical_or.reduce([np.isnan(s.value) for s in scores.values()])
        withheld = unscored & ~np.isnan(composite.value)
        composite.value[withheld] = np.nan
        composite.missing[withheld] = MISSING.index("dimension_missing")
        scores[COMPOSITE] = composite
        return scores

    def _weighted(self, items: list[tuple[str, float]]) -> ScoreColumns:
        """``scoring._weighted`` over all rows, operation for operation."""
        rows = self.rows
        applicable_weight, answered_weight, total = _Sum(rows), _Sum(rows), _Sum(rows)
        answered = np.zeros(rows, dtype=np.int16)
        applicable = np.zeros(rows, dtype=np.int16)
        for element, weight in items:
            is_applicable = ~self.not_applicable[element]
            is_answered = is_applicable & self.scored[element]
            applicable_weight.add(np.where(is_applicable, weight, 0.0))
            answered_weight.add(np.where(is_answered, weight, 0.0))
            total.add(np.where(is_answered, self.points[element] * weight, 0.0))
            answered += is_answered
            applicable += is_applicable
        applied, weighed, summed = applicable_weight.value(), answered_weight.value(), total.value()
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(applied > 0, weighed / applied, 0.0)
            value = summed / weighed
        coverage = _python_round(ratio, DIGITS)
        missing = np.full(rows, -1, dtype=np.int8)
        below = coverage < self.evaluator.min_coverage
        missing[below] = MISSING.index("coverage_below_minimum")
        nothing = weighed == 0
        missing[nothing] = np.where(applied[nothing] == 0, MISSING.index("no_applicable_element"),
                                    MISSING.index("no_weighted_answer"))
        value[missing >= 0] = np.nan
        scored = missing < 0
        value[scored] = _python_round(value[scored], DIGITS)  # as the one-case path rounds
        return ScoreColumns(value, coverage, answered, applicable, missing)

    def known(self, check: Check) -> np.ndarray:
        """``Facts.known``: whether the fact a check reads is there to say "does not hold"."""
        if check.kind == "score":
            return ~np.isnan(self.scores[check.subject].value)
        if check.kind == "element":
            return self.scored[check.subject] | self.not_applicable[check.subject]
        if check.kind == "answer":
            return self.answer(check.subject) != 0
        return ~self._absent

    def holds(self, check: Check) -> np.ndarray:
        """Where the one-case backend finds a fact of the check's kind and subject whose
        ``field`` passes ``Check.test``."""
        if check.kind == "vulnerability":
            flag = self.columns.vulnerabilities.get(check.subject, self._absent)
            return flag if check.op == "present" else self._absent  # a flag has no field
        if check.kind == "score":
            value = self.scores[check.subject].value
            return ~np.isnan(value) & _compare(check, value)
        if check.kind == "element" and check.field == "points":
            return self.scored[check.subject] & _compare(check, self.points[check.subject])
        if check.kind == "element" and check.field == "choice":
            names = self.evaluator._choice_index[check.subject]
            passing = self.evaluator.passing(check, names)
            return self.scored[check.subject] & passing[self.choice[check.subject] + 1]
        if check.kind == "answer" and check.field == "value":
            answer = self.answer(check.subject)
            return self.evaluator.passing(check, _ANSWER_INDEX)[answer] & (answer > 0)
        if check.kind == "profile" and check.field == "value":
            values = self.columns.profile.get(check.subject)
            if values is None:
                return self._absent
            return ~np.isnan(values) & _compare(check, values)
        return self._absent  # a field no fact has


def _compare(check: Check, values: np.ndarray) -> np.ndarray:
    """``Check.test`` on numbers (a NaN is not a fact: the callers mask it out)."""
    operand = check.operand
    if check.op == "present":
        return np.ones(values.shape, dtype=bool)
    if check.op == "lt":
        return values < operand
    if check.op == "gte":
        return values >= operand
    if check.op == "in":
        return np.isin(values, np.array(operand, dtype=float))
    return values == operand


class _Sum:
    """Python's ``sum`` of floats, reproduced over columns (adding 0.0 changes nothing)."""

    def __init__(self, rows: int):
        self.total = np.zeros(rows)
        self.compensation = np.zeros(rows)

    def add(self, values: np.ndarray) -> None:
        if not _COMPENSATED_SUM:
            self.total = self.total + values
            return
        total = self.total + values  # Neumaier, as CPython's builtin sum from 3.12
        bigger = np.abs(self.total) >= np.abs(values)
        self.compensation += np.where(bigger, (self.total - total) + values,
                                      (values - total) + self.total)
        self.total = total

    def value(self) -> np.ndarray:
        if not _COMPENSATED_SUM:
            return self.total
        fix = (self.compensation != 0) & np.isfinite(self.compensation)
        return np.where(fix, self.total + self.compensation, self.total)


def _python_round(values: np.ndarray, digits: int) -> np.ndarray:
    """Python's correctly rounded ``round``, once per distinct value."""
    distinct, where = np.unique(values, return_inverse=True)
    return np.array([round(float(v), digits) for v in distinct])[where]
