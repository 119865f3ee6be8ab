"""Closing a case with one of the workspace's reasons (a closed case is read-only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from engine.web.pages.forms import ClosureForm
from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.workspace import closure, returnees


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = returnees.case_for(request.user, pk, "edit" if request.method == "POST"
                                  else "view")
    form = ClosureForm(request.POST or None, reasons=closure.closure_choices(),
                       initial={"version": returnee.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            closure.close(request.user, pk, data["reason"], data["closed_on"], data["note"],
                          data["version"])
        except SAVE_REFUSED as error:
            refused(request, error)
        else:
            messages.success(request, _("The case was closed."))
            return redirect("pages:case", pk=pk)
    return render(request, "pages/close.html", {"returnee": returnee, "form": form})
