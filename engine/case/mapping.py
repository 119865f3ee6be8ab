"""A case from data already in memory (a database row, a form), checked as a file is.

The same validation as ``read_case``: pydantic's field checks, then the cross-checks
against the rules, then the warnings on what is possible but implausible; so a store hands
the engine nothing a case file could not hold, and bad data gets the engine's own problems
(located by field; ``where`` names the record instead of a file).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from engine.case.reading import CaseReading, case_from_source, case_warnings
from engine.loading.source_file import SourceFile
from engine.model.rulebook import RuleBook


def read_case_data(data: dict[str, Any], book: RuleBook, where: str = "case",
                   today: date | None = None) -> CaseReading:
    """The case ``data`` describes, with its warnings; CaseError naming every problem."""
    source = SourceFile(Path(where), data)
    case = case_from_source(source, book)
    return CaseReading(case, case_warnings(case, source, today or date.today(), book), source)
