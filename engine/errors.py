"""Errors written for people: each names the file, the line, the rule id and what to do.

One family, as httpx has: everything the engine raises derives from ``ReintegrateError``.
``ProblemsFound`` and its kinds are mistakes a user can make and fix (every problem with its
place, collected rather than stopped at the first, like pySigma's ``collect_errors``);
``InferenceError`` is the engine failing on input it had accepted: a bug to report. A front
door tells them apart by exit code (``EXIT_CODES``).
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


class ReintegrateError(Exception):
    """The base of every error the engine raises."""

    kind = "error"


class ProblemsFound(ReintegrateError):
    """Raised with every problem found in a batch of input files: the user's to fix."""

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


class InferenceError(ReintegrateError):
    """The rules engine failed on rules that had passed validation: a bug, not a user error."""

    kind = "crash"


EXIT_CODES = {"rules": 1, "case": 2, "argument": 2, "input": 2, "crash": 3}
"""Exit status by error kind: 1 the rules do not validate, 2 a case file, an argument or
another input is wrong, 3 the engine itself failed (a bug; nothing was written)."""
