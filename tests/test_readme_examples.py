"""The README's YAML examples are what the code reads: the case file loads, the decisions
and agreed actions are valid with ids of the shipped rules, the service directory entry is
the shipped one. A renamed field or id then fails here, not in a user's first try."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from engine.case.model import AgreedAction, Decision
from engine.case.reading import read_case
from engine.model.rulebook import RuleBook

README = Path(__file__).resolve().parent.parent / "README.md"


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README.read_text(), re.S)


def _block(starting: str) -> str:
    [block] = [b for b in _yaml_blocks() if b.startswith(starting)]
    return block


def test_the_readme_s_yaml_blocks_fit_80_columns() -> None:
    blocks = _yaml_blocks()
    assert len(blocks) >= 3
    assert [line for b in blocks for line in b.splitlines() if len(line) > 80] == []


def test_the_case_file_example_loads(tmp_path: Path, book: RuleBook) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(_block("returnee_id:"))
    reading = read_case(path, book)
    case = reading.case
    assert case.profile.household.returned_with == []
    assert [(m.relationship, m.age) for m in case.profile.household.stayed] == [
        ("spouse_or_partner", 39), ("child", 8)]
    assert (case.guardian, case.interpreter) == (None, None)
    assert case.consent is not None and case.consent.given_by == "returnee"
    assert (case.decisions, case.agreed_actions) == ([], [])


def test_the_decisions_and_actions_example_is_valid(tmp_path: Path, book: RuleBook) -> None:
    data = YAML(typ="safe", pure=True).load(_block("decisions:"))
    [decision] = [Decision.model_validate(d) for d in data["decisions"]]
    [action] = [AgreedAction.model_validate(a) for a in data["agreed_actions"]]
    assert decision.approach in book.approaches and action.approach in book.approaches
    entry = book.provider(action.provider or "")
    assert entry is not None and action.approach in entry.approaches
    assert set(data["agreed_actions"][0]) == set(AgreedAction.model_fields)
    assert set(data["decisions"][0]) == set(Decision.model_fields)
    # the example is the Ethiopian example's first action, as the case file has it
    example = read_case(README.parent / "examples" / "cases" / "ethiopia_returnee.yaml",
                        book).case.agreed_actions[0]
    assert (action.what, action.provider, action.starts, action.due, action.cost) == (
        example.what, example.provider, example.starts, example.due, example.cost)


@pytest.mark.parametrize("field", ["name", "kind", "approaches", "services", "contact",
                                   "places", "illustrative", "source", "provenance"])
def test_the_directory_example_is_the_shipped_entry(book: RuleBook, field: str) -> None:
    data = YAML(typ="safe", pure=True).load(_block("country:"))
    [shown] = data["entries"]
    entry = book.provider(shown["id"])
    assert entry is not None
    assert shown[field] == getattr(entry, field)
    assert book.directory(data["country"]) is not None
