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

from engine.checks import Check, compile_checks, criterion_id, feasibility_id, indication_id
from engine.facts import Facts
from engine.grids import Criterion, GridEntry, Question
from engine.recommendation import (
    ApproachResult,
    Evidence,
    LevelOutcome,
    ModalityOutcome,
    OpenQuestion,
    QuestionOutcome,
    RuleProvenance,
    Truth,
)
from engine.rulebook import RuleBook


class Decider:
    """Applies the grid logic for one RuleBook; build once, use for every case."""

    def __init__(self, book: RuleBook):
        self.book = book
        checks, _joins = compile_checks(book)
        self.checks: dict[str, Check] = {c.rule_id: c for c in checks}

    def decide_all(self, facts: Facts, holding: set[str]) -> list[ApproachResult]:
        return [self.decide(entry, facts, holding) for entry in self.book.entries.values()]

    def decide(self, entry: GridEntry, facts: Facts, holding: set[str]) -> ApproachResult:
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
            summary=_summary(status, reasons, open_questions, evidence), reasons=reasons,
            indication=evidence, levels=levels, feasibility=feasibility,
            open_questions=_unique(open_questions),
            rule_ids=sorted(r for r in holding if r.startswith(f"{entry.approach}/")),
            approach_provenance=RuleProvenance(source=approach.source,
                                               provenance=approach.provenance),
            grid_provenance=RuleProvenance(source=entry.source, provenance=entry.provenance),
        )

    # -- parts ---------------------------------------------------------------------------

    def _evidence(self, approach: str, index: int, facts: Facts, holding: set[str]) -> Evidence:
        rule_id = indication_id(approach, index)
        check = self.checks[rule_id]
        operand = list(check.operand) if isinstance(check.operand, tuple) else check.operand
        return Evidence(rule_id=rule_id, condition=_describe(check), reads=_reads(check),
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
                element = self.book.instrument.element(item.reads.removeprefix("rss:"))
                if item.truth == "unknown" and element is not None:
                    found.append(OpenQuestion(kind="rss", id=element.id, text=element.question))
        found += [OpenQuestion(kind="grid", id=q.question, text=q.text)
                  for level in levels if level.outcome == "open"
                  for q in level.questions if q.outcome == "open"]
        return found

    def _reasons(self, status: str, evidence: list[Evidence],
                 levels: list[LevelOutcome], feasibility: list[ModalityOutcome],
                 modality: str | None) -> list[str]:
        held = [e.condition for e in evidence if e.truth == "holds"]
        if status == "not_indicated":
            return ["No need shown: " + "; ".join(
                f"{e.condition}: no ({_shown(e.value)})" for e in evidence) + "."]
        reasons = [f"Indicated: {'; '.join(held)}."] if held else [
            "Whether it is needed is unknown: "
            + "; ".join(f"{e.condition} cannot be read" for e in evidence
                        if e.truth == "unknown") + "."]
        for level in levels:
            against = [q for q in level.questions if q.outcome == "against"]
            if level.outcome == "failed":
                reasons.append(f"Not appropriate at the {level.level} level: " + "; ".join(
                    f"'{q.text}' was answered {q.answer}" for q in against) + ".")
            elif level.outcome == "open":
                missing = [q.text for q in level.questions if q.outcome == "open"]
                reasons.append(f"Still to ask at the {level.level} level: "
                               + "; ".join(f"'{t}'" for t in missing) + ".")
        if status == "recommended":
            reasons.append("Appropriate at every level.")
            if modality:
                name = self.book.framework.name("modalities", modality)
                chosen = next(f for f in feasibility if f.modality == modality)
                because = "; ".join(f"'{q.text}' {q.answer}" for q in chosen.questions)
                reasons.append(f"Modality: {name} ({because}).")
            elif all(f.outcome == "not_feasible" for f in feasibility):
                reasons.append("No modality is feasible with the answers given.")
            else:
                reasons.append("Modality undecided: answer the feasibility questions.")
        return reasons


def _summary(status: str, reasons: list[str], open_questions: list[OpenQuestion],
             evidence: list[Evidence]) -> str:
    """The one sentence that decided the status (the full reasons stay in ``reasons``)."""
    if status == "not_appropriate":
        return next(r for r in reasons if r.startswith("Not appropriate"))
    if status == "needs_answers":
        count = len(open_questions)
        asked = f"{count} question{'s' if count != 1 else ''} still to ask"
        if reasons[0].startswith("Indicated"):
            return f"{reasons[0].rstrip('.')}; {asked}."
        return f"Need not yet known; {asked}."
    if status == "recommended":
        return f"{reasons[0].rstrip('.')}; appropriate at every level."
    scores = [f"{e.reads.removeprefix('score:')} score {e.value:.2f}" for e in evidence
              if e.reads.startswith("score:") and isinstance(e.value, float)]
    others = len(evidence) - len(scores)
    signals = f"no direct signal in the answers ({others} checked)"
    return "No need shown: " + "; ".join([*scores, signals] if others else scores) + "."


def _shown(value: str | float | None) -> str:
    if value is None:
        return "not applicable"
    return f"{value:.2f}" if isinstance(value, float) else value


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


def _describe(check: Check) -> str:
    if check.kind == "score":
        return f"{check.subject} score below {check.operand:.2f}"
    if check.kind == "element" and check.op == "in":
        assert isinstance(check.operand, tuple)
        return f"RSS '{check.subject}' answered {' or '.join(check.operand)}"
    if check.kind == "element":
        return f"RSS '{check.subject}' coded below {check.operand}"
    return f"profile shows {check.subject.replace('_', ' ')}"


def _unique(questions: list[OpenQuestion]) -> list[OpenQuestion]:
    seen: set[tuple[str, str]] = set()
    out = []
    for question in questions:
        if (question.kind, question.id) not in seen:
            seen.add((question.kind, question.id))
            out.append(question)
    return out
