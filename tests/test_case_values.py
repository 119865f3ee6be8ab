"""Values a case file could hold by mistake: consent written as 1/0, a name as the id."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.case.reading import looks_like_a_name, read_case
from engine.errors import CaseError
from engine.model.rulebook import RuleBook

EXAMPLE = Path(__file__).parents[1] / "examples" / "cases" / "iraq_returnee.yaml"


@pytest.mark.parametrize("written", ["1", "0", '"yes"', "y", '"true"'])
def test_consent_is_true_or_false_only(tmp_path: Path, book: RuleBook, written: str) -> None:
    text = EXAMPLE.read_text().replace("  data_processing: true",
                                       f"  data_processing: {written}")
    path = tmp_path / "case.yaml"
    path.write_text(text)
    with pytest.raises(CaseError) as caught:
        read_case(path, book)
    line = text.splitlines().index(f"  data_processing: {written}") + 1
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{line}: consent.data_processing: Input should be a valid boolean — write "
        "true or false"]


@pytest.mark.parametrize("returnee_id", ["blessing_okafor", "blessing-okafor-eze",
                                         "Blessing_Okafor"])
def test_lower_case_names_look_like_names(returnee_id: str) -> None:
    assert looks_like_a_name(returnee_id)


@pytest.mark.parametrize("returnee_id", ["eth-2026-0042", "okafor", "ETH-ADD", "cm07_case"])
def test_codes_and_single_words_do_not(returnee_id: str) -> None:
    assert not looks_like_a_name(returnee_id)


def test_a_case_saved_as_json_reads_back(tmp_path: Path, book: RuleBook) -> None:
    """Money amounts are written as numbers, so a front door that stores a case as JSON
    (web, batch) can read it again: pydantic would write Decimal as a string."""
    example = EXAMPLE.parent / "ethiopia_returnee.yaml"
    case = read_case(example, book).case
    saved = tmp_path / "case.json"
    saved.write_text(case.model_dump_json())
    again = read_case(saved, book).case
    assert again == case
    assert [a.cost.amount for a in again.agreed_actions if a.cost] == [
        1500, 3000, 9000, 4500, 60000]


def test_recommend_json_carries_the_decisions(tmp_path: Path) -> None:
    """A front door reading ``recommend --json`` sees the decisions beside the advice."""
    import json

    from typer.testing import CliRunner

    from engine.cli.app import app

    example = EXAMPLE.parent / "ethiopia_returnee.yaml"
    path = tmp_path / "case.yaml"
    path.write_text(example.read_text() + "decisions:\n  - approach: family_counselling\n"
                    "    decision: decline\n    reason: Not now\n")
    result = CliRunner().invoke(app, ["recommend", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decisions"] == [
        {"approach": "family_counselling", "decision": "decline", "reason": "Not now",
         "decided_on": None}]


# -- values a review slipped through (issue 13, item 5) -------------------------------------

ETHIOPIA = EXAMPLE.parent / "ethiopia_returnee.yaml"


def _refused(tmp_path: Path, book: RuleBook, old: str, new: str) -> str:
    """The one problem of the example with ``old`` written as ``new``, checked to carry the
    file and the line where ``new`` was written."""
    text = ETHIOPIA.read_text()
    assert old in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(CaseError) as caught:
        read_case(path, book)
    [problem] = caught.value.problems
    line = text[:text.index(old)].count("\n") + 1
    assert str(problem).startswith(f"{path}:{line}: "), problem
    return str(problem)[len(f"{path}:{line}: "):]


@pytest.mark.parametrize(("written", "message"), [
    ("20261006", "a number is not a date"),
    ("1.5", "a number is not a date"),
    ("0001-01-01", "must be between 1900-01-01 and 2199-12-31"),
    ("9999-12-31", "must be between 1900-01-01 and 2199-12-31"),
])
def test_consent_recorded_on_is_checked_like_every_date(
        tmp_path: Path, book: RuleBook, written: str, message: str) -> None:
    problem = _refused(tmp_path, book, "recorded_on: 2026-10-06", f"recorded_on: {written}")
    assert problem.startswith(f"consent.recorded_on: {message}")


@pytest.mark.parametrize("written", ['"8"', "'44'", "!!str 44", '" 44"'])
def test_an_age_is_a_number_not_text(tmp_path: Path, book: RuleBook, written: str) -> None:
    assert _refused(tmp_path, book, "age: 44", f"age: {written}") == (
        "profile.age: a number in quotes (or tagged !!str) is text: write the number without "
        "quotes, e.g. 8")


def test_a_household_count_is_a_number_not_text(tmp_path: Path, book: RuleBook) -> None:
    assert _refused(tmp_path, book, "size: 6", 'size: "6"').startswith(
        "profile.household.size: a number in quotes")


@pytest.mark.parametrize("code", ["ZZZ", "EUR1", "etb", "XXX"])
def test_a_currency_is_an_iso_4217_code(tmp_path: Path, book: RuleBook, code: str) -> None:
    problem = _refused(tmp_path, book, "cost: {amount: 1500, currency: ETB}",
                       f"cost: {{amount: 1500, currency: {code}}}")
    assert problem.startswith("agreed_actions.0.cost.currency: ")
    if code in ("ZZZ", "XXX"):
        assert problem.endswith(f"'{code}' is not an ISO 4217 currency code: write the "
                                "currency's code, e.g. ETB, USD or XOF")


def test_the_currency_list_is_cldrs() -> None:
    """The list kept as data is Babel's (CLDR's) without the two codes that are no money."""
    from babel.numbers import list_currencies

    from engine.case.model import currency_codes
    assert currency_codes() == set(list_currencies()) - {"XXX", "XTS"}
    assert {"ETB", "USD", "XOF", "IQD", "EUR"} <= currency_codes()


@pytest.mark.parametrize(("written", "message"), [
    ("1e-400", "a number too small to be held (it would become 0)"),
    ("0.1e-999", "a number too small to be held (it would become 0)"),
    ("1e400", "a number too large to be held"),
])
def test_a_number_the_reader_cannot_hold_is_refused(
        tmp_path: Path, book: RuleBook, written: str, message: str) -> None:
    problem = _refused(tmp_path, book, "cost: {amount: 1500, currency: ETB}",
                       f"cost: {{amount: {written}, currency: ETB}}")
    assert problem.startswith(f"agreed_actions.0.cost.amount: {message}")


def test_zero_written_as_a_float_is_zero(tmp_path: Path, book: RuleBook) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(ETHIOPIA.read_text().replace("cost: {amount: 1500, currency: ETB}",
                                                 "cost: {amount: 0.0e-400, currency: ETB}"))
    assert read_case(path, book).case.agreed_actions[0].cost.amount == 0  # type: ignore[union-attr]


def test_a_contribution_above_the_cost_is_a_warning_with_its_line(
        tmp_path: Path, book: RuleBook) -> None:
    text = ETHIOPIA.read_text()
    old = "contribution: {amount: 5000, currency: ETB}"
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(old, "contribution: {amount: 60001, currency: ETB}"))
    reading = read_case(path, book)
    line = text[:text.index(old)].count("\n") + 1
    index = next(i for i, a in enumerate(reading.case.agreed_actions) if a.contribution)
    assert [str(w) for w in reading.warnings] == [
        f"{path}:{line}: agreed_actions[{index}]: the contribution is more than the cost — "
        "check both amounts; the contribution is the returnee's share of the cost"]


def test_a_contribution_to_a_free_service_or_in_another_currency_is_no_warning(
        tmp_path: Path, book: RuleBook) -> None:
    """The Iraqi example's first deposit in a savings account (cost 0), and a contribution
    in another currency (not comparable), are as written."""
    assert read_case(EXAMPLE, book).warnings == []
    path = tmp_path / "case.yaml"
    path.write_text(ETHIOPIA.read_text().replace(
        "contribution: {amount: 5000, currency: ETB}", "contribution: {amount: 90000, "
        "currency: USD}"))
    assert read_case(path, book).warnings == []


@pytest.mark.parametrize(("line", "said"), [
    ("  date_of_return: 12/03/2025", "profile.date_of_return: not a date — write it as "
     "year-month-day, e.g. 2026-09-15"),
    ("  date_of_return: 20 November 2026", "profile.date_of_return: not a date — write it "
     "as year-month-day"),
    ("  age: twenty", "profile.age: not a number: write it in digits, e.g. 8"),
    ('  age: "31"', "profile.age: a number in quotes (or tagged !!str) is text"),
    ("  age: 31.5", "profile.age: not a whole number — write a whole number, e.g. 24")])
def test_a_date_or_a_number_written_by_hand_says_what_to_write(
        tmp_path: Path, book: RuleBook, line: str, said: str) -> None:
    """A date written 12/03/2025 got pydantic's "Input should be a valid date or datetime,
    invalid character in year", which says nothing of what to write; an age of "twenty"
    was called "a number in quotes"."""
    field = line.split(":")[0]
    original = next(row for row in EXAMPLE.read_text().splitlines()
                    if row.startswith(field + ":"))
    text = EXAMPLE.read_text().replace(original, line)
    path = tmp_path / "case.yaml"
    path.write_text(text)
    with pytest.raises(CaseError) as caught:
        read_case(path, book)
    number = text.splitlines().index(line) + 1
    assert len(caught.value.problems) == 1
    assert str(caught.value.problems[0]).startswith(f"{path}:{number}: {said}")


def test_a_misspelt_required_field_is_suggested(tmp_path: Path, book: RuleBook) -> None:
    """``sexe:`` for ``sex:`` gave "unknown field 'sexe'" and "missing field 'profile.sex'"
    side by side without linking them, and pointed a case manager at "the rule format"."""
    text = EXAMPLE.read_text().replace("\n  sex: ", "\n  sexe: ")
    path = tmp_path / "case.yaml"
    path.write_text(text)
    with pytest.raises(CaseError) as caught:
        read_case(path, book)
    unknown = [str(p) for p in caught.value.problems if "unknown field" in str(p)]
    assert len(unknown) == 1 and "did you mean 'sex'?" in unknown[0]
    assert "rule format" not in unknown[0]


@pytest.mark.parametrize(("original", "line", "said"), [
    ("  sex: male", "  sex: homme", "case files use these English words"),
    ("currency: ETB}", "currency: etb}", "three capital letters (e.g. USD)")])
def test_a_word_in_another_language_or_case_says_what_to_write(
        tmp_path: Path, book: RuleBook, original: str, line: str, said: str) -> None:
    """'homme' for male gave pydantic's list with no hint; 'etb' for ETB "has the wrong
    form", which says neither what form nor how to write it."""
    example = EXAMPLE.parent / "ethiopia_returnee.yaml"
    text = example.read_text().replace(original, line, 1)
    path = tmp_path / "case.yaml"
    path.write_text(text)
    with pytest.raises(CaseError) as caught:
        read_case(path, book)
    assert any(said in str(p) for p in caught.value.problems), caught.value.problems
