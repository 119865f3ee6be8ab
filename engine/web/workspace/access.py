"""Who may see and change which case: the one place queries are scoped by role and office.

A case manager reaches the cases they manage; a supervisor every case of their office (and
approves plans); a trainer the anonymised example cases only, read-only; an admin no case
(accounts, offices and directories are the admin's). A refused access is audited and
raises ``AccessRefused`` (a 403 for the pages), never a silent empty page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from engine.web.workspace import audit
from engine.web.workspace.models import Returnee, User
from engine.web.workspace.vocabulary import vocabulary


class AccessRefused(PermissionDenied):
    """This account may not do this to this case (audited)."""


def returnees(user: User) -> QuerySet[Returnee]:
    """The cases ``user`` may see, whatever page asks."""
    if not user.is_authenticated or not user.is_active:
        return Returnee.objects.none()
    sees = vocabulary().role(user.role).sees
    everything = Returnee.objects.select_related("office", "case_manager")
    if sees == "own":
        return everything.filter(case_manager=user, office=user.office)
    if sees == "office":
        return everything.filter(office=user.office)
    if sees == "examples":
        return everything.filter(example=True)
    return Returnee.objects.none()


def returnee(user: User, pk: int, action: str = "view") -> Returnee:
    """The case ``pk`` if ``user`` may ``action`` it ("view" or "change"); else the refusal
    is audited and AccessRefused raised. A case another office holds and a case that does
    not exist are refused alike, so ids cannot be probed."""
    found = returnees(user).filter(pk=pk).first()
    if found is None or (action != "view" and not may_change(user, found)):
        audit.record(user, action, _Target(Returnee, pk), outcome="refused")
        raise AccessRefused(f"You cannot {action} this case.")
    return found


def may_change(user: User, case: Returnee) -> bool:
    """Case managers and supervisors change the cases they see, until a case is closed;
    trainers only read the examples."""
    if vocabulary().role(user.role).sees not in ("own", "office"):
        return False
    return not hasattr(case, "closure")


def may_approve(user: User, case: Returnee) -> bool:
    """Supervisors approve plans of their office's cases."""
    return vocabulary().role(user.role).approves_plans and case.office_id == user.office_id


def opens_cases(user: User) -> bool:
    """Case managers and supervisors open and import cases; other roles are not offered to."""
    return user.is_authenticated and vocabulary().role(user.role).sees in ("own", "office")


def require_case_work(user: User, action: str) -> None:
    """Refuse (audited) a role that does not open or import cases."""
    if not opens_cases(user):
        raise refuse(user, action, None, "Your role does not open or change cases.")


def refuse(user: User, action: str, target: object, message: str) -> AccessRefused:
    """Audit a refusal and return the error to raise."""
    audit.record(user, action, target if hasattr(target, "_meta") else None, outcome="refused")
    return AccessRefused(message)


class _Target:
    """A record known only by its table and id (a refused one is not loaded)."""

    def __init__(self, model: type, pk: int):
        self._meta, self.pk = model._meta, pk
