"""From the checks that hold to one status per approach, with its reasons.

This is the grid's logic, the same whatever backend found the holding checks:
1. indicated if any indication condition holds; not indicated if none holds and all
   were readable; otherwise unknown;
2. each level: ``all`` fails on one answer against and is satisfied when every answer
   supports; ``any`` is satisfied by one supporting answer and fails when all are
   against; otherwise open; ``n/a`` counts as satisfied;
3. status: not_indicated > not_appropriate > needs_answers > recommended;
4. modality: the first feasibility option whose answers all hold, provided every
   earlier option is known not to hold.
A check that did not hold is "does not hold" only when the fact it reads is known.
"""

from __future__ import annotations

import gettext

from engine.evaluation.checks import compile_checks
from engine.evaluation.facts import Facts
from engine.evaluation.results import (
    ApproachResult,
    Evidence,
    LevelOutcome,
    ModalityOutcome,
    OpenQuestion,
    QuestionOutcome,
    RuleProvenance,
    Truth,
)
from engine.model.checks import Check, criterion_id, feasibility_id, indication_id
from engine.model.framework import COMPOSITE
from engine.model.grids import Criterion, GridEntry, Question
from engine.model.rulebook import RuleBook


class Decider:
    """Applies the grid logic for one RuleBook; build once, use for every case."""

    def __init__(self, book: RuleBook, phrases: gettext.NullTranslations | None = None):
        self.book = book
        checks, _joins = compile_checks(book)
        self.checks: dict[str, Check] = {c.rule_id: c for c in checks}
        phrases = phrases or gettext.NullTranslations()
        self._ = phrases.gettext
        self._n = phrases.ngettext
        self.separator = self._("; ")
        self.elements = {e.id: e for e in book.instrument.elements}
        self.conditions = {rule_id: self._describe(c) for rule_id, c in self.checks.items()
                           if c.kind != "answer"}
        """Each indication condition in words, worded once: it depends on the rules only."""

    def decide_all(self, facts: Facts, holding: set[str]) -> list[ApproachResult]:
        by_approach: dict[str, list[str]] = {}
        for rule_id in sorted(holding):
            by_approach.setdefault(rule_id.split("/", 1)[0], []).append(rule_id)
        return [self.decide(entry, facts, by_approach.get(entry.approach, []))
                for entry in self.book.entries.values()]

    def decide(self, entry: GridEntry, facts: Facts, held_here: list[str]) -> ApproachResult:
        """One approach's status from the rule ids of this approach that held."""
        holding = set(held_here)
        approach = self.book.approaches[entry.approach]
        evidence = [self._evidence(entry.approach, i, facts, holding)
                    for i in range(len(entry.indicated_if_any))]
        levels = [self._level(entry, level, facts, holding)
                  for level in self.book.framework.ids("levels")]
        feasibility = [self._option(entry, i, facts, holding)
                       for i in range(len(entry.feasibility))]
        truths = {e.truth for e in evidence}
        indicated: Truth = ("holds" if "holds" in truths
                            else "unknown" if "unknown" in truths else "does_not_hold")
        open_questions = self._open(evidence, levels, indicated)
        if indicated == "does_not_hold":
            status = "not_indicated"
        elif any(level.outcome == "failed" for level in levels):
            status = "not_appropriate"
        elif indicated == "unknown" or any(level.outcome == "open" for level in levels):
            status = "needs_answers"
        else:
            status = "recommended"
        modality = _modality(feasibility) if status == "recommended" else None
        if status == "recommended" and modality is None:
            open_questions += [OpenQuestion(kind="grid", id=q.question, text=q.text)
                               for option in feasibility for q in option.questions
                               if q.outcome == "open"]
        reasons = self._reasons(status, evidence, levels, feasibility, modality)
        return ApproachResult(
            approach=approach.id, name=approach.name, dimension=approach.dimension,
            category=approach.category, status=status, modality=modality,
            summary=self._summary(status, levels, open_questions, evidence), reasons=reasons,
            indication=evidence, levels=levels, feasibility=feasibility,
            open_questions=_unique(open_questions),
            rule_ids=held_here,
            approach_provenance=RuleProvenance(source=approach.source,
                                               provenance=approach.provenance),
            grid_provenance=RuleProvenance(source=entry.source, provenance=entry.provenance),
        )

    # -- parts ---------------------------------------------------------------------------

    def _evidence(self, approach: str, index: int, facts: Facts, holding: set[str]) -> Evidence:
        rule_id = indication_id(approach, index)
        check = self.checks[rule_id]
        operand = list(check.operand) if isinstance(check.operand, tuple) else check.operand
        return Evidence(rule_id=rule_id, condition=self.conditions[rule_id], reads=_reads(check),
                        operand=operand, value=_value(check, facts),
                        truth=_truth(rule_id, check, facts, holding))

    def _level(self, entry: GridEntry, level: str, facts: Facts,
               holding: set[str]) -> LevelOutcome:
        criterion = entry.criteria[level]
        if not isinstance(criterion, Criterion):
            return LevelOutcome(level=level, combine=None, outcome="not_applicable", questions=[])
        questions = []
        for use in criterion.questions:
            rule_id = criterion_id(entry.approach, level, use.question)
            questions.append(self._question(rule_id, use.question, use.supports, facts,
                                            holds=rule_id in holding))
        outcomes = [q.outcome for q in questions]
        if criterion.combine == "all":
            outcome = ("failed" if "against" in outcomes
                       else "satisfied" if set(outcomes) == {"supports"} else "open")
        else:
            outcome = ("satisfied" if "supports" in outcomes
                       else "failed" if set(outcomes) == {"against"} else "open")
        return LevelOutcome(level=level, combine=criterion.combine, outcome=outcome,
                            questions=questions)

    def _option(self, entry: GridEntry, index: int, facts: Facts,
                holding: set[str]) -> ModalityOutcome:
        rule_id = feasibility_id(entry.approach, index)
        option = entry.feasibility[index]
        # The option's join is the rule; its members are shown answer by answer.
        questions = [
            self._question(f"{rule_id}/{k}", a.question, a.answer, facts,
                           holds=facts.answers.get(a.question) == a.answer)
            for k, a in enumerate(option.when)
        ]
        if rule_id in holding:
            outcome = "feasible"
        elif any(q.outcome == "against" for q in questions):
            outcome = "not_feasible"
        else:
            outcome = "open"
        return ModalityOutcome(rule_id=rule_id, modality=option.modality, outcome=outcome,
                               questions=questions)

    def _question(self, rule_id: str, question_id: str, supports: str, facts: Facts,
                  holds: bool) -> QuestionOutcome:
        answer = facts.answers.get(question_id)
        outcome = "open" if answer is None else "supports" if holds else "against"
        return QuestionOutcome(rule_id=rule_id, question=question_id,
                               text=self._text(question_id), answer=answer,  # type: ignore[arg-type]
                               supports=supports, outcome=outcome)  # type: ignore[arg-type]

    def _text(self, question_id: str) -> str:
        question: Question = self.book.questions[question_id]
        return question.text

    def _open(self, evidence: list[Evidence], levels: list[LevelOutcome],
              indicated: Truth) -> list[OpenQuestion]:
        found: list[OpenQuestion] = []
        if indicated == "unknown":
            for item in evidence:
                element = self.elements.get(item.reads.removeprefix("rss:"))
                if item.truth == "unknown" and element is not None:
                    found.append(OpenQuestion(kind="rss", id=element.id, text=element.question))
        found += [OpenQuestion(kind="grid", id=q.question, text=q.text)
                  for level in levels if level.outcome == "open"
                  for q in level.questions if q.outcome == "open"]
        return found

    def _reasons(self, status: str, evidence: list[Evidence],
                 levels: list[LevelOutcome], feasibility: list[ModalityOutcome],
                 modality: str | None) -> list[str]:
        _ = self._
        if status == "not_indicated":
            details = self.separator.join(_("%(condition)s: no (%(value)s)") % {
                "condition": e.condition, "value": self._shown(e)} for e in evidence)
            return [_("No need shown: %(details)s.") % {"details": details}]
        held = [e.condition for e in evidence if e.truth == "holds"]
        unread = [e.condition for e in evidence if e.truth == "unknown"]
        if held:
            reasons = [_("Indicated: %(conditions)s.") % {
                "conditions": self.separator.join(held)}]
        else:
            reasons = [_("Whether it is needed is unknown: not answered yet: %(conditions)s.")
                       % {"conditions": self.separator.join(unread)}]
        reasons += [self._level_sentence(level) for level in levels
                    if level.outcome in ("failed", "open")]
        if status == "recommended":
            reasons.append(_("Appropriate at every level."))
            if modality:
                chosen = next(f for f in feasibility if f.modality == modality)
                reasons.append(_("Modality: %(modality)s (%(answers)s).") % {
                    "modality": self.book.framework.name("modalities", modality),
                    "answers": self.separator.join(self._answered(q) for q in chosen.questions)})
            elif all(f.outcome == "not_feasible" for f in feasibility):
                reasons.append(_("No modality is feasible with the answers given."))
            else:
                reasons.append(_("Modality undecided: answer the feasibility questions."))
        return reasons

    def _level_sentence(self, level: LevelOutcome) -> str:
        """Why a level failed (the answers against) or what is still to ask there."""
        _ = self._
        name = self.book.framework.name("levels", level.level).lower()
        if level.outcome == "failed":
            answers = self.separator.join(self._answered(q) for q in level.questions
                                          if q.outcome == "against")
            return _("Not appropriate at the %(level)s level: %(answers)s.") % {
                "level": name, "answers": answers}
        asked = self.separator.join(_("“%(question)s”") % {"question": q.text}
                                    for q in level.questions if q.outcome == "open")
        return _("Still to ask at the %(level)s level: %(questions)s.") % {
            "level": name, "questions": asked}

    def _answered(self, question: QuestionOutcome) -> str:
        answer = self._("yes") if question.answer == "yes" else self._("no")
        return self._("“%(question)s” answered %(answer)s") % {"question": question.text,
                                                               "answer": answer}

    def _summary(self, status: str, levels: list[LevelOutcome],
                 open_questions: list[OpenQuestion], evidence: list[Evidence]) -> str:
        """The one sentence that decided the status (the full reasons stay in ``reasons``)."""
        _ = self._
        if status == "not_appropriate":
            return self._level_sentence(next(lv for lv in levels if lv.outcome == "failed"))
        if status == "needs_answers":
            count = len(open_questions)
            asked = self._n("%(count)d question still to ask", "%(count)d questions still to ask",
                            count) % {"count": count}
            held = [e.condition for e in evidence if e.truth == "holds"]
            if held:
                return _("Indicated: %(conditions)s; %(asked)s.") % {
                    "conditions": self.separator.join(held), "asked": asked}
            return _("Need not yet known; %(asked)s.") % {"asked": asked}
        if status == "recommended":
            held = [e.condition for e in evidence if e.truth == "holds"]
            return _("Indicated: %(conditions)s; appropriate at every level.") % {
                "conditions": self.separator.join(held)}
        scores = [_("%(score)s score %(value).2f") % {
                      "score": self._score_name(e.reads.removeprefix("score:")), "value": e.value}
                  for e in evidence if e.reads.startswith("score:") and isinstance(e.value, float)]
        others = len(evidence) - len(scores)
        parts = [*scores, self._n("no direct signal in the answers (%(count)d checked)",
                                  "no direct signal in the answers (%(count)d checked)",
                                  others) % {"count": others}] if others else scores
        return _("No need shown: %(details)s.") % {"details": self.separator.join(parts)}

    def _score_name(self, score: str) -> str:
        if score == COMPOSITE:
            return self._("composite")
        return self.book.framework.name("dimensions", score)

    def _describe(self, check: Check) -> str:
        """A condition in plain words, with the rules' own names and answer labels."""
        _ = self._
        if check.kind == "score":
            return _("%(score)s score below %(threshold).2f") % {
                "score": self._score_name(check.subject), "threshold": check.operand}
        if check.kind == "vulnerability":
            return _("profile: %(flag)s") % {
                "flag": self.book.framework.name("vulnerabilities", check.subject)}
        element = self.elements[check.subject]
        if check.op == "in":
            assert isinstance(check.operand, tuple)
            labels = [c.label for c in element.choices if c.name in check.operand]
        else:
            assert isinstance(check.operand, float)
            labels = [c.label for c in element.scored_choices()
                      if c.points is not None and c.points < check.operand]
        return _("%(element)s: %(answers)s") % {"element": element.name,
                                                  "answers": _(" or ").join(labels)}

    def _shown(self, evidence: Evidence) -> str:
        """The value a condition read, as a person reads it (a label, not an id)."""
        value = evidence.value
        if value is None:
            return self._("not applicable")
        if isinstance(value, float):
            return f"{value:.2f}"
        if evidence.reads.startswith("profile:"):
            return self._("present") if value == "present" else self._("absent")
        element = self.elements[evidence.reads.removeprefix("rss:")]
        choice = element.choice(value)
        return choice.label if choice else value


def _truth(rule_id: str, check: Check, facts: Facts, holding: set[str]) -> Truth:
    if rule_id in holding:
        return "holds"
    return "does_not_hold" if facts.known(check.kind, check.subject) else "unknown"


def _modality(options: list[ModalityOutcome]) -> str | None:
    for option in options:
        if option.outcome == "feasible":
            return option.modality
        if option.outcome == "open":
            return None
    return None


def _reads(check: Check) -> str:
    prefix = {"score": "score", "element": "rss", "vulnerability": "profile", "answer": "grid"}
    return f"{prefix[check.kind]}:{check.subject}"


def _value(check: Check, facts: Facts) -> str | float | None:
    if check.kind == "score":
        return facts.scores.get(check.subject)
    if check.kind == "element":
        return facts.choices.get(check.subject) if check.op == "in" else facts.points.get(
            check.subject)
    if check.kind == "vulnerability":
        return "present" if check.subject in facts.vulnerabilities else "absent"
    return facts.answers.get(check.subject)


def _unique(questions: list[OpenQuestion]) -> list[OpenQuestion]:
    seen: set[tuple[str, str]] = set()
    out = []
    for question in questions:
        if (question.kind, question.id) not in seen:
            seen.add((question.kind, question.id))
            out.append(question)
    return out
