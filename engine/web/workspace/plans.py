"""Plans: drafts on the fly, then versions that are submitted, approved by a supervisor
and finalised. A final version never changes: it keeps the case document it was drafted
from, the rule book's identity and its PDF; a change makes the next version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from engine.web.workspace.models import PlanVersion, User

Format = Literal["html", "pdf", "md"]


class PlanNotReady(Exception):
    """Finalising was refused: ``gaps`` are the same sentences ``reintegrate plan --final``
    prints, each saying what to do; nothing was saved."""

    def __init__(self, gaps: list[str]):
        self.gaps = gaps
        super().__init__(f"The plan cannot be final yet ({len(gaps)} missing).")


class ApprovalNeeded(Exception):
    """A supervisor must approve this version (as it is now) before it is final."""


@dataclass(frozen=True)
class Difference:
    """One field that differs between two versions' case documents (dotted path)."""

    field: str
    before: Any
    after: Any


def draft(user: User, round_pk: int, fmt: Format = "html", language: str = "en") -> str | bytes:
    """The plan of the round as it stands, marked draft, in ``fmt`` and ``language``."""
    raise NotImplementedError


def gaps(user: User, round_pk: int, language: str = "en") -> list[str]:
    """What is missing before the plan can be final (empty when nothing is)."""
    raise NotImplementedError


def submit(user: User, round_pk: int, language: str = "en") -> PlanVersion:
    """A new version from the round as it stands, for a supervisor to approve; an earlier
    version not yet final is superseded."""
    raise NotImplementedError


def approve(user: User, version_pk: int) -> PlanVersion:
    """A supervisor of the case's office approves a submitted version."""
    raise NotImplementedError


def finalise(user: User, version_pk: int) -> PlanVersion:
    """Make an approved version final: refused with PlanNotReady (the --final gap list)
    while something is missing, with ApprovalNeeded until approved, and when the round has
    changed since it was submitted. Stores the PDF and creates the follow-up tasks."""
    raise NotImplementedError


def versions(user: User, returnee_pk: int) -> list[PlanVersion]:
    """Every plan version of the case, newest first."""
    raise NotImplementedError


def version_for(user: User, version_pk: int) -> PlanVersion:
    raise NotImplementedError


def rendered(user: User, version_pk: int, fmt: Format = "pdf",
             language: str | None = None) -> str | bytes:
    """A version's plan: the stored PDF of a final version (byte for byte what was signed),
    else drafted from the version's own case document with the current rules."""
    raise NotImplementedError


def compare(user: User, version_a: int, version_b: int) -> list[Difference]:
    """What changed between two versions of one case: their case documents field by field."""
    raise NotImplementedError
