"""Closing a case with one of the workspace's reasons (a closed case is read-only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from engine.web.pages.forms import ClosureForm
from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.workspace import closure, returnees

REASONS = {
    "support_period_ended": gettext_lazy("Support period ended"),
    "returnees_choice": gettext_lazy("The returnee's choice"),
    "moved_away": gettext_lazy("Moved away"),
    "criteria_no_longer_met": gettext_lazy("Criteria no longer met"),
    "loss_of_contact": gettext_lazy("Loss of contact"),
    "death": gettext_lazy("Death"),
    "other": gettext_lazy("Other (say why in the note)"),
}
"""The interface's words for the workspace's closure reasons (vocabulary.yaml's ids); a
reason added there shows its English name until it is added here."""


def reasons() -> list[tuple[str, str]]:
    return [(reason, REASONS.get(reason, name)) for reason, name in closure.closure_choices()]


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = returnees.case_for(request.user, pk, "change")  # the form is only for changing
    form = ClosureForm(request.POST or None, reasons=reasons(),
                       initial={"version": returnee.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            closure.close(request.user, pk, data["reason"], data["closed_on"], data["note"],
                          data["version"])
        except SAVE_REFUSED as error:
            refused(request, error)
        else:
            messages.success(request, gettext("The case was closed."))
            return redirect("pages:case", pk=pk)
    return render(request, "pages/close.html", {"returnee": returnee, "form": form})
