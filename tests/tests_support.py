"""Builders shared by tests (importable, unlike conftest)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from engine.case.model import Case
from engine.evaluation.backends import BACKENDS, unavailable

AVAILABLE_BACKENDS = sorted(name for name in BACKENDS if unavailable(name) is None)
"""Every backend that loads on this Python (durable_rules does not on 3.13)."""


def case_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "returnee_id": "TEST-0001",
        "profile": {
            "age": 30, "sex": "female", "country_of_return": "Senegal",
            "place_of_return": "Dakar", "date_of_return": "2026-09-01",
        },
        "rss": {}, "grid_answers": {},
    }
    data.update(overrides)
    return data


def with_changes(data: dict[str, Any], **changes: Any) -> Case:
    """A case made of an example's data with some of its parts replaced."""
    return Case.model_validate({**data, **changes})


def break_line(rules: Path, relative: Path | str, pattern: str, replacement: str) -> int:
    """Replace the first line of a rule file matching ``pattern``; return its line number."""
    path = rules / relative
    lines = path.read_text().splitlines(keepends=True)
    for index, line in enumerate(lines):
        if re.search(pattern, line):
            lines[index] = re.sub(pattern, replacement, line, count=1)
            path.write_text("".join(lines))
            return index + 1
    raise AssertionError(f"{pattern!r} not found in {relative}")
