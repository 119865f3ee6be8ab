"""The command-line front door: validate rules, score a case, recommend, explain, plan.

Readable tables by default and ``--json`` for machines. A user's mistake (a bad case
file, a rule that does not validate) prints what is wrong and where, never a traceback:
exit code 2 for a bad case or argument, 1 for rules that do not validate. The other
commands (intake, the interview, project design, scenarios, translations, the batch, the
web workspace) are modules of their own that register on this app; what every command
shares is ``engine.cli.command``.
"""

import difflib
import json
import textwrap
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import RenderableType
from rich.markup import escape

from engine.case.reading import CaseReading
from engine.cli import (
    batch,
    intake,
    interview,
    project_design,
    scenarios,
    translations,
    web,
)
from engine.cli.command import (
    BackendOption,
    CaseArgument,
    JsonOption,
    RulesOption,
    WeightsOption,
    err,
    open_case,
    out,
    reports_problems,
)
from engine.cli.output import (
    OutputError,
    plan_format,
    writable_target,
    write_atomically,
    write_stdout,
)
from engine.errors import (
    ArgumentError,
    CaseError,
    Problem,
)
from engine.loading.rulebook import load_rulebook, resolve_weight_set, validate_rules
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Outcome, Pipeline
from engine.presentation.console import (
    decision_line,
    explanation,
    recommendations_table,
    scores_table,
)
from engine.presentation.wording import Wording

app = typer.Typer(help="Reintegration decision support: RSS scores and feasibility grids.",
                  no_args_is_help=True, add_completion=False)

SCHEMA_NAMES = ("scores", "assessment", "approach", "errors", "case")
"""``engine.presentation.contract.SCHEMAS`` by name: the contract (pydantic type adapters)
is imported only when JSON is asked for, which keeps every other command's start short."""


class Document(StrEnum):
    """Which document ``plan`` drafts from the one plan model."""

    plan = "plan"
    worksheet = "worksheet"


def outcome_of(reading: CaseReading, pipeline: Pipeline) -> Outcome:
    """The case's outcome, once its decisions and actions agree with the advice (an action
    under an approach nobody decided to take up is a mistake in the case file, reported
    with its line). A child's consent recorded as the child's own is warned about here."""
    from engine.planning.child_consent import child_s_own_consent
    from engine.presentation.gaps import CHILD_S_OWN_CONSENT, issue_sentence
    outcome = pipeline.run(reading.case)
    if outcome.issues:
        raise CaseError([reading.problem(i.loc, *issue_sentence(i)) for i in outcome.issues])
    at = child_s_own_consent(reading.case, outcome.guardian_required)
    if at is not None:
        warning = reading.problem(at, *CHILD_S_OWN_CONSENT)
        err.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    return outcome


def _prepare(case_path: Path, rules: Path | None, weights: str,
             backend: str | None = None) -> tuple[RuleBook, CaseReading, Pipeline]:
    book = load_rulebook(rules)
    reading = open_case(case_path, book)
    return book, reading, Pipeline(book, resolve_weight_set(book, weights), backend)


def _print_all(renderables: Iterable[RenderableType]) -> None:
    for renderable in renderables:
        out.print(renderable)


@app.command()
@reports_problems
def validate(cases: Annotated[list[Path] | None, typer.Argument(
                 help="Case files to check against the rules (YAML or JSON).")] = None,
             rules: RulesOption = None, backend: BackendOption = None) -> None:
    """Check every rule file, then each case file given; print every problem with its line."""
    book, translations = validate_rules(rules)
    pipeline = Pipeline(book, backend=backend)
    out.print(
        f"[green]Rules valid[/] (version {book.version}): {len(book.instrument.elements)} RSS "
        f"elements, {len(book.weight_sets)} weight sets, {len(book.approaches)} approaches, "
        f"{len(book.questions)} grid questions, translations: "
        f"{', '.join(sorted(translations)) or 'none'}; backend "
        f"{pipeline.backend}.", highlight=False)
    problems = []
    for case_path in cases or []:
        try:
            outcome_of(open_case(case_path, book), pipeline)
        except CaseError as exc:  # every file is checked before reporting
            problems += exc.problems
        else:
            # a path is printed whole (never wrapped inside a name) and never read as markup
            out.print(f"[green]Case valid[/]: {escape(str(case_path))}", highlight=False,
                      soft_wrap=True)
    if problems:
        raise CaseError(problems)


@app.command()
@reports_problems
def score(case: CaseArgument, rules: RulesOption = None, weights: WeightsOption = "default",
          as_json: JsonOption = False) -> None:
    """Score a case's RSS answers: three dimensions and the composite, with coverage."""
    book, reading, pipeline = _prepare(case, rules, weights)
    loaded = reading.case
    scores = pipeline.score(loaded)
    if as_json:
        from engine.presentation.contract import ScoresDocument, to_json
        print(to_json(ScoresDocument(loaded.returnee_id, scores)))
        return
    out.print(scores_table(scores, loaded.returnee_id, Wording(book)))


@app.command()
@reports_problems
def recommend(case: CaseArgument, rules: RulesOption = None, weights: WeightsOption = "default",
              as_json: JsonOption = False, backend: BackendOption = None) -> None:
    """Run the feasibility grids on a case: a status, modality and reason per approach."""
    book, reading, pipeline = _prepare(case, rules, weights, backend)
    assessment = outcome_of(reading, pipeline).assessment
    if as_json:
        from engine.presentation.contract import AssessmentDocument, to_json
        print(to_json(AssessmentDocument(assessment, tuple(reading.case.decisions))))
        return
    words = Wording(book)
    out.print(scores_table(assessment.scores, reading.case.returnee_id, words))
    out.print(recommendations_table(assessment, book, words))
    _print_all(decision_line(d, book) for d in reading.case.decisions)


@app.command()
@reports_problems
def explain(case: CaseArgument, approach_id: Annotated[str, typer.Argument(
                help="Approach id, as listed by 'recommend'.")],
            rules: RulesOption = None, weights: WeightsOption = "default",
            as_json: JsonOption = False, backend: BackendOption = None) -> None:
    """Show everything that decided one approach: scores, answers, rule ids, provenance."""
    book, reading, pipeline = _prepare(case, rules, weights, backend)
    if approach_id not in book.approaches:
        raise ArgumentError([Problem("APPROACH_ID", None, f"no approach '{approach_id}'",
                                     hint=_known_approaches(book, approach_id))])
    assessment = outcome_of(reading, pipeline).assessment
    result = assessment.approach(approach_id)
    assert result is not None  # every approach of the book is assessed
    decision = next((d for d in reading.case.decisions if d.approach == approach_id), None)
    if as_json:
        from engine.presentation.contract import ApproachDocument, to_json
        print(to_json(ApproachDocument(assessment.rules_version, result, decision)))
        return
    _print_all(explanation(result, book, Wording(book), assessment.rules_version))
    if decision is not None:
        out.print(decision_line(decision, book))


def _known_approaches(book: RuleBook, wanted: str) -> str:
    close = difflib.get_close_matches(wanted, list(book.approaches), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'? ('reintegrate recommend' lists every approach)"
    return "use one of: " + ", ".join(sorted(book.approaches))


@app.command()
@reports_problems
def plan(case: CaseArgument,
         fmt: Annotated[str | None, typer.Option(
             "--format", "-f", help="html, pdf or md (default: from the -o file's extension; "
             "md on stdout).")] = None,
         lang: Annotated[str, typer.Option("--lang", "-l",
                                           help="Language: en, fr, es or ar.")] = "en",
         output: Annotated[Path | None, typer.Option(
             "--output", "-o", help="File to write (.md, .html, .htm or .pdf); without it "
             "Markdown goes to stdout.", dir_okay=False)] = None,
         force: Annotated[bool, typer.Option(
             "--force", help="Replace an existing file that is not an earlier plan (an input "
             "is never replaced).")] = False,
         document: Annotated[Document, typer.Option(
             "--document", "-d", help="plan: the returnee's plan to agree and sign; "
             "worksheet: the case manager's questions, set-aside approaches and sources.")
         ] = Document.plan,
         final: Annotated[bool, typer.Option(
             "--final", help="The plan to sign, not a draft: refused, with what is missing, "
             "until every recommended approach has an agreed action or a decision.")] = False,
         rules: RulesOption = None, weights: WeightsOption = "default",
         backend: BackendOption = None) -> None:
    """Draft the returnee's plan (or the case manager's worksheet) in HTML, PDF or Markdown."""
    # imported here: drafting and rendering are not needed to score or recommend (cold start)
    from engine.planning.agreement import NotReadyToSign
    from engine.presentation.drafting import Drafter
    from engine.presentation.gaps import gap_sentence
    if final and document is Document.worksheet:
        raise ArgumentError([Problem("--final", None, "only the returnee's plan is signed",
                                     hint="leave out --final for the worksheet")])
    try:
        chosen = plan_format(output, fmt)
        if output is None and chosen != "md":
            raise OutputError(f"A {chosen} {document.value} needs a file: add -o FILE.")
        inputs = [case, *([Path(weights)] if Path(weights).is_file() else [])]
        target = None if output is None else writable_target(output, chosen, inputs, force)
        book, reading, pipeline = _prepare(case, rules, weights, backend)
        drafter = Drafter(book)
        drafted = drafter.draft(outcome_of(reading, pipeline), lang,
                                status="final" if final else "draft")
        text = drafter.render(drafted, chosen, lang, document.value)  # type: ignore[arg-type]
        if target is None:
            write_stdout(str(text))
            return
        write_atomically(target, text if isinstance(text, bytes) else text.encode())
    except OutputError as exc:
        err.print(str(exc), highlight=False, markup=False)
        raise typer.Exit(2) from None
    except NotReadyToSign as exc:
        err.print(f"The plan cannot be final yet ({len(exc.gaps)} thing"
                  f"{'s' if len(exc.gaps) != 1 else ''} missing in {case}):",
                  highlight=False, markup=False)
        for gap in exc.gaps:
            err.print(textwrap.fill(gap_sentence(gap), width=min(err.width, 100),
                                    initial_indent="  - ", subsequent_indent="    "),
                      highlight=False, markup=False)
        err.print("Nothing was written. Draft it without --final until then.",
                  highlight=False, markup=False)
        raise typer.Exit(2) from None
    missing = drafter.untranslated(lang)
    note = (f"; {len(missing)} rule text{'s' if len(missing) != 1 else ''} fell back to English"
            if missing else "")
    err.print(f"Wrote {output} ({document.value}, {chosen}, {lang}{note}).", highlight=False,
              markup=False)


@app.command()
def schema(document: Annotated[str, typer.Argument(
        help="Which document: " + ", ".join(SCHEMA_NAMES) + ".")] = "assessment") -> None:
    """Print the JSON Schema of a --json document or of the case file.

    A --json document's schema is the versioned contract; the case file's serves forms."""
    from engine.presentation.contract import json_schema
    if document not in SCHEMA_NAMES:
        err.print(f"No document '{document}': use one of {', '.join(SCHEMA_NAMES)}.",
                  highlight=False, markup=False)
        raise typer.Exit(2)
    print(json.dumps(json_schema(document), indent=2, ensure_ascii=False))


# The other commands, after these (the order --help lists them in).
for commands in (intake, interview, project_design, scenarios, translations, batch, web):
    commands.register(app)
