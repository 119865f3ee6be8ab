"""Cohort evidence: what the case files of a place say about demand for a project.

From a folder of case files (each read and checked like any case, each assessed at its
place, so a community profile answers what it answers for one case): the share of
returnees below the threshold per dimension and on the composite, the most frequent needs
(the indications that held) and indicated approaches, and the W model's low points falling
due in the coming months. Counts and ids only; the design note words them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from engine.case.community import at_place
from engine.case.model import Case
from engine.case.reading import read_case
from engine.errors import CaseError, Problem
from engine.evaluation.assessment import Assessor
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook
from engine.model.timing import Period, Window, Within

CASE_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class ShareBelow:
    score: str
    below: int
    scored: int
    """Returnees with this score (a score left null for too few answers is not counted)."""

    @property
    def share(self) -> float | None:
        return self.below / self.scored if self.scored else None


@dataclass(frozen=True, slots=True)
class Tally:
    """How many returnees of the cohort show one need or are indicated for one approach.
    A need is a condition kind and what it read (``score_below`` / ``economic``)."""

    id: str
    count: int
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class LowPointsDue:
    milestone: str
    month: str
    """The calendar month (YYYY-MM) in which the low point's window opens."""
    returnees: int


@dataclass(frozen=True)
class CohortEvidence:
    cases: int
    elsewhere: int
    """Case files in the folder that return to another country: left out, and counted."""
    threshold: float
    as_of: date
    horizon_end: date
    shares: tuple[ShareBelow, ...]
    needs: tuple[Tally, ...]
    approaches: tuple[Tally, ...]
    complementary: tuple[Tally, ...]
    """Indicated individual approaches counted under their complementary approach (a
    returnee counts once per complementary approach)."""
    low_points: tuple[LowPointsDue, ...]
    profile_answers: int
    """Answers the cohort's cases took from community profiles."""


def read_cohort(folder: Path, book: RuleBook) -> list[Case]:
    """Every case file of ``folder``; CaseError naming every problem of every file."""
    paths = sorted(p for p in Path(folder).iterdir()
                   if p.is_file() and p.suffix.lower() in CASE_SUFFIXES)
    if not paths:
        raise CaseError([Problem(folder, None, "no case files (.yaml, .yml, .json) here",
                                 hint="give the folder that holds the place's case files")])
    cases, problems = [], []
    for path in paths:
        try:
            cases.append(read_case(path, book).case)
        except CaseError as error:
            problems += error.problems
    if problems:
        raise CaseError(problems)
    return cases


def cohort_evidence(book: RuleBook, cases: Iterable[Case], country: str, as_of: date,
                    horizon: Period | None = None) -> CohortEvidence:
    """The evidence of demand from the cases returning to ``country``."""
    rules = book.project.cohort
    assert rules is not None, "validated rules carry the cohort rules"
    horizon_end = (horizon or rules.horizon).after(as_of)
    threshold = book.framework.scoring.comprehensive_support_below.value
    assessor = Assessor(book, backend="python")
    key = " ".join(country.split()).casefold()
    scored: Counter[str] = Counter()
    below: Counter[str] = Counter()
    needs: Counter[tuple[str, str]] = Counter()
    indicated: Counter[str] = Counter()
    complementary: Counter[str] = Counter()
    due: Counter[tuple[str, str]] = Counter()
    counted = elsewhere = from_profiles = 0
    milestones = {m.id: m for m in book.plan.schedule.milestones}
    for case in cases:
        if " ".join(case.profile.country_of_return.split()).casefold() != key:
            elsewhere += 1
            continue
        counted += 1
        placed, used = at_place(case, book, illustrative=True)  # the note says so
        from_profiles += len(used)
        assessment = assessor.assess(placed)
        for score in assessment.scores.all():
            if score.value is not None:
                scored[score.name] += 1
                below[score.name] += score.value < threshold
        held = {(e.condition, e.subject) for a in assessment.approaches if a.trace
                for e in a.trace.indication if e.truth == "holds"}
        needs.update(held)
        shown = [a.approach for a in assessment.approaches
                 if a.trace and any(e.truth == "holds" for e in a.trace.indication)]
        indicated.update(shown)
        complementary.update({book.approaches[a].complementary for a in shown})
        for milestone_id in rules.low_points:
            opens, closes = _window(milestones[milestone_id].timing, case.profile.date_of_return)
            if closes >= as_of and opens <= horizon_end:
                due[(milestone_id, opens.strftime("%Y-%m"))] += 1
    names = [d for d in book.framework.ids("dimensions")] + [COMPOSITE]
    return CohortEvidence(
        counted, elsewhere, threshold, as_of, horizon_end,
        tuple(ShareBelow(n, below[n], scored[n]) for n in names),
        tuple(Tally(subject, n, kind) for (kind, subject), n in _ranked(needs)),
        tuple(Tally(a, n) for a, n in _ranked(indicated)),
        tuple(Tally(a, n) for a, n in _ranked(complementary)),
        tuple(LowPointsDue(m, month, n) for (month, m), n in sorted(
            ((month, m), n) for (m, month), n in due.items())),
        from_profiles)


def _ranked(counts: Counter) -> list[tuple]:  # type: ignore[type-arg]
    """Most frequent first; ties in id order, so a note is the same bytes run after run."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _window(timing: object, returned: date) -> tuple[date, date]:
    """When a milestone's window opens and closes for a returnee back on ``returned``."""
    if isinstance(timing, Window):
        return timing.window.start.after(returned), timing.window.end.after(returned)
    if isinstance(timing, Within):
        day = timing.within.after(returned)
        return day, day
    return returned, returned
