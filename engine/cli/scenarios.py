"""Trainers' commands: run personas as tests, hand them out, compare a trainee's choices;
what-ifs on a case; the impact of a rule change.

Each command reads its inputs with the case reader (``file:line`` problems, exit 2) and the
rules with the rule loader (exit 1), and prints words only at the end: every comparison is
made on codes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from engine.cli.app import RulesOption, WeightsOption, reports_problems
from engine.loading.rulebook import load_rulebook, resolve_weight_set
from engine.scenarios.reading import read_scenarios, scenario_paths, shipped_scenarios
from engine.scenarios.report import outcome_lines
from engine.scenarios.running import ScenarioRunner

scenarios_app = typer.Typer(help="Trainer personas: run them as tests, hand them out, "
                            "compare a trainee's choices.", no_args_is_help=True)

ScenarioPath = Annotated[Path | None, typer.Argument(
    help="A scenario file or a folder of them (default: the shipped personas).")]


def _width() -> int:
    return max(40, shutil.get_terminal_size((80, 24)).columns)


@scenarios_app.command("run")
@reports_problems
def run(path: ScenarioPath = None, rules: RulesOption = None,
        weights: WeightsOption = "default",
        backend: Annotated[str, typer.Option(
            "--backend", help="Inference backend: durable_rules or python.")] = "durable_rules",
        ) -> None:
    """Run scenarios: PASS or FAIL per persona, and for each failure expected against got
    with the trace that decided it. Exit 0 when all pass, 3 when any fails."""
    book = load_rulebook(rules)
    scenarios = read_scenarios(scenario_paths(path or shipped_scenarios()), book)
    runner = ScenarioRunner(book, resolve_weight_set(book, weights), backend)
    failed = 0
    for scenario in scenarios:
        outcome = runner.run(scenario)
        failed += not outcome.passed
        typer.echo("\n".join(outcome_lines(outcome, _width())))
    typer.echo(f"{len(scenarios) - failed} passed, {failed} failed "
               f"(rules {book.version}, {backend}).")
    if failed:
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    app.add_typer(scenarios_app, name="scenarios")
