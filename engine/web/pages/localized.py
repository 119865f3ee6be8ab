"""The workspace's rule book and its words in the reader's language (the book each worker
serves, followed across the admin's changes and reloads: ``workspace.rulebook``).

The pages label the instrument's elements, choices, grid questions and approaches with the
rule book's own translations (rules/translations), and word reasons and traces with the
engine's Wording, both reached through the public ``Drafter``: nothing is translated here.
"""

from __future__ import annotations

from typing import Any

from engine import RuleBook
from engine.web.workspace.rulebook import drafter


def language_of(code: str | None) -> str:
    """The rule book's language for an interface or case language; English otherwise."""
    return code if code in drafter().languages else "en"


def book(language: str) -> RuleBook:
    """The rule book with its texts in ``language`` (ids unchanged)."""
    return drafter().language(language_of(language)).planner.book


def words(language: str) -> Any:
    """The engine's wording of reasons, conditions and answers in ``language``."""
    return drafter().language(language_of(language)).words


def names(terms: list[Any]) -> dict[str, str]:
    return {term.id: term.name for term in terms}
