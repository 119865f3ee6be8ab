"""Intake help on the command line: a blank case file, what to ask next, the rules themselves.

``new-case`` starts a case file from the rules, ``questions`` says what to ask next and who
can answer it, ``rules show`` prints one rule with where it comes from, and ``--version``
names the package and the rules a result was made with. Text is wrapped to the terminal
(80 columns when it is not one) and never splits an id.
"""

import json
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Annotated

import typer

import engine
from engine.cli.command import (
    CaseArgument,
    JsonOption,
    RulesOption,
    WeightsOption,
    err,
    open_case,
    reports_problems,
    write_new_file,
)
from engine.cli.terminal import say
from engine.errors import RuleErrors
from engine.evaluation.backends import default_backend, unavailable
from engine.loading.office import ENVIRONMENT, choose_office_folder
from engine.loading.rulebook import load_rulebook, resolve_weight_set
from engine.model.rulebook import RuleBook
from engine.planning.asking import NextQuestions, QuestionToAsk, next_questions
from engine.planning.pipeline import Pipeline
from engine.planning.settling import FIRST_SESSION_SIZE, Settling, first_of
from engine.presentation.case_template import blank_case
from engine.presentation.rule_sheets import RuleSheet, rule_ids, rule_sheets, similar_ids

rules_app = typer.Typer(help="Read the rules: one element, question or approach, with its "
                        "provenance.", no_args_is_help=True)


class Grouping(StrEnum):
    answerer = "answerer"
    approach = "approach"


def register(app: typer.Typer) -> None:
    """The front door's own options (--version, --office), new-case, questions and rules show."""
    app.callback()(front_door)
    app.command("new-case")(new_case)
    app.command()(questions)
    app.add_typer(rules_app, name="rules")


def _version_callback(value: bool) -> None:
    if not value:
        return
    try:
        package = metadata.version("reintegrate")
    except metadata.PackageNotFoundError:
        package = engine.__version__
    try:
        book = load_rulebook()
    except RuleErrors:
        typer.echo(f"reintegrate {package}, rules version unknown: the shipped rules do not "
                   "validate (run 'reintegrate validate')")
        raise typer.Exit(1) from None
    backend = default_backend()
    why = unavailable("durable_rules")
    note = f" (durable_rules: {why})" if why else ""
    typer.echo(f"reintegrate {package}, rules version {book.version} ({book.root}), "
               f"inference backend {backend}{note}")
    raise typer.Exit()


def front_door(version: Annotated[bool, typer.Option(
        "--version", help="Print the package version and the rules version (a content hash), "
        "then stop.", callback=_version_callback, is_eager=True)] = False,
        office: Annotated[Path | None, typer.Option(
            "--office", envvar=ENVIRONMENT, file_okay=False, is_eager=True,
            callback=choose_office_folder,
            help="Your office's folder: services/ (service directories, one YAML file per "
            "country, adding or replacing the shipped ones) and office.yaml (feedback: how "
            "a returnee gives feedback or complains).")] = None) -> None:
    """Reintegration decision support: RSS scores and feasibility grids (``--office`` is
    taken before ``--version``, which names the rules it would use)."""


# -- new-case ------------------------------------------------------------------------------

@reports_problems
def new_case(output: Annotated[Path, typer.Option(
                 "--output", "-o", help="The case file to create; an existing file is never "
                 "overwritten.", dir_okay=False)],
             rules: RulesOption = None) -> None:
    """Write a blank case file: every field, every RSS element with its choices, no answers."""
    book = load_rulebook(rules)
    write_new_file(output, blank_case(book))
    err.print(f"Wrote {output}: fill in returnee_id and the fields marked 'required', then "
              f"run 'reintegrate validate {output}'.", highlight=False, markup=False)


# -- questions -----------------------------------------------------------------------------

@reports_problems
def questions(case: CaseArgument,
              by: Annotated[Grouping, typer.Option(
                  "--by", help="Group by who can answer, or by approach.")] = Grouping.answerer,
              everything: Annotated[bool, typer.Option(
                  "--all", help="Also list the grid questions of approaches whose need the "
                  "RSS has not shown yet.")] = False,
              first_session: Annotated[bool, typer.Option(
                  "--first-session", help=f"Only the {FIRST_SESSION_SIZE} grid questions "
                  "whose answers can settle the most approaches (ask them first, then run "
                  "this again).")] = False,
              rules: RulesOption = None, weights: WeightsOption = "default",
              as_json: JsonOption = False) -> None:
    """What to ask next, with who answers: the questions that settle the most approaches first."""
    # for a project file: the questions of its approaches still to answer or discuss
    from engine.cli.project_design import is_project_file, project_questions
    if is_project_file(case):
        project_questions(case, rules, as_json)
        return
    book = load_rulebook(rules)
    loaded = open_case(case, book).case
    weight_set = resolve_weight_set(book, weights)
    outcome = Pipeline(book, weight_set).run(loaded)
    assessment = outcome.assessment
    found = next_questions(book, outcome, everything)
    ranked = Settling(book, weight_set).ranked(outcome, found)
    first = [r.question.id for r in first_of(ranked)]
    settles = {r.question.id: list(r.settles) for r in ranked}
    by_id = {r.question.id: r.question for r in ranked}
    # a first session with no question that settles an approach alone asks them all
    session = [by_id[i] for i in first] if first_session and first else [
        r.question for r in ranked]
    found.questions = [q for q in found.questions if q.kind == "rss"] + session
    if as_json:
        typer.echo(json.dumps({
            "returnee_id": loaded.returnee_id, "rules_version": book.version,
            "questions": [{**vars(q), "settles": settles.get(q.id, [])}
                          for q in found.rss_first()],
            "first_session": first, "waiting": found.waiting,
        }, indent=2, ensure_ascii=False))
        return
    say(f"What to ask next for {loaded.returnee_id} (rules {book.version})")
    if first_session:
        say(_first_session(len(first), len(ranked), bool(found.waiting)))
    if by is Grouping.answerer:
        _by_answerer(book, found)
    else:
        _by_approach(book, found, {r.approach: r.status for r in assessment.approaches})
    if not found.questions:
        say("Nothing left to ask: every approach is decided.")
    if found.waiting:
        say()
        say(f"Waiting for the RSS to show whether they are needed, before their grid "
             f"questions count: {', '.join(found.waiting)}. Add --all to list those "
             "questions now.")


def _first_session(first: int, open_now: int, waiting: bool) -> str:
    """What the first session holds, said plainly: "the 0 grid questions whose answers..."
    was printed when every grid question was answered."""
    rss = " (the RSS first, if any of it is open)"
    if first == 1:
        return (f"First session: the one grid question whose answer can settle an approach "
                f"now{rss}.")
    if first:
        return (f"First session: the {first} grid questions whose answers can settle the most "
                f"approaches now{rss}.")
    if open_now:
        return (f"First session: no grid question settles an approach on its own now; ask "
                f"the {open_now} below together{rss}.")
    if waiting:
        return ("First session: no grid question is left to ask until the RSS shows whether "
                "the approaches named below are needed.")
    return "First session: no grid question is left to ask; every one that counts is answered."


def _by_answerer(book: RuleBook, found: NextQuestions) -> None:
    names = {t.id: t.name for t in book.framework.answerers}
    for who, asked in found.by_answerer(book):
        say()
        heading = names[who] if who else "Not stated in the rules (whoever knows)"
        say(f"{heading}: {len(asked)} question{'s' if len(asked) != 1 else ''}")
        for question in asked:
            _question(question, f"decides: {', '.join(question.approaches)}")


def _by_approach(book: RuleBook, found: NextQuestions, statuses: dict[str, str]) -> None:
    names = {t.id: t.name for t in book.framework.answerers}
    for approach_id, asked in found.by_approach():
        say()
        say(f"{book.approaches[approach_id].name} ({approach_id}): {statuses[approach_id]}",
             hanging=2)
        for question in asked:
            who = names.get(question.answered_by or "", "not stated in the rules")
            _question(question, f"answered by: {who}")


def _question(question: QuestionToAsk, detail: str) -> None:
    say(f"{question.id}" + ("  [RSS]" if question.kind == "rss" else ""), indent=2)
    say(question.text, indent=6)
    say(detail, indent=6, hanging=2)


# -- rules show ----------------------------------------------------------------------------

@rules_app.command("show")
@reports_problems
def rules_show(rule_id: Annotated[str | None, typer.Argument(
                   help="An RSS element, grid question or approach id; none lists them.")
               ] = None,
               rules: RulesOption = None) -> None:
    """Print one rule's data (text, choices, levels, thresholds) with its provenance."""
    book = load_rulebook(rules)
    if rule_id is None:
        for kind, ids in rule_ids(book).items():
            say()
            say(f"{kind} ({len(ids)}): {', '.join(ids)}", hanging=2)
        return
    sheets = rule_sheets(book, rule_id)
    if not sheets:
        close = similar_ids(book, rule_id)
        hint = (f"did you mean {' or '.join(close)}?" if close
                else "run 'reintegrate rules show' to list the ids")
        err.print(f"No RSS element, grid question or approach '{rule_id}' — {hint}",
                  highlight=False, markup=False)
        raise typer.Exit(2)
    for sheet in sheets:
        _sheet(sheet)


def _sheet(sheet: RuleSheet) -> None:
    say(f"{sheet.kind} {sheet.id}: {sheet.title}", hanging=2)
    for label, value in sheet.fields:
        say(f"{label}: {value}", indent=2, hanging=4)
    for origin in sheet.origins:
        say(f"provenance of the {origin.part}: {origin.note}", indent=2, hanging=4)
        say(f"source: {origin.source}", indent=4, hanging=4)
