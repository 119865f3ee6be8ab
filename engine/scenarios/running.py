"""Running a scenario: assess its case, draft its plan, compare with what it expects.

A mismatch carries the expected and the actual codes and the trace that decided the
actual one (the reasons worded from the result, the score's coverage, the safeguard's
triggers), so an author sees why a rule change moved a persona without running ``explain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.evaluation.assessment import Assessment
from engine.evaluation.results import ApproachResult
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook
from engine.model.weights import WeightSet
from engine.planning.pipeline import Pipeline
from engine.planning.plan import Plan
from engine.planning.planner import Planner
from engine.presentation.wording import Wording
from engine.scenarios.model import ApproachExpectation, Expectations
from engine.scenarios.reading import ScenarioFile


@dataclass(frozen=True)
class Mismatch:
    """One expectation the engine did not meet: where it is written, what it said, what
    came out, and the trace of what decided the outcome."""

    what: str
    line: int | None
    expected: str
    got: str
    why: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    scenario: ScenarioFile
    assessment: Assessment
    plan: Plan
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.mismatches


class ScenarioRunner:
    """Runs scenarios against one rule book (and backend); build once, run many."""

    def __init__(self, book: RuleBook, weight_set: WeightSet | None = None,
                 backend: str | None = None):
        self.book = book
        self.pipeline = Pipeline(book, weight_set, backend)
        self.planner = Planner(book)
        self.words = Wording(book)

    def run(self, scenario: ScenarioFile) -> Outcome:
        case = scenario.case
        outcome = self.pipeline.run(case)
        assessment = outcome.assessment
        plan = self.planner.plan(outcome, dated=case.assessed_on)
        expect = scenario.scenario.expect
        mismatches = [*self._scores(scenario, expect, assessment),
                      *self._approaches(scenario, expect, assessment),
                      *self._safeguards(scenario, expect, plan),
                      *self._schedule(scenario, expect, plan)]
        return Outcome(scenario, assessment, plan, mismatches)

    def _scores(self, scenario: ScenarioFile, expect: Expectations,
                assessment: Assessment) -> list[Mismatch]:
        found = []
        scores = assessment.scores
        for name, wanted in expect.scores.items():
            score = scores.composite if name == COMPOSITE else scores.dimensions[name]
            got = score.value
            if wanted is None and got is None:
                continue
            if wanted is not None and got is not None and abs(got - wanted) <= expect.tolerance:
                continue
            why = [f"answered {score.answered} of {score.applicable} applicable elements "
                   f"({score.coverage:.0%} of the weight), weights '{scores.weight_set}'"]
            missing = self.words.missing_score(score, scores.min_coverage)
            if missing:
                why.append(f"no score: {missing}")
            found.append(Mismatch(
                f"score {name}", scenario.line("expect", "scores", name),
                _number(wanted) + (f" ± {expect.tolerance:g}" if wanted is not None else ""),
                _number(got), tuple(why)))
        return found

    def _approaches(self, scenario: ScenarioFile, expect: Expectations,
                    assessment: Assessment) -> list[Mismatch]:
        found = []
        for approach_id, wanted in expect.approaches.items():
            result = assessment.approach(approach_id)
            if result is None:  # the rules no longer grade it
                found.append(Mismatch(f"approach {approach_id}",
                                      scenario.line("expect", "approaches", approach_id),
                                      wanted.status, "not in the rules' results"))
                continue
            got = outcome_codes(result, wanted)
            expected = _codes(wanted)
            if got != expected:
                found.append(Mismatch(
                    f"approach {approach_id}", scenario.line("expect", "approaches", approach_id),
                    _shown(expected), _shown(got), why(result, self.words)))
        return found

    def _safeguards(self, scenario: ScenarioFile, expect: Expectations,
                    plan: Plan) -> list[Mismatch]:
        if expect.safeguards is None:
            return []
        got = [s.id for s in plan.safeguards]
        if set(got) == set(expect.safeguards):
            return []
        why = tuple(f"{s.id}: triggered by " + ", ".join(
            t.kind + (f" {t.label}" if t.label else "") + (f" = {t.value}" if t.value is not None
                                                          else "") for t in s.triggers)
            for s in plan.safeguards)
        return [Mismatch("safeguards", scenario.line("expect", "safeguards"),
                         ", ".join(sorted(expect.safeguards)) or "none",
                         ", ".join(sorted(got)) or "none",
                         why or ("the profile triggers no safeguard",))]

    def _schedule(self, scenario: ScenarioFile, expect: Expectations,
                  plan: Plan) -> list[Mismatch]:
        if expect.schedule is None:
            return []
        found = []
        items = {i.id: i for i in plan.schedule}
        returned = scenario.case.profile.date_of_return.isoformat()
        for item_id, due in expect.schedule.items():
            line = scenario.line("expect", "schedule", item_id)
            item = items.get(item_id)
            if item is None:
                found.append(Mismatch(f"schedule {item_id}", line, "on the schedule",
                                      "not on the schedule", (_schedule_trace(plan),)))
            elif due is not None and item.dates.end != due:
                found.append(Mismatch(f"schedule {item_id}", line, due.isoformat(),
                                      item.dates.end.isoformat(),
                                      (f"counted from the date of return, {returned}",)))
        for item in plan.schedule:
            if item.kind == "safeguard" and item.id not in expect.schedule:
                found.append(Mismatch(f"schedule {item.id}", scenario.line("expect", "schedule"),
                                      "not on the schedule",
                                      f"on the schedule, ending {item.dates.end.isoformat()}",
                                      ("a safeguard step the profile triggers",)))
        return found


def why(result: ApproachResult, words: Wording) -> tuple[str, ...]:
    """The reasons for a result in words, then the values its indications read."""
    reasons = words.reasons(result)
    if result.trace is None:
        return tuple(reasons)
    read = [f"read: {words.condition(e)} ← {words.shown(e)}: {e.truth.replace('_', ' ')}"
            for e in result.trace.indication]
    return (*reasons, *read)


def outcome_codes(result: ApproachResult, wanted: ApproachExpectation) -> dict[str, str | None]:
    """The codes of ``result`` that ``wanted`` names, for a like-for-like comparison."""
    summary = result.summary
    got: dict[str, str | None] = {"status": result.status}
    if wanted.modality is not None:
        got["modality"] = result.modality
    if wanted.reason is not None:
        got["reason"] = summary.code if summary else None
    if wanted.level is not None:
        got["level"] = summary.level if summary else None
    return got


def _codes(wanted: ApproachExpectation) -> dict[str, str | None]:
    return {key: value for key, value in wanted.model_dump().items()
            if key == "status" or value is not None}


def _shown(codes: dict[str, str | None]) -> str:
    return ", ".join(f"{key} {value or '—'}" if key != "status" else str(value)
                     for key, value in codes.items())


def _number(value: float | None) -> str:
    return "no score" if value is None else f"{value:.4f}"


def _schedule_trace(plan: Plan) -> str:
    return "the schedule holds: " + ", ".join(i.id for i in plan.schedule)
