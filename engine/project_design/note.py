"""The project design note as its templates read it: the design's codes joined to the rule
texts they cite (names, explanations, questions, conditions), in one language.

Only rule text is looked up here; every word of the note's own (headings, outcome names,
sentences) is in the templates and goes through gettext like the plan's. Rule text comes
through ``texts``: English, or a language file's text where it has one (a missing one falls
back to English and is counted, as for the plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.case.community import ProfileAnswer
from engine.loading.project_texts import field_texts
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook
from engine.presentation.score_chart import ScoreChart, score_chart
from engine.project_design.analysis import Answered, ApproachAnalysis
from engine.project_design.design import ProjectDesign

Texts = Callable[[str, str], str]
"""(key, English text) -> the text in the note's language."""

TOP_NEEDS = 8
"""How many of the cohort's most frequent needs and approaches the note lists."""


@dataclass(frozen=True)
class QuestionLine:
    id: str
    text: str
    column: str | None
    aspect: str
    answer: str | None
    outcome: str
    verbatim: bool
    origin: str | None
    """``project``, or ``profile-id@version``."""
    condition: str | None = None


@dataclass(frozen=True)
class ApproachView:
    id: str
    number: int
    name: str
    category: str
    explanation: str
    outcome: str
    conditions: list[QuestionLine]
    excluded_by: list[QuestionLine]
    open_questions: list[QuestionLine]
    notes: list[QuestionLine]
    from_profile: list[QuestionLine]
    demand: int | None
    """Returnees of the cohort indicated for one of its individual approaches (None: no
    cohort, or no individual approach belongs to it)."""


@dataclass(frozen=True)
class NeedLine:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class LowPointLine:
    month: str
    name: str
    returnees: int


@dataclass(frozen=True)
class NoteView:
    design: ProjectDesign
    approaches: list[ApproachView]
    categories: dict[str, str]
    aspects: dict[str, str]
    profile_answers: list[tuple[str, ProfileAnswer, str]]
    """(question text, the answer, the profile field it read, in words)"""
    chart: ScoreChart | None
    needs: list[NeedLine]
    indicated: list[tuple[str, int]]
    low_points: list[LowPointLine]
    derived_used: bool


def note_view(book: RuleBook, design: ProjectDesign, texts: Texts) -> NoteView:
    rules = book.project
    categories = {t.id: texts(f"term/categories/{t.id}", t.name)
                  for t in book.framework.categories}
    approaches = [_approach(book, a, design, texts) for a in design.approaches]
    cohort = design.cohort
    chart = needs = indicated = low_points = None
    if cohort is not None and cohort.cases:
        dimensions = {t.id: texts(f"term/dimensions/{t.id}", t.name)
                      for t in book.framework.dimensions}
        chart = score_chart([(None if s.score == COMPOSITE else dimensions[s.score], s.share)
                             for s in cohort.shares], cohort.threshold)
        needs = [NeedLine(t.kind or "", _need_label(book, t.kind or "", t.id, texts), t.count)
                 for t in cohort.needs[:TOP_NEEDS]]
        indicated = [(texts(f"approach/{t.id}/name", book.approaches[t.id].name), t.count)
                     for t in cohort.approaches[:TOP_NEEDS]]
        names = {m.id: texts(f"plan/milestone/{m.id}", m.name)
                 for m in book.plan.schedule.milestones}
        low_points = [LowPointLine(p.month, names[p.milestone], p.returnees)
                      for p in cohort.low_points]
    questions = {a.question: a for a in design.profile_answers}
    profile_answers = [(_question_text(book, q, texts), a, _field_label(book, a.subject, texts))
                       for q, a in questions.items()]
    derived_used = any(not line.verbatim for view in approaches
                       for line in [*view.conditions, *view.excluded_by, *view.open_questions])
    return NoteView(design, approaches, categories,
                    {a.id: texts(f"project/aspect/{a.id}", a.name)
                     for a in rules.aspects.values()},
                    profile_answers, chart, needs or [], indicated or [], low_points or [],
                    derived_used)


def _approach(book: RuleBook, analysis: ApproachAnalysis, design: ProjectDesign,
              texts: Texts) -> ApproachView:
    rules = book.project
    approach = rules.complementary[analysis.approach]
    lines = {a.question: _line(book, a, texts) for a in analysis.trace}
    demand = None
    linked = any(a.complementary == analysis.approach for a in book.approaches.values())
    if design.cohort is not None and linked:
        demand = next((t.count for t in design.cohort.complementary
                       if t.id == analysis.approach), 0)
    against = [lines[a.question] for a in analysis.trace if a.outcome == "against"]
    return ApproachView(
        approach.id, approach.number,
        texts(f"complementary/{approach.id}/name", approach.name), approach.category,
        texts(f"complementary/{approach.id}/explanation", approach.explanation),
        analysis.outcome,
        conditions=[line for line in against if line.condition is not None],
        excluded_by=[line for a, line in zip(
            [a for a in analysis.trace if a.outcome == "against"], against, strict=True)
            if a.consequence == "not_appropriate"],
        open_questions=[lines[q] for q in analysis.open_questions],
        notes=[lines[a.question] for a in analysis.trace if a.outcome == "noted"],
        from_profile=[lines[a.question] for a in analysis.trace
                      if a.answered_from not in (None, "project")],
        demand=demand)


def _line(book: RuleBook, answered: Answered, texts: Texts) -> QuestionLine:
    question = book.project.question(answered.question)
    assert question is not None
    column = getattr(question, "column", None)
    condition = None
    if answered.outcome == "against" and answered.consequence == "condition_to_meet":
        condition = texts(f"project/question/{question.id}/condition", question.condition or "")
    return QuestionLine(question.id, texts(f"project/question/{question.id}", question.text),
                        column, question.aspect, answered.answer, answered.outcome,
                        question.provenance == "verbatim", answered.answered_from, condition)


def _question_text(book: RuleBook, question_id: str, texts: Texts) -> str:
    if question_id in book.questions:
        return texts(f"question/{question_id}", book.questions[question_id].text)
    found = book.project.question(question_id)
    return texts(f"project/question/{question_id}", found.text if found else question_id)


def _need_label(book: RuleBook, kind: str, subject: str, texts: Texts) -> str:
    """A need in rule words: a score's or element's name, or a vulnerability's."""
    if kind == "score_below":
        if subject == COMPOSITE:
            return ""  # the template words the composite
        return texts(f"term/dimensions/{subject}", book.framework.name("dimensions", subject))
    if kind == "has_vulnerability":
        return texts(f"term/vulnerabilities/{subject}",
                     book.framework.name("vulnerabilities", subject))
    element = book.instrument.element(subject)
    return texts(f"element/{subject}/name", element.name) if element else subject


def _field_label(book: RuleBook, subject: str, texts: Texts) -> str:
    """A profile field in words: a service's or an indicator's (and part's) name."""
    if book.project.indicators is None:
        return subject
    labels = [texts(key, english) for key, english, _path in field_texts(book, subject)]
    return ": ".join(labels) if labels else subject.partition(".")[2]
