"""What-ifs on answers and case fields: the effect of each hand-made change is known, only
what changed is reported, and a bad setting is refused naming the --set that gave it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests_support import AVAILABLE_BACKENDS
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
    case = str(Path(__file__).resolve().parents[1] / "examples" / "cases" / "senegal_returnee.yaml")
    result = runner.invoke(app, ["whatif", case, "--set", "pssref_services_nearby=yes",
                                 "--backend", "python"])
    assert result.exit_code == 0, result.output
    assert "pss_provider_referral" in result.stdout
    result = runner.invoke(app, ["whatif", case, "--set", "distress_frequency=sometimez"])
    assert result.exit_code == 2
    assert "--set distress_frequency=sometimez" in result.stderr


# -- what-ifs on the rules: a derived book, the original untouched -----------------------

from engine.planning.pipeline import Pipeline  # noqa: E402
from engine.scenarios.reform import reformed  # noqa: E402


def test_a_threshold_moved_on_a_derived_book(book: RuleBook, emergency) -> None:
    derived, [setting] = reformed(book, ["pss_during_training/indicated/1.points_below=0.1"])
    assert (setting.field, setting.was, setting.value) == ("points_below", 0.5, 0.1)
    assert derived.version == f"{book.version}+whatif" and derived.identity != book.identity
    assert book.entries["pss_during_training"].indicated_if_any[1].points_below == 0.5
    result = WhatIf(book, backend="python", changed_book=derived).run(emergency)
    # distress "very often" is 0 points, still below 0.1: nothing about it changes
    assert "pss_during_training" not in {c.approach for c in result.difference.approaches}


def test_a_polarity_flipped_on_a_derived_book(book: RuleBook, emergency) -> None:
    derived, _ = reformed(book, ["pss_provider_referral/community/pssref_services_nearby"
                                 ".supports=no"])
    result = WhatIf(book, backend="python", changed_book=derived).run(emergency)
    [change] = result.difference.approaches
    assert (change.approach, change.before.status, change.after.status) == (
        "pss_provider_referral", "recommended", "not_appropriate")
    [reason] = [r for r in change.reasons_after() if r.code == "level_failed"]
    assert reason.level == "community"


def test_a_weight_moved_on_a_derived_book(book: RuleBook, emergency) -> None:
    # Moussa: satisfaction 0 points, food insecurity 0.25 ("often"): economic 0.75/9 → 0.5/9
    derived, _ = reformed(book, [
        "weights/default/economic_satisfaction.dimension=0.2222222222",
        "weights/default/food_insecurity_frequency.dimension=0.0"])
    result = WhatIf(book, backend="python", changed_book=derived,
                    changed_weights=derived.weight_set("default")).run(emergency)
    [score] = [s for s in result.difference.scores if s.name == "economic"]
    assert (round(score.before, 4), round(score.after, 4)) == (0.0833, 0.0556)


def test_an_unbalanced_weight_and_a_bad_rule_are_refused(book: RuleBook) -> None:
    with pytest.raises(ArgumentError, match=r"economic sum to 1\.0889, not 1"):
        reformed(book, ["weights/default/economic_satisfaction.dimension=0.2"])
    with pytest.raises(ArgumentError, match="no rule 'pss_provider_referal/indicated/0'"):
        reformed(book, ["pss_provider_referal/indicated/0.below=0.6"])
    with pytest.raises(ArgumentError, match="no field 'belo'"):
        reformed(book, ["pss_provider_referral/indicated/0.belo=0.6"])
    with pytest.raises(ArgumentError, match="supports"):
        reformed(book, ["pss_provider_referral/community/pssref_services_nearby.supports=maybe"])
    with pytest.raises(ArgumentError, match="less than or equal to 1"):
        reformed(book, ["framework.scoring.comprehensive_support_below.value=7"])


@pytest.mark.parametrize("backend", AVAILABLE_BACKENDS)
def test_a_rule_whatif_leaves_the_original_results_unchanged(book: RuleBook, emergency,
                                                             backend: str) -> None:
    """Same process, both books compiled and registered side by side: the original's
    results before and after the what-if are identical, and differ from the derived's."""
    original = Pipeline(book, backend=backend)
    first = original.assess(emergency)
    derived, _ = reformed(book, ["framework.scoring.comprehensive_support_below.value=0.4"])
    result = WhatIf(book, backend=backend, changed_book=derived).run(emergency)
    assert result.after.approach("family_counselling").status == "not_indicated"
    assert result.before == first
    again = original.assess(emergency)
    assert again == first
    assert again.approach("family_counselling").status == "needs_answers"
    assert Pipeline(book, backend=backend).assess(emergency) == first
    assert Pipeline(derived, backend=backend).assess(emergency) == result.after


def test_cli_rule_whatif() -> None:
    result = runner.invoke(app, [
        "whatif", "sen_emergency_detention", "--rule",
        "framework.scoring.comprehensive_support_below.value=0.4"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "+whatif):" in out
    assert "rule framework: scoring.comprehensive_support_below.value: 0.5 → 0.4" in out
    assert "Approaches: 3 changed, 21 the same." in out
    assert ("read: Psychosocial score below 0.50 → Psychosocial score below 0.40 ← 0.44: "
            "holds → does not hold") in " ".join(out.split())
    result = runner.invoke(app, ["whatif", "sen_emergency_detention", "--rule", "nothing=1"])
    assert result.exit_code == 2 and "RULE_ID.FIELD=VALUE" in result.stderr
