"""Trainers' commands: run personas as tests, hand them out, compare a trainee's choices;
what-ifs on a case; the impact of a rule change.

Each command reads its inputs with the case reader (``file:line`` problems, exit 2) and the
rules with the rule loader (exit 1), and prints words only at the end: every comparison is
made on codes.
"""

import gettext
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from engine.cli.command import (
    BackendOption,
    RulesOption,
    WeightsOption,
    err,
    open_case,
    reports_problems,
)
from engine.cli.output import OutputError, plan_format, writable_target, write_atomically
from engine.cli.terminal import say
from engine.errors import ArgumentError, Problem
from engine.loading.rulebook import load_rulebook, resolve_weight_set

if TYPE_CHECKING:
    from engine.case.model import Case
    from engine.model.rulebook import RuleBook
    from engine.presentation.wording import Wording

# engine.scenarios (and the templates and planning it brings) is imported in each command:
# scoring or recommending never needs it (cold start).

scenarios_app = typer.Typer(help="Trainer personas: run them as tests, hand them out, "
                            "compare a trainee's choices.", no_args_is_help=True)

OUTCOMES_CHANGED = 4
"""Exit status when the engine's outcome is not the one compared with: 'rules-diff' when
some case's outcome moves, 'scenarios run' when a scenario fails, 'scenarios compare' when
the trainee's choices differ. 0 is agreement; 1, 2 and 3 keep their meaning (rules that do
not validate, a bad input, the engine failing)."""

RUN_EPILOG = (
    "A failure shows, per expectation, where it is written (file:line), what it expects, what "
    "the engine gave and the trace that decided it. Exit 0 when all pass, 4 when any fails.")
TEACH_EPILOG = (
    "Without --key nothing the grid decides is shown; with it, the scores, the safeguards, "
    "every approach's status with the sentence that decided it, and the teaching note.")
COMPARE_EPILOG = (
    "Each difference is explained from the trace, in the trainee's language (the file's "
    "'language', or --lang). Exit 0 when they agree, 4 when they differ.")
HANDOUT_EPILOG = (
    "One persona per page with ruled space for the trainee's choices; the key gives the "
    "engine's answer and the teaching note. English, French, Spanish or Arabic.")
WHATIF_EPILOG = (
    "Scores, safeguards and approach statuses before and after; for each approach that moved, "
    "each side's deciding sentence and the values its indications read. --rule changes a "
    "derived copy of the rules, never the rules in use.")
RULES_DIFF_EPILOG = (
    "The rules that changed, by kind and id, then over the scenarios (and --cases) how many "
    "cases change status per approach, with examples and the reasons from both traces. Exit "
    "0: no outcome changes; 4: outcomes changed; 1: a rule folder does not validate.")


ScenarioPath = Annotated[Path | None, typer.Argument(
    help="A scenario file or a folder of them (default: the shipped personas).")]


def _persona_files(path: Path | None) -> list[Path]:
    """The scenario files of ``path`` (default: the shipped personas). A folder with none
    is a bad argument: it ran "0 passed, 0 failed" (exit 0) and wrote an empty handout."""
    from engine.scenarios.reading import SCENARIO_SUFFIXES, scenario_paths, shipped_scenarios
    found = scenario_paths(path or shipped_scenarios())
    if not found:
        raise ArgumentError([Problem(path or shipped_scenarios(), None, "no scenario files ("
                                     + " or ".join(sorted(SCENARIO_SUFFIXES)) + ") in this "
                                     "folder", hint="give a scenario file or the folder that "
                                     "holds them")])
    return found


def _width() -> int:
    return max(40, shutil.get_terminal_size((80, 24)).columns)


@scenarios_app.command("run", epilog=RUN_EPILOG)
@reports_problems
def run(path: ScenarioPath = None, rules: RulesOption = None,
        weights: WeightsOption = "default",
        backend: BackendOption = None,
        ) -> None:
    """Run scenarios as tests: PASS or FAIL each, with a diff and its trace."""
    from engine.scenarios.reading import read_scenarios
    from engine.scenarios.report import outcome_lines
    from engine.scenarios.running import ScenarioRunner
    book = load_rulebook(rules)
    scenarios = read_scenarios(_persona_files(path), book)
    runner = ScenarioRunner(book, resolve_weight_set(book, weights), backend)
    failed = 0
    for scenario in scenarios:
        outcome = runner.run(scenario)
        failed += not outcome.passed
        typer.echo("\n".join(outcome_lines(outcome, _width())))
    typer.echo(f"{len(scenarios) - failed} passed, {failed} failed "
               f"(rules {book.version}, {runner.pipeline.backend}).")
    if failed:
        raise typer.Exit(OUTCOMES_CHANGED)


LangOption = Annotated[str, typer.Option("--lang", "-l", help="Language: en, fr, es or ar.")]


@dataclass(frozen=True)
class _Language:
    words: "Wording"
    phrases: gettext.NullTranslations
    reviewed: bool


def _language(book: "RuleBook", lang: str) -> _Language:
    """The rules' texts and the catalog's words in ``lang`` (exit 2 for an unknown one)."""
    from engine.presentation.drafting import Drafter
    from engine.presentation.rendering import translations
    language = Drafter(book).language(lang)
    return _Language(language.words, translations(lang), language.localizer.reviewed)


@scenarios_app.command("teach", epilog=TEACH_EPILOG)
@reports_problems
def teach(persona: Annotated[str, typer.Argument(
              help="A shipped persona's id (see 'scenarios run') or a scenario file.")],
          key: Annotated[bool, typer.Option(
              "--key", help="Add the engine's answer, with its reasons, and the teaching "
              "note.")] = False,
          lang: LangOption = "en", rules: RulesOption = None,
          backend: BackendOption = None) -> None:
    """Print a persona as a trainer hands it out (--key: with the engine's answer)."""
    from engine.planning.pipeline import Pipeline
    from engine.scenarios.handout import Handout
    from engine.scenarios.reading import find_scenario, read_scenario
    from engine.scenarios.report import key_lines, sheet_lines
    book = load_rulebook(rules)
    scenario = read_scenario(find_scenario(persona), book)
    language = _language(book, lang)
    handout = Handout(language.words, language.phrases, lang)
    width = _width()
    typer.echo("\n".join(sheet_lines(handout.sheet(scenario), language.phrases, width)))
    if key:
        outcome = Pipeline(book, backend=backend).run(scenario.case)
        answer = handout.key(scenario, outcome.assessment, [s.id for s in outcome.safeguards])
        typer.echo("\n".join(key_lines(answer, language.phrases, width)))


@scenarios_app.command("compare", epilog=COMPARE_EPILOG)
@reports_problems
def compare(choices: Annotated[Path, typer.Argument(
                help="A trainee's choice file (scenario, language, recommend).")],
            lang: Annotated[str | None, typer.Option(
                "--lang", "-l", help="Language of the explanation (default: the file's).")
            ] = None,
            rules: RulesOption = None, backend: BackendOption = None) -> None:
    """Compare a trainee's choices for a persona with the engine's."""
    from engine.planning.pipeline import Pipeline
    from engine.scenarios.handout import Handout
    from engine.scenarios.reading import find_scenario, read_scenario
    from engine.scenarios.report import comparison_lines
    from engine.scenarios.training import Explainer, compare_choices, read_choices
    book = load_rulebook(rules)
    chosen = read_choices(choices, book)
    scenario = read_scenario(find_scenario(chosen.choices.scenario), book)
    language = _language(book, lang or chosen.choices.language)
    outcome = Pipeline(book, backend=backend).run(scenario.case)
    comparison = compare_choices(chosen.choices, outcome.assessment)
    explainer = Explainer(language.words, language.phrases)
    say(Handout(language.words, language.phrases, lang or chosen.choices.language)
        .title(scenario))  # wrapped: the French title of a persona ran to 81 columns
    typer.echo("\n".join(comparison_lines(comparison, explainer, _width())))
    if comparison.differences:
        raise typer.Exit(OUTCOMES_CHANGED)


@scenarios_app.command("handout", epilog=HANDOUT_EPILOG)
@reports_problems
def handout(output: Annotated[Path, typer.Option(
                "--output", "-o", help="The file to write: .pdf or .html.", dir_okay=False)],
            path: ScenarioPath = None,
            key: Annotated[bool, typer.Option(
                "--key", help="Write the answer key instead of the personas.")] = False,
            lang: LangOption = "en",
            force: Annotated[bool, typer.Option(
                "--force", help="Replace an existing file that this program did not write.")
            ] = False,
            rules: RulesOption = None, backend: BackendOption = None) -> None:
    """Write the trainer's handout, or with --key the answer key, as PDF or HTML."""
    from engine.planning.pipeline import Pipeline
    from engine.scenarios.handout import Handout, render_handout
    from engine.scenarios.reading import read_scenarios
    try:
        fmt = plan_format(output, None)
        if fmt == "md":
            raise OutputError("The handout is written as .pdf or .html.")
        target = writable_target(output, fmt, [], force)
        book = load_rulebook(rules)
        scenarios = read_scenarios(_persona_files(path), book)
        language = _language(book, lang)
        maker = Handout(language.words, language.phrases, lang)
        if key:
            pipeline = Pipeline(book, backend=backend)
            items: list = []
            for scenario in scenarios:
                outcome = pipeline.run(scenario.case)
                items.append(maker.key(scenario, outcome.assessment,
                                       [s.id for s in outcome.safeguards]))
        else:
            items = [maker.sheet(s) for s in scenarios]
        data = render_handout(items, "key" if key else "handout", fmt, lang,  # type: ignore[arg-type]
                              language.reviewed)
        write_atomically(target, data if isinstance(data, bytes) else data.encode())
    except OutputError as exc:
        err.print(str(exc), highlight=False, markup=False)
        raise typer.Exit(2) from None
    err.print(f"Wrote {output} ({'answer key' if key else 'handout'}, {len(scenarios)} "
              f"persona{'s' if len(scenarios) != 1 else ''}, {fmt}, {lang}).", highlight=False,
              markup=False)


def _case_or_persona(name: str, book: "RuleBook") -> "Case":
    """A case file, a scenario file or a shipped persona's id: the case in it."""
    from engine.case.reading import CASE_LIMITS
    from engine.loading.source_file import SourceFile, read_source
    from engine.scenarios.reading import find_scenario, read_scenario
    path = Path(name)
    if path.is_file():
        source = read_source(path, CASE_LIMITS)
        if not (isinstance(source, SourceFile) and isinstance(source.data, dict)
                and {"case", "expect"} <= set(source.data)):
            return open_case(path, book).case
    return read_scenario(find_scenario(name), book).case


def whatif(case: Annotated[str, typer.Argument(
               help="A case file, a scenario file, or a shipped persona's id.")],
           settings: Annotated[list[str] | None, typer.Option(
               "--set", help="ID=VALUE: an RSS element, a grid question or a case field "
               "(age, vulnerabilities, household.returned_with...); repeat for more.")] = None,
           rule_settings: Annotated[list[str] | None, typer.Option(
               "--rule", help="RULE_ID.FIELD=VALUE on a derived copy of the rules: "
               "APPROACH/indicated/N.below, APPROACH/LEVEL/QUESTION.supports, "
               "APPROACH/LEVEL.combine, weights/SET/ELEMENT.dimension, "
               "framework.scoring.comprehensive_support_below.value; repeat for more.")
           ] = None,
           rules: RulesOption = None, weights: WeightsOption = "default",
           backend: BackendOption = None) -> None:
    """What changes if answers or rules change: only what changed, and why."""
    from engine.presentation.wording import Wording
    from engine.scenarios.reform import reformed
    from engine.scenarios.report import difference_lines
    from engine.scenarios.whatif import WhatIf
    book = load_rulebook(rules)
    loaded = _case_or_persona(case, book)
    weight_set = resolve_weight_set(book, weights)
    changed, rule_changes = reformed(book, rule_settings) if rule_settings else (book, [])
    result = WhatIf(book, weight_set, backend, changed,
                    changed.weight_sets.get(weight_set.id, weight_set)
                    if weight_set is book.weight_sets.get(weight_set.id) else weight_set
                    ).run(loaded, settings or [])
    rules_shown = (book.version if changed is book else f"{book.version} → {changed.version}")
    typer.echo(f"What if, for {loaded.returnee_id} (rules {rules_shown}):")
    for change in rule_changes:
        was = "(framework default)" if change.was is None else _value(change.was)
        typer.echo(f"  rule {change.rule_id}: {change.field}: {was} → {_value(change.value)}")
    for setting in result.settings:
        typer.echo(f"  {'.'.join(setting.path)}: {_value(setting.was)} → "
                   f"{_value(setting.value)}")
    if result.difference.empty:
        typer.echo("Nothing changes: the same scores, statuses and modalities.")
        return
    typer.echo("\n".join(difference_lines(result.difference, Wording(book), Wording(changed),
                                          _width())))



def rules_diff(old_rules: Annotated[Path, typer.Argument(
                   help="The rules folder in use.", file_okay=False)],
               new_rules: Annotated[Path, typer.Argument(
                   help="The changed rules folder.", file_okay=False)],
               cases: Annotated[Path | None, typer.Option(
                   "--cases", help="A folder of case files to assess under both.",
                   file_okay=False, exists=True)] = None,
               scenarios: Annotated[Path | None, typer.Option(
                   "--scenarios", help="Scenario folder (default: the shipped personas).",
                   exists=True)] = None,
               examples: Annotated[int, typer.Option(
                   "--examples", min=0, help="Examples shown per approach.")] = 2,
               weights: Annotated[str, typer.Option(
                   "--weights", help="Weight set name, looked up in each rule book.")
               ] = "default",
               backend: BackendOption = None) -> None:
    """What changed between two rule folders, and whose outcome it moves."""
    from engine.loading.translations import load_translations
    from engine.presentation.wording import Wording
    from engine.scenarios.impact import ImpactRun, case_files
    from engine.scenarios.report import impact_lines
    old, new = load_rulebook(old_rules), load_rulebook(new_rules)
    run = ImpactRun(old, new, backend, weights, (load_translations(old), load_translations(new)))
    listed = case_files(cases) if cases else []
    if cases and not listed:  # a wrong folder was "Outcomes over 13 cases", said nothing
        raise ArgumentError([Problem(cases, None, "no case files (.yaml, .yml or .json) in "
                                     "this folder", hint="give the folder that holds them")])
    impact = run.run(_persona_files(scenarios), listed)
    typer.echo(f"Old rules: {old.version} ({old_rules})")
    typer.echo(f"New rules: {new.version} ({new_rules})")
    typer.echo("\n".join(impact_lines(impact, Wording(old), Wording(new), _width(),
                                      examples)))
    if impact.outcomes_changed:
        typer.echo(f"Outcomes changed (exit {OUTCOMES_CHANGED}).")
        raise typer.Exit(OUTCOMES_CHANGED)
    typer.echo("No change in outcomes (exit 0).")


def _value(value: object) -> str:
    if value is None or value == []:
        return "(none)"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def register(app: typer.Typer) -> None:
    app.add_typer(scenarios_app, name="scenarios")
    app.command("whatif", epilog=WHATIF_EPILOG)(reports_problems(whatif))
    app.command("rules-diff", epilog=RULES_DIFF_EPILOG)(reports_problems(rules_diff))
