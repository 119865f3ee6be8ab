"""The Project Design Grid (monitoring rows verbatim) and the Conditions Analysis: each
outcome with the answers that decided it, and the rule checks that keep the grids honest."""

from __future__ import annotations

from pathlib import Path

import pytest
from seed_passages import monitoring_rows, passage
from tests_support import break_line

from engine.errors import RuleErrors
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook
from engine.project_design.analysis import analyse

DESIGN = Path("feasibility_grids/project/project_design.yaml")
ANALYSIS = Path("feasibility_grids/project/conditions_analysis.yaml")
COLUMN_CELLS = {"appropriateness": (0, 1), "resources": (2,), "complementarity": (3,)}


def test_monitoring_rows_are_the_seed_word_for_word(book: RuleBook) -> None:
    rows = monitoring_rows()
    assert len(rows) == 5
    kept = {row.name: (entry, row) for entry in book.project.design.values()
            for row in entry.seed_rows}
    assert set(kept) == set(rows)
    for name, cells in rows.items():
        entry, row = kept[name]
        assert row.cells == cells, name
        # every sentence of every cell is a verbatim question, in the seed's order
        for column, indexes in COLUMN_CELLS.items():
            asked = " ".join(q.text for q in entry.questions
                             if q.provenance == "verbatim" and q.column == column
                             and any(q.text in row.cells[i] for i in indexes))
            assert asked == " ".join(row.cells[i] for i in indexes if row.cells[i]), (name, column)
    assert kept["Community-Based Monitoring"][0].approach == "community_based_monitoring"
    assert kept["Mobile-based Monitoring"][0].approach == "mobile_based_monitoring"


def test_every_complementary_approach_has_a_grid_entry_and_derived_rows_say_so(
        book: RuleBook) -> None:
    assert set(book.project.design) == set(book.project.complementary)
    for entry in book.project.design.values():
        for question in entry.questions:
            if question.provenance == "derived":
                assert "001_15f4baf8ed195180.txt" in question.source, question.id
    monitoring = {a for a, c in book.project.complementary.items()
                  if c.category == "monitoring_measurement"}
    derived_rows = {e.approach for e in book.project.design.values()
                    if all(q.provenance == "derived" for q in e.questions)}
    assert not monitoring & derived_rows


def test_conditions_analysis_aspects_quote_the_seed(book: RuleBook) -> None:
    bullets = [line[2:] for line in passage("conditions_analysis.txt") if line.startswith("- ")]
    assert len(bullets) == 4
    quoted = {a.seed_text for a in book.project.aspects.values()}
    assert quoted == set(bullets)


def _all_supporting(book: RuleBook, approach: str) -> dict[str, str]:
    return {q.id: (q.supports or "noted in the meeting")
            for q in book.project.questions_of(approach)}


def test_ready_when_every_answer_supports(book: RuleBook) -> None:
    result = analyse(book.project, "community_based_monitoring",
                     _all_supporting(book, "community_based_monitoring"))
    assert result.outcome == "ready"
    assert result.conditions == () and result.open_questions == ()
    assert "community_based_monitoring/appropriateness_community/cbm_community_hostile" \
        in result.decided_by


def test_a_resource_answer_against_sets_a_condition_tied_to_it(book: RuleBook) -> None:
    answers = _all_supporting(book, "mobile_based_monitoring") | {"mob_resources_calls": "no"}
    result = analyse(book.project, "mobile_based_monitoring", answers,
                     {"mob_resources_calls": "project"})
    assert result.outcome == "conditions_to_meet"
    assert result.conditions == (
        "mobile_based_monitoring/resources_financial/mob_resources_calls",)
    raised = next(a for a in result.trace if a.rule_id == result.conditions[0])
    assert (raised.answer, raised.supports, raised.outcome, raised.answered_from) == (
        "no", "yes", "against", "project")


def test_a_hostile_community_makes_monitoring_not_appropriate(book: RuleBook) -> None:
    answers = (_all_supporting(book, "community_based_monitoring")
               | {"cbm_community_hostile": "yes", "cbm_dtm_in_country": "no"})
    result = analyse(book.project, "community_based_monitoring", answers)
    assert result.outcome == "not_appropriate"
    assert result.decided_by == (
        "community_based_monitoring/appropriateness_community/cbm_community_hostile",)
    # the condition the other answer raised is kept, for when the approach is reconsidered
    assert result.conditions == (
        "community_based_monitoring/complementarity/cbm_dtm_in_country",)


def test_unanswered_questions_leave_it_open_and_open_questions_never_decide(
        book: RuleBook) -> None:
    answers = _all_supporting(book, "social_monitoring")
    del answers["smon_community_access"]
    del answers["smon_incentives"]  # an open question: to discuss, decides nothing
    result = analyse(book.project, "social_monitoring", answers)
    assert result.outcome == "needs_answers"
    assert result.decided_by == (
        "social_monitoring/appropriateness_community/smon_community_access",)
    assert set(result.open_questions) == {"smon_community_access", "smon_incentives"}
    answers["smon_community_access"] = "yes"
    assert analyse(book.project, "social_monitoring", answers).outcome == "ready"


def test_an_emergency_caseload_is_a_condition_not_an_exclusion(book: RuleBook) -> None:
    answers = (_all_supporting(book, "pre_departure_post_arrival_linkages")
               | {"link_time_before_departure": "no"})
    result = analyse(book.project, "pre_departure_post_arrival_linkages", answers)
    assert result.outcome == "conditions_to_meet"


def _problems(rules: Path) -> list[str]:
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules)
    return [str(p) for p in caught.value.problems]


def test_a_verbatim_question_not_in_the_seed_row_is_refused(rules_copy: Path) -> None:
    line = break_line(rules_copy, DESIGN, r'text: "Is the community hostile to returnees\?"',
                      'text: "Is the community hostile to migrants?"')
    messages = _problems(rules_copy)
    assert any(f"project_design.yaml:{line}:" in m and "'cbm_community_hostile'" in m
               and "not found in the appropriateness cells" in m for m in messages), messages


def test_a_condition_without_words_and_an_unknown_aspect(rules_copy: Path) -> None:
    break_line(rules_copy, DESIGN, r'condition: "Budget the deployment of the tool."', "")
    aspect = break_line(rules_copy, DESIGN, r"aspect: resources_technology$",
                        "aspect: resources_tech")
    messages = _problems(rules_copy)
    assert any("'tool_deploy_funds'" in m and "does not say which" in m for m in messages)
    assert any(f"project_design.yaml:{aspect}:" in m and "unknown aspect 'resources_tech'" in m
               and "did you mean 'resources_technology'" in m for m in messages), messages


def test_an_approach_without_an_entry_is_named(rules_copy: Path) -> None:
    path = rules_copy / DESIGN
    text = path.read_text()
    start = text.index("  - approach: diaspora_engagement")
    path.write_text(text[:start] + text[text.index("  - approach: cso_engagement"):])
    messages = _problems(rules_copy)
    assert any("'diaspora_engagement'" in m and "has no Project Design Grid entry" in m
               for m in messages), messages
