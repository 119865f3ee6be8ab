"""From the checks that hold to one status per approach, with its reasons as codes.

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

Each grid entry is laid out once per RuleBook (its checks, question rule ids and options),
so a case costs only the look-ups of its own answers. Without a trace only the status and
modality are made: the same logic, none of the explanation. Trace parts that depend only
on a few answers (a question answered yes, a level with its answers, an RSS choice read)
are immutable and shared between results, so thousands of kept results stay small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from engine.evaluation.checks import compiled
from engine.evaluation.facts import Facts
from engine.evaluation.results import (
    ApproachResult,
    Evidence,
    LevelOutcome,
    ModalityOutcome,
    OpenQuestion,
    QuestionOutcome,
    Reason,
    Status,
    Trace,
    Truth,
)
from engine.model.checks import Check, criterion_id, feasibility_id
from engine.model.conditions import BY_TAG
from engine.model.framework import COMPOSITE
from engine.model.grids import Criterion, GridEntry
from engine.model.rulebook import RuleBook

T = TypeVar("T")

SHARED_LIMIT = 50_000
"""Trace parts kept for sharing, at most: a long-running process stops growing there."""


@dataclass(frozen=True, eq=False, slots=True)
class _Asked:
    """One question of a level or a feasibility option: its rule id and the answer it needs."""

    rule_id: str
    question: str
    supports: str


@dataclass(frozen=True, eq=False, slots=True)
class _Level:
    level: str
    combine: str | None
    """None for a level that does not apply (``n/a``)."""
    asked: tuple[_Asked, ...]


@dataclass(frozen=True, eq=False, slots=True)
class _Option:
    rule_id: str
    modality: str
    asked: tuple[_Asked, ...]


@dataclass(frozen=True, eq=False, slots=True)
class _Layout:
    """One grid entry as the decision walks it."""

    approach: str
    dimension: str
    category: str
    indications: tuple[Check, ...]
    levels: tuple[_Level, ...]
    options: tuple[_Option, ...]
    indication_ids: frozenset[str] = frozenset()


class Decider:
    """Applies the grid logic for one RuleBook; build once, use for every case."""

    def __init__(self, book: RuleBook):
        compiled_book = compiled(book)
        levels = book.framework.ids("levels")
        self.layouts = [_layout(book, entry, compiled_book.indications[entry.approach], levels)
                        for entry in book.entries.values()]
        slot = {layout.approach: n for n, layout in enumerate(self.layouts)}
        self._slot_of = {rule_id: slot[rule_id.split("/", 1)[0]] for rule_id in [
            *(c.rule_id for c in compiled_book.checks),
            *(j.rule_id for j in compiled_book.joins)]}
        """The place in ``layouts`` of the approach each rule id belongs to (ids are
        ``approach/...``)."""
        self.elements = {e.id for e in book.instrument.elements}
        self.read_by_score = {COMPOSITE: [e.id for e in book.instrument.elements]} | {
            d: [e.id for e in book.instrument.elements_of(d)]
            for d in book.framework.ids("dimensions")}
        """The RSS elements a score is made of: what to ask when the score is unknown."""
        self._shared: dict[tuple[object, ...], object] = {}
        self._kept: set[int] = set()
        """The ids of the parts held in ``_shared``: only these may appear in a key."""
        """Immutable trace parts by what made them; bounded by the rules' questions and
        choices (a score's value, which varies without bound, is never a key). Keys use the
        identity of laid-out parts and of parts already shared, which live as long as this."""

    def _share(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        found = self._shared.get(key)
        if found is None:
            found = make()
            if len(self._shared) < SHARED_LIMIT:  # past it, parts are made, not kept
                found = self._shared.setdefault(key, found)
                self._kept.add(id(found))
        return found  # type: ignore[return-value]

    def _interned(self, value: T) -> T:
        """One object per distinct value: reasons repeat across cases by the thousand, yet
        the parts they are keyed by above differ from case to case."""
        return self._share(("value", value), lambda: value)

    def decide_all(self, facts: Facts, holding: set[str], *,
                   trace: bool = True) -> tuple[ApproachResult, ...]:
        held: list[list[str]] = [[] for _ in self.layouts]
        slot_of = self._slot_of
        for rule_id in sorted(holding):
            held[slot_of[rule_id]].append(rule_id)
        decide = self.decide if trace else self.status_only
        return tuple([decide(layout, facts, holding, tuple(held_here))
                      for layout, held_here in zip(self.layouts, held, strict=True)])

    def status_only(self, layout: _Layout, facts: Facts, holding: set[str],
                    held_here: tuple[str, ...]) -> ApproachResult:
        """Status and modality without any explanation (batch work): the same logic as
        ``decide``, walked without building a single trace object, and stopped as soon as
        the status is settled (the hot loop of batch work, hence written out flat)."""
        if not holding.isdisjoint(layout.indication_ids):
            indicated = True
        elif all(facts.known(c.kind, c.subject) for c in layout.indications):
            return self._status(layout, held_here, "not_indicated")
        else:
            indicated = False  # unknown
        answer = facts.answers.get
        open_level = False
        for level in layout.levels:
            if level.combine is None:
                continue
            supports = against = unanswered = False
            for q in level.asked:
                a = answer(q.question)
                if a is None:
                    unanswered = True
                elif a == q.supports:
                    supports = True
                else:
                    against = True
            # ``_combined`` over the set of outcomes, without making the set
            if level.combine == "all":
                if against:
                    return self._status(layout, held_here, "not_appropriate")
                open_level = open_level or unanswered or not supports
            elif not supports:
                if against and not unanswered:
                    return self._status(layout, held_here, "not_appropriate")
                open_level = True
        if not indicated or open_level:
            return self._status(layout, held_here, "needs_answers")
        for option in layout.options:  # the first feasible one, unless one before is open
            if option.rule_id in holding:
                return self._status(layout, held_here, "recommended", option.modality)
            if not any(answer(q.question) not in (None, q.supports) for q in option.asked):
                break  # open: not known to fail
        return self._status(layout, held_here, "recommended")

    def _status(self, layout: _Layout, held_here: tuple[str, ...], status: Status,
                modality: str | None = None) -> ApproachResult:
        found = self._shared.get((layout, status, modality, held_here))
        if found is None:
            found = self._share((layout, status, modality, held_here), lambda: ApproachResult(
                layout.approach, layout.dimension, layout.category, status, modality,
                held_here))
        return found  # type: ignore[return-value]

    def decide(self, layout: _Layout, facts: Facts, holding: set[str],
               held_here: tuple[str, ...]) -> ApproachResult:
        """One approach's status from the rule ids that held, traced."""
        evidence = self._parts(tuple(self._evidence(c, facts, holding)
                                     for c in layout.indications))
        levels = self._parts(tuple(self._level(lv, facts) for lv in layout.levels))
        options = self._parts(tuple(self._option(o, facts, holding) for o in layout.options))
        held_here = self._share(("held", *held_here), lambda: held_here)
        indicated = _indicated([e.truth for e in evidence])
        status = _status(indicated, [lv.outcome for lv in levels])
        modality = (_modality([o.outcome for o in options], [o.modality for o in options])
                    if status == "recommended" else None)
        # What the summary and reasons depend on; the open questions too, unless a need is
        # unknown: then they read the facts (the RSS elements still unanswered), and are made
        # for this case alone, so no case is ever shown another's questions.
        key = ("said", id(layout), status, modality, *(e.truth for e in evidence),
               *map(id, levels), *map(id, options))
        said = self._shared.get(key)
        if said is None:
            said = (self._interned(_summary(status, evidence, levels)),
                    self._interned(tuple(map(self._interned, _reasons(
                        status, evidence, levels, options, modality)))))
            if len(self._shared) < SHARED_LIMIT:
                said = self._shared.setdefault(key, said)
        summary, reasons = said  # type: ignore[misc]
        if indicated == "unknown":
            open_questions = self._open_questions(evidence, levels, options, indicated, status,
                                                  modality, facts)
        else:
            open_questions = self._share(("asked", *key[1:]), lambda: self._open_questions(
                evidence, levels, options, indicated, status, modality, facts))
        trace = (self._share(("trace", id(evidence), id(levels), id(options)),
                             lambda: Trace(evidence, levels, options))
                 if {id(evidence), id(levels), id(options)} <= self._kept
                 else Trace(evidence, levels, options))
        return ApproachResult(
            layout.approach, layout.dimension, layout.category, status, modality, held_here,
            summary=summary, reasons=reasons, open_questions=open_questions, trace=trace)

    def _parts(self, parts: tuple[T, ...]) -> tuple[T, ...]:
        """One tuple per distinct sequence of kept parts; a part made for this case alone
        (an evidence with a score's value) leaves the tuple its own. Keys hold the ids of
        kept parts only, which live as long as the cache."""
        if not all(id(part) in self._kept for part in parts):
            return parts
        return self._share(("parts", *map(id, parts)), lambda: parts)

    def _open_questions(self, evidence: tuple[Evidence, ...], levels: tuple[LevelOutcome, ...],
                        options: tuple[ModalityOutcome, ...], indicated: Truth, status: Status,
                        modality: str | None, facts: Facts) -> tuple[OpenQuestion, ...]:
        """The questions to ask next, as ids."""
        open_questions = self._open(evidence, levels, indicated, facts)
        if status == "recommended" and modality is None:
            open_questions += [self._share(("grid", q.question),
                                           lambda q=q: OpenQuestion("grid", q.question))
                               for o in options for q in o.questions if q.outcome == "open"]
        return tuple(dict.fromkeys(open_questions))

    # -- parts ---------------------------------------------------------------------------

    def _evidence(self, check: Check, facts: Facts, holding: set[str]) -> Evidence:
        value, truth = facts.value(check), _truth(check, facts, holding)
        make = lambda: Evidence(check.rule_id, check.condition or "", check.subject,  # noqa: E731
                                check.operand, value, truth)
        if isinstance(value, float):
            return make()
        return self._share((id(check), value, truth), make)

    def _question(self, asked: _Asked, facts: Facts) -> QuestionOutcome:
        answer = facts.answers.get(asked.question)
        return self._share((id(asked), answer), lambda: QuestionOutcome(
            asked.rule_id, asked.question, answer,  # type: ignore[arg-type]
            asked.supports, _outcome(asked, facts)))  # type: ignore[arg-type]

    def _level(self, level: _Level, facts: Facts) -> LevelOutcome:
        if level.combine is None:
            return self._share((id(level),), lambda: LevelOutcome(level.level, None,
                                                              "not_applicable", ()))
        questions = tuple(self._question(a, facts) for a in level.asked)
        return self._share((id(level), *map(id, questions)), lambda: LevelOutcome(
            level.level, level.combine,  # type: ignore[arg-type]
            _level_outcome(level, [q.outcome for q in questions]), questions))

    def _option(self, option: _Option, facts: Facts, holding: set[str]) -> ModalityOutcome:
        # The option's join is the rule; its members are shown answer by answer.
        questions = tuple(self._question(a, facts) for a in option.asked)
        outcome = _option_outcome(option, [q.outcome for q in questions], holding)
        return self._share((id(option), outcome, *map(id, questions)), lambda: ModalityOutcome(
            option.rule_id, option.modality, outcome, questions))

    def _open(self, evidence: tuple[Evidence, ...], levels: tuple[LevelOutcome, ...],
              indicated: Truth, facts: Facts) -> list[OpenQuestion]:
        """What to ask next: the RSS elements an unread indication needs (an element, or the
        unanswered elements of an unknown score), then the open questions of open levels."""
        found: list[OpenQuestion] = []
        if indicated == "unknown":
            for item in evidence:
                if item.truth != "unknown":
                    continue
                fact = BY_TAG[item.condition].fact
                needed = (self.read_by_score[item.subject] if fact == "score"
                          else [item.subject] if fact == "element" else [])
                found += [self._share(("rss", e), lambda e=e: OpenQuestion("rss", e))
                          for e in needed if not facts.known("element", e)]
        found += [self._share(("grid", q.question), lambda q=q: OpenQuestion("grid", q.question))
                  for level in levels if level.outcome == "open"
                  for q in level.questions if q.outcome == "open"]
        return found


def _layout(book: RuleBook, entry: GridEntry, indications: tuple[Check, ...],
            levels: list[str]) -> _Layout:
    approach = book.approaches[entry.approach]
    laid: list[_Level] = []
    for level in levels:
        criterion = entry.criteria[level]
        if not isinstance(criterion, Criterion):
            laid.append(_Level(level, None, ()))
            continue
        laid.append(_Level(level, criterion.combine, tuple(
            _Asked(criterion_id(entry.approach, level, use.question), use.question, use.supports)
            for use in criterion.questions)))
    options = []
    for index, option in enumerate(entry.feasibility):
        rule_id = feasibility_id(entry.approach, index)
        options.append(_Option(rule_id, option.modality, tuple(
            _Asked(f"{rule_id}/{k}", a.question, a.answer) for k, a in enumerate(option.when))))
    return _Layout(entry.approach, approach.dimension, approach.category, indications,
                   tuple(laid), tuple(options), frozenset(c.rule_id for c in indications))


def _truth(check: Check, facts: Facts, holding: set[str]) -> Truth:
    if check.rule_id in holding:
        return "holds"
    return "does_not_hold" if facts.known(check.kind, check.subject) else "unknown"


def _indicated(truths: list[Truth]) -> Truth:
    if "holds" in truths:
        return "holds"
    return "unknown" if "unknown" in truths else "does_not_hold"


def _outcome(asked: _Asked, facts: Facts) -> str:
    answer = facts.answers.get(asked.question)
    return "open" if answer is None else "supports" if answer == asked.supports else "against"


def _level_outcome(level: _Level, outcomes: list[str]) -> str:
    if level.combine is None:
        return "not_applicable"
    return _combined(level.combine, set(outcomes))


def _combined(combine: str, seen: set[str]) -> str:
    """A level's outcome from the set of its questions' outcomes."""
    if combine == "all":
        return "failed" if "against" in seen else "satisfied" if seen == {"supports"} else "open"
    return "satisfied" if "supports" in seen else "failed" if seen == {"against"} else "open"


def _option_outcome(option: _Option, outcomes: list[str], holding: set[str]) -> str:
    if option.rule_id in holding:
        return "feasible"
    return "not_feasible" if "against" in outcomes else "open"


def _status(indicated: Truth, level_outcomes: list[str]) -> Status:
    if indicated == "does_not_hold":
        return "not_indicated"
    if "failed" in level_outcomes:
        return "not_appropriate"
    if indicated == "unknown" or "open" in level_outcomes:
        return "needs_answers"
    return "recommended"


def _modality(outcomes: list[str], modalities: list[str]) -> str | None:
    for outcome, modality in zip(outcomes, modalities, strict=True):
        if outcome == "feasible":
            return modality
        if outcome == "open":
            return None
    return None


def _ids(items: object) -> tuple[str, ...]:
    return tuple(item.rule_id for item in items)  # type: ignore[attr-defined]


def _reasons(status: Status, evidence: tuple[Evidence, ...], levels: tuple[LevelOutcome, ...],
             options: tuple[ModalityOutcome, ...], modality: str | None) -> tuple[Reason, ...]:
    if status == "not_indicated":
        return (Reason("no_need_shown", _ids(evidence)),)
    held = [e for e in evidence if e.truth == "holds"]
    reasons = [Reason("indicated", _ids(held)) if held else
               Reason("need_unknown", _ids(e for e in evidence if e.truth == "unknown"))]
    reasons += [_level_reason(level) for level in levels if level.outcome in ("failed", "open")]
    if status == "recommended":
        reasons.append(Reason("appropriate_all_levels"))
        if modality:
            chosen = next(o for o in options if o.modality == modality)
            reasons.append(Reason("modality_chosen", _ids(chosen.questions), modality=modality))
        elif all(o.outcome == "not_feasible" for o in options):
            reasons.append(Reason("no_modality_feasible"))
        else:
            reasons.append(Reason("modality_undecided"))
    return tuple(reasons)


def _level_reason(level: LevelOutcome) -> Reason:
    """Why a level failed (the answers against) or what is still to ask there."""
    if level.outcome == "failed":
        return Reason("level_failed", _ids(q for q in level.questions if q.outcome == "against"),
                      level=level.level)
    return Reason("level_open", _ids(q for q in level.questions if q.outcome == "open"),
                  level=level.level)


def _summary(status: Status, evidence: tuple[Evidence, ...],
             levels: tuple[LevelOutcome, ...]) -> Reason:
    """The one step that decided the status."""
    held = _ids(e for e in evidence if e.truth == "holds")
    if status == "not_appropriate":
        return _level_reason(next(lv for lv in levels if lv.outcome == "failed"))
    if status == "needs_answers":
        return Reason("questions_open", held)
    if status == "recommended":
        return Reason("recommended", held)
    return Reason("no_need_shown", _ids(evidence))
