"""The interview in a real terminal (a pseudo-terminal driven by pexpect), and ``answer``:
a blank case is taken to a plan with nothing left in the first-session set; an interview
stopped midway goes on, later, from where it stopped; every answer is saved at once."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pexpect
from typer.testing import CliRunner

from engine.cli.app import app

REINTEGRATE = Path(sys.executable).parent / "reintegrate"
runner = CliRunner()

PROFILE = ["returnee_id=GIN-2026-0007", "assessed_on=2026-11-05", "case_manager=CM-CKY-02",
           "profile.age=24", "profile.sex=female", "profile.country_of_return=Guinea",
           "profile.place_of_return=Conakry, Matoto", "profile.date_of_return=2026-11-02",
           "profile.household.size=2",
           "profile.household.returned_with=[{relationship: child, age: 5}]",
           "profile.vulnerabilities=[emergency_return]", "consent.data_processing=true",
           "consent.recorded_on=2026-11-05"]
"""The Guinean returnee of issue 14: 24, back in Conakry from Libya with her son of 5,
an emergency return."""

RSS = {"economic_satisfaction": "very_dissatisfied", "food_insecurity_frequency": "often",
       "possesses_id": "no", "currently_working": "no", "searching_for_job": "yes",
       "distress_frequency": "often", "wants_psychological_support": "yes",
       "children_enrolled_in_school": "no_school_aged_children"}
"""Her answers where they matter; the middle choice (or "no") elsewhere."""
GRID_YES = {"pssref_wants_support", "pssref_experienced_trouble", "pssref_services_nearby",
            "pssref_counselling_acceptable", "pss_fz_vetted_provider",
            "pss_fz_provider_reachable", "voc_wants_training", "voc_can_afford_time",
            "voc_skill_in_demand", "voc_provider_reachable", "voc_certificate_recognised",
            "doc_wants_documents", "doc_safe_to_apply", "doc_office_reachable",
            "doc_rules_allow", "doc_programme_can_cover", "ess_cutting_meals",
            "ess_no_means_until_plan", "ess_programme_budget"}
"""Her "yes" answers (she wants counselling, a hairdressing course, an identity card, and
has no means until the plan starts); "no" elsewhere."""


def _new_case(folder: Path) -> Path:
    path = folder / "guinea.yaml"
    assert runner.invoke(app, ["new-case", "-o", str(path)]).exit_code == 0
    result = runner.invoke(app, ["answer", str(path), *PROFILE])
    assert result.exit_code == 0, result.output
    return path


def _interview(path: Path, stop_after: int | None = None) -> list[str]:
    """Drive one interview; return the ids asked, in order."""
    child = pexpect.spawn(str(REINTEGRATE), ["interview", str(path)], encoding="utf-8",
                          timeout=60, dimensions=(40, 100), env={"COLUMNS": "100",
                                                                  "PATH": "/usr/bin:/bin"})
    asked: list[str] = []
    while True:
        found = child.expect([r"\n\[(\w+)\] ", "Nothing left to ask",
                              pexpect.EOF])
        if found != 0:
            assert found == 1, child.before
            break
        key = child.match.group(1)
        child.expect(r"Answer \((1-(\d+)|y = yes)")
        count = int(child.match.group(2)) if child.match.group(2) else 0
        if stop_after is not None and len(asked) == stop_after:
            child.sendline("q")
            child.expect("Stopped")
            break
        asked.append(key)
        child.sendline(_rss_reply(key) if count else "y" if key in GRID_YES else "n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return asked


def _rss_reply(key: str) -> str:
    """A choice by its number: her answer when given, else the middle of the scale."""
    from engine.loading.rulebook import load_rulebook
    element = load_rulebook().instrument.element(key)
    assert element is not None
    names = [c.name for c in element.choices]
    wanted = RSS.get(key)
    if wanted in names:
        return str(names.index(wanted) + 1)
    scored = [c.name for c in element.choices if c.points is not None]
    return str(names.index(scored[len(scored) // 2]) + 1)


def _questions(path: Path) -> dict:
    result = runner.invoke(app, ["questions", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_an_interview_takes_a_blank_case_to_a_plan(tmp_path: Path) -> None:
    path = _new_case(tmp_path)
    comments = [line for line in path.read_text().splitlines() if line.startswith("#")]
    asked = _interview(path)
    assert asked[:3] == ["economic_satisfaction", "food_insecurity_frequency",
                         "ability_to_borrow"]  # the RSS first, in the survey's order
    assert len(asked) == len(set(asked))  # nothing asked twice
    state = _questions(path)
    assert state["first_session"] == []
    text = path.read_text()
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    assert 'possesses_id: "no"' in text or "possesses_id: 'no'" in text
    target = tmp_path / "plan.md"
    result = runner.invoke(app, ["plan", str(path), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "GIN-2026-0007" in target.read_text()


def test_an_interview_stopped_midway_goes_on_where_it_stopped(tmp_path: Path) -> None:
    path = _new_case(tmp_path)
    first = _interview(path, stop_after=5)
    saved = path.read_text()
    for key in first:
        assert re.search(rf"^  {key}: \S", saved, re.M), key  # each saved at once
    child = pexpect.spawn(str(REINTEGRATE), ["interview", str(path)], encoding="utf-8",
                          timeout=60, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"})
    child.expect(r"\n\[(\w+)\] ")
    resumed = child.match.group(1)
    child.expect(r"Answer \(")
    child.sendline("q")
    child.expect(pexpect.EOF)
    assert resumed not in first
    # the first element the stopped interview had not reached, in the survey's order
    from engine.loading.rulebook import load_rulebook
    order = [e.id for e in load_rulebook().instrument.elements]
    assert resumed == next(e for e in order if e not in first)


def test_answer_records_and_says_what_it_settled(tmp_path: Path) -> None:
    path = _new_case(tmp_path)
    for element, choice in RSS.items():
        assert runner.invoke(app, ["answer", str(path), f"{element}={choice}"]).exit_code == 0
    result = runner.invoke(app, ["answer", str(path), "pssref_wants_support=no"])
    assert result.exit_code == 0, result.output
    assert "Settled:" in result.stdout
    bad = runner.invoke(app, ["answer", str(path), "possesses_id=maybe",
                              "no_such_question=yes"])
    assert bad.exit_code == 2
    assert "'maybe' is not a choice of possesses_id" in bad.stderr
    assert "no RSS element, grid question or case field 'no_such_question'" in bad.stderr
    before = path.read_text()
    wrong = runner.invoke(app, ["answer", str(path), "profile.age=300"])
    assert wrong.exit_code == 2 and path.read_text() == before  # nothing lost or changed
