"""Rounds through the store: what to ask next in the CLI's order, conflicts on stale
versions, every save one transaction, new rounds at the rules' windows."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from engine import CaseError
from engine.web.workspace import calendar, case_files, rounds
from engine.web.workspace.conflicts import StaleVersion
from engine.web.workspace.models import AuditEntry, MonitoringRound

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def _without_grid_answers(staff, ethiopia) -> MonitoringRound:
    """The Ethiopian round before its grid questions were asked (nothing agreed yet)."""
    round_ = ethiopia.rounds.get()
    round_.answers = {k: v for k, v in round_.answers.items()
                      if k not in ("decisions", "agreed_actions")}
    round_.save()
    cleared = {q: None for q in round_.answers["grid_answers"]}
    return rounds.save_grid_answers(staff.manager, round_.pk, cleared, round_.version)


def test_questions_come_in_the_clis_order_first_session_first(staff, ethiopia,
                                                               tmp_path: Path) -> None:
    round_ = _without_grid_answers(staff, ethiopia)
    path = tmp_path / "case.yaml"
    path.write_text(case_files.export_case_file(staff.manager, round_.pk))
    cli = json.loads(subprocess.run(
        [sys.executable, "-m", "engine.cli", "questions", str(path), "--json"],
        capture_output=True, text=True, check=True, cwd=REPO).stdout)
    asked = rounds.questions_to_ask(staff.manager, round_.pk)
    first = [q.id for q in asked if q.first_session]
    assert first and first == cli["first_session"]
    grid = [q.id for q in asked if q.kind == "grid"]
    assert grid[:len(first)] == first
    assert sorted(grid) == sorted(q["id"] for q in cli["questions"] if q["kind"] == "grid")
    assert [q.id for q in asked if q.kind == "rss"] == [
        q["id"] for q in cli["questions"] if q["kind"] == "rss"]


def test_answering_changes_the_recommendation_as_the_engine_says(staff, ethiopia) -> None:
    round_ = _without_grid_answers(staff, ethiopia)
    before = {a.approach: a.status for a in
              rounds.outcome_of(staff.manager, round_.pk).outcome.assessment.approaches}
    answers = MonitoringRound.objects.get(pk=round_.pk)
    restored = rounds.save_grid_answers(
        staff.manager, round_.pk,
        {**dict.fromkeys(answers.answers.get("grid_answers", {})),
         **_original_grid(ethiopia)}, answers.version)
    after = {a.approach: a.status for a in
             rounds.outcome_of(staff.manager, restored.pk).outcome.assessment.approaches}
    assert before != after and "needs_answers" in before.values()


def _original_grid(ethiopia) -> dict:
    from ruamel.yaml import YAML
    data = YAML(typ="safe").load((REPO / "examples/cases/ethiopia_returnee.yaml").read_text())
    return {k: ("yes" if v is True else "no" if v is False else v)
            for k, v in data["grid_answers"].items()}


def test_a_stale_save_is_refused_and_the_first_save_kept(staff, ethiopia) -> None:
    round_ = ethiopia.rounds.get()
    read_by_both = round_.version
    rounds.save_rss(staff.manager, round_.pk, {"economic_satisfaction": "satisfied"},
                    read_by_both)
    with pytest.raises(StaleVersion, match="changed by someone else") as refused:
        rounds.save_rss(staff.supervisor, round_.pk,
                        {"economic_satisfaction": "very_satisfied"}, read_by_both)
    assert refused.value.current == read_by_both + 1
    kept = MonitoringRound.objects.get(pk=round_.pk)
    assert kept.answers["rss"]["economic_satisfaction"] == "satisfied"
    assert kept.version == read_by_both + 1


def test_a_refused_answer_saves_nothing(staff, ethiopia) -> None:
    round_ = ethiopia.rounds.get()
    audits = AuditEntry.objects.count()
    with pytest.raises(CaseError) as refused:
        rounds.save_rss(staff.manager, round_.pk,
                        {"economic_satisfaction": "over_the_moon"}, round_.version)
    assert "over_the_moon" in str(refused.value.problems[0])
    unchanged = MonitoringRound.objects.get(pk=round_.pk)
    assert unchanged.answers == round_.answers and unchanged.version == round_.version
    assert AuditEntry.objects.count() == audits


def test_an_action_the_engine_would_refuse_is_refused_when_saved(staff, ethiopia) -> None:
    """An action under an approach the engine does not recommend and nobody took up would
    only be refused when a plan is drafted; the save refuses it, with the engine's
    sentence, and stores nothing. Once the approach is accepted, the same action saves."""
    round_ = ethiopia.rounds.get()
    outcome = rounds.outcome_of(staff.manager, round_.pk).outcome
    decided = {d["approach"] for d in round_.answers.get("decisions", [])}
    approach = next(a.approach for a in outcome.assessment.approaches
                    if a.status != "recommended" and a.approach not in decided)
    action = {"approach": approach, "what": "Visit the centre", "modality": "direct"}
    with pytest.raises(CaseError) as refused:
        rounds.record_agreed_action(staff.manager, round_.pk, action, round_.version)
    assert approach in str(refused.value.problems[0])
    unchanged = MonitoringRound.objects.get(pk=round_.pk)
    assert unchanged.answers == round_.answers and unchanged.version == round_.version
    accepted = rounds.record_decision(staff.manager, round_.pk, approach, "accept",
                                      "the returnee asks for it", round_.version)
    saved = rounds.record_agreed_action(staff.manager, round_.pk, action, accepted.version)
    assert saved.answers["agreed_actions"][-1]["approach"] == approach


def test_a_decline_against_the_advice_is_an_issue_until_it_has_a_reason(staff, ethiopia
                                                                          ) -> None:
    from engine.web.workspace import plans
    round_ = ethiopia.rounds.get()
    round_.answers = {k: v for k, v in round_.answers.items()
                      if k not in ("decisions", "agreed_actions")}
    round_.save()
    recommended = next(a.approach for a in rounds.outcome_of(
        staff.manager, round_.pk).outcome.assessment.approaches if a.status == "recommended")
    saved = rounds.record_decision(staff.manager, round_.pk, recommended, "decline", None,
                                   round_.version)
    issues = rounds.outcome_of(staff.manager, round_.pk).issues
    assert len(issues) == 1 and recommended in str(issues[0]) and "reason" in str(issues[0])
    with pytest.raises(CaseError):  # no plan is drafted over it, as on the command line
        plans.gaps(staff.manager, round_.pk)
    saved = rounds.record_decision(staff.manager, round_.pk, recommended, "decline",
                                   "the returnee prefers to wait", saved.version)
    assert rounds.outcome_of(staff.manager, round_.pk).issues == []
    assert not any(recommended in gap for gap in plans.gaps(staff.manager, round_.pk))
    assert [d for d in saved.answers["decisions"] if d["approach"] == recommended] == [
        {"approach": recommended, "decision": "decline",
         "reason": "the returnee prefers to wait", "decided_on": date.today().isoformat()}]


def test_a_new_round_carries_the_plan_not_the_answers(staff, ethiopia) -> None:
    baseline = ethiopia.rounds.get()
    later = rounds.start_round(staff.manager, ethiopia.pk, "intermediate", date(2027, 4, 1))
    assert "rss" not in later.answers and "grid_answers" not in later.answers
    assert later.answers["agreed_actions"] == baseline.answers["agreed_actions"]
    with pytest.raises(CaseError):
        rounds.start_round(staff.manager, ethiopia.pk, "midterm", date(2027, 4, 1))


def test_round_windows_come_from_the_rules_schedule() -> None:
    returned = date(2026, 9, 15)
    assert calendar.round_window("intermediate", returned) == (date(2027, 3, 15),
                                                               date(2027, 6, 15))
    assert calendar.round_window("final", returned) == (date(2027, 9, 15), date(2028, 3, 15))
    assert calendar.plan_deadline(returned) == date(2026, 10, 15)
    assert [k for k, _ in calendar.round_kinds()] == ["baseline", "intermediate", "final"]


def test_providers_come_from_the_cases_directory(staff, ethiopia) -> None:
    offered = rounds.providers(staff.manager, ethiopia.rounds.get().pk)
    assert offered and all(isinstance(name, str) for _, name in offered)
    from engine import load_rules
    directory = load_rules().directory("Ethiopia")
    assert [i for i, _ in offered] == [e.id for e in directory.entries]
