"""Declared consistency pairs (issue 14): an RSS element and a grid question that ask the
same thing; a case whose two answers disagree is warned about at the grid answer's line,
and a pair naming an unknown element or choice is a located rule error."""

from __future__ import annotations

from pathlib import Path

from tests_support import break_line
from typer.testing import CliRunner

from engine.cli.app import app
from engine.model.rulebook import RuleBook

SENEGAL = Path(__file__).resolve().parent.parent / "examples" / "cases" / "senegal_returnee.yaml"
runner = CliRunner()


def test_the_declared_pairs(book: RuleBook) -> None:
    pairs = {q: question.same_as.element for q, question in book.questions.items()
             if question.same_as}
    assert pairs == {"pssref_wants_support": "wants_psychological_support",
                     "ess_cutting_meals": "food_insecurity_frequency"}


def test_a_disagreement_is_warned_at_the_grid_answer(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(SENEGAL.read_text().replace('  wants_psychological_support: "yes"',
                                                '  wants_psychological_support: "no"'))
    line = path.read_text().splitlines().index('  pssref_wants_support: "yes"') + 1
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stderr.split())
    assert (f"warning: {path}:{line}: grid answer pssref_wants_support: yes disagrees with "
            "the RSS answer wants_psychological_support: no") in flat


def test_answers_that_agree_are_not_warned_about() -> None:
    result = runner.invoke(app, ["validate", str(SENEGAL)])
    assert result.exit_code == 0 and "disagrees" not in result.stderr


def test_a_middle_choice_agrees_with_either(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(SENEGAL.read_text().replace(
        "grid_answers:\n", 'grid_answers:\n  ess_cutting_meals: "no"\n'))
    assert "food_insecurity_frequency: sometimes" in path.read_text()
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and "disagrees" not in result.stderr


def test_a_pair_naming_an_unknown_choice_is_located(rules_copy: Path) -> None:
    line = break_line(rules_copy, "feasibility_grids/economic.yaml",
                      r'"no": \[never\]', '"no": [nevermore]')
    result = runner.invoke(app, ["validate", "--rules", str(rules_copy)])
    assert result.exit_code == 1
    flat = " ".join(result.output.split())
    assert f"economic.yaml:{line}:" in flat and "'nevermore'" in flat
