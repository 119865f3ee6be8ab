"""What to ask next on a case: the open grid questions and the RSS elements that decide.

Read from an assessment by ids only (approach ids, held rule ids, open question ids); the
texts and who can answer come from the rules, so the list reads the same whatever words
the results carry. By default a grid question is listed only for an approach already
shown to be needed: while its need is still unknown, the RSS elements that would show it
come first, and its grid questions wait (``everything`` lists them too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.case.model import Case
from engine.evaluation.assessment import Assessment
from engine.evaluation.checks import compile_checks
from engine.evaluation.results import ApproachResult
from engine.model.checks import Check, indication_id
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook

Kind = Literal["rss", "grid"]


@dataclass
class QuestionToAsk:
    """One RSS element or grid question, who can answer it and the approaches it decides."""

    kind: Kind
    id: str
    text: str
    answered_by: str | None
    approaches: list[str] = field(default_factory=list)


@dataclass
class NextQuestions:
    questions: list[QuestionToAsk]
    waiting: list[str]
    """Approaches whose grid questions wait until the RSS shows whether they are needed."""

    def by_answerer(self, book: RuleBook) -> list[tuple[str | None, list[QuestionToAsk]]]:
        """Groups in the framework's order of answerers; questions nobody is named for last."""
        return book.framework.by_answerer(self.questions)

    def by_approach(self) -> list[tuple[str, list[QuestionToAsk]]]:
        approaches: list[str] = []
        for question in self.questions:
            approaches += [a for a in question.approaches if a not in approaches]
        return [(a, [q for q in self.questions if a in q.approaches]) for a in approaches]


def next_questions(book: RuleBook, case: Case, assessment: Assessment,
                   everything: bool = False) -> NextQuestions:
    """The questions still open on approaches that are, or may be, needed (not on those
    the case file's decisions decline: nobody will take them up)."""
    score_checks: dict[str, list[Check]] = {}
    for check in compile_checks(book)[0]:
        if check.kind == "score":
            score_checks.setdefault(check.rule_id.split("/", 1)[0], []).append(check)
    found: dict[tuple[Kind, str], QuestionToAsk] = {}
    waiting: list[str] = []

    def ask(kind: Kind, item_id: str, approach: str) -> None:
        question = found.get((kind, item_id))
        if question is None:
            question = found[(kind, item_id)] = _question(book, kind, item_id)
        if approach not in question.approaches:
            question.approaches.append(approach)

    declined = case.declined()
    for result in assessment.approaches:
        if not _still_open(result) or result.approach in declined:
            continue
        indicated = _indicated(book, result)
        for open_question in result.open_questions:
            if open_question.kind == "grid" and not (indicated or everything):
                if result.approach not in waiting:
                    waiting.append(result.approach)
                continue
            ask(open_question.kind, open_question.id, result.approach)
        if indicated:
            continue
        for check in score_checks.get(result.approach, []):
            if assessment.scores.value(check.subject) is None:
                for element_id in _unanswered(book, case, check.subject):
                    ask("rss", element_id, result.approach)
    survey_order = {e.id: index for index, e in enumerate(book.instrument.elements)}
    rss = sorted((q for q in found.values() if q.kind == "rss"), key=lambda q: survey_order[q.id])
    return NextQuestions([*rss, *(q for q in found.values() if q.kind == "grid")], waiting)


def _still_open(result: ApproachResult) -> bool:
    """Needs answers, or recommended while its modality is not settled yet."""
    return result.status == "needs_answers" or (
        result.status == "recommended" and result.modality is None)


def _indicated(book: RuleBook, result: ApproachResult) -> bool:
    """Whether one of the approach's indication rules held."""
    entry = book.entries[result.approach]
    return any(indication_id(result.approach, index) in result.rule_ids
               for index in range(len(entry.indicated_if_any)))


def _unanswered(book: RuleBook, case: Case, score: str) -> list[str]:
    """The elements of a score (a dimension, or all of them) that have no answer yet."""
    instrument = book.instrument
    elements = instrument.elements if score == COMPOSITE else instrument.elements_of(score)
    return [e.id for e in elements if e.id not in case.rss]


def _question(book: RuleBook, kind: Kind, item_id: str) -> QuestionToAsk:
    if kind == "rss":
        element = book.instrument.element(item_id)
        text = element.question if element else item_id
        return QuestionToAsk(kind, item_id, text, book.instrument.answered_by)
    question = book.questions[item_id]
    return QuestionToAsk(kind, item_id, question.text, question.answered_by)
