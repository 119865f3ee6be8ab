"""Closing a case with one of the reasons of vocabulary.yaml; a closed case is read-only."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from engine import CaseError, Problem
from engine.web.workspace import access, audit
from engine.web.workspace.conflicts import claim
from engine.web.workspace.models import Closure, User
from engine.web.workspace.vocabulary import closure_choices

__all__ = ["close", "closure_choices"]


def close(user: User, returnee_pk: int, reason: str, on: date, note: str,
          version: int) -> Closure:
    """Close the case (reason id from closure_choices(); "other" needs a note)."""
    reasons = [r for r, _ in closure_choices()]
    note = note.strip()
    if reason not in reasons:
        raise CaseError([Problem("closure", None, "unknown closure reason", reason,
                                 "use one of: " + ", ".join(reasons))])
    if reason == "other" and not note:
        raise CaseError([Problem("closure", None, "closing for another reason needs a note",
                                 reason, "say why in the note")])
    case = access.returnee(user, returnee_pk, "change")  # a refusal's audit row stays
    with transaction.atomic():
        claim(case, version)
        closure = Closure.objects.create(returnee=case, reason=reason, note=note[:500],
                                         closed_on=on, closed_by=user)
        audit.record(user, "close", case)
    return closure
