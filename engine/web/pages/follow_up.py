"""Follow-up tasks from the final plan's schedule: listed by due date, overdue ones marked,
ticked off as done."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from engine.web.pages import localized
from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.workspace import follow_up, returnees
from engine.web.workspace.models import FollowUpTask


def named(request: HttpRequest, tasks: list[FollowUpTask]) -> list[FollowUpTask]:
    """Each task with ``shown``, its milestone's name in the reader's language (the stored
    name is the plan's language; a step that is no milestone keeps it)."""
    names = localized.names(localized.book(request.LANGUAGE_CODE).plan.schedule.milestones)
    for task in tasks:
        task.shown = names.get(task.milestone, task.name)
    return tasks


@login_required
@require_GET
def tasks(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = returnees.case_for(request.user, pk)
    return render(request, "pages/follow_up.html", {
        "returnee": returnee, "tasks": named(request, follow_up.tasks(request.user, pk)),
        "today": date.today()})


@login_required
@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        task = follow_up.mark_done(request.user, pk, date.today(),
                                   int(request.POST.get("version", 0)))
    except SAVE_REFUSED as error:
        refused(request, error)
        return redirect(request.POST.get("back") or "pages:cases")
    messages.success(request, gettext("The task was marked done."))
    return redirect("pages:follow_up", pk=task.returnee_id)
