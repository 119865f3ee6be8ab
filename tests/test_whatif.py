"""What-ifs on answers and case fields: the effect of each hand-made change is known, only
what changed is reported, and a bad setting is refused naming the --set that gave it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from engine.cli.app import app
from engine.errors import ArgumentError
from engine.model.rulebook import RuleBook
from engine.scenarios.reading import read_scenario, shipped_scenarios
from engine.scenarios.whatif import WhatIf

EMERGENCY = shipped_scenarios() / "sen_emergency_detention.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def emergency(book: RuleBook):
    return read_scenario(EMERGENCY, book).case


@pytest.fixture(scope="module")
def whatif(book: RuleBook) -> WhatIf:
    return WhatIf(book, backend="python")


def test_a_grid_answer_moves_one_approach_and_no_score(whatif: WhatIf, emergency) -> None:
    result = whatif.run(emergency, ["pssref_services_nearby=no"])
    difference = result.difference
    assert difference.scores == []
    [change] = difference.approaches
    assert change.approach == "pss_provider_referral"
    assert (change.before.status, change.before.modality) == ("recommended", "referral")
    assert change.after.status == "not_appropriate"
    [reason] = [r for r in change.reasons_after() if r.code == "level_failed"]
    assert reason.level == "community"
    assert reason.rule_ids == ("pss_provider_referral/community/pssref_services_nearby",)
    assert difference.unchanged == len(result.before.approaches) - 1


def test_an_rss_answer_moves_the_score_and_what_it_indicated(whatif: WhatIf, emergency) -> None:
    result = whatif.run(emergency, ["food_insecurity_frequency=never"])
    [score, composite] = result.difference.scores
    assert (score.name, round(score.before, 4), round(score.after, 4)) == (
        "economic", 0.0833, 0.1667)
    assert composite.name == "composite"
    # food insecurity no longer indicates essential needs, but the emergency return still does
    assert "essential_needs_support" not in {c.approach for c in result.difference.approaches}


def test_a_profile_field_removes_a_safeguard_and_its_indications(whatif: WhatIf,
                                                                 emergency) -> None:
    result = whatif.run(emergency, ["vulnerabilities="])
    assert result.difference.safeguards == ([], ["emergency_return"])
    assert [s.path for s in result.settings] == [("profile", "vulnerabilities")]
    # food insecurity ("often") still indicates essential needs support: it stays as it was
    assert result.after.approach("essential_needs_support").status == "recommended"
    assert "essential_needs_support" not in {c.approach for c in result.difference.approaches}


def test_a_returned_child_adds_the_child_safeguard(whatif: WhatIf, emergency) -> None:
    result = whatif.run(emergency, ["returned_with=[{relationship: child, age: 9}]"])
    assert result.difference.safeguards == (["child_rights"], [])
    assert result.difference.approaches == []


def test_the_same_answer_changes_nothing(whatif: WhatIf, emergency) -> None:
    result = whatif.run(emergency, ["distress_frequency=very_often"])
    assert result.difference.empty


@pytest.mark.parametrize(("setting", "message"), [
    ("distress_frequncy=rarely", "did you mean 'distress_frequency'?"),
    ("distress_frequency=rarly", "'rarly' is not a choice of element 'distress_frequency'"),
    ("pssref_services_nearby=1", "a number is not an answer"),
    ("age=true", "yes/no (true/false) is not a number"),
    ("no_equals_sign", "a setting is ID=VALUE"),
    ("vulnerabilities=flying", "unknown vulnerability 'flying'"),
])
def test_a_bad_setting_is_refused_naming_it(whatif: WhatIf, emergency, setting: str,
                                            message: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        whatif.run(emergency, [setting])
    text = str(caught.value)
    assert message in text and f"--set {setting}" in text


def test_cli_prints_only_what_changed_at_80_columns() -> None:
    result = runner.invoke(app, ["whatif", "sen_emergency_detention", "--set",
                                 "pssref_services_nearby=no", "--backend", "python"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "grid_answers.pssref_services_nearby: yes → no" in result.stdout
    assert "Approaches: 1 changed, 23 the same." in result.stdout
    assert "Scores that changed" not in result.stdout
    assert "before: recommended, Referral to a service provider" in result.stdout
    assert "after : not appropriate" in result.stdout
    assert max(map(len, lines)) <= 80


def test_cli_on_a_case_file_and_a_bad_setting() -> None:
    case = str(shipped_scenarios().parent / "examples" / "cases" / "senegal_returnee.yaml")
    result = runner.invoke(app, ["whatif", case, "--set", "pssref_services_nearby=yes",
                                 "--backend", "python"])
    assert result.exit_code == 0, result.output
    assert "pss_provider_referral" in result.stdout
    result = runner.invoke(app, ["whatif", case, "--set", "distress_frequency=sometimez"])
    assert result.exit_code == 2
    assert "--set distress_frequency=sometimez" in result.stderr
