"""A returnee's case file: pseudonymous id, profile, RSS answers and grid answers.

Read from YAML or JSON and checked against the rules: a misspelt element, a choice that
is not in the element's list or an unknown question stops with the field and the line,
and nothing is evaluated on a half-understood case.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError

from engine.errors import CaseError, Problem
from engine.rule_model import Id, RuleModel
from engine.rulebook import RuleBook
from engine.source_file import SourceFile, read_source

Answer = Literal["yes", "no"]

_ANSWER_WORDS: dict[Any, str | None] = {
    True: "yes", False: "no", "yes": "yes", "no": "no", "y": "yes", "n": "no",
    None: None, "": None, "unknown": None, "unanswered": None,
}


def _normalise_answer(value: Any) -> Any:
    """Accept yes/no, true/false and blank for a grid answer; blank means not asked yet."""
    key = value.strip().lower() if isinstance(value, str) else value
    return _ANSWER_WORDS.get(key, value)


GridAnswer = Annotated[Answer | None, BeforeValidator(_normalise_answer)]


class Household(RuleModel):
    size: int | None = Field(default=None, ge=1)
    school_aged_children: int = Field(default=0, ge=0)


class Profile(RuleModel):
    age: int = Field(ge=0, le=120)
    sex: Literal["female", "male", "other", "not_stated"]
    country_of_return: str
    place_of_return: str
    date_of_return: date
    household: Household = Household()
    vulnerabilities: list[Id] = []


class Consent(RuleModel):
    """What the returnee agreed to, recorded when the case was opened."""

    data_processing: bool
    share_with_service_providers: bool = False
    recorded_on: date | None = None


class Case(RuleModel):
    returnee_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$")]
    monitoring_round: Id = "baseline"
    assessed_on: date | None = None
    case_manager: str | None = None
    profile: Profile
    consent: Consent | None = None
    goals: str | None = None
    rss: dict[Id, Id] = {}
    grid_answers: dict[Id, GridAnswer] = {}


def load_case(path: Path, book: RuleBook) -> Case:
    """Read and check a case file against the rules; raise CaseError naming every problem."""
    source = read_source(Path(path))
    if isinstance(source, Problem):
        raise CaseError([source])
    if not isinstance(source.data, dict):
        raise CaseError([Problem(path, 1, "a case file is a mapping of fields",
                                 hint="see 'Case file' in the README")])
    return case_from_source(source, book)


def case_from_source(source: SourceFile, book: RuleBook) -> Case:
    try:
        case = Case.model_validate(source.data)
    except ValidationError as exc:
        raise CaseError(source.validation_problems(exc)) from None
    problems = check_case(case, book, source)
    if problems:
        raise CaseError(problems)
    return case


def check_case(case: Case, book: RuleBook, source: SourceFile) -> list[Problem]:
    """Cross-check a case against the rules it will be evaluated with."""
    problems: list[Problem] = []
    framework = book.framework
    for element_id, choice in case.rss.items():
        element = book.instrument.element(element_id)
        if element is None:
            problems.append(source.problem(
                ("rss", element_id), f"unknown RSS element '{element_id}'", element_id,
                "use an element id from rules/instrument/"))
        elif element.choice(choice) is None:
            names = ", ".join(c.name for c in element.choices)
            problems.append(source.problem(
                ("rss", element_id), f"'{choice}' is not a choice of element '{element_id}'",
                element_id, f"use one of: {names}"))
    for question_id in case.grid_answers:
        if question_id not in book.questions:
            problems.append(source.problem(
                ("grid_answers", question_id), f"unknown grid question '{question_id}'",
                question_id, "use a question id from rules/feasibility_grids/"))
    for index, vulnerability in enumerate(case.profile.vulnerabilities):
        if vulnerability not in framework.ids("vulnerabilities"):
            problems.append(source.problem(
                ("profile", "vulnerabilities", index), f"unknown vulnerability '{vulnerability}'",
                vulnerability, "use one of: " + ", ".join(framework.ids("vulnerabilities"))))
    if case.monitoring_round not in framework.ids("monitoring_rounds"):
        problems.append(source.problem(
            ("monitoring_round",), f"unknown monitoring round '{case.monitoring_round}'",
            None, "use one of: " + ", ".join(framework.ids("monitoring_rounds"))))
    return problems
