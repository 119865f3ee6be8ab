"""The command-line front door: validate rules, score a case, recommend, explain.

Readable tables by default and ``--json`` for machines. A user's mistake (a bad case
file, a rule that does not validate) prints what is wrong and where, never a traceback:
exit code 2 for a bad case or argument, 1 for rules that do not validate.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from engine.case.model import Case
from engine.case.reading import load_case
from engine.cli.output import (
    OutputError,
    plan_format,
    writable_target,
    write_atomically,
    write_stdout,
)
from engine.errors import ProblemsFound, RuleErrors
from engine.evaluation.assessment import Assessment, Assessor
from engine.evaluation.results import ApproachResult
from engine.evaluation.scoring import Scores
from engine.loading.rulebook import load_rulebook, resolve_weight_set
from engine.loading.translations import load_translations
from engine.model.rulebook import RuleBook
from engine.presentation.catalogs import catalog_coverage, update_catalog
from engine.presentation.drafting import Drafter
from engine.presentation.localization import coverage, skeleton
from engine.presentation.rendering import render_plan, templates_dir

app = typer.Typer(help="Reintegration decision support: RSS scores and feasibility grids.",
                  no_args_is_help=True, add_completion=False)
out = Console()
err = Console(stderr=True, soft_wrap=True)

RulesOption = Annotated[Path | None, typer.Option(
    "--rules", help="Rules folder (default: the shipped rules).", file_okay=False)]
WeightsOption = Annotated[str, typer.Option(
    "--weights", help="Weight set: a shipped name (default, seed-example) or a YAML path.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
CaseArgument = Annotated[Path, typer.Argument(help="Case file (YAML or JSON).")]

F = TypeVar("F", bound=Callable[..., Any])


def reports_problems(command: F) -> F:
    """Print collected problems as sentences and exit with the documented code."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ProblemsFound as exc:
            heading = {"case": "The case file cannot be used",
                       "rules": "The rules do not validate",
                       "argument": "Bad argument"}.get(exc.kind, "Problems found")
            err.print(f"[bold red]{heading}[/] ({len(exc.problems)} problem"
                      f"{'s' if len(exc.problems) != 1 else ''}):", highlight=False)
            for problem in exc.problems:
                err.print(f"  {problem}", highlight=False, markup=False)
            raise typer.Exit(1 if isinstance(exc, RuleErrors) else 2) from None

    return run  # type: ignore[return-value]


def _prepare(case_path: Path, rules: Path | None, weights: str) -> tuple[RuleBook, Case, Assessor]:
    book = load_rulebook(rules)
    case = load_case(case_path, book)
    return book, case, Assessor(book, resolve_weight_set(book, weights))


def _emit_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@app.command()
@reports_problems
def validate(rules: RulesOption = None) -> None:
    """Check every rule file; print every problem with its file and line."""
    book = load_rulebook(rules)
    translations = load_translations(book)
    out.print(
        f"[green]Rules valid[/] (version {book.version}): {len(book.instrument.elements)} RSS "
        f"elements, {len(book.weight_sets)} weight sets, {len(book.approaches)} approaches, "
        f"{len(book.questions)} grid questions, translations: "
        f"{', '.join(sorted(translations)) or 'none'}.", highlight=False)


@app.command()
@reports_problems
def score(case: CaseArgument, rules: RulesOption = None, weights: WeightsOption = "default",
          as_json: JsonOption = False) -> None:
    """Score a case's RSS answers: three dimensions and the composite, with coverage."""
    _book, loaded, assessor = _prepare(case, rules, weights)
    scores = assessor.score(loaded)
    if as_json:
        _emit_json({"returnee_id": loaded.returnee_id, **scores_json(scores)})
        return
    out.print(scores_table(scores, loaded.returnee_id))


@app.command()
@reports_problems
def recommend(case: CaseArgument, rules: RulesOption = None, weights: WeightsOption = "default",
              as_json: JsonOption = False) -> None:
    """Run the feasibility grids on a case: a status, modality and reason per approach."""
    _book, loaded, assessor = _prepare(case, rules, weights)
    assessment = assessor.assess(loaded)
    if as_json:
        _emit_json(assessment_json(assessment))
        return
    out.print(scores_table(assessment.scores, loaded.returnee_id))
    out.print(recommendations_table(assessment))


@app.command()
@reports_problems
def explain(case: CaseArgument, approach_id: Annotated[str, typer.Argument(
                help="Approach id, as listed by 'recommend'.")],
            rules: RulesOption = None, weights: WeightsOption = "default",
            as_json: JsonOption = False) -> None:
    """Show everything that decided one approach: scores, answers, rule ids, provenance."""
    book, loaded, assessor = _prepare(case, rules, weights)
    assessment = assessor.assess(loaded)
    result = assessment.approach(approach_id)
    if result is None:
        err.print(f"No approach '{approach_id}'. Known: {', '.join(sorted(book.approaches))}",
                  highlight=False, markup=False)
        raise typer.Exit(2)
    if as_json:
        _emit_json({"rules_version": assessment.rules_version, **result.model_dump()})
        return
    print_explanation(result, assessment.rules_version)


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
         final: Annotated[bool, typer.Option("--final", help="Mark the plan final, not a "
                                             "draft.")] = False,
         rules: RulesOption = None, weights: WeightsOption = "default") -> None:
    """Draft the reintegration plan of a case, in HTML, PDF or Markdown, in a language."""
    try:
        chosen = plan_format(output, fmt)
        if output is None and chosen != "md":
            raise OutputError(f"A {chosen} plan needs a file: add -o FILE.")
        inputs = [case, *([Path(weights)] if Path(weights).is_file() else [])]
        target = None if output is None else writable_target(output, chosen, inputs, force)
        book = load_rulebook(rules)
        loaded = load_case(case, book)
        drafter = Drafter(book, resolve_weight_set(book, weights))
        document = render_plan(drafter.draft(loaded, lang, status="final" if final else "draft"),
                               chosen, lang)  # type: ignore[arg-type]
        if target is None:
            write_stdout(str(document))
            return
        write_atomically(target, document if isinstance(document, bytes) else document.encode())
    except OutputError as exc:
        err.print(str(exc), highlight=False, markup=False)
        raise typer.Exit(2) from None
    missing = drafter.untranslated(lang)
    note = f"; {len(missing)} rule texts fell back to English" if missing else ""
    err.print(f"Wrote {output} ({chosen}, {lang}{note}).", highlight=False, markup=False)


@app.command("i18n-status")
@reports_problems
def i18n_status(rules: RulesOption = None,
                update: Annotated[bool, typer.Option(
                    "--update", help="Rewrite the template catalogs with every current "
                    "message, keeping existing translations.")] = False,
                skeleton_of: Annotated[str | None, typer.Option(
                    "--skeleton", help="Print a rule-text file for this language with every "
                    "key, English as comments, for translators.")] = None) -> None:
    """How much of the rules and of the plan's own words each language translates."""
    book = load_rulebook(rules)
    translations = load_translations(book)
    if skeleton_of:
        print(skeleton(book, skeleton_of, translations.get(skeleton_of)), end="")
        return
    templates = templates_dir()
    table = Table(title="Translations (missing text falls back to English)")
    for column in ("language", "rule texts", "missing", "plan words", "missing", "unreviewed"):
        table.add_column(column)
    rule_coverage = {c.language: c for c in coverage(book, translations)}
    for language in sorted(translations):
        if update:
            update_catalog(templates, language)
        rule = rule_coverage[language]
        words = catalog_coverage(templates, language)
        unreviewed = (f"all {rule.translated} rule texts" if not rule.reviewed else "none")
        table.add_row(language, f"{rule.translated}/{rule.total}", str(rule.missing),
                      f"{words.translated}/{words.total}", str(words.missing),
                      f"{unreviewed}; {words.unreviewed} plan words")
    out.print(table)


# -- rendering -------------------------------------------------------------------------------

def scores_json(scores: Scores) -> dict[str, Any]:
    every = scores.all()
    return {
        "weight_set": scores.weight_set,
        "weight_set_official": scores.weight_set_official,
        "scores": {s.name: s.value for s in every},
        "coverage": {s.name: s.coverage for s in every},
        "details": {s.name: s.model_dump(exclude={"name", "value", "coverage"}) for s in every},
    }


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    return {
        "returnee_id": assessment.returnee_id,
        "monitoring_round": assessment.monitoring_round,
        "rules_version": assessment.rules_version,
        **scores_json(assessment.scores),
        "recommendations": [
            {"approach": a.approach, "dimension": a.dimension, "status": a.status,
             "modality": a.modality, "summary": a.summary, "reasons": a.reasons,
             "open_questions": [q.id for q in a.open_questions]}
            for a in assessment.approaches
        ],
    }


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def scores_table(scores: Scores, returnee_id: str) -> Table:
    official = "" if scores.weight_set_official else ", not the official IOM weights"
    table = Table(title=f"RSS scores for {returnee_id} (weights: {scores.weight_set}{official})")
    for column in ("score", "value", "coverage", "answered", "note"):
        table.add_column(column)
    for item in scores.all():
        table.add_row(item.name, _number(item.value), f"{item.coverage:.0%}",
                      f"{item.answered}/{item.applicable}", item.reason or "")
    return table


STATUS_STYLE = {"recommended": "green", "needs_answers": "yellow",
                "not_appropriate": "red", "not_indicated": "dim"}


def recommendations_table(assessment: Assessment) -> Table:
    table = Table(title=f"Approaches (rules {assessment.rules_version})", show_lines=False)
    for column in ("approach", "dimension", "status", "modality", "why"):
        table.add_column(column, overflow="fold")
    order = list(STATUS_STYLE)
    for result in sorted(assessment.approaches, key=lambda a: (order.index(a.status),
                                                               a.dimension, a.approach)):
        style = STATUS_STYLE[result.status]
        table.add_row(result.approach, result.dimension, f"[{style}]{result.status}[/]",
                      result.modality or "", result.summary)
    return table


def print_explanation(result: ApproachResult, rules_version: str) -> None:
    out.print(f"[bold]{result.name}[/] ({result.approach}) — {result.dimension}, "
              f"{result.category}", highlight=False)
    out.print(f"Status: [{STATUS_STYLE[result.status]}]{result.status}[/]"
              + (f", modality {result.modality}" if result.modality else ""), highlight=False)
    for reason in result.reasons:
        out.print(f"  • {reason}", highlight=False, markup=False)
    table = Table(title="Indication (any condition suffices)")
    for column in ("rule", "condition", "reads", "value", "result"):
        table.add_column(column, overflow="fold")
    for item in result.indication:
        table.add_row(item.rule_id, item.condition, item.reads,
                      "—" if item.value is None else str(item.value), item.truth)
    out.print(table)
    table = Table(title="Appropriateness by level")
    for column in ("level", "question", "answer", "supports", "outcome"):
        table.add_column(column, overflow="fold")
    for level in result.levels:
        if level.outcome == "not_applicable":
            table.add_row(level.level, "n/a", "", "", "satisfied (n/a)")
        for question in level.questions:
            table.add_row(f"{level.level} ({level.combine}: {level.outcome})", question.text,
                          question.answer or "—", question.supports, question.outcome)
    out.print(table)
    table = Table(title="Feasibility (first feasible option in order)")
    for column in ("modality", "questions", "outcome"):
        table.add_column(column, overflow="fold")
    for option in result.feasibility:
        asked = "; ".join(f"{q.text} [{q.answer or '—'}; needs {q.supports}]"
                          for q in option.questions)
        table.add_row(option.modality, asked, option.outcome)
    out.print(table)
    out.print(f"Rule ids that held: {', '.join(result.rule_ids) or 'none'}", highlight=False)
    for label, origin in (("Approach", result.approach_provenance),
                          ("Grid entry", result.grid_provenance)):
        note = "" if origin.provenance == "verbatim" else " — project guidance, not IOM's"
        out.print(f"{label}: {origin.provenance}{note}; source: {origin.source}",
                  highlight=False, markup=False)
    out.print(f"Rules version: {rules_version}", highlight=False)
