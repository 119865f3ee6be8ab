"""The CLI's case file in and out: one round as the YAML ``reintegrate`` reads, so a case
imported and exported gives the command line the same results."""

from __future__ import annotations

from engine.web.workspace.models import MonitoringRound, Returnee, User


def import_case_file(user: User, content: bytes, name: str = "case.yaml") -> Returnee:
    """A new case (or a new round of the case with the same returnee id in the user's
    office) from a case file, checked by the engine as the CLI checks it: CaseError with
    the file's lines on bad data, nothing saved."""
    raise NotImplementedError


def export_case_file(user: User, round_pk: int) -> str:
    """The round as a case file (YAML) for the CLI. Audited as an export."""
    raise NotImplementedError


def round_document(round_: MonitoringRound) -> dict:
    """The round's full case document (returnee part + round part), as the engine reads it."""
    raise NotImplementedError
