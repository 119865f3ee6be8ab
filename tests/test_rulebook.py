"""Rule validation: shipped rules pass; each kind of mistake names file, line, rule id.

Like pySigma's fixtures, each test breaks one thing in a copy of the shipped rules and
expects the message fragment and the exact line of the break.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests_support import break_line
from typer.testing import CliRunner

from engine.cli.app import app
from engine.errors import RuleErrors
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook

PSY_GRID = Path("feasibility_grids/psychosocial.yaml")
PSY_APPROACHES = Path("interventions/psychosocial.yaml")


def _messages(rules: Path) -> list[str]:
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules)
    return [str(problem) for problem in caught.value.problems]


def _expect(rules: Path, relative: Path, line: int, *fragments: str) -> None:
    messages = _messages(rules)
    location = f"{rules / relative}:{line}:"
    matching = [m for m in messages if m.startswith(location)]
    assert matching, f"nothing at {location}; got:\n" + "\n".join(messages)
    assert any(all(f in m for f in fragments) for m in matching), matching


def test_shipped_rules_validate(book: RuleBook) -> None:
    assert len(book.instrument.elements) == 30
    assert len(book.approaches) == len(book.entries)
    assert re.fullmatch(r"[0-9a-f]{12}", book.version)


def test_validate_command_passes() -> None:
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "Rules valid" in result.output


def test_unknown_field(rules_copy: Path) -> None:
    line = break_line(rules_copy, PSY_GRID, r"^  - approach: pss_provider_referral$",
                  "  - approach: pss_provider_referral\n    colour: blue")
    _expect(rules_copy, PSY_GRID, line + 1, "unknown field 'colour'")


def test_unknown_element(rules_copy: Path) -> None:
    line = break_line(rules_copy, PSY_GRID, r"element: distress_frequency, points_below",
                  "element: distress_frequncy, points_below")
    _expect(rules_copy, PSY_GRID, line, "'pss_provider_referral'",
            "unknown element 'distress_frequncy'")


def test_unknown_question(rules_copy: Path) -> None:
    line = break_line(rules_copy, PSY_GRID, r"question: pssref_services_nearby",
                  "question: pssref_services_near")
    _expect(rules_copy, PSY_GRID, line, "'pss_provider_referral'",
            "unknown question 'pssref_services_near'")


def test_unknown_approach(rules_copy: Path) -> None:
    line = break_line(rules_copy, PSY_GRID, r"^  - approach: buddy_system$",
                  "  - approach: buddy_sistem")
    _expect(rules_copy, PSY_GRID, line, "'buddy_sistem'", "unknown approach 'buddy_sistem'")
    assert any("'buddy_system': approach has no grid entry" in m for m in _messages(rules_copy))


def test_duplicate_approach_id(rules_copy: Path) -> None:
    break_line(rules_copy, PSY_APPROACHES, r"^  - id: buddy_system$",
               "  - id: mentorship_programme")
    lines = (rules_copy / PSY_APPROACHES).read_text().splitlines()
    second = [i + 1 for i, text in enumerate(lines) if text == "  - id: mentorship_programme"][1]
    _expect(rules_copy, PSY_APPROACHES, second, "'mentorship_programme'", "duplicate approach id")


def test_duplicate_question_id(rules_copy: Path) -> None:
    line = break_line(rules_copy, PSY_GRID, r"^  pssref_wants_support:$", "  biz_wants_business:")
    _expect(rules_copy, PSY_GRID, line, "'biz_wants_business'", "duplicate question id",
            "already defined in economic.yaml")


def test_bad_combine_operator(rules_copy: Path) -> None:
    line = break_line(rules_copy, PSY_GRID, r"combine: any", "combine: most")
    _expect(rules_copy, PSY_GRID, line, "combine", "'all' or 'any'")


def test_bad_condition_operator(rules_copy: Path) -> None:
    line = break_line(rules_copy, PSY_GRID, r"element: distress_frequency, points_below",
                  "element: distress_frequency, points_above")
    _expect(rules_copy, PSY_GRID, line, "unknown condition")


def test_threshold_outside_unit_interval(rules_copy: Path) -> None:
    line = break_line(rules_copy, PSY_GRID, r"points_below: 0\.5\}", "points_below: 1.5}")
    _expect(rules_copy, PSY_GRID, line, "points_below", "less than or equal to 1")


def test_missing_source(rules_copy: Path) -> None:
    path = rules_copy / PSY_APPROACHES
    text = path.read_text()
    start = text.index("  - id: buddy_system")
    source_at = text.index("    source:", start)
    end = text.index("\n    provenance:", source_at)
    path.write_text(text[:source_at] + text[end + 1:])
    line = text[:start].count("\n") + 1
    _expect(rules_copy, PSY_APPROACHES, line, "'buddy_system'", "missing field 'source'")


def test_malformed_yaml(rules_copy: Path) -> None:
    line = break_line(rules_copy, PSY_GRID, r"^  - approach: buddy_system$",
                  "  - approach: [buddy_system")
    messages = _messages(rules_copy)
    assert any(m.startswith(f"{rules_copy / PSY_GRID}:") and "not valid YAML" in m
               for m in messages), messages
    assert line > 0


def test_every_error_is_printed_and_validate_fails(rules_copy: Path) -> None:
    first = break_line(rules_copy, PSY_GRID, r"combine: any", "combine: most")
    second = break_line(rules_copy, PSY_APPROACHES, r"^    category: programme_interventions$",
                    "    category: programme_intervention")
    result = CliRunner().invoke(app, ["validate", "--rules", str(rules_copy)])
    assert result.exit_code == 1
    assert f"psychosocial.yaml:{first}:" in result.output
    assert f"psychosocial.yaml:{second}:" in result.output
    assert "unknown category 'programme_intervention'" in result.output
    assert "Traceback" not in result.output


def test_a_rules_path_that_is_no_folder_is_one_bad_argument(tmp_path: Path) -> None:
    """It was fourteen "missing ... file" problems and exit 1, as if rules there were
    broken: a mistyped --rules path, or rules-diff's NEW spelt wrong."""
    from typer.testing import CliRunner

    from engine.cli.app import app
    result = CliRunner().invoke(app, ["validate", "--rules", str(tmp_path / "no-such")])
    assert result.exit_code == 2
    assert result.output.count("no-such") == 1
    assert "there is no rules folder at this path" in result.output
