"""Exports for analysis: pseudonymised by default (ids, ages, dates, scores, statuses; no
places, goals, notes or names) and safe to open in a spreadsheet."""

from __future__ import annotations

from engine.web.workspace.models import User

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is run as a formula by spreadsheet programs."""


def neutralised(cell: object) -> str:
    """The cell as text a spreadsheet shows as text: a leading formula character gets a
    quote before it (OWASP's advice against CSV injection)."""
    raise NotImplementedError


def cases_csv(user: User) -> str:
    """One row per round of the cases ``user`` sees: pseudonymous id, office code, round,
    date, the four scores and each approach's status. Audited as an export."""
    raise NotImplementedError
