"""Closing a case with one of the reasons of vocabulary.yaml; a closed case is read-only."""

from __future__ import annotations

from datetime import date

from engine.web.workspace.models import Closure, User
from engine.web.workspace.vocabulary import closure_choices

__all__ = ["close", "closure_choices"]


def close(user: User, returnee_pk: int, reason: str, on: date, note: str,
          version: int) -> Closure:
    """Close the case (reason id from closure_choices(); "other" needs a note)."""
    raise NotImplementedError
