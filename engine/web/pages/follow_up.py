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

from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.workspace import follow_up, returnees


@login_required
@require_GET
def tasks(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = returnees.case_for(request.user, pk)
    return render(request, "pages/follow_up.html", {
        "returnee": returnee, "tasks": follow_up.tasks(request.user, pk),
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
