"""The Conditions Analysis of one project: an outcome per selected approach, as codes.

Each yes/no question is compiled to the engine's ``Check`` (an answer equal to the one that
supports the approach) and evaluated on the same ``Facts`` as a case's grid answers, so a
project and a case read answers one way. What follows is the grid's logic, per approach:
1. an answer against a question whose consequence is ``not_appropriate`` excludes it
   (the answers against are the reason);
2. otherwise an unanswered yes/no question leaves it ``needs_answers``;
3. otherwise each answer against sets a condition to meet (tied to that answer);
4. otherwise it is ``ready``.
Open questions ("What are the risks?") are carried with their answers and never decide.
Results hold ids and answers only: the design note words them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from engine.evaluation.facts import Facts
from engine.model.checks import Check
from engine.model.project_grids import Consequence, ProjectQuestion
from engine.model.project_rules import ProjectRules

Outcome = Literal["ready", "conditions_to_meet", "not_appropriate", "needs_answers"]
QuestionOutcome = Literal["supports", "against", "open", "noted"]
"""``noted``: an open question with an answer (it decides nothing)."""


@dataclass(frozen=True, slots=True)
class Answered:
    """One question as the analysis read it: the rule, the answer and where it came from."""

    rule_id: str
    question: str
    aspect: str
    answer: str | None
    supports: str | None
    outcome: QuestionOutcome
    consequence: Consequence | None
    """What an answer against means here (None for an open question)."""
    answered_from: str | None = None
    """``project`` (the officer's answer), a community profile's ``id@version``, or None."""


@dataclass(frozen=True, slots=True)
class ApproachAnalysis:
    approach: str
    category: str
    outcome: Outcome
    decided_by: tuple[str, ...]
    """The rule ids that decided the outcome: the answers against (not appropriate or
    conditions), the questions still open, or every question that held (ready)."""
    conditions: tuple[str, ...]
    """Rule ids of the questions whose answers set a condition to meet."""
    open_questions: tuple[str, ...]
    """Question ids still to answer (yes/no) or to discuss (open, unanswered)."""
    trace: tuple[Answered, ...]


def rule_id(approach: str, question: ProjectQuestion) -> str:
    return f"{approach}/{question.aspect}/{question.id}"


def compile_checks(rules: ProjectRules, approach: str) -> list[tuple[ProjectQuestion, Check]]:
    """The yes/no questions asked of ``approach``, each as the check that supports it."""
    return [(q, Check(rule_id(approach, q), "answer", q.id, "value", "eq", q.supports))
            for q in rules.questions_of(approach) if q.answer == "yes_no"]


def analyse(rules: ProjectRules, approach: str, answers: Mapping[str, str],
            answered_from: Mapping[str, str] | None = None) -> ApproachAnalysis:
    """One selected approach's outcome from the answers given for it (question id -> yes,
    no, or text for an open question); ``answered_from`` says where each answer came from."""
    origin = answered_from or {}
    yes_no = {q.id: a for q, _ in compile_checks(rules, approach)
              if (a := answers.get(q.id)) is not None}
    facts = Facts(scores={}, choices={}, points={}, vulnerabilities=frozenset(),
                  not_applicable=frozenset(), answers=yes_no)
    trace: list[Answered] = []
    for question in rules.questions_of(approach):
        answer = answers.get(question.id)
        consequence = None
        if question.answer == "open":
            outcome: QuestionOutcome = "open" if answer is None else "noted"
        else:
            consequence = question.when_against or rules.aspects[question.aspect].when_against
            check = Check(rule_id(approach, question), "answer", question.id, "value", "eq",
                          question.supports)
            outcome = ("open" if not facts.known("answer", question.id)
                       else "supports" if facts.holds(check) else "against")
        trace.append(Answered(rule_id(approach, question), question.id, question.aspect,
                              answer, question.supports, outcome, consequence,
                              origin.get(question.id) if answer is not None else None))
    return _decide(approach, rules.complementary[approach].category, tuple(trace))


def _decide(approach: str, category: str, trace: tuple[Answered, ...]) -> ApproachAnalysis:
    against = [a for a in trace if a.outcome == "against"]
    excluding = tuple(a.rule_id for a in against if a.consequence == "not_appropriate")
    conditions = tuple(a.rule_id for a in against if a.consequence == "condition_to_meet")
    open_ids = tuple(a.question for a in trace if a.outcome == "open")
    still_to_decide = tuple(a.rule_id for a in trace
                            if a.outcome == "open" and a.consequence is not None)
    if excluding:
        outcome: Outcome = "not_appropriate"
        decided_by = excluding
    elif still_to_decide:
        outcome, decided_by = "needs_answers", still_to_decide
    elif conditions:
        outcome, decided_by = "conditions_to_meet", conditions
    else:
        outcome = "ready"
        decided_by = tuple(a.rule_id for a in trace if a.outcome == "supports")
    return ApproachAnalysis(approach, category, outcome, decided_by, conditions, open_ids, trace)
