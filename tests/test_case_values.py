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
