"""A project file: the place, the community profile, the complementary approaches selected
and the officer's answers to their questions.

Read like a case file: the bounded reader, every problem with its file and line (an
unknown approach or question with the nearest known id, a yes/no question answered with
something else, text with control characters), exit code 2, nothing half-read is used.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from engine.case.community import profile_at
from engine.case.reading import CASE_LIMITS
from engine.errors import Problem, ProblemsFound
from engine.loading.community_profiles import check_profile
from engine.loading.source_file import SourceFile, did_you_mean, read_source
from engine.model.base import Id, RuleModel
from engine.model.community import CommunityProfile, Place, PlainText, plain_text_problem
from engine.model.project_rules import ProjectRules

PROJECT_CODE = "3 to 40 letters, digits, '-' or '_', starting with a letter or digit"
_PROJECT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{2,39}")


def _project_code(value: str) -> str:
    if not _PROJECT_CODE.fullmatch(value):
        raise PydanticCustomError("project_code", "must be a code such as ETH-PD-2027-01: "
                                  + PROJECT_CODE)
    return value


class ProjectFileError(ProblemsFound):
    """A project file (or the community profile it names) cannot be used; nothing was
    analysed."""

    kind = "input"  # exit 2, like a bad case file


def _answer_word(value: Any) -> Any:
    """yes/no written as true/false is read as yes/no; a blank is "not answered yet"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and not value.strip():
        return None
    return value


AnswerValue = Annotated[Any, BeforeValidator(_answer_word)]


def _no_date_number(value: Any) -> Any:
    if isinstance(value, int | float):
        raise ValueError("a number is not a date: write year-month-day, e.g. 2026-12-01")
    return value


def _blank_is_empty(value: Any) -> Any:
    """A key left blank (a blank file lists them) is an empty list or mapping."""
    return [] if value is None else value


class SelectedApproach(RuleModel):
    approach: Id
    answers: Annotated[dict[Id, AnswerValue], BeforeValidator(
        lambda v: {} if v is None else v)] = {}


class ProjectFile(RuleModel):
    project: Annotated[str, AfterValidator(_project_code)]
    title: PlainText
    place: Place
    community_profile: Annotated[str, StringConstraints(min_length=1, max_length=300),
                                 AfterValidator(lambda v: v.strip())] | None = None
    """A shipped profile's id, or the path of a profile file (relative to the project file);
    left out, the shipped profile of the project's place is used, if there is one."""
    prepared_by: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None = None
    prepared_on: Annotated[date, BeforeValidator(_no_date_number)] | None = None
    horizon_months: int | None = Field(default=None, ge=1, le=36, strict=True)
    approaches: Annotated[list[SelectedApproach], BeforeValidator(_blank_is_empty)] = []


def read_project(path: Path, rules: ProjectRules) -> tuple[ProjectFile, CommunityProfile | None]:
    """The project file and the community profile it uses; ProjectFileError with every
    problem of the file (and of a profile file it names)."""
    source = read_source(Path(path), CASE_LIMITS)
    if isinstance(source, Problem):
        raise ProjectFileError([source])
    if not isinstance(source.data, dict):
        raise ProjectFileError([Problem(path, 1, "a project file is a mapping of fields",
                                        hint="start from 'reintegrate new-project -o FILE'")])
    try:
        project = ProjectFile.model_validate(source.data)
    except ValidationError as exc:
        raise ProjectFileError(source.validation_problems(exc)) from None
    problems = check_project(project, rules, source)
    profile, profile_problems = _profile(project, rules, source)
    if problems or profile_problems:
        raise ProjectFileError(problems + profile_problems)
    return project, profile


def check_project(project: ProjectFile, rules: ProjectRules, source: SourceFile) -> list[Problem]:
    """Every selected approach and answer checked against the rules."""
    problems: list[Problem] = []
    known = list(rules.complementary)
    seen: set[str] = set()
    for index, selected in enumerate(project.approaches):
        loc = ("approaches", index)
        if selected.approach not in rules.complementary:
            problems.append(source.unknown((*loc, "approach"), selected.approach,
                                           "complementary approach", selected.approach, known))
            continue
        if selected.approach in seen:
            problems.append(source.problem((*loc, "approach"), "approach selected twice",
                                           selected.approach, "select each approach once"))
        seen.add(selected.approach)
        questions = {q.id: q for q in rules.questions_of(selected.approach)}
        for question_id, answer in selected.answers.items():
            at = (*loc, "answers", question_id)
            question = questions.get(question_id)
            if question is None:
                problems.append(source.problem(
                    at, f"'{question_id}' is not a question of '{selected.approach}'",
                    selected.approach, did_you_mean(question_id, list(questions))
                    + "see 'reintegrate new-project' for the questions of each approach"))
            elif answer is None:
                continue
            elif question.answer == "yes_no" and answer not in ("yes", "no"):
                problems.append(source.problem(at, f"'{question_id}' is a yes/no question",
                                               selected.approach,
                                               "write yes or no (blank if not answered yet)"))
            elif question.answer == "open" and not isinstance(answer, str):
                problems.append(source.problem(at, f"'{question_id}' takes a short text",
                                               selected.approach, "write the answer as text"))
            elif isinstance(answer, str) and (why := plain_text_problem(answer)):
                problems.append(source.problem(at, f"the answer {why}", selected.approach,
                                               "keep to plain text"))
    return problems


def _profile(project: ProjectFile, rules: ProjectRules,
             source: SourceFile) -> tuple[CommunityProfile | None, list[Problem]]:
    named = project.community_profile
    if named is None:
        return profile_at(rules, project.place.country, project.place.area), []
    if named in rules.profiles:
        return rules.profiles[named], []
    path = (source.path.parent / named)
    if path.suffix.lower() not in (".yaml", ".yml", ".json") or not path.is_file():
        return None, [source.problem(
            ("community_profile",), "names neither a shipped community profile nor a profile "
            "file", None, did_you_mean(named, list(rules.profiles))
            + "use one of: " + ", ".join(rules.profiles) + ", or the path of a .yaml file")]
    profile_source = read_source(path, CASE_LIMITS)
    if isinstance(profile_source, Problem):
        return None, [profile_source]
    if rules.indicators is None:
        return None, []
    return check_profile(profile_source, rules.indicators)
