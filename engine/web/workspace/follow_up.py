"""Follow-up tasks: the dated steps of a final plan's schedule, ticked off as done."""

from __future__ import annotations

from datetime import date

from engine.web.workspace.models import FollowUpTask, User


def tasks(user: User, returnee_pk: int) -> list[FollowUpTask]:
    """The case's tasks, by due date."""
    raise NotImplementedError


def overdue(user: User, today: date | None = None) -> list[FollowUpTask]:
    """Tasks of the cases ``user`` sees whose last day has passed undone."""
    raise NotImplementedError


def mark_done(user: User, task_pk: int, on: date, version: int) -> FollowUpTask:
    """Tick a task off (StaleVersion if someone else changed it since ``version``)."""
    raise NotImplementedError
