"""The project development officer's commands: ``project-design`` drafts the design note of
a project file (its selected complementary approaches, the Conditions Analysis of each, the
community profile used and, with ``--cohort``, the evidence of demand); ``new-project``
writes a blank project file listing every approach with its questions."""

import json
import textwrap
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from engine.cli.command import JsonOption, RulesOption, err, reports_problems
from engine.cli.output import (
    OutputError,
    plan_format,
    writable_target,
    write_atomically,
    write_stdout,
)
from engine.errors import ArgumentError, Problem
from engine.loading.rulebook import load_rulebook


def register(app: typer.Typer) -> None:
    app.command("project-design")(reports_problems(project_design))
    app.command("new-project")(reports_problems(new_project))


def project_design(
        project_file: Annotated[Path | None, typer.Argument(
            help="Project file (YAML): place, community profile, selected approaches, "
            "answers.", dir_okay=False)] = None,
        cohort: Annotated[Path | None, typer.Option(
            "--cohort", help="Folder of case files of the place: the evidence of demand.",
            file_okay=False, exists=True)] = None,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="The date the cohort evidence counts from (year-month-day; "
            "default: today).")] = None,
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="File to write (.md, .html, .htm or .pdf); without it "
            "Markdown goes to stdout.", dir_okay=False)] = None,
        fmt: Annotated[str | None, typer.Option(
            "--format", "-f", help="html, pdf or md (default: from the -o file's "
            "extension).")] = None,
        lang: Annotated[str, typer.Option("--lang", "-l",
                                          help="Language: en, fr, es or ar.")] = "en",
        force: Annotated[bool, typer.Option(
            "--force", help="Replace an existing file that is not an earlier note or plan "
            "(an input is never replaced).")] = False,
        schema: Annotated[bool, typer.Option(
            "--schema", help="Print the JSON Schema of --json and stop.")] = False,
        rules: RulesOption = None, as_json: JsonOption = False) -> None:
    """Draft a project's design note: the Conditions Analysis of each selected approach."""
    from engine.project_design import contract
    from engine.project_design.cohort import cohort_evidence, read_cohort
    from engine.project_design.design import design
    from engine.project_design.project_file import read_project
    from engine.project_design.wording import note_in

    if schema:
        print(json.dumps(contract.json_schema(), indent=2, ensure_ascii=False))
        return
    if project_file is None:
        raise ArgumentError([Problem("PROJECT_FILE", None, "no project file given",
                                     hint="give one, or start one with 'reintegrate "
                                     "new-project -o FILE'")])
    if as_json and output is not None:
        raise ArgumentError([Problem("--json", None, "the JSON document goes to stdout",
                                     hint="leave out -o and redirect it: ... --json > FILE")])
    day = _day(as_of)
    try:
        chosen = plan_format(output, fmt)
        if output is None and chosen != "md" and not as_json:
            raise OutputError(f"A {chosen} note needs a file: add -o FILE.")
        target = None if output is None else writable_target(output, chosen, [project_file],
                                                               force)
        book = load_rulebook(rules)
        project, profile = read_project(project_file, book.project)
        evidence = None
        if cohort is not None:
            months = project.horizon_months
            from engine.model.timing import Period
            evidence = cohort_evidence(book, read_cohort(cohort, book), project.place.country,
                                       day, Period(months=months) if months else None)
        drafted = design(book, project, profile, evidence)
        if as_json:
            text: str | bytes = contract.to_json(contract.ProjectDesignDocument(drafted))
            chosen = "json"
        else:
            text, missing = note_in(book, drafted, chosen, lang)  # type: ignore[arg-type]
        if target is None:
            write_stdout(text if isinstance(text, str) else text.decode())
            return
        write_atomically(target, text if isinstance(text, bytes) else text.encode())
    except OutputError as exc:
        err.print(str(exc), highlight=False, markup=False)
        raise typer.Exit(2) from None
    texts = f"{len(missing)} rule text{'s' if len(missing) != 1 else ''}"
    note = "" if as_json or not missing else f"; {texts} fell back to English"
    err.print(f"Wrote {output} ({chosen}, {lang}{note}).", highlight=False, markup=False)


def _day(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentError([Problem("--as-of", None, "not a date",
                                     hint="write year-month-day, e.g. 2026-12-01")]) from None


def new_project(output: Annotated[Path, typer.Option(
                    "--output", "-o", help="The project file to create; an existing file is "
                    "never overwritten.", dir_okay=False)],
                rules: RulesOption = None) -> None:
    """Write a blank project file: every complementary approach with its questions."""
    from engine.cli.command import write_new_file
    from engine.project_design.blank import blank_project

    if output.exists():
        err.print(f"{output} already exists; new-project never overwrites a file — choose "
                  "another name, or move the existing file away first.", highlight=False,
                  markup=False)
        raise typer.Exit(2)
    write_new_file(output, blank_project(load_rulebook(rules)))
    err.print(f"Wrote {output}: fill in project, title and place, select approaches by "
              f"removing the '# ' before their lines, then run 'reintegrate project-design "
              f"{output}'.", highlight=False, markup=False)


def is_project_file(path: Path) -> bool:
    """Whether a file given to ``questions`` is a project file rather than a case file (it
    has ``project`` and ``approaches`` and no ``returnee_id``); anything unreadable is left
    to the case reader, which says why."""
    from engine.case.reading import CASE_LIMITS
    from engine.loading.source_file import SourceFile, read_source

    source = read_source(path, CASE_LIMITS) if path.is_file() else None
    data = source.data if isinstance(source, SourceFile) else None
    return isinstance(data, dict) and {"project", "approaches"} <= set(data) \
        and "returnee_id" not in data


def project_questions(path: Path, rules: Path | None, as_json: bool) -> None:
    """``questions`` on a project file: per selected approach, what is still to answer
    (after the community profile) and what is still to discuss."""
    from engine.project_design.design import design
    from engine.project_design.project_file import read_project

    book = load_rulebook(rules)
    project, profile = read_project(path, book.project)
    drafted = design(book, project, profile)
    found = [(a.approach, q) for a in drafted.approaches for q in a.open_questions]
    if as_json:
        typer.echo(json.dumps({"project": project.project, "rules_version": book.version,
                               "questions": [{"approach": a, "question": q} for a, q in found]},
                              indent=2, ensure_ascii=False))
        return
    width = 80
    typer.echo(f"What to answer next for project {project.project} (rules {book.version})")
    for analysis in drafted.approaches:
        approach = book.project.complementary[analysis.approach]
        typer.echo("")
        heading = f"{approach.number}. {approach.name} ({approach.id}): {analysis.outcome}"
        for line in textwrap.wrap(heading, width, subsequent_indent="  ",
                                  break_on_hyphens=False):
            typer.echo(line)
        for question_id in analysis.open_questions:
            question = book.project.question(question_id)
            assert question is not None
            kind = "yes/no" if question.answer == "yes_no" else "to discuss"
            typer.echo(f"  {question_id} [{kind}]")
            for line in textwrap.wrap(" ".join(question.text.split()), width - 6):
                typer.echo(f"      {line}")
    if not found:
        typer.echo("Nothing left to answer.")
