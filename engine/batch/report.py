"""The cohort report (stub while the pipeline is checked)."""

from __future__ import annotations

import pyarrow as pa

from engine.model.rulebook import RuleBook


class CohortReport:
    def __init__(self, book: RuleBook):
        self.book = book
        self.rows = 0

    def add(self, results: pa.Table) -> None:
        self.rows += results.num_rows

    def html(self, identity: str, outcome: object) -> str:
        return f"<p>{self.rows}</p>"
