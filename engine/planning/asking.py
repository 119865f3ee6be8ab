"""What to ask next on a case: the one place that decides it, for ``questions``, the
worksheet and every later front door.

Read from an outcome by ids only (the open questions each approach result carries, which
the decision made from the rules); the texts and who can answer come from the rule book
given (in the reader's language), so the list reads the same whatever words a result
carries. An approach the case file's decisions decline waits on nothing. By default a grid
question is listed only for an approach already shown to be needed: while its need is
still unknown, the RSS elements that would show it come first, and its grid questions wait
(``everything`` lists them too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from engine.evaluation.results import ApproachResult
from engine.model.rulebook import RuleBook

if TYPE_CHECKING:
    from engine.planning.pipeline import Outcome

Kind = Literal["rss", "grid"]


@dataclass
class QuestionToAsk:
    """One RSS element or grid question, who can answer it and the approaches (ids) it
    decides, in the order they were found to wait on it."""

    kind: Kind
    id: str
    text: str
    answered_by: str | None
    approaches: list[str] = field(default_factory=list)


@dataclass
class NextQuestions:
    questions: list[QuestionToAsk]
    """In the order the approaches (in the grids' order) wait on them."""
    waiting: list[str]
    """Approaches whose grid questions wait until the RSS shows whether they are needed."""
    survey_order: dict[str, int] = field(default_factory=dict, repr=False)

    def rss_first(self) -> list[QuestionToAsk]:
        """RSS elements first, in the survey's order (the returnee answers them in one go),
        then the grid questions."""
        rss = sorted((q for q in self.questions if q.kind == "rss"),
                     key=lambda q: self.survey_order[q.id])
        return [*rss, *(q for q in self.questions if q.kind == "grid")]

    def by_answerer(self, book: RuleBook) -> list[tuple[str | None, list[QuestionToAsk]]]:
        """Groups in the framework's order of answerers; questions nobody is named for last."""
        return book.framework.by_answerer(self.rss_first())

    def by_approach(self) -> list[tuple[str, list[QuestionToAsk]]]:
        ordered = self.rss_first()
        approaches: list[str] = []
        for question in ordered:
            approaches += [a for a in question.approaches if a not in approaches]
        return [(a, [q for q in ordered if a in q.approaches]) for a in approaches]


def next_questions(book: RuleBook, outcome: Outcome, everything: bool = False) -> NextQuestions:
    """The questions still open on approaches that are, or may be, needed."""
    found: dict[tuple[Kind, str], QuestionToAsk] = {}
    waiting: list[str] = []
    declined = outcome.case.declined()
    for result in outcome.assessment.approaches:
        if not _still_open(result) or result.approach in declined:
            continue
        indicated = _indicated(result)
        for open_question in result.open_questions:
            if open_question.kind == "grid" and not (indicated or everything):
                if result.approach not in waiting:
                    waiting.append(result.approach)
                continue
            key = (open_question.kind, open_question.id)
            if key not in found:
                found[key] = _question(book, *key)
            if result.approach not in found[key].approaches:
                found[key].approaches.append(result.approach)
    survey_order = {e.id: index for index, e in enumerate(book.instrument.elements)}
    return NextQuestions(list(found.values()), waiting, survey_order)


def _still_open(result: ApproachResult) -> bool:
    """Needs answers, or recommended while its modality is not settled yet."""
    return result.status == "needs_answers" or (
        result.status == "recommended" and result.modality is None)


def _indicated(result: ApproachResult) -> bool:
    """Whether one of the approach's indications held (an untraced result carries no open
    questions, so it never gets here)."""
    return result.trace is not None and any(e.truth == "holds" for e in result.trace.indication)


def _question(book: RuleBook, kind: Kind, item_id: str) -> QuestionToAsk:
    if kind == "rss":
        element = book.instrument.element(item_id)
        text = element.question if element else item_id
        return QuestionToAsk(kind, item_id, text, book.instrument.answered_by)
    question = book.questions[item_id]
    return QuestionToAsk(kind, item_id, question.text, question.answered_by)
