"""Reading a case file and checking it against the rules.

A misspelt element, a choice that is not in the element's list or an unknown question
stops with the field and the line, and nothing is evaluated on a half-understood case.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from engine.case.model import Case
from engine.errors import CaseError, Problem
from engine.loading.source_file import SourceFile, read_source
from engine.model.rulebook import RuleBook


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
