"""A case from data already in memory (a database row, a form), checked as a file is.

The same validation as ``read_case``: pydantic's field checks, then the cross-checks
against the rules, so a store hands the engine nothing a case file could not hold, and
bad data gets the engine's own problems (located by field; ``where`` names the record).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.case.model import Case
from engine.case.reading import case_from_source
from engine.loading.source_file import SourceFile
from engine.model.rulebook import RuleBook


def case_from_data(data: dict[str, Any], book: RuleBook, where: str = "case") -> Case:
    """The case ``data`` describes; CaseError naming every problem (by field) if any."""
    return case_from_source(SourceFile(Path(where), data), book)
