"""The audit log: a row for every view, change, export, sign-in attempt and refused
access, by ids only. Sign-in attempts are recorded from Django's and django-axes' signals,
so every way of signing in (page, admin) is covered."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models

from engine.web.workspace.models import AuditEntry, User

ACTIONS = ("view", "change", "create", "delete", "export", "import", "sign_in", "sign_out",
           "approve", "finalise", "close", "backup", "restore", "reload")
"""What an audit row can say was done (``outcome`` says ok, failed, locked or refused)."""


def record(user: User | None, action: str, target: models.Model | None = None,
           outcome: str = "ok") -> AuditEntry:
    """One audit row: the user's id, the action, the record's table and id."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to ACTIONS")
    return AuditEntry.objects.create(
        user=user if user is not None and user.pk else None, action=action,
        target="" if target is None else target._meta.model_name,
        target_id=None if target is None else target.pk, outcome=outcome)


def entries(user: User, limit: int = 200) -> list[AuditEntry]:
    """The latest audit rows an admin (all) or a supervisor (their office's staff) may
    read; anyone else is refused (and that is audited too)."""
    from engine.web.workspace.access import AccessRefused
    from engine.web.workspace.vocabulary import vocabulary
    role = vocabulary().role(user.role)
    if role.administers:
        rows = AuditEntry.objects.all()
    elif role.approves_plans:
        rows = AuditEntry.objects.filter(user__office=user.office)
    else:
        record(user, "view", None, outcome="refused")
        raise AccessRefused("Only supervisors and admins read the audit log.")
    return list(rows.select_related("user")[:limit])


def listen_to_sign_ins() -> None:
    """Connect the sign-in signals (called once, when the app is ready)."""
    user_logged_in.connect(_signed_in, dispatch_uid="workspace-audit-signed-in")
    user_logged_out.connect(_signed_out, dispatch_uid="workspace-audit-signed-out")
    user_login_failed.connect(_failed, dispatch_uid="workspace-audit-failed")
    from axes.signals import user_locked_out
    user_locked_out.connect(_locked_out, dispatch_uid="workspace-audit-locked-out")


def _signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    record(user, "sign_in")


def _signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(user, "sign_out")


def _account(credentials: dict[str, Any]) -> User | None:
    """The account a sign-in named, if it exists (the typed name itself is not kept)."""
    name = credentials.get("username")
    if not name:
        return None
    return get_user_model().objects.filter(username=name).first()


def _failed(sender: Any, credentials: dict[str, Any], request: Any = None,
            **kwargs: Any) -> None:
    record(_account(credentials), "sign_in", outcome="failed")


def _locked_out(sender: Any, request: Any, username: str | None = None,
                ip_address: str | None = None, **kwargs: Any) -> None:
    record(_account({"username": username}), "sign_in", outcome="locked")
