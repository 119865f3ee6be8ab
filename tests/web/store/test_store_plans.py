"""Plan versions: finalising is refused with the --final list while something is missing,
needs a supervisor's approval, keeps the PDF and the rule book's identity, never changes
once final; a change makes a new version, and two versions compare field by field."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from engine.web.workspace import access, plans, rounds
from engine.web.workspace.models import FollowUpTask, PlanVersion

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def _cli_final_gaps(path: Path, tmp_path: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "engine.cli", "plan", str(path), "--final",
                           "-o", str(tmp_path / "plan.pdf")], capture_output=True, text=True,
                          cwd=REPO)
    assert done.returncode == 2
    return done.stderr


def _unagreed(ethiopia) -> int:
    """The Ethiopian round without its decisions and actions: a plan with gaps."""
    round_ = ethiopia.rounds.get()
    round_.answers = {k: v for k, v in round_.answers.items()
                      if k not in ("decisions", "agreed_actions")}
    round_.save()
    return round_.pk


def test_finalising_is_refused_with_the_same_list_as_the_cli(staff, ethiopia,
                                                            tmp_path: Path) -> None:
    round_pk = _unagreed(ethiopia)
    version = plans.submit(staff.manager, round_pk)
    with pytest.raises(plans.PlanNotReady) as refused:
        plans.finalise(staff.manager, version.pk)
    assert refused.value.gaps
    exported = tmp_path / "case.yaml"
    from engine.web.workspace.case_files import export_case_file
    exported.write_text(export_case_file(staff.manager, round_pk))
    printed = " ".join(_cli_final_gaps(exported, tmp_path).split())
    for gap in refused.value.gaps:
        assert " ".join(gap.split()) in printed
    assert plans.gaps(staff.manager, round_pk) == refused.value.gaps
    assert PlanVersion.objects.get(pk=version.pk).status == "submitted"


def test_final_needs_approval_then_keeps_pdf_identity_and_tasks(staff, ethiopia) -> None:
    round_pk = ethiopia.rounds.get().pk
    assert plans.gaps(staff.manager, round_pk) == []
    version = plans.submit(staff.manager, round_pk)
    with pytest.raises(plans.ApprovalNeeded):
        plans.finalise(staff.manager, version.pk)
    with pytest.raises(access.AccessRefused):
        plans.approve(staff.manager, version.pk)  # a case manager does not approve
    with pytest.raises(access.AccessRefused):
        plans.approve(staff.other_manager, version.pk)
    plans.approve(staff.supervisor, version.pk)
    final = plans.finalise(staff.manager, version.pk)
    assert final.status == "final" and bytes(final.pdf).startswith(b"%PDF")
    from engine import load_rules
    assert final.rules_identity == load_rules().identity
    assert plans.rendered(staff.manager, final.pk, "pdf") == bytes(final.pdf)
    tasks = FollowUpTask.objects.filter(plan_version=final)
    assert tasks.exists() and all(t.due for t in tasks)
    assert {"intermediate_monitoring", "final_monitoring"} <= {t.milestone for t in tasks}
    final.language = "fr"
    from engine.web.workspace.models import FinalPlanChanged
    with pytest.raises(FinalPlanChanged):
        final.save()


def test_the_milestone_a_final_plan_meets_is_done_when_it_is_made_final(staff,
                                                                        ethiopia) -> None:
    """The Ethiopian plan is dated within its month to finalise, and made final weeks
    later: that task read overdue the moment the plan was made final."""
    from engine import load_rules
    from engine.web.workspace import follow_up
    met = {m.id for m in load_rules().plan.schedule.milestones if m.met_by_final_plan}
    assert met
    version = plans.submit(staff.manager, ethiopia.rounds.get().pk)
    plans.approve(staff.supervisor, version.pk)
    final = plans.finalise(staff.manager, version.pk)
    tasks = {t.milestone: t for t in FollowUpTask.objects.filter(plan_version=final)}
    assert met <= set(tasks)
    for milestone in met:
        assert tasks[milestone].done_on == date.today()
        assert tasks[milestone].done_by == staff.manager
        assert tasks[milestone].due < date.today()  # it was late, and is done all the same
    overdue = {t.milestone for t in follow_up.overdue(staff.manager)}
    assert not met & overdue
    assert overdue  # the other tasks past their day are still told


def test_a_change_makes_a_new_version_and_versions_compare(staff, ethiopia) -> None:
    round_ = ethiopia.rounds.get()
    first = plans.submit(staff.manager, round_.pk)
    plans.approve(staff.supervisor, first.pk)
    plans.finalise(staff.manager, first.pk)
    changed = rounds.save_rss(staff.manager, round_.pk,
                              {"economic_satisfaction": "dissatisfied"}, round_.version)
    second = plans.submit(staff.manager, changed.pk)
    assert second.number == first.number + 1
    differences = plans.compare(staff.manager, first.pk, second.pk)
    assert [(d.field, d.before, d.after) for d in differences] == [
        ("rss.economic_satisfaction", "very_dissatisfied", "dissatisfied")]
    assert PlanVersion.objects.get(pk=first.pk).status == "final"


def test_a_version_changed_after_submission_needs_submitting_again(staff, ethiopia) -> None:
    round_ = ethiopia.rounds.get()
    version = plans.submit(staff.manager, round_.pk)
    plans.approve(staff.supervisor, version.pk)
    rounds.save_rss(staff.manager, round_.pk, {"economic_satisfaction": "dissatisfied"},
                    round_.version)
    with pytest.raises(plans.ApprovalNeeded, match="changed since"):
        plans.finalise(staff.manager, version.pk)


def test_drafts_render_in_every_language(staff, ethiopia) -> None:
    round_pk = ethiopia.rounds.get().pk
    assert plans.languages() == ["en", "ar", "es", "fr"]
    for language in plans.languages():
        html = plans.draft(staff.manager, round_pk, "html", language)
        assert f'lang="{language}"' in html
    assert plans.draft(staff.manager, round_pk, "pdf", "ar").startswith(b"%PDF")


def test_the_progress_shows_the_four_scores_per_round(staff, ethiopia) -> None:
    baseline = ethiopia.rounds.get()
    later = rounds.start_round(staff.manager, ethiopia.pk, "intermediate", date(2027, 4, 1))
    rounds.save_rss(staff.manager, later.pk, baseline.answers["rss"], later.version)
    points = rounds.progress(staff.manager, ethiopia.pk)
    assert [p.kind for p in points] == ["baseline", "intermediate"]
    assert len(points[0].scores) == 4 and points[0].scores == points[1].scores
    assert all(value is not None for value in points[0].scores.values())
