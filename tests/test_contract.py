"""The JSON contract: the schema in docs/contract/ is the one the code exports, and every
document the CLI prints validates against it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from engine.case.reading import load_case
from engine.cli.app import app
from engine.model.rulebook import RuleBook
from engine.presentation.contract import CONTRACT_VERSION, SCHEMAS, json_schema

REPO = Path(__file__).resolve().parent.parent
CONTRACT = REPO / "docs" / "contract"
ETHIOPIA = REPO / "examples" / "cases" / "ethiopia_returnee.yaml"
runner = CliRunner()


@pytest.mark.parametrize("document", list(SCHEMAS))
def test_committed_schema_is_the_exported_one(document: str) -> None:
    committed = json.loads((CONTRACT / f"{document}.schema.json").read_text())
    assert committed == json_schema(document), (
        f"the {document} contract changed: bump CONTRACT_VERSION if a consumer could notice, "
        f"then run: reintegrate schema {document} > docs/contract/{document}.schema.json")
    assert committed["$id"].endswith(f"/v{CONTRACT_VERSION}")


@pytest.mark.parametrize(("command", "document"), [
    (["score", str(ETHIOPIA)], "scores"), (["recommend", str(ETHIOPIA)], "assessment"),
    (["explain", str(ETHIOPIA), "school_reintegration"], "approach")])
def test_cli_documents_validate_against_the_schema(command: list[str], document: str) -> None:
    result = runner.invoke(app, [*command, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["document"] == document
    jsonschema.validate(data, json_schema(document))


def test_unknown_schema_is_a_bad_argument() -> None:
    result = runner.invoke(app, ["schema", "plan"])
    assert result.exit_code == 2 and "scores, assessment, approach" in result.output


@pytest.mark.parametrize("command", [
    ["score", "missing.yaml"], ["recommend", str(ETHIOPIA), "--weights", "nonesuch"],
    ["explain", "missing.yaml", "school_reintegration"]])
def test_errors_with_json_are_a_document(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    jsonschema.validate(data, json_schema("errors"))
    assert data["document"] == "errors" and data["problems"]
    assert all(p["message"] for p in data["problems"])


def test_the_case_schema_accepts_the_examples(book: RuleBook) -> None:
    """``reintegrate schema case`` is what a form or a mapping builds on: every example case
    file, as the engine reads it, is valid against it."""
    schema = json_schema("case")
    assert {"returnee_id", "profile"} <= set(schema["required"])
    for example in sorted((REPO / "examples" / "cases").glob("*.yaml")):
        data = load_case(example, book).model_dump(mode="json")
        jsonschema.validate(data, schema)
    result = runner.invoke(app, ["schema", "case"])
    assert result.exit_code == 0 and json.loads(result.stdout) == schema


def test_the_cli_names_every_schema() -> None:
    from engine.cli.app import SCHEMA_NAMES

    assert tuple(SCHEMAS) == SCHEMA_NAMES
