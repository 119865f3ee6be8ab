"""``reintegrate project-design --json``: the design as a versioned document of codes, ids
and numbers (the officer's own answers to open questions are the only text), with its JSON
Schema kept in ``docs/contract/project_design.schema.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter

from engine.project_design.design import ProjectDesign

CONTRACT_VERSION = 1


@dataclass(frozen=True)
class ProjectDesignDocument:
    design: ProjectDesign
    document: Literal["project_design"] = "project_design"
    contract_version: int = CONTRACT_VERSION


def to_json(document: ProjectDesignDocument) -> str:
    data = TypeAdapter(ProjectDesignDocument).dump_python(document, mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False)


def json_schema() -> dict[str, Any]:
    schema = TypeAdapter(ProjectDesignDocument).json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"reintegrate/project_design/v{CONTRACT_VERSION}", **schema}
