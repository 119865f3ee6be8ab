"""Follow-up tasks: the dated steps of a final plan's schedule, ticked off as done."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from engine.web.workspace import access, audit
from engine.web.workspace.conflicts import claim
from engine.web.workspace.models import FollowUpTask, User


def tasks(user: User, returnee_pk: int) -> list[FollowUpTask]:
    """The case's tasks, by due date."""
    case = access.returnee(user, returnee_pk, "view")
    return list(case.follow_up_tasks.order_by("due", "id"))


def overdue(user: User, today: date | None = None) -> list[FollowUpTask]:
    """Tasks of the cases ``user`` sees whose last day has passed undone."""
    return list(FollowUpTask.objects.filter(
        returnee__in=access.returnees(user), done_on__isnull=True,
        due__lt=today or date.today()).select_related("returnee").order_by("due", "id"))


def mark_done(user: User, task_pk: int, on: date, version: int) -> FollowUpTask:
    """Tick a task off (StaleVersion if someone else changed it since ``version``). A task
    already done stays as it was: a second click on "Mark done", or a colleague who was
    first, asks for what is already true."""
    task = FollowUpTask.objects.filter(pk=task_pk).first()
    if task is None:
        raise access.refuse(user, "change", None, "No such task.")
    access.returnee(user, task.returnee_id, "change")  # outside: a refusal's audit row stays
    if task.done_on is not None:
        return task
    with transaction.atomic():
        claim(task, version, done_on=on, done_by=user)
        audit.record(user, "change", task)
    return task
