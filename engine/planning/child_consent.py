"""A child's consent recorded as the child's own: a light check (no plan models) that a
front door runs as soon as a case is read, so ``validate`` warns long before ``plan
--final`` refuses."""

from __future__ import annotations

from engine.case.model import Case


def child_s_own_consent(case: Case, guardian_required: bool) -> tuple[str | int, ...] | None:
    """Where a child's consent is recorded as the child's own (None when it is not): for a
    child the guardian consents (003, child-rights article)."""
    consent = case.consent
    if not guardian_required or consent is None or consent.given_by == "guardian":
        return None
    return ("consent", "given_by") if "given_by" in consent.model_fields_set else ("consent",)
