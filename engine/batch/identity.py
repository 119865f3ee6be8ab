"""Which rule book a batch result was made with, as every output of a batch names it."""

from __future__ import annotations

from engine.model.rulebook import RuleBook


def rulebook_identity(book: RuleBook) -> str:
    """The hash of the validated rule book's content (``RuleBook.identity``): the same for a
    translated copy, its own for a derived book."""
    return book.identity
