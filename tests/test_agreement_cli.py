"""The engine advises, the case manager and the returnee decide: through the CLI, an action
under an approach nobody decided to take up is refused at its line with the fix, a decision
against the advice needs a reason, and ``plan --final`` is refused (nothing written) until
the case file holds what a plan to sign needs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner, Result

from engine.case.reading import load_case
from engine.cli.app import app
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.planning.plan import Plan
from engine.presentation.contract import json_schema
from engine.presentation.drafting import Drafter

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"
ETHIOPIA = EXAMPLES / "ethiopia_returnee.yaml"
IRAQ = EXAMPLES / "iraq_returnee.yaml"
SECRET = "Tesfaye hides the money under the floor of the shop"
runner = CliRunner()

JOB_ACTION = f"""  - approach: job_placement
    what: {SECRET}
    modality: direct
    starts: 2026-10-13
    due: 2026-10-31
    cost: {{amount: 100, currency: ETB}}
"""
ACCEPT_JOB = f"""decisions:
  - approach: job_placement
    decision: accept
    reason: {SECRET}
    decided_on: 2026-10-06
"""
DECLINE_HEALTH = """decisions:
  - approach: health_referral
    decision: decline
"""


def _write(folder: Path, text: str, name: str = "case.yaml") -> Path:
    path = folder / name
    path.write_text(text)
    return path


def _with(before_actions: str = "", after: str = "", base: Path = ETHIOPIA,
          replace: tuple[str, str] | None = None) -> str:
    """The example's text with ``before_actions`` put before ``agreed_actions:`` and
    ``after`` appended (more actions); ``replace`` changes one exact piece first."""
    text = base.read_text()
    if replace:
        assert replace[0] in text, replace[0]
        text = text.replace(replace[0], replace[1], 1)
    assert text.count("\nagreed_actions:\n") == 1
    return text.replace("\nagreed_actions:\n", f"\n{before_actions}agreed_actions:\n") + after


def _line(text: str, line: str, nth: int = 0) -> int:
    """The 1-based number of the ``nth`` line exactly equal to ``line``."""
    return [i for i, found in enumerate(text.splitlines(), 1) if found == line][nth]


def _flat(text: str) -> str:
    """Terminal output on one line, without the isolation marks around the case's words."""
    return " ".join(re.sub("[\u2066-\u2069]", "", text).split())


def _plan(book: RuleBook, path: Path) -> Plan:
    return Drafter(book).draft(Pipeline(book).run(load_case(path, book)))


def _refused(result: Result, target: Path | None = None) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    if target is not None:
        assert not target.exists()
    return _unwrapped(result.stderr)


def _unwrapped(stderr: str) -> str:
    """The refusal with each listed item on one line again (they wrap at the terminal's
    width, indented by four spaces)."""
    lines: list[str] = []
    for line in stderr.splitlines():
        if line.startswith("    ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def test_the_list_of_what_is_missing_fits_80_columns(tmp_path: Path) -> None:
    text = ETHIOPIA.read_text()
    path = _write(tmp_path, text[:text.index("\nagreed_actions:")] + "\n")
    result = runner.invoke(app, ["plan", str(path), "--final"], terminal_width=80)
    listed = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert len(listed) > 5 and max(map(len, listed)) <= 80


# -- an action under an approach that is not recommended -------------------------------

def test_an_action_under_an_approach_not_recommended_is_refused_with_the_fix(
        tmp_path: Path) -> None:
    text = _with(after=JOB_ACTION)
    path = _write(tmp_path, text)
    target = tmp_path / "plan.md"
    stderr = _refused(runner.invoke(app, ["plan", str(path), "-o", str(target)]), target)
    line = _line(text, "  - approach: job_placement")
    assert stderr.splitlines() == [
        "The case file cannot be used (1 problem):",
        f"  {path}:{line}: action 6 is under 'job_placement', which the engine does not "
        "recommend for this case (not appropriate) — if you and the returnee take it up "
        "anyway, add to decisions: {approach: job_placement, decision: accept, reason: ...}"]
    for command in (["validate", str(path)], ["recommend", str(path)],
                    ["explain", str(path), "job_placement"]):
        assert f"{path}:{line}: action 6" in _refused(runner.invoke(app, command))


def test_accepted_with_a_reason_the_plan_drafts_against_advice(tmp_path: Path,
                                                                book: RuleBook) -> None:
    path = _write(tmp_path, _with(ACCEPT_JOB, JOB_ACTION))
    target = tmp_path / "plan.md"
    result = runner.invoke(app, ["plan", str(path), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()
    agreed = {a.id: a for a in _plan(book, path).agreement}
    job = agreed["job_placement"]
    assert (job.standing, job.engine_status) == ("accepted_against_advice", "not_appropriate")
    assert job.reason == SECRET and str(job.decided_on) == "2026-10-06"
    assert [(a.number, a.what) for a in job.actions] == [(6, SECRET)]
    assert agreed["health_referral"].standing == "agreed"


def test_accepting_against_advice_without_reason_is_refused(tmp_path: Path) -> None:
    text = _with(ACCEPT_JOB.replace(f"    reason: {SECRET}\n", ""), JOB_ACTION)
    path = _write(tmp_path, text)
    stderr = _refused(runner.invoke(app, ["plan", str(path)]))
    line = _line(text, "  - approach: job_placement")
    assert stderr.splitlines()[1:] == [
        f"  {path}:{line}: taking up 'job_placement' goes against the engine's advice (not "
        "appropriate) and needs a reason — add reason: the returnee's and your reason, in a "
        "sentence"]


# -- declining a recommended approach --------------------------------------------------

def _declined_health(reason: str | None) -> str:
    decision = DECLINE_HEALTH + (f"    reason: {reason}\n" if reason else "")
    return _with(decision, replace=(
        "    cost: {amount: 1500, currency: ETB}\n",
        "    cost: {amount: 1500, currency: ETB}\n    status: cancelled\n"))


def test_declining_a_recommended_approach_needs_a_reason(tmp_path: Path) -> None:
    text = _declined_health(None)
    path = _write(tmp_path, text)
    stderr = _refused(runner.invoke(app, ["plan", str(path), "--final", "-o",
                                          str(tmp_path / "plan.md")]), tmp_path / "plan.md")
    line = _line(text, "  - approach: health_referral")
    assert stderr.splitlines() == [
        "The case file cannot be used (1 problem):",
        f"  {path}:{line}: declining 'health_referral' goes against the engine's advice "
        "(recommended) and needs a reason — add reason: the returnee's and your reason, in a "
        "sentence"]


def test_declined_with_a_reason_stands_declined_and_is_explained(tmp_path: Path,
                                                                book: RuleBook) -> None:
    path = _write(tmp_path, _declined_health(SECRET))
    health = {a.id: a for a in _plan(book, path).agreement}["health_referral"]
    assert (health.standing, health.engine_status, health.reason) == (
        "declined", "recommended", SECRET)
    assert [a.status for a in health.actions] == ["cancelled"]
    # a declined approach is no gap: the plan can be signed
    target = tmp_path / "plan.md"
    final = runner.invoke(app, ["plan", str(path), "--final", "-o", str(target)])
    assert final.exit_code == 0, final.output
    explained = runner.invoke(app, ["explain", str(path), "health_referral"])
    assert explained.exit_code == 0, explained.output
    text = _flat(explained.stdout)
    name = book.approaches["health_referral"].name
    assert text.endswith(f"Decided in the case file: {name} declined. Reason: {SECRET}")
    assert text.index("Status: recommended") < text.index("Decided in the case file")
    recommended = runner.invoke(app, ["recommend", str(path)])
    assert recommended.exit_code == 0, recommended.output
    assert _flat(recommended.stdout).endswith(
        f"Decided in the case file: {name} declined. Reason: {SECRET}")


def test_explain_json_carries_the_decision(tmp_path: Path) -> None:
    path = _write(tmp_path, _declined_health(SECRET))
    result = runner.invoke(app, ["explain", str(path), "health_referral", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["decision"] == {"approach": "health_referral", "decision": "decline",
                                "reason": SECRET, "decided_on": None}
    assert data["result"]["status"] == "recommended"
    jsonschema.validate(data, json_schema("approach"))
    other = json.loads(runner.invoke(app, ["explain", str(path), "school_reintegration",
                                           "--json"]).stdout)
    assert other["decision"] is None


def test_an_action_under_a_declined_approach_must_be_cancelled(tmp_path: Path) -> None:
    text = _with(DECLINE_HEALTH + f"    reason: {SECRET}\n")
    path = _write(tmp_path, text)
    stderr = _refused(runner.invoke(app, ["validate", str(path)]))
    line = _line(text, "  - approach: health_referral", 1)  # the action, after the decision
    assert stderr.splitlines()[1:] == [
        f"  {path}:{line}: action 1 is under 'health_referral', which the decisions decline "
        "— cancel the action (status: cancelled) or change the decision"]


def test_recommend_prints_every_decision_after_the_table(tmp_path: Path, book: RuleBook) -> None:
    decisions = ACCEPT_JOB + "  - approach: health_referral\n    decision: decline\n" + (
        "    reason: Already treated by his own doctor\n")
    path = _write(tmp_path, _with(decisions, JOB_ACTION, replace=(
        "    cost: {amount: 1500, currency: ETB}\n",
        "    cost: {amount: 1500, currency: ETB}\n    status: cancelled\n")))
    result = runner.invoke(app, ["recommend", str(path)])
    assert result.exit_code == 0, result.output
    text = _flat(result.stdout)
    job, health = (book.approaches[a].name for a in ("job_placement", "health_referral"))
    tail = text[text.rindex("┘") + 1:].strip()
    assert tail == (f"Decided in the case file: {job} taken up on 2026-10-06. Reason: "
                    f"{SECRET} Decided in the case file: {health} declined. Reason: Already "
                    "treated by his own doctor")


# -- plan --final ----------------------------------------------------------------------

@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_examples_can_be_final(tmp_path: Path, example: Path) -> None:
    target = tmp_path / "plan.md"
    result = runner.invoke(app, ["plan", str(example), "--final", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {target} (plan, md, en).\n"
    assert target.stat().st_size > 0


def _final(tmp_path: Path, text: str) -> tuple[Path, Path, Result]:
    path = _write(tmp_path, text)
    target = tmp_path / "plan.md"
    return path, target, runner.invoke(app, ["plan", str(path), "--final", "-o", str(target)])


def test_final_without_agreed_actions_lists_each_recommended_approach(
        tmp_path: Path, book: RuleBook) -> None:
    text = ETHIOPIA.read_text()
    text = text[:text.index("\nagreed_actions:")] + "\n"
    path, target, result = _final(tmp_path, text)
    stderr = _refused(result, target)
    names = [book.approaches[a].name for a in (
        "business_startup_revisited", "financial_counselling_grant", "pss_provider_referral",
        "health_referral", "school_reintegration")]
    assert stderr.splitlines() == [
        f"The plan cannot be final yet (5 things missing in {path}):",
        *[f"  - {name}: no action agreed yet. Add an action under agreed_actions, or record "
          "a decision to decline it, with the reason." for name in names],
        "Nothing was written. Draft it without --final until then."]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]  # no temporary file
    draft = runner.invoke(app, ["plan", str(path), "-o", str(target)])
    assert draft.exit_code == 0, draft.output  # the draft is not refused


def test_final_refused_leaves_an_earlier_plan_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    assert runner.invoke(app, ["plan", str(ETHIOPIA), "-o", str(target)]).exit_code == 0
    before = target.read_bytes()
    text = ETHIOPIA.read_text()
    path = _write(tmp_path, text[:text.index("\nagreed_actions:")] + "\n")
    result = runner.invoke(app, ["plan", str(path), "--final", "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert target.read_bytes() == before


def test_final_lists_undated_and_uncosted_actions(tmp_path: Path, book: RuleBook) -> None:
    text = (_with()
            .replace("    starts: 2026-10-13\n    due: 2026-12-22\n", "")
            .replace("    cost: {amount: 9000, currency: ETB}\n", "")
            .replace("    due: 2026-11-30\n", ""))
    path, target, result = _final(tmp_path, text)
    stderr = _refused(result, target)
    pss, school, startup = (book.approaches[a].name for a in (
        "pss_provider_referral", "school_reintegration", "business_startup_revisited"))
    assert stderr.splitlines()[1:-1] == [
        f"  - {startup}, action 4: no start or due date.",
        f"  - {pss}, action 2: no start or due date.",
        f"  - {school}, action 3: no estimated cost (write 0 for a free service)."]
    assert stderr.splitlines()[0] == f"The plan cannot be final yet (3 things missing in {path}):"


def test_a_free_service_is_costed(tmp_path: Path) -> None:
    text = _with().replace("{amount: 9000, currency: ETB}", "{amount: 0, currency: ETB}")
    assert _final(tmp_path, text)[2].exit_code == 0


def test_a_cancelled_action_does_not_count(tmp_path: Path, book: RuleBook) -> None:
    text = _with(replace=("    cost: {amount: 1500, currency: ETB}\n",
                          "    cost: {amount: 1500, currency: ETB}\n    status: cancelled\n"))
    _path, target, result = _final(tmp_path, text)
    stderr = _refused(result, target)
    name = book.approaches["health_referral"].name
    assert stderr.splitlines()[1:-1] == [
        f"  - {name}: no action agreed yet. Add an action under agreed_actions, or record a "
        "decision to decline it, with the reason."]
    # a cancelled action needs no date or cost either
    undated = text.replace("    starts: 2026-10-09\n    due: 2026-10-31\n", "")
    assert _refused(_final(tmp_path, undated)[2]).splitlines()[1:-1] == (
        stderr.splitlines()[1:-1])


@pytest.mark.parametrize("status", ["planned", "under_way", "done"])
def test_an_action_under_way_or_done_counts(tmp_path: Path, status: str) -> None:
    text = _with(replace=("    cost: {amount: 1500, currency: ETB}\n",
                          f"    cost: {{amount: 1500, currency: ETB}}\n    status: {status}\n"))
    assert _final(tmp_path, text)[2].exit_code == 0


def test_final_needs_consent_and_a_case_manager(tmp_path: Path) -> None:
    text = _with(replace=("case_manager: CM-ADD-03\n", ""))
    text = text[:text.index("consent:\n")] + text[text.index("goals: >"):]
    path, target, result = _final(tmp_path, text)
    assert _refused(result, target).splitlines() == [
        f"The plan cannot be final yet (2 things missing in {path}):",
        "  - No consent is recorded: record it under consent.",
        "  - No case manager is named: write case_manager.",
        "Nothing was written. Draft it without --final until then."]


# -- a child who returned alone: the guardian consents and signs -----------------------

def _child(guardian: bool = False, by_guardian: bool = False) -> str:
    text = IRAQ.read_text().replace("  age: 24\n", "  age: 16\n").replace(
        "consent:\n", "  vulnerabilities: [unaccompanied_child]\nconsent:\n")
    if guardian:
        text = text.replace("case_manager: CM-ERB-01\n",
                            "case_manager: CM-ERB-01\nguardian: legal guardian, GRD-07\n")
    if by_guardian:
        text = text.replace("  recorded_on: 2026-10-20\n",
                            "  recorded_on: 2026-10-20\n  given_by: guardian\n")
    return text


NO_GUARDIAN = ("  - A guardian consents and signs for this returnee: name the guardian under "
               "guardian.")
NOT_BY_GUARDIAN = ("  - The consent must be given by the guardian: write given_by: guardian "
                   "under consent once they have given it.")


@pytest.mark.parametrize(("guardian", "by_guardian", "missing"), [
    (False, False, [NO_GUARDIAN, NOT_BY_GUARDIAN]),
    (True, False, [NOT_BY_GUARDIAN]),
    (False, True, [NO_GUARDIAN]),
])
def test_an_unaccompanied_child_needs_the_guardian(tmp_path: Path, guardian: bool,
                                                   by_guardian: bool, missing: list[str]) -> None:
    path, target, result = _final(tmp_path, _child(guardian, by_guardian))
    stderr = _refused(result, target)
    assert stderr.splitlines()[1:-1] == missing
    assert stderr.splitlines()[0] == (f"The plan cannot be final yet ({len(missing)} thing"
                                      f"{'s' if len(missing) > 1 else ''} missing in {path}):")


def test_with_the_guardian_named_and_consenting_the_child_s_plan_is_final(
        tmp_path: Path, book: RuleBook) -> None:
    path, target, result = _final(tmp_path, _child(guardian=True, by_guardian=True))
    assert result.exit_code == 0, result.output
    assert target.is_file()
    plan = _plan(book, path)
    assert [(s.role, s.name) for s in plan.signatories] == [
        ("returnee", "IRQ-2026-0024"), ("guardian", "legal guardian, GRD-07"),
        ("case_manager", "CM-ERB-01")]
    assert [s.id for s in plan.first()] == ["unaccompanied_child"]


def test_an_adult_s_consent_by_a_guardian_is_not_asked_for(tmp_path: Path,
                                                          book: RuleBook) -> None:
    """The guardian rule holds for children only: an adult's plan has no guardian line."""
    plan = _plan(book, IRAQ)
    assert [s.role for s in plan.signatories] == ["returnee", "case_manager"]
    assert plan.gaps == []


def test_the_worksheet_is_never_final(tmp_path: Path) -> None:
    target = tmp_path / "sheet.md"
    result = runner.invoke(app, ["plan", str(ETHIOPIA), "--document", "worksheet", "--final",
                                 "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert "only the returnee's plan is signed" in result.stderr
    assert "leave out --final for the worksheet" in result.stderr
    assert not target.exists()
