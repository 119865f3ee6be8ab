"""Which open question to ask first: the one whose answer can settle the most approaches.

An approach is settled once the grid decides it (recommended with its modality, not
appropriate, not indicated). For each open grid question, both answers are tried on a copy
of the case and the case assessed again: the question "can settle" the approaches that one
of its answers settles. An answer that decides three approaches comes before one that
decides none; then a question both of whose answers settle something; then the grids'
order. The first session's set is the first ``size``
of that order (FIRST_SESSION_SIZE by default): few enough for one sitting, re-counted after
every answer, since each answer changes what the others can settle.

The trial assessments use the python backend, untraced: every backend gives the same
statuses (tests/test_backends.py), and the python one is the quickest to start and run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.case.model import Case
from engine.evaluation.assessment import Assessor
from engine.evaluation.results import ApproachResult
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet
from engine.planning.asking import NextQuestions, QuestionToAsk

if TYPE_CHECKING:
    from engine.planning.pipeline import Outcome

FIRST_SESSION_SIZE = 10
"""How many grid questions the first-session set holds at a time (``questions --first``)."""
TRIAL_BACKEND = "python"


@dataclass(frozen=True)
class Ranked:
    """An open question with the approaches each of its answers would settle."""

    question: QuestionToAsk
    settled_by: dict[str, tuple[str, ...]]
    """For each answer (``yes``, ``no``), the approaches it would settle."""

    @property
    def settles(self) -> tuple[str, ...]:
        """The approaches the answer that settles the most would settle."""
        return max(self.settled_by.values(), key=len, default=())

    @property
    def either(self) -> int:
        """How many settlements its two answers make in all: a question both of whose
        answers settle something comes before one that settles only on "no"."""
        return sum(len(approaches) for approaches in self.settled_by.values())


def settled(result: ApproachResult) -> bool:
    """Decided by the grid: nothing left to ask for it."""
    return result.status in ("not_appropriate", "not_indicated") or (
        result.status == "recommended" and result.modality is not None)


class Settling:
    """Ranks open grid questions for one rule book and weight set."""

    def __init__(self, book: RuleBook, weight_set: WeightSet | None = None):
        self.assessor = Assessor(book, weight_set, TRIAL_BACKEND)

    def ranked(self, outcome: Outcome, found: NextQuestions) -> list[Ranked]:
        """The open grid questions, the ones whose answer can settle the most first."""
        case = outcome.case
        open_now = {r.approach for r in outcome.assessment.approaches if not settled(r)}
        ranked = [Ranked(q, {answer: self._settled_by(case, q.id, answer, open_now)
                             for answer in ("yes", "no")})
                  for q in found.questions if q.kind == "grid"]
        order = {id(r): index for index, r in enumerate(ranked)}
        return sorted(ranked, key=lambda r: (-len(r.settles), -r.either, order[id(r)]))

    def first_session(self, outcome: Outcome, found: NextQuestions,
                      size: int = FIRST_SESSION_SIZE) -> list[Ranked]:
        """The first-session set of the questions open now (see ``first_of``)."""
        return first_of(self.ranked(outcome, found), size)

    def _settled_by(self, case: Case, question: str, answer: str,
                    open_now: set[str]) -> tuple[str, ...]:
        trial = case.model_copy(update={"grid_answers": {**case.grid_answers,
                                                         question: answer}})
        results = self.assessor.assess(trial, trace=False).approaches
        return tuple(r.approach for r in results if r.approach in open_now and settled(r))


def first_of(ranked: list[Ranked], size: int = FIRST_SESSION_SIZE) -> list[Ranked]:
    """Up to ``size`` questions that can settle an approach, each in turn the one that
    settles the most approaches no question chosen before it settles: one sitting then
    reaches as many approaches as it can, instead of five questions on one approach."""
    left = [r for r in ranked if r.settles]
    chosen: list[Ranked] = []
    covered: set[str] = set()
    while left and len(chosen) < size:
        best = max(left, key=lambda r: (len(set(r.settles) - covered), -left.index(r)))
        chosen.append(best)
        covered |= set(best.settles)
        left.remove(best)
    return chosen
