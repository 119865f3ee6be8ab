"""Community profiles: the 25 indicators verbatim, the example places, a profile answering a
case's community questions (the case's own answer winning), and bad profiles refused at
their line."""

from __future__ import annotations

from pathlib import Path

import pytest
from seed_passages import community_indicators

from engine.case.community import at_place
from engine.case.reading import read_case
from engine.errors import RuleErrors
from engine.evaluation.assessment import Assessor
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook

REPO = Path(__file__).resolve().parent.parent
ETHIOPIA = REPO / "examples" / "cases" / "ethiopia_returnee.yaml"
PLACES = Path("community_profiles/places")


def test_the_25_indicators_are_the_seeds_in_three_groups(book: RuleBook) -> None:
    seed = community_indicators()
    vocabulary = book.project.indicators
    assert vocabulary is not None
    assert [g.name for g in vocabulary.groups] == list(seed)
    assert sum(len(names) for names in seed.values()) == len(vocabulary.indicators) == 25
    for group in vocabulary.groups:
        ours = [i for i in vocabulary.indicators if i.group == group.id]
        shown = [i.name + (" " + " ".join(f"{chr(97 + k)}. {p.name}"
                                          for k, p in enumerate(i.parts)) if i.parts else "")
                 for i in ours]
        assert shown == seed[group.name], group.id
        assert [i.number for i in ours] == list(range(1, len(ours) + 1))
        assert all(i.provenance == "verbatim" for i in ours)


def test_illustrative_profiles_for_the_five_measure_countries(book: RuleBook) -> None:
    profiles = book.project.profiles.values()
    assert {p.place.country for p in profiles} == {
        "Afghanistan", "Ethiopia", "Iraq", "Senegal", "Somalia"}
    assert all(p.illustrative and "not real data" in p.source for p in profiles)


def test_a_profile_answer_changes_the_result_and_names_the_profile(
        book: RuleBook, assessor: Assessor) -> None:
    case = read_case(ETHIOPIA, book).case
    assert case.grid_answers.get("viol_conflict_level_high") is None
    before = assessor.assess(case).approach("violence_exposure_reduction")
    assert at_place(case, book) == (case, ())  # the shipped profiles are illustrative
    placed, used = at_place(case, book, illustrative=True)
    after = assessor.assess(placed).approach("violence_exposure_reduction")
    assert before is not None and after is not None
    assert (before.status, after.status) == ("needs_answers", "not_appropriate")
    answer = next(a for a in used if a.question == "viol_conflict_level_high")
    assert (answer.answer, answer.profile, answer.version, answer.subject, answer.value) == (
        "no", "ethiopia_addis_ababa_kolfe_keranio", "2026-12-illustrative",
        "indicator.safety_levels", "medium")
    assert after.summary is not None and after.summary.code == "level_failed"
    assert "violence_exposure_reduction/structural/viol_conflict_level_high" in \
        after.summary.rule_ids


def test_the_case_answer_overrides_the_profile(book: RuleBook, assessor: Assessor) -> None:
    case = read_case(ETHIOPIA, book).case
    own = case.model_copy(update={"grid_answers": case.grid_answers | {
        "viol_conflict_level_high": "yes"}})
    placed, used = at_place(own, book, illustrative=True)
    assert placed.grid_answers["viol_conflict_level_high"] == "yes"
    assert "viol_conflict_level_high" not in {a.question for a in used}
    assert assessor.assess(placed).approach("violence_exposure_reduction").status != \
        "not_appropriate"  # type: ignore[union-attr]


def test_a_place_without_a_profile_is_left_alone(book: RuleBook, make_case) -> None:
    case = make_case()
    case = case.model_copy(update={"profile": case.profile.model_copy(
        update={"place_of_return": "Nowhere in particular"})})
    assert at_place(case, book, illustrative=True) == (case, ())


@pytest.mark.parametrize(("pattern", "replacement", "fragment"), [
    ("  migration_rates: high", "  migration_rate: high", "unknown community indicator "
     "'migration_rate' — did you mean 'migration_rates'?"),
    ("  migration_rates: high", "  migration_rates: very high", "is not a value of "
     "'migration_rates'"),
    ("  employment_rate: 0.58", "  employment_rate: high", "'employment_rate' is a share"),
    ("  mentors: 1", "  mentor: 1", "unknown service 'mentor'"),
    ("  mentors: 1", "  mentors: yes", "mentors"),
    ('  languages_spoken: "Amharic, Afaan Oromo"', '  languages_spoken: "Amharic\\u202e"',
     "text-direction override"),
    ("    discrimination: high", "    prejudice: high", "unknown part 'prejudice'"),
])
def test_bad_profiles_are_refused_at_their_line(rules_copy: Path, pattern: str,
                                                replacement: str, fragment: str) -> None:
    path = rules_copy / PLACES / "ethiopia_addis_ababa_kolfe_keranio.yaml"
    lines = path.read_text().splitlines()
    line = lines.index(pattern) + 1
    lines[line - 1] = replacement
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules_copy)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(f"{path}:{line}:") and fragment in m
               and "'ethiopia_addis_ababa_kolfe_keranio'" in m for m in messages), messages


def test_an_answer_rule_naming_nothing_is_refused(rules_copy: Path) -> None:
    path = rules_copy / "community_profiles" / "answers.yaml"
    text = path.read_text().replace("{indicator: migration_rates, in: [high]}",
                                    "{indicator: migration_rates, in: [huge]}")
    path.write_text(text.replace("- question: cso_present", "- question: cso_presence"))
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules_copy)
    messages = "\n".join(str(p) for p in caught.value.problems)
    assert "not values of 'migration_rates': huge" in messages
    assert "unknown question 'cso_presence' — did you mean 'cso_present'?" in messages


def test_a_profile_of_real_data_answers_by_default(rules_copy: Path) -> None:
    path = rules_copy / PLACES / "ethiopia_addis_ababa_kolfe_keranio.yaml"
    path.write_text(path.read_text().replace("illustrative: true", "illustrative: false")
                    .replace('version: "2026-12-illustrative"', 'version: "2027-01"'))
    book = load_rulebook(rules_copy)
    case = read_case(ETHIOPIA, book).case
    _, used = at_place(case, book)
    answer = next(a for a in used if a.question == "viol_conflict_level_high")
    assert (answer.profile, answer.version, answer.illustrative) == (
        "ethiopia_addis_ababa_kolfe_keranio", "2027-01", False)


@pytest.mark.parametrize("relative", [
    "interventions/complementary/figure10.yaml", "feasibility_grids/project/project_design.yaml",
    "feasibility_grids/project/conditions_analysis.yaml", "feasibility_grids/project/cohort.yaml",
    "community_profiles/indicators.yaml", "community_profiles/answers.yaml",
    "community_profiles/places/senegal_kolda.yaml", "feasibility_grids/psychosocial.yaml",
    "interventions/psychosocial.yaml"])
def test_an_unreadable_file_is_one_problem_without_knock_on(rules_copy: Path,
                                                            relative: str) -> None:
    (rules_copy / relative).write_bytes(bytes(range(256)) * 4)
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules_copy)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 1 and messages[0].startswith(f"{rules_copy / relative}:"), messages
