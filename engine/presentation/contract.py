"""The JSON contract of ``--json``: versioned documents over the evaluation's own results.

The results are already data (codes, ids, numbers), so the contract is those dataclasses
wrapped in a small envelope that names the document and its version; pydantic serialises
them and exports the JSON Schema (``reintegrate schema``, kept in ``docs/contract/``).
Bump ``CONTRACT_VERSION`` on any change a consumer could notice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter

from engine.case.model import Case, Decision
from engine.errors import Problem, ProblemsFound, ReintegrateError
from engine.evaluation.assessment import Assessment
from engine.evaluation.results import ApproachResult
from engine.evaluation.scoring import Scores

CONTRACT_VERSION = 2
"""1 was the CLI's hand-written JSON with worded reasons; 2 carries codes only."""


@dataclass(frozen=True)
class ScoresDocument:
    """``reintegrate score --json``."""

    returnee_id: str
    scores: Scores
    document: Literal["scores"] = "scores"
    contract_version: int = CONTRACT_VERSION


@dataclass(frozen=True)
class AssessmentDocument:
    """``reintegrate recommend --json``: scores and every approach's result."""

    assessment: Assessment
    decisions: tuple[Decision, ...] = ()
    """What the case file records the case manager and the returnee decided, beside the
    engine's advice (which they may go against, with a reason)."""
    document: Literal["assessment"] = "assessment"
    contract_version: int = CONTRACT_VERSION


@dataclass(frozen=True)
class ApproachDocument:
    """``reintegrate explain --json``: one approach's result with its full trace."""

    rules_version: str
    result: ApproachResult
    decision: Decision | None = None
    """What the case file records the case manager and the returnee decided (the engine
    advises; they decide)."""
    document: Literal["approach"] = "approach"
    contract_version: int = CONTRACT_VERSION


@dataclass(frozen=True)
class ProblemLine:
    """One problem: where (a file, or an argument such as ``--weights``), the line, the rule
    id, what is wrong and what to do."""

    path: str
    line: int | None
    message: str
    rule_id: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class ErrorsDocument:
    """What ``--json`` prints on stdout instead of a result when the command fails; the exit
    status says the same (1 rules, 2 input, 3 crash)."""

    kind: Literal["rules", "case", "argument", "input", "output", "crash"]
    problems: tuple[ProblemLine, ...]
    document: Literal["errors"] = "errors"
    contract_version: int = CONTRACT_VERSION


def errors_document(error: ReintegrateError) -> ErrorsDocument:
    problems = error.problems if isinstance(error, ProblemsFound) else [
        Problem("reintegrate", None, str(error))]
    return ErrorsDocument(error.kind, tuple(  # type: ignore[arg-type]
        ProblemLine(str(p.path), p.line, p.message, p.rule_id, p.hint) for p in problems))


DOCUMENTS: dict[str, type] = {"scores": ScoresDocument, "assessment": AssessmentDocument,
                              "approach": ApproachDocument, "errors": ErrorsDocument}
SCHEMAS: dict[str, type] = {**DOCUMENTS, "case": Case}
"""Every exported schema: the --json documents, and the case file for forms and mappings."""


def to_json(document: ScoresDocument | AssessmentDocument | ApproachDocument
            | ErrorsDocument) -> str:
    data = TypeAdapter(type(document)).dump_python(document, mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False)


def json_schema(name: str) -> dict[str, Any]:
    """A --json document's schema as serialised; the case file's as read (validation)."""
    mode = "validation" if name == "case" else "serialization"
    schema = TypeAdapter(SCHEMAS[name]).json_schema(mode=mode)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"reintegrate/{name}/v{CONTRACT_VERSION}", **schema}
