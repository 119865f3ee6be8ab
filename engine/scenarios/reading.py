"""Reading scenario files with the case reader's limits and its ``file:line`` problems.

A scenario embeds a case file under ``case:``; that part is checked exactly as a case file
is (``engine.case.reading``), with its lines counted in the scenario file, so a misspelt
element in a persona points at its line like one in a real case. The expectations are then
checked against the rules: an approach, score, safeguard or schedule id the rules do not
define is a mistake in the scenario, not a failed expectation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from engine.case.model import Case
from engine.case.reading import CASE_LIMITS, case_from_source
from engine.errors import ArgumentError, CaseError, Problem
from engine.loading.source_file import SourceFile, did_you_mean, read_source
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook
from engine.scenarios.model import Scenario

SCENARIO_SUFFIXES = frozenset({".yaml", ".yml"})


@dataclass(frozen=True)
class ScenarioFile:
    """A scenario as read: its id (the file's stem), its content, its case and its lines."""

    id: str
    path: Path
    scenario: Scenario
    case: Case
    source: SourceFile

    def line(self, *loc: str | int) -> int | None:
        return self.source.line(*loc)


def shipped_scenarios() -> Path:
    """The personas kept with the project (``scenarios/`` beside ``rules/``)."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "_shipped" / "scenarios"
    return installed if installed.is_dir() else package.parent / "scenarios"


def scenario_paths(where: Path) -> list[Path]:
    """A scenario file, or every scenario file of a folder, in name order."""
    if where.is_dir():
        return sorted(p for p in where.iterdir()
                      if p.is_file() and p.suffix in SCENARIO_SUFFIXES)
    return [where]


def find_scenario(name: str, folder: Path | None = None) -> Path:
    """A persona by file path, or by id among the shipped (or ``folder``'s) scenarios."""
    path = Path(name)
    if path.suffix in SCENARIO_SUFFIXES and path.exists():
        return path
    folder = folder or shipped_scenarios()
    known = {p.stem: p for p in scenario_paths(folder)} if folder.is_dir() else {}
    if name in known:
        return known[name]
    raise ArgumentError([Problem(name, None, "no scenario by that name or path",
                                 hint=did_you_mean(name, known) + "use one of: "
                                 + ", ".join(sorted(known)))])


def read_scenario(path: Path, book: RuleBook) -> ScenarioFile:
    """Read and check one scenario file; CaseError naming every problem with its line."""
    source = read_source(Path(path), CASE_LIMITS)
    if isinstance(source, Problem):
        raise CaseError([source])
    if not isinstance(source.data, dict):
        raise CaseError([Problem(path, 1, "a scenario file is a mapping of fields",
                                 hint="see docs/trainers.md for the scenario format")])
    try:
        scenario = Scenario.model_validate(source.data)
    except ValidationError as exc:
        raise CaseError(source.validation_problems(exc)) from None
    case = case_from_source(_part(source, "case"), book)
    problems = list(_expectation_problems(scenario, source, book))
    if problems:
        raise CaseError(problems)
    return ScenarioFile(Path(path).stem, Path(path), scenario, case, source)


def read_scenarios(paths: Iterable[Path], book: RuleBook) -> list[ScenarioFile]:
    """Every file read before any is run; CaseError with the problems of all of them."""
    read, problems = [], []
    for path in paths:
        try:
            read.append(read_scenario(path, book))
        except CaseError as exc:
            problems += exc.problems
    if problems:
        raise CaseError(problems)
    return read


def _part(source: SourceFile, key: str) -> SourceFile:
    """One mapping of a file as a file of its own, its lines still the file's lines."""
    lines = {loc[1:]: line for loc, line in source.lines.items() if loc[:1] == (key,)}
    return SourceFile(source.path, source.data[key], lines, source.raw)


def _expectation_problems(scenario: Scenario, source: SourceFile,
                          book: RuleBook) -> Iterable[Problem]:
    expect = scenario.expect
    scores = [*book.framework.ids("dimensions"), COMPOSITE]
    for score in expect.scores:
        if score not in scores:
            yield source.unknown(("expect", "scores", score), None, "score", score, scores)
    modalities = book.framework.ids("modalities")
    for approach_id, expected in expect.approaches.items():
        at = ("expect", "approaches", approach_id)
        if approach_id not in book.approaches:
            yield source.unknown(at, None, "approach", approach_id, sorted(book.approaches))
        if expected.modality is not None and expected.modality not in modalities:
            yield source.unknown((*at, "modality"), None, "modality", expected.modality,
                                 modalities)
        if expected.modality is not None and expected.status != "recommended":
            yield source.problem((*at, "modality"), "a modality is expected only of a "
                                 "recommended approach", hint="remove the modality, or "
                                 "expect status: recommended")
        if expected.level is not None and expected.level not in book.framework.ids("levels"):
            yield source.unknown((*at, "level"), None, "level", expected.level,
                                 book.framework.ids("levels"))
    safeguards = {s.id: s for s in book.plan.safeguards.safeguards}
    for index, safeguard in enumerate(expect.safeguards or []):
        if safeguard not in safeguards:
            yield source.unknown(("expect", "safeguards", index), None, "safeguard",
                                 safeguard, sorted(safeguards))
    items = [m.id for m in book.plan.schedule.milestones]
    items += [f"{s.id}.{a.id}" for s in safeguards.values() for a in s.actions if a.timing]
    for item in expect.schedule or {}:
        if item not in items:
            yield source.unknown(("expect", "schedule", item), None, "schedule item", item,
                                 items)
