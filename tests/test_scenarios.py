"""Scenario files: every shipped persona passes (one test each, on both backends), a wrong
expectation fails with a diff that says where, what and why, a broken file gives
``file:line``, and the persona set covers what trainers need."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests_support import AVAILABLE_BACKENDS
from typer.testing import CliRunner

from engine.cli.app import app
from engine.errors import CaseError
from engine.model.rulebook import RuleBook
from engine.scenarios.reading import read_scenario, scenario_paths, shipped_scenarios
from engine.scenarios.report import outcome_lines
from engine.scenarios.running import ScenarioRunner

SHIPPED = scenario_paths(shipped_scenarios())
EMERGENCY = shipped_scenarios() / "sen_emergency_detention.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def runners(book: RuleBook) -> dict[str, ScenarioRunner]:
    return {name: ScenarioRunner(book, backend=name) for name in AVAILABLE_BACKENDS}


@pytest.mark.parametrize("backend", AVAILABLE_BACKENDS)
@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_passes(path: Path, backend: str, book: RuleBook,
                                 runners: dict[str, ScenarioRunner]) -> None:
    outcome = runners[backend].run(read_scenario(path, book))
    assert outcome.passed, "\n".join(outcome_lines(outcome))


def _edited(tmp_path: Path, old: str, new: str, source: Path = EMERGENCY) -> tuple[Path, int]:
    """A copy of a scenario with one line changed; returns it and that line's number."""
    lines = source.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if old in line)
    lines[index] = lines[index].replace(old, new)
    target = tmp_path / source.name
    target.write_text("".join(lines))
    return target, index + 1


def test_a_wrong_status_fails_with_expected_got_and_the_trace(tmp_path: Path, book: RuleBook,
                                                              runners: dict) -> None:
    path, line = _edited(tmp_path, "pss_provider_referral: {status: recommended, "
                         "modality: referral}", "pss_provider_referral: {status: "
                         "not_appropriate}")
    outcome = runners["python"].run(read_scenario(path, book))
    assert not outcome.passed
    [mismatch] = outcome.mismatches
    assert (mismatch.line, mismatch.expected, mismatch.got) == (
        line, "not_appropriate", "recommended")
    text = "\n".join(outcome_lines(outcome, width=200))
    assert f"{path}:{line}: approach pss_provider_referral" in text
    assert "- expected: not_appropriate" in text and "+ got:      recommended" in text
    # the trace: the indication that held and the modality's deciding answer
    assert "read: Desire to receive psychological support: Yes ← Yes: holds" in text
    assert "read: Psychosocial score below 0.50 ← 0.44: holds" in text
    assert "Modality: Referral" in text


def test_a_wrong_modality_score_and_schedule_date_each_fail(tmp_path: Path, book: RuleBook,
                                                            runners: dict) -> None:
    path, _ = _edited(tmp_path, "{status: recommended, modality: direct}",
                      "{status: recommended, modality: referral}")
    path, score_line = _edited(tmp_path, "economic: 0.0833", "economic: 0.5", path)
    path, date_line = _edited(tmp_path, "meet_case_manager: 2026-03-05",
                              "meet_case_manager: 2026-03-09", path)
    outcome = runners["python"].run(read_scenario(path, book))
    found = {m.what: m for m in outcome.mismatches}
    assert set(found) == {"approach essential_needs_support", "score economic",
                          "schedule emergency_return.meet_case_manager"}
    assert found["approach essential_needs_support"].got == "recommended, modality direct"
    assert found["score economic"].line == score_line
    assert found["score economic"].got == "0.0833"
    assert found["schedule emergency_return.meet_case_manager"].line == date_line
    assert found["schedule emergency_return.meet_case_manager"].got == "2026-03-05"


def test_a_safeguard_left_out_of_the_expectations_fails(tmp_path: Path, book: RuleBook,
                                                        runners: dict) -> None:
    path, _ = _edited(tmp_path, "safeguards: [emergency_return]", "safeguards: []")
    outcome = runners["python"].run(read_scenario(path, book))
    [mismatch] = outcome.mismatches
    assert (mismatch.expected, mismatch.got) == ("none", "emergency_return")
    assert "emergency_return: triggered by vulnerability" in mismatch.why[0]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("distress_frequency: very_often", "distress_frequncy: very_often",
     "unknown RSS element 'distress_frequncy'"),
    ("pssref_services_nearby: \"yes\"", "pssref_services_nearby: 1", "a number is not an answer"),
    ("pss_during_training: {status", "pss_in_training: {status",
     "unknown approach 'pss_in_training'"),
    ("status: recommended, modality: direct", "status: recomended, modality: direct",
     "approaches.essential_needs_support.status"),
    ("emergency_return.month_of_support", "emergency_return.month_of_suport",
     "unknown schedule item"),
    ("teaches: >-", "teaching: >-", "unknown field 'teaching'"),
    ("  tolerance: 0.005", "  tolerance: 0.005\n   bad: [", "not valid YAML or JSON"),
])
def test_a_broken_scenario_file_names_its_line(tmp_path: Path, book: RuleBook, old: str,
                                               new: str, message: str) -> None:
    path, line = _edited(tmp_path, old, new)
    with pytest.raises(CaseError) as caught:
        read_scenario(path, book)
    text = str(caught.value)
    assert message in text
    assert f"{path}:{line}" in text or f"{path}:{line + 1}" in text


def test_cli_runs_the_shipped_personas() -> None:
    result = runner.invoke(app, ["scenarios", "run", "--backend", "python"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("PASS ") == len(SHIPPED) >= 12
    assert f"{len(SHIPPED)} passed, 0 failed" in result.stdout


def test_cli_exit_codes_for_a_failure_and_a_broken_file(tmp_path: Path) -> None:
    path, line = _edited(tmp_path, "economic: 0.0833", "economic: 0.9")
    result = runner.invoke(app, ["scenarios", "run", str(path), "--backend", "python"])
    assert result.exit_code == 4
    assert f"{path}:{line}: score economic" in result.stdout
    broken, line = _edited(tmp_path, "possesses_id: \"yes\"", "possesses_id: maybe")
    result = runner.invoke(app, ["scenarios", "run", str(broken)])
    assert result.exit_code == 2
    assert f"{broken}:{line}" in result.stderr and "Traceback" not in result.output


def test_the_persona_set_covers_what_trainers_need(book: RuleBook, runners: dict) -> None:
    """Five countries; every psychosocial approach recommended in one persona and set aside
    in another (as the engine decides, not only as the files say); children who returned and
    who stayed, an unaccompanied child, trafficking, an emergency return, missing answers."""
    outcomes = [runners["python"].run(read_scenario(p, book)) for p in SHIPPED]
    countries = {o.scenario.case.profile.country_of_return for o in outcomes}
    assert countries == {"Afghanistan", "Ethiopia", "Iraq", "Senegal", "Somalia"}
    for approach in (a for a in book.approaches.values() if a.dimension == "psychosocial"):
        statuses = [o.assessment.approach(approach.id).status for o in outcomes
                    if approach.id in o.scenario.scenario.expect.approaches]
        assert "recommended" in statuses, approach.id
        assert {"not_appropriate", "not_indicated"} & set(statuses), approach.id
    profiles = [o.scenario.case.profile for o in outcomes]
    flags = {v for p in profiles for v in p.vulnerabilities}
    assert {"unaccompanied_child", "victim_of_trafficking", "emergency_return"} <= flags
    assert any(m.relationship == "child" for p in profiles for m in p.household.returned_with)
    assert any(m.relationship == "child" and not p.household.returned_with
               for p in profiles for m in p.household.stayed)
    assert any(o.assessment.scores.composite.value is None for o in outcomes)
    for dimension in book.framework.ids("dimensions"):
        values = [o.assessment.scores.dimensions[dimension].value for o in outcomes]
        known = [v for v in values if v is not None]
        assert min(known) < 0.5 < max(known), dimension




@pytest.mark.parametrize("command", [["scenarios", "run"],
                                     ["scenarios", "handout", "-o", "h.pdf"]])
def test_a_folder_without_scenarios_is_a_bad_argument(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      command: list[str]) -> None:
    """It ran "0 passed, 0 failed" with exit 0, and wrote a handout of 0 personas."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(app, [*command[:2], "empty", *command[2:]])
    assert result.exit_code == 2
    assert "no scenario files" in result.output
    assert not (tmp_path / "h.pdf").exists()
