"""rules-diff on hand-made rule changes whose effect is known: a threshold moved, a
question's polarity flipped, a weight changed, an approach added; identical rules report no
change and exit 0. Both rule books are assessed in one process."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests_support import AVAILABLE_BACKENDS, break_line
from typer.testing import CliRunner

from engine.cli.app import app
from engine.loading.rulebook import load_rulebook, shipped_rules
from engine.scenarios.impact import ImpactRun, rule_changes
from engine.scenarios.reading import scenario_paths, shipped_scenarios

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
SCENARIOS = scenario_paths(shipped_scenarios())

PEER_APPROACH = """\
  - id: peer_circle
    name: Peer circle (test)
    dimension: psychosocial
    category: programme_interventions
    description: A test approach.
    useful_for: ["Isolation from the community / Absence of support network"]
    indicators: [psy_social_involvement]
    modalities: [direct]
    complementary: psychosocial_support
    source: test
    provenance: derived
"""
PEER_ENTRY = """\
  - approach: peer_circle
    source: test
    provenance: derived
    indicated_if_any:
      - {element: sense_of_belonging, points_below: 0.5}
    criteria:
      individual:
        questions:
          - {question: buddy_wants_connection, supports: yes}
      community: n/a
      structural: n/a
    feasibility:
      - modality: direct
        when:
          - {question: buddy_fz_buddy_willing, answer: yes}
"""


def _impact(old: Path, new: Path, backend: str = "python"):
    return ImpactRun(load_rulebook(old), load_rulebook(new), backend).run(SCENARIOS, [])


def _transitions(impact, approach: str) -> dict[str, int]:
    return {f"{a} → {b}": n for (a, b), n in impact.by_approach().get(approach, {}).items()}


def test_identical_rules_no_change_exit_0(rules_copy: Path) -> None:
    impact = _impact(shipped_rules(), rules_copy)
    assert impact.rules == [] and not impact.outcomes_changed
    result = runner.invoke(app, ["rules-diff", str(shipped_rules()), str(rules_copy),
                                 "--cases", str(REPO / "examples" / "cases")])
    assert result.exit_code == 0, result.output
    assert "The rules are the same." in result.stdout
    assert "Outcomes over 16 cases: 0 change." in result.stdout


def test_a_threshold_moved(rules_copy: Path) -> None:
    # the framework's 0.50 becomes 0.40: Ibrahima's psychosocial 0.58 was never below it,
    # Moussa's 0.44 no longer is, so what only the score indicated for him is not indicated
    break_line(rules_copy, "framework.yaml", r"value: 0\.50", "value: 0.40")
    impact = _impact(shipped_rules(), rules_copy)
    [change] = impact.rules
    assert (change.kind, change.id, change.change) == ("framework", "framework", "changed")
    [moved] = change.fields
    assert (moved.path, moved.before, moved.after) == (
        "scoring.comprehensive_support_below.value", 0.5, 0.4)
    emergency = next(c for c in impact.cases if c.name == "sen_emergency_detention")
    family = next(ch for ch in emergency.changes if ch.approach == "family_counselling")
    assert (family.before.status, family.after.status) == ("needs_answers", "not_indicated")
    [(old, new)] = [pair for pair in family.values_read() if pair[0].condition == "score_below"]
    assert (old.operand, new.operand, old.truth, new.truth) == (0.5, 0.4, "holds",
                                                                "does_not_hold")
    assert impact.outcomes_changed


def test_a_polarity_flipped(rules_copy: Path) -> None:
    line = break_line(rules_copy, "feasibility_grids/psychosocial.yaml",
                      r"- \{question: psy_community_bias, supports: yes\}",
                      "- {question: psy_community_bias, supports: no}")
    assert line > 0
    impact = _impact(shipped_rules(), rules_copy)
    [change] = impact.rules
    assert (change.kind, change.id) == ("grid entry", "community_conversations")
    assert [(f.path, f.before, f.after) for f in change.fields] == [
        ("criteria.community.questions.0.supports", "yes", "no")]
    assert _transitions(impact, "community_conversations") == {
        "recommended (direct) → not_appropriate": 1,   # Hodan: the community is biased
        "not_appropriate → recommended": 1,            # Ibrahima: it is not
        "not_appropriate → needs_answers": 1,          # Faadumo: not, and more to ask
    }
    assert set(impact.by_approach()) == {"community_conversations"}


def test_a_weight_changed(rules_copy: Path) -> None:
    # economic weight moves from being able to borrow to owning productive assets (sums stay 1)
    break_line(rules_copy, "weights/default.yaml",
               r"ability_to_borrow: \{dimension: 0\.1111111111",
               "ability_to_borrow: {dimension: 0.0")
    break_line(rules_copy, "weights/default.yaml",
               r"owns_productive_assets: \{dimension: 0\.1111111111",
               "owns_productive_assets: {dimension: 0.2222222222")
    impact = _impact(shipped_rules(), rules_copy)
    [change] = impact.rules
    assert (change.kind, change.id) == ("weight set", "default")
    assert {f.path for f in change.fields} == {"weights.ability_to_borrow.dimension",
                                              "weights.owns_productive_assets.dimension"}
    # Abdirahman can borrow (1) and owns no assets (0): economic 4.75/9 = 0.53 → 3.75/9 = 0.42,
    # below 0.50, so what only the score indicated for him now waits for answers
    buddy = next(c for c in impact.cases if c.name == "som_mentorship_buddy")
    moved = {ch.approach: (ch.before.status, ch.after.status) for ch in buddy.changes}
    assert moved == {"vocational_training": ("not_indicated", "needs_answers"),
                     "financial_inclusion": ("not_indicated", "needs_answers")}
    [(old, new)] = [pair for pair in buddy.changes[0].values_read()
                    if pair[0].condition == "score_below"]
    assert (round(old.value, 4), round(new.value, 4)) == (0.5278, 0.4167)


def test_an_approach_added(rules_copy: Path) -> None:
    for relative, anchor, text in (
            ("interventions/psychosocial.yaml", "  - id: buddy_system\n", PEER_APPROACH),
            ("feasibility_grids/psychosocial.yaml", "  - approach: buddy_system\n", PEER_ENTRY)):
        path = rules_copy / relative
        path.write_text(path.read_text().replace(anchor, text + anchor, 1))
    plan = rules_copy / "plan" / "approaches.yaml"
    plan.write_text(plan.read_text().replace(
        "  - {approach: buddy_system,",
        "  - {approach: peer_circle, horizon: longer_term, source: test, provenance: derived}\n"
        "  - {approach: buddy_system,", 1))
    impact = _impact(shipped_rules(), rules_copy)
    assert {(c.kind, c.id, c.change) for c in impact.rules} >= {
        ("approach", "peer_circle", "added"), ("grid entry", "peer_circle", "added")}
    # every case now has an outcome for it: absent → something, in every scenario
    counts = impact.by_approach()["peer_circle"]
    assert sum(counts.values()) == len(SCENARIOS)
    # indicated by a weak sense of belonging (below 0.5 points); decided by the buddy answers
    assert dict(counts) == {
        ("absent", "not_indicated"): 8,
        ("absent", "needs_answers"): 3,          # Hiwot, Hodan; Nazanin refused to answer
        ("absent", "not_appropriate"): 1,        # Ibrahima kept in touch with nobody
        ("absent", "recommended (direct)"): 1,   # Abdirahman and his buddy from Tripoli
    }
    assert set(impact.by_approach()) == {"peer_circle"}  # nothing else moves


def test_cli_exit_3_and_examples_with_reasons(rules_copy: Path, tmp_path: Path) -> None:
    break_line(rules_copy, "feasibility_grids/psychosocial.yaml",
               r"- \{question: psy_community_bias, supports: yes\}",
               "- {question: psy_community_bias, supports: no}")
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "broken.yaml").write_text("returnee_id: [\n")
    result = runner.invoke(app, ["rules-diff", str(shipped_rules()), str(rules_copy),
                                 "--cases", str(cases), "--backend", AVAILABLE_BACKENDS[0]],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 4, result.output
    out = result.stdout
    assert "grid entry community_conversations: changed" in out
    assert "criteria.community.questions.0.supports: yes → no" in out
    assert "community_conversations: 3 cases change" in out
    assert "e.g. som_community_bias:" in out
    assert "answered yes." in out            # the after side's reason, from its trace
    assert "skipped:" in out and "broken.yaml:" in out   # reported, not counted
    # paths are printed whole; every other line fits 80 columns
    assert max(len(line) for line in out.splitlines() if "/" not in line) <= 80


def test_cli_invalid_new_rules_exit_1(rules_copy: Path) -> None:
    break_line(rules_copy, "framework.yaml", r"value: 0\.50", "value: 1.50")
    result = runner.invoke(app, ["rules-diff", str(shipped_rules()), str(rules_copy)])
    assert result.exit_code == 1
    assert "framework.yaml:" in result.stderr


@pytest.mark.parametrize("backend", AVAILABLE_BACKENDS)
def test_both_books_in_one_process_leave_the_old_results_unchanged(rules_copy: Path,
                                                                   backend: str) -> None:
    break_line(rules_copy, "framework.yaml", r"value: 0\.50", "value: 0.40")
    old = load_rulebook(shipped_rules())
    first = ImpactRun(old, old, backend).before.assess
    from engine.scenarios.reading import read_scenario
    case = read_scenario(shipped_scenarios() / "sen_emergency_detention.yaml", old).case
    alone = first(case)
    ImpactRun(old, load_rulebook(rules_copy), backend).run(SCENARIOS, [])
    again = ImpactRun(old, old, backend).before.assess(case)
    assert again == alone
    assert rule_changes(old, old) == []


def test_a_text_and_its_translation_changed_move_no_outcome(rules_copy: Path) -> None:
    break_line(rules_copy, "interventions/psychosocial.yaml",
               r"name: Buddy system pre/post departure", "name: Buddy system")
    break_line(rules_copy, "translations/fr.yaml",
               r"approach/buddy_system/name: .*", 'approach/buddy_system/name: "Binômes"')
    result = runner.invoke(app, ["rules-diff", str(shipped_rules()), str(rules_copy),
                                 "--backend", "python"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "approach buddy_system: changed" in out
    assert "name: Buddy system pre/post departure → Buddy system" in out
    assert "translation fr: changed" in out
    assert "texts.approach/buddy_system/name:" in out and "→ Binômes" in out
    assert "No change in outcomes (exit 0)." in out


@pytest.mark.parametrize("option", ["--cases", "--scenarios"])
def test_a_folder_that_is_not_there_or_holds_no_case_is_a_bad_argument(
        tmp_path: Path, option: str) -> None:
    """A mistyped --cases or --scenarios folder gave "Outcomes over 13 cases: 0 change"
    (or a case "skipped") and exit 0: the rule author believed no case of theirs moved."""
    from engine.loading.rulebook import shipped_rules
    rules = str(shipped_rules())
    missing = CliRunner().invoke(app, ["rules-diff", rules, rules, option,
                                       str(tmp_path / "typo")], env={"COLUMNS": "300"})
    assert missing.exit_code == 2 and "does not exist" in missing.output
    if option == "--cases":
        empty = CliRunner().invoke(app, ["rules-diff", rules, rules, option, str(tmp_path)])
        assert empty.exit_code == 2 and "no case files" in empty.output
