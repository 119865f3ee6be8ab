"""``rules/feasibility_grids/project/``: the Project Design Grid (one entry per complementary
approach) and the Conditions Analysis Grid (its aspects and the questions asked of every
selected approach).

Checked: every complementary approach has one entry and every entry names one; question ids
are unique across both grids and the individual grids (a project file and a community
profile name questions by id alone); every aspect is defined; a question whose answer
against sets a condition says what the condition is; and a verbatim question's text is a
sentence of the seed row it comes from, under its own column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.loading.rule_files import RuleFiles
from engine.loading.source_file import SourceFile
from engine.model.complementary import ComplementaryApproach
from engine.model.grids import Question
from engine.model.project_grids import (
    Aspect,
    ConditionsAnalysisGrid,
    GridQuestion,
    ProjectDesignGrid,
    ProjectGridEntry,
    ProjectQuestion,
)

CELLS_OF = {"appropriateness": (0, 1), "resources": (2,), "complementarity": (3,)}
"""Which cells of a seed row hold each column (appropriateness spans two)."""


@dataclass
class ProjectGrids:
    entries: dict[str, ProjectGridEntry] = field(default_factory=dict)
    aspects: dict[str, Aspect] = field(default_factory=dict)
    common: list[ProjectQuestion] = field(default_factory=list)
    """The Conditions Analysis Grid's questions, asked of every selected approach."""


def load_project_grids(files: RuleFiles, complementary: dict[str, ComplementaryApproach],
                       case_questions: dict[str, Question]) -> ProjectGrids:
    folder = files.root / "feasibility_grids" / "project"
    found = ProjectGrids()
    analysis = files.require_file(folder / "conditions_analysis.yaml", "Conditions Analysis Grid")
    design = files.require_file(folder / "project_design.yaml", "Project Design Grid")
    seen: dict[str, str] = {q: "an individual grid" for q in case_questions}
    if analysis is not None:
        header = files.parse_header(ConditionsAnalysisGrid, analysis, ("aspects", "questions"))
        for index, aspect in files.parse_each(Aspect, analysis, "aspects", "aspect"):
            if aspect.id in found.aspects:
                files.problems.append(analysis.problem(("aspects", index, "id"),
                                                       "duplicate aspect id", aspect.id,
                                                       "aspect ids are unique"))
            found.aspects[aspect.id] = aspect
        common = list(files.parse_each(ProjectQuestion, analysis, "questions", "question"))
        if header is None and not found.aspects:
            files.mark_unreadable("aspect")
        for index, question in common:
            _check_question(files, analysis, ("questions", index), question, found, seen)
            found.common.append(question)
    else:
        files.mark_unreadable("aspect", "question")
    if design is None:
        files.mark_unreadable("project grid entry", "question")
        return found
    files.parse_header(ProjectDesignGrid, design, ("approaches",))
    for index, entry in files.parse_each(ProjectGridEntry, design, "approaches",
                                         "project grid entry", key="approach"):
        loc = ("approaches", index)
        if entry.approach in found.entries:
            files.problems.append(design.problem((*loc, "approach"),
                                                 "approach has two Project Design Grid entries",
                                                 entry.approach, "keep one entry per approach"))
        if entry.approach not in complementary:
            files.unknown(design, (*loc, "approach"), entry.approach, "complementary approach",
                          entry.approach, list(complementary))
        for k, question in enumerate(entry.questions):
            at = (*loc, "questions", k)
            _check_question(files, design, at, question, found, seen)
            _check_verbatim(files, design, at, entry, question)
        found.entries[entry.approach] = entry
    _remember_broken_questions(files, design)
    if "project grid entry" not in files.unreadable:
        for approach in complementary:
            if approach not in found.entries and approach not in files.broken[
                    "project grid entry"]:
                files.problems.append(design.problem(
                    ("approaches",), "complementary approach has no Project Design Grid entry",
                    approach, "add an entry with its questions"))
    return found


def _check_question(files: RuleFiles, source: SourceFile, loc: tuple, question: ProjectQuestion,
                    found: ProjectGrids, seen: dict[str, str]) -> None:
    if question.id in seen:
        files.problems.append(source.problem(
            (*loc, "id"), f"question id already used in {seen[question.id]}", question.id,
            "question ids are unique across every grid"))
    seen.setdefault(question.id, str(source.path.name))
    aspect = found.aspects.get(question.aspect)
    if aspect is None:
        files.unknown(source, (*loc, "aspect"), question.id, "aspect", question.aspect,
                      list(found.aspects))
        return
    consequence = question.when_against or aspect.when_against
    needs_words = question.answer == "yes_no" and consequence == "condition_to_meet"
    if needs_words and not question.condition:
        files.problems.append(source.problem(
            (*loc, "supports"), "an answer against sets a condition, but the question does not "
            "say which", question.id, "add 'condition:' (what must be put in place)"))


def _check_verbatim(files: RuleFiles, source: SourceFile, loc: tuple, entry: ProjectGridEntry,
                    question: GridQuestion) -> None:
    """A verbatim question is a sentence of one of its entry's seed rows, in its column."""
    if question.provenance != "verbatim":
        return
    cells = [row.cells[i] for row in entry.seed_rows for i in CELLS_OF[question.column]]
    if not any(question.text in cell for cell in cells):
        files.problems.append(source.problem(
            (*loc, "text"), f"marked verbatim, but not found in the {question.column} cells of "
            "the entry's seed rows", question.id,
            "copy the sentence exactly from the seed, or mark the question derived"))


def _remember_broken_questions(files: RuleFiles, design: SourceFile) -> None:
    """The question ids of entries that failed their own check: they exist, so a rule that
    names one is not reported again as naming an unknown question."""
    entries = design.data.get("approaches")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("approach") not in files.broken[
                "project grid entry"]:
            continue
        questions = entry.get("questions")
        for question in questions if isinstance(questions, list) else []:
            if isinstance(question, dict) and isinstance(question.get("id"), str):
                files.broken["question"].add(question["id"])
