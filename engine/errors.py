"""Errors written for people: each names the file, the line, the rule id and what to do.

Rule files are collected, not stopped at the first problem (like pySigma's
``collect_errors``), so an author fixes a whole file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one input file."""

    path: Path | str
    line: int | None
    message: str
    rule_id: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        subject = f" {self.rule_id!r}:" if self.rule_id else ""
        text = f"{where}:{subject} {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class ProblemsFound(Exception):
    """Raised with every problem found in a batch of input files."""

    kind = "input"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RuleErrors(ProblemsFound):
    """The rules tree does not validate; nothing was evaluated."""

    kind = "rules"


class CaseError(ProblemsFound):
    """A case file cannot be read as a case; nothing was evaluated."""

    kind = "case"


class ArgumentError(ProblemsFound):
    """A command-line argument names nothing the rules define (a weight set, say)."""

    kind = "argument"


class InferenceError(RuntimeError):
    """The rules engine failed on rules that had passed validation: a bug, not a user error."""
