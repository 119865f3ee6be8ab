"""Which rule book a batch result was made with, as every output of a batch names it."""

from __future__ import annotations

from engine.model.rulebook import RuleBook


def rulebook_identity(book: RuleBook) -> str:
    """The rule book's identity (its content version until ``RuleBook.identity`` lands)."""
    return book.version
