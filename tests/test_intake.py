"""Intake help: new-case, questions, rules show, --version and validate on case files."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from tests_support import break_line, case_data
from typer.testing import CliRunner

from engine import storage
from engine.case.model import AgreedAction, Case, Consent, Decision, Household, Profile
from engine.case.reading import load_case
from engine.cli import intake
from engine.cli.app import app
from engine.errors import CaseError, RuleErrors
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook
from engine.presentation.case_template import blank_case

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"
FIRST_SESSION = EXAMPLES / "senegal_returnee.yaml"  # the grid only begun
ETHIOPIA = EXAMPLES / "ethiopia_returnee.yaml"
NARROW = {"COLUMNS": "80"}
runner = CliRunner()

REQUIRED = {"returnee_id": "TST-2026-0001"}
REQUIRED_PROFILE = {"age": 30, "sex": "female", "country_of_return": "Senegal",
                    "place_of_return": "Dakar", "date_of_return": "2026-09-01"}


def _new_case(folder: Path) -> Path:
    target = folder / "case.yaml"
    result = runner.invoke(app, ["new-case", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def _filled(blank: Path, **rss: str) -> Path:
    """The blank file with the required fields filled in, as a user would, comments kept."""
    yaml = YAML()
    data = yaml.load(blank.read_text())
    data.update(REQUIRED)
    data["profile"].update(REQUIRED_PROFILE)
    data["rss"].update(rss)
    stream = io.StringIO()
    yaml.dump(data, stream)
    filled = blank.with_name("filled.yaml")
    filled.write_text(stream.getvalue())
    return filled


def _whole(ids: list[str] | set[str], text: str) -> list[str]:
    """The ids that do not appear whole (unsplit) in ``text``."""
    return [i for i in ids if not re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]


def _narrow(text: str) -> list[str]:
    return [line for line in text.splitlines() if len(line) > 80]


# -- new-case ------------------------------------------------------------------------------

def test_blank_case_lists_every_element_with_its_choices_and_no_grid_answer(
        tmp_path: Path, book: RuleBook) -> None:
    text = _new_case(tmp_path).read_text()
    data = YAML(typ="safe", pure=True).load(text)
    assert set(data["rss"]) == {e.id for e in book.instrument.elements}
    assert all(value is None for value in data["rss"].values())
    assert data["grid_answers"] == {}
    for element in book.instrument.elements:
        block = text.split(f"\n  {element.id}:")[0].rsplit("choices:", 1)[1]
        flat = " ".join(line.lstrip(" #") for line in block.splitlines())
        for choice in element.choices:
            assert f"{choice.name} = {choice.label}" in flat, (element.id, choice.name)
    assert all(len(line) <= 100 for line in text.splitlines())


def test_blank_case_has_every_field_of_the_case_model(book: RuleBook) -> None:
    data = YAML(typ="safe", pure=True).load(blank_case(book))
    assert set(data) == set(Case.model_fields)
    assert set(data["profile"]) == set(Profile.model_fields)
    assert set(data["profile"]["household"]) == set(Household.model_fields)
    assert set(data["consent"]) == set(Consent.model_fields)
    assert (data["guardian"], data["interpreter"]) == (None, None)
    assert (data["decisions"], data["agreed_actions"]) == ([], [])
    household = data["profile"]["household"]
    assert (household["returned_with"], household["stayed"]) == ([], [])
    assert data["consent"]["given_by"] == "returnee"


def _uncommented(text: str, key: str) -> str:
    """The blank file with the commented example above ``key: []`` put in its place."""
    lines = text.splitlines()
    end = next(i for i, line in enumerate(lines) if line.strip() == f"{key}: []")
    indent = lines[end][:len(lines[end]) - len(lines[end].lstrip())]
    start = end
    while lines[start - 1].startswith(f"{indent}#     ") or lines[start - 1].startswith(
            f"{indent}#   - "):
        start -= 1
    example = [indent + line[len(indent) + 2:] for line in lines[start:end]]
    assert example and example[0].lstrip().startswith("- "), (key, example)
    return "\n".join([*lines[:end], f"{indent}{key}:", *example, *lines[end + 1:]]) + "\n"


def test_blank_case_examples_are_valid_and_show_every_field(
        tmp_path: Path, book: RuleBook) -> None:
    filled = _filled(_new_case(tmp_path))
    text = filled.read_text()
    for key in ("returned_with", "decisions", "agreed_actions"):
        text = _uncommented(text, key)
    filled.write_text(text)
    case = load_case(filled, book)  # the example's ids are those of the shipped rules
    [member] = case.profile.household.returned_with
    assert (member.relationship, member.age) == ("child", 9)
    [decision] = case.decisions
    [action] = case.agreed_actions
    assert decision.approach == action.approach == "business_startup_revisited"
    assert (action.modality, action.provider) == ("referral", "eth_addis_enterprise_centre")
    assert book.provider("eth_addis_enterprise_centre").illustrative is True
    data = YAML(typ="safe", pure=True).load(text)
    assert set(data["decisions"][0]) == set(Decision.model_fields)
    assert set(data["agreed_actions"][0]) == set(AgreedAction.model_fields)
    assert str(action.cost.amount) == "1500" and action.cost.currency == "USD"


def test_blank_case_comments_name_every_choice_of_the_new_sections(book: RuleBook) -> None:
    text = blank_case(book)
    comments = " ".join(line.split("#", 1)[1] for line in text.splitlines() if "#" in line)
    assert _whole(book.framework.ids("relationships"), comments) == []
    assert _whole(book.framework.ids("modalities"), comments) == []
    assert "accept | decline" in comments and "returnee | guardian" in comments
    assert "planned | under_way | done | cancelled" in comments
    assert "illustrative" in comments and "plan --final" in comments
    assert all(len(line) <= 100 for line in text.splitlines())


def test_blank_case_loads_once_the_required_fields_are_filled(
        tmp_path: Path, book: RuleBook) -> None:
    case = load_case(_filled(_new_case(tmp_path)), book)
    assert case.rss == {} and case.grid_answers == {}
    assert case.profile.age == 30 and case.consent is not None
    assert case.consent.data_processing is False


def test_blank_case_as_written_names_each_field_to_fill_with_its_line(
        tmp_path: Path, book: RuleBook) -> None:
    blank = _new_case(tmp_path)
    with pytest.raises(CaseError) as caught:
        load_case(blank, book)
    lines = blank.read_text().splitlines()
    named = set()
    for problem in caught.value.problems:
        assert problem.line is not None
        assert problem.message.endswith(" is empty") and "fill it in" in (problem.hint or "")
        named.add(lines[problem.line - 1].split(":")[0].strip())
    assert named == {"returnee_id", *REQUIRED_PROFILE}


def test_empty_rss_answer_means_not_asked_yet() -> None:
    case = Case.model_validate(case_data(rss={"currently_working": None, "possesses_id": " ",
                                              "able_to_stay": "dont_know"}))
    assert case.rss == {"able_to_stay": "dont_know"}
    assert Case.model_validate(case_data(rss=None)).rss == {}


def test_new_case_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    target.write_text("returnee_id: KEEP-0001\n")
    result = runner.invoke(app, ["new-case", "-o", str(target)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert target.read_text() == "returnee_id: KEEP-0001\n"


def test_new_case_refuses_a_file_that_appears_while_it_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "case.yaml"
    make_temporary = storage.tempfile.mkstemp

    def racing(*args: object, **kwargs: object) -> tuple[int, str]:
        made = make_temporary(*args, **kwargs)  # type: ignore[call-overload]
        target.write_text("someone else's case\n")
        return made

    monkeypatch.setattr(storage.tempfile, "mkstemp", racing)
    result = runner.invoke(app, ["new-case", "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert target.read_text() == "someone else's case\n"
    assert os.listdir(tmp_path) == ["case.yaml"]  # no temporary file left behind


def test_new_case_leaves_only_the_file_readable_as_usual(tmp_path: Path) -> None:
    target = _new_case(tmp_path)
    assert os.listdir(tmp_path) == ["case.yaml"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_new_case_in_a_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new-case", "-o", str(tmp_path / "nowhere" / "case.yaml")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


# -- questions -----------------------------------------------------------------------------

def _questions(*args: str) -> dict:
    result = runner.invoke(app, ["questions", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_questions_on_a_fresh_case_start_with_the_rss(tmp_path: Path, book: RuleBook) -> None:
    filled = _filled(_new_case(tmp_path))
    data = _questions(str(filled))
    asked = data["questions"]
    assert asked and all(q["kind"] == "rss" for q in asked)
    assert {q["id"] for q in asked} == {e.id for e in book.instrument.elements}
    assert {q["answered_by"] for q in asked} == {book.instrument.answered_by}
    assert set(data["waiting"]) == set(book.approaches)
    everything = _questions(str(filled), "--all")
    assert any(q["kind"] == "grid" for q in everything["questions"])


def test_an_answer_takes_its_question_off_the_list(tmp_path: Path) -> None:
    blank = _new_case(tmp_path)
    answered = _filled(blank, currently_working="no")
    ids = {q["id"] for q in _questions(str(answered))["questions"]}
    assert "currently_working" not in ids and "owns_productive_assets" in ids


def test_questions_name_open_grid_questions_of_open_approaches(book: RuleBook) -> None:
    data = _questions(str(FIRST_SESSION))
    recommend = runner.invoke(app, ["recommend", str(FIRST_SESSION), "--json"])
    results = {r["approach"]: r
               for r in json.loads(recommend.stdout)["assessment"]["approaches"]}
    answered = YAML(typ="safe", pure=True).load(FIRST_SESSION.read_text())["grid_answers"]
    grid = [q for q in data["questions"] if q["kind"] == "grid"]
    assert grid
    for question in grid:
        assert question["id"] not in answered
        assert question["text"] == book.questions[question["id"]].text
        assert question["answered_by"] == book.questions[question["id"]].answered_by
        for approach in question["approaches"]:
            assert results[approach]["status"] in ("needs_answers", "recommended")
            assert question["id"] in [q["id"] for q in results[approach]["open_questions"]]
    # the returnee's own wish is theirs to answer; a vacancy count is the case manager's
    assert {"returnee", "case_manager"} <= {q["answered_by"] for q in grid}


def test_questions_at_80_columns_group_by_answerer_and_never_split_an_id(
        book: RuleBook) -> None:
    data = _questions(str(FIRST_SESSION))
    result = runner.invoke(app, ["questions", str(FIRST_SESSION)], env=NARROW)
    assert result.exit_code == 0, result.output
    assert _narrow(result.stdout) == []
    ids = {q["id"] for q in data["questions"]} | {a for q in data["questions"]
                                                  for a in q["approaches"]}
    assert _whole(ids, result.stdout) == []
    headings = [t.name for t in book.framework.answerers
                if any(q["answered_by"] == t.id for q in data["questions"])]
    assert len(headings) >= 2
    positions = [result.stdout.index(f"{name}:") for name in headings]
    assert positions == sorted(positions)


def test_questions_by_approach_at_80_columns(book: RuleBook) -> None:
    data = _questions(str(FIRST_SESSION))
    result = runner.invoke(app, ["questions", str(FIRST_SESSION), "--by", "approach"], env=NARROW)
    assert result.exit_code == 0, result.output
    assert _narrow(result.stdout) == []
    approaches = {a for q in data["questions"] for a in q["approaches"]}
    assert _whole(approaches | {q["id"] for q in data["questions"]}, result.stdout) == []
    for approach in approaches:
        first_words = book.approaches[approach].name.split()[0]
        assert first_words in result.stdout


def _first_session(path: Path) -> str:
    result = runner.invoke(app, ["questions", str(path), "--first-session"], env=NARROW)
    assert result.exit_code == 0, result.output
    assert _narrow(result.stdout) == []
    return " ".join(result.stdout.split())


def test_a_first_session_says_plainly_how_many_questions_it_holds(tmp_path: Path) -> None:
    """A case with every grid question answered got "the 0 grid questions whose answers
    can settle the most approaches"; one left got "the 1 grid questions"."""
    said = _first_session(ETHIOPIA)
    assert "First session: no grid question is left to ask; every one that counts is " \
        "answered." in said
    assert "Nothing left to ask: every approach is decided." in said
    one = tmp_path / "one.yaml"
    one.write_text("".join(line for line in ETHIOPIA.read_text().splitlines(keepends=True)
                           if "biz_partner_provider" not in line))
    said = _first_session(one)
    assert "First session: the one grid question whose answer can settle an approach now" \
        in said
    assert "biz_partner_provider" in said
    assert "First session: the 10 grid questions whose answers can settle the most " \
        "approaches now" in _first_session(FIRST_SESSION)
    waiting = _first_session(_filled(_new_case(tmp_path)))
    assert "First session: no grid question is left to ask until the RSS shows whether " \
        "the approaches named below are needed." in waiting
    for text in (said, waiting):
        assert "the 0 " not in text and "the 1 grid questions" not in text


def test_questions_on_a_bad_case_file_is_a_user_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(ETHIOPIA.read_text().replace("biz_wants_business:", "biz_wants_busines:"))
    result = runner.invoke(app, ["questions", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "biz_wants_busines" in result.output


# -- rules show ----------------------------------------------------------------------------

def _show(*args: str) -> str:
    result = runner.invoke(app, ["rules", "show", *args], env=NARROW)
    assert result.exit_code == 0, result.output
    assert _narrow(result.stdout) == []
    return result.stdout


def test_rules_show_an_element_with_choices_weights_and_provenance(book: RuleBook) -> None:
    text = _show("debt_to_spending")
    element = book.instrument.element("debt_to_spending")
    assert element is not None
    assert _whole([c.name for c in element.choices], text) == []
    flat = " ".join(text.split())
    assert "element: derived: project guidance, not official IOM guidance" in flat
    assert "financial_counselling_grant if element debt_to_spending points below 0.50" in flat
    assert "default: 0.1111 of the dimension" in flat


def test_rules_show_a_question_says_who_answers_and_where_it_comes_from(
        book: RuleBook) -> None:
    text = " ".join(_show("pssref_wants_support").split())
    assert "provenance of the question: verbatim" in text
    assert "answered by: The returnee (returnee)" in text
    assert "provenance of the 'answered by': derived: project guidance, not official IOM" in text
    assert "pss_provider_referral: individual criterion (all), supports if yes" in text


def test_rules_show_an_approach_with_thresholds_levels_and_modalities(book: RuleBook) -> None:
    text = " ".join(_show("business_startup_revisited").split())
    threshold = book.framework.scoring.comprehensive_support_below.value
    assert f"indicated if: score economic below {threshold:.2f}" in text
    assert "individual (all): biz_wants_business = yes" in text
    assert "modality 2: referral if biz_partner_provider = yes" in text
    assert "provenance of the grid entry: derived" in text


def test_rules_show_without_id_lists_every_id_by_kind(book: RuleBook) -> None:
    text = _show()
    every = [e.id for e in book.instrument.elements] + list(book.questions) + list(
        book.approaches)
    assert _whole(every, text) == []
    assert f"RSS elements ({len(book.instrument.elements)})" in text
    assert f"approaches ({len(book.approaches)})" in text


def test_rules_show_unknown_id_suggests_close_ones() -> None:
    result = runner.invoke(app, ["rules", "show", "busines_startup"])
    assert result.exit_code == 2
    assert "did you mean business_startup_revisited?" in result.output
    nothing = runner.invoke(app, ["rules", "show", "zzzz"])
    assert nothing.exit_code == 2 and "reintegrate rules show" in nothing.output


# -- --version and validate ----------------------------------------------------------------

def test_version_names_package_and_rules(book: RuleBook) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert re.match(rf"reintegrate \d+\.\d+\.\d+\S*, rules version {book.version} ",
                    result.stdout)


def test_version_when_the_rules_do_not_validate(
        rules_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (rules_copy / "framework.yaml").unlink()
    monkeypatch.setattr(intake, "load_rulebook", lambda: load_rulebook(rules_copy))
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 1
    assert "rules version unknown" in result.stdout and "Traceback" not in result.output


def test_validate_checks_case_files(tmp_path: Path) -> None:
    good = runner.invoke(app, ["validate", str(ETHIOPIA)])
    assert good.exit_code == 0, good.output
    assert f"Case valid: {ETHIOPIA}" in " ".join(good.stdout.split())
    first, second = tmp_path / "one.yaml", tmp_path / "two.yaml"
    first.write_text(ETHIOPIA.read_text().replace("currently_working: \"no\"",
                                                  "currently_working: maybe"))
    second.write_text(ETHIOPIA.read_text().replace("  age: 44", "  age: old"))
    result = runner.invoke(app, ["validate", str(first), str(ETHIOPIA), str(second)])
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(str(first))}:\d+: 'currently_working'", result.output)
    assert re.search(rf"{re.escape(str(second))}:\d+: profile.age", result.output)
    assert "Goals" not in result.output and "Addis Ababa" not in result.output


# -- the rule data -------------------------------------------------------------------------

def test_every_answerer_is_derived_and_most_questions_name_one(book: RuleBook) -> None:
    assert {t.provenance for t in book.framework.answerers} == {"derived"}
    named = [q for q in book.questions.values() if q.answered_by]
    assert len(named) >= 0.9 * len(book.questions)
    assert book.instrument.answered_by in book.framework.ids("answerers")


@pytest.mark.parametrize(("relative", "pattern"), [
    ("feasibility_grids/social.yaml", r"answered_by: returnee"),
    ("instrument/rss.yaml", r"answered_by: returnee"),
])
def test_unknown_answerer_is_a_rule_error_with_its_line(
        rules_copy: Path, relative: str, pattern: str) -> None:
    line = break_line(rules_copy, relative, pattern, "answered_by: the_neighbour")
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules_copy)
    [problem] = [p for p in caught.value.problems if "the_neighbour" in p.message]
    assert problem.line == line and str(problem.path).endswith(relative)
    assert "returnee" in (problem.hint or "")


def test_a_blank_case_that_cannot_be_written_says_why_without_blaming_space(
        tmp_path: Path) -> None:
    """Permission denied (or, as root here, a name too long for the temporary file beside
    it) said "free some space", which sends a case manager to delete files for nothing."""
    from typer.testing import CliRunner

    from engine.cli.app import app
    path = tmp_path / ("c" * 245 + ".yaml")
    result = CliRunner().invoke(app, ["new-case", "-o", str(path)])
    assert result.exit_code == 2
    assert "nothing was written" in result.output and "free some space" not in result.output
    assert not path.exists()
