"""``rules/feasibility_grids/``: one entry per approach, its questions, checked against the
framework, the instrument and the approaches.

Read entry by entry and question by question: a schema error in one entry costs that entry
only, the rest of the file is still checked, and an approach whose entry exists but failed
is not reported again as having none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.loading.approaches import Where
from engine.loading.rule_files import RuleFiles, known_answerer
from engine.loading.source_file import SourceFile, yaml_files
from engine.model.approaches import Approach
from engine.model.conditions import Condition, Reference
from engine.model.framework import COMPOSITE, Framework
from engine.model.grids import Grid, GridEntry, Question, SameAs
from engine.model.instrument import Instrument


@dataclass
class Grids:
    questions: dict[str, Question]
    entries: dict[str, GridEntry]
    question_files: dict[str, Path]


def load_grids(files: RuleFiles, framework: Framework, instrument: Instrument,
               approaches: dict[str, Approach], defined_at: dict[str, Where]) -> Grids:
    read: list[tuple[SourceFile, Grid, list[tuple[int, GridEntry]]]] = []
    found = Grids({}, {}, {})
    for path in yaml_files(files.root / "feasibility_grids"):
        source = files.read(path)
        if source is None:
            files.mark_unreadable("question", "grid entry")
            continue
        header = files.parse_header(Grid, source, ("questions", "approaches"))
        _read_questions(files, source, found, framework, instrument)
        entries = list(files.parse_each(GridEntry, source, "approaches", "grid entry",
                                        key="approach"))
        if header is not None:
            read.append((source, header, entries))
        else:  # entries whose grid is unreadable exist: they are not "missing"
            files.broken["grid entry"].update(entry.approach for _, entry in entries)
    for source, grid, entries in read:
        checker = _GridChecker(files, source, framework, instrument, approaches,
                               found.questions)
        if grid.dimension not in framework.ids("dimensions"):
            files.unknown(source, ("dimension",), grid.grid, "dimension", grid.dimension,
                          framework.ids("dimensions"))
        for index, entry in entries:
            if entry.approach in found.entries:
                files.problems.append(source.problem(
                    ("approaches", index, "approach"), "approach has two grid entries",
                    entry.approach, "keep one entry per approach"))
            checker.check(grid, index, entry)
            found.entries[entry.approach] = entry
    if "grid entry" not in files.unreadable:
        for approach_id, (source, loc) in defined_at.items():
            if approach_id not in found.entries and approach_id not in files.broken[
                    "grid entry"]:
                files.problems.append(source.problem(
                    loc, "approach has no grid entry", approach_id,
                    "add an entry for it to the grid of its dimension"))
    return found


def _read_questions(files: RuleFiles, source: SourceFile, found: Grids,
                    framework: Framework, instrument: Instrument | None) -> None:
    questions = source.data.get("questions")
    if not isinstance(questions, dict):  # reported by the grid's own check
        files.mark_unreadable("question")
        return
    for question_id, data in questions.items():
        question = files.parse(Question, source, data, ("questions", question_id), question_id)
        if question is None:
            files.broken["question"].add(question_id)
            continue
        if question_id in found.questions:
            files.problems.append(source.problem(
                ("questions", question_id), "duplicate question id", question_id,
                f"it is already defined in {found.question_files[question_id].name}; "
                "refer to that one"))
        found.questions[question_id] = question
        found.question_files[question_id] = source.path
        known_answerer(files, source, ("questions", question_id, "answered_by"), question_id,
                       question.answered_by, framework)
        if question.same_as is not None and instrument is not None:  # None: unreadable
            _check_same_as(files, source, question_id, question.same_as, instrument)


def _check_same_as(files: RuleFiles, source: SourceFile, question_id: str, pair: SameAs,
                   instrument: Instrument) -> None:
    """A consistency pair names an RSS element and choices of that element."""
    loc = ("questions", question_id, "same_as")
    if files.broken["element"] or "element" in files.unreadable:
        return  # the element (or its scale) failed its own check, which is reported
    element = instrument.element(pair.element)
    if element is None:
        files.unknown(source, (*loc, "element"), question_id, "RSS element", pair.element,
                      [e.id for e in instrument.elements])
        return
    names = [c.name for c in element.choices]
    for side in ("yes", "no"):
        for index, choice in enumerate(getattr(pair, side)):
            if choice not in names:
                files.unknown(source, (*loc, side, index), question_id,
                              f"choice of {element.id}", choice, names)


@dataclass
class _GridChecker:
    """Cross-references of one grid file against the framework, instrument and approaches."""

    loader: RuleFiles
    source: SourceFile
    framework: Framework
    instrument: Instrument
    approaches: dict[str, Approach]
    questions: dict[str, Question]

    def check(self, grid: Grid, index: int, entry: GridEntry) -> None:
        loc = ("approaches", index)
        rule_id = entry.approach
        unknown: Callable[..., None] = lambda at, kind, value, known: self.loader.unknown(  # noqa: E731
            self.source, at, rule_id, kind, value, known
        )
        approach = self.approaches.get(entry.approach)
        if approach is None:
            unknown((*loc, "approach"), "approach", entry.approach, list(self.approaches))
        elif approach.dimension != grid.dimension:
            self.loader.problems.append(self.source.problem(
                (*loc, "approach"),
                f"approach is {approach.dimension}, this grid is {grid.dimension}",
                rule_id, "move the entry to the grid of its dimension"))
        for i, condition in enumerate(entry.indicated_if_any):
            self.check_condition((*loc, "indicated_if_any", i), condition, unknown)
        self.check_levels(loc, entry, unknown)
        for i, option in enumerate(entry.feasibility):
            at = (*loc, "feasibility", i)
            if option.modality not in self.framework.ids("modalities"):
                unknown(
                    (*at, "modality"), "modality", option.modality, self.framework.ids("modalities")
                )
            elif approach and option.modality not in approach.modalities:
                self.loader.problems.append(self.source.problem(
                    (*at, "modality"),
                    f"modality '{option.modality}' is not among the "
                    f"approach's modalities {approach.modalities}",
                    rule_id,
                    "add it to the approach in rules/interventions/ or remove the option"))
            for j, answer in enumerate(option.when):
                if answer.question not in self.questions:
                    unknown((*at, "when", j, "question"), "question", answer.question,
                            list(self.questions))

    def check_levels(self, loc: tuple, entry: GridEntry, unknown: Callable[..., None]) -> None:
        levels = self.framework.ids("levels")
        if "level" not in self.loader.unreadable:
            for level in levels:
                if level not in entry.criteria and level not in self.loader.broken["level"]:
                    self.loader.problems.append(self.source.problem(
                        (*loc, "criteria"), f"criterion '{level}' is missing", entry.approach,
                        f"add its questions, or write '{level}: n/a' if it does not apply"))
        for level, criterion in entry.criteria.items():
            at = (*loc, "criteria", level)
            if level not in levels:
                unknown(at, "level", level, levels)
            if isinstance(criterion, str):
                continue
            for i, use in enumerate(criterion.questions):
                if use.question not in self.questions:
                    unknown((*at, "questions", i, "question"), "question", use.question,
                            list(self.questions))

    def check_condition(self, at: tuple, condition: Condition,
                        unknown: Callable[..., None]) -> None:
        """Every name a condition uses must be one the rules define (the kind says which)."""
        for reference in condition.references():
            known = self.known(reference)
            if reference.value not in known:
                kind = (f"choice of '{reference.scope}'" if reference.kind == "choice"
                        else reference.kind)
                unknown((*at, *reference.at), kind, reference.value, known)

    def known(self, reference: Reference) -> list[str]:
        if reference.kind == "score":
            return [*self.framework.ids("dimensions"), COMPOSITE]
        if reference.kind == "vulnerability":
            return self.framework.ids("vulnerabilities")
        if reference.kind == "element":
            return [e.id for e in self.instrument.elements]
        element = self.instrument.element(reference.scope or "")
        # An unknown element is reported once, by its own reference.
        return [c.name for c in element.scored_choices()] if element else [reference.value]
