"""My cases, a new case, one case's overview, and the pseudonymised export."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from engine.web.pages import closure, localized
from engine.web.pages import follow_up as follow_up_page
from engine.web.pages.forms import NewCaseForm
from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.workspace import access, exports, follow_up, plans, returnees, rounds


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    rows = returnees.my_cases(request.user)
    names = localized.names(localized.book(request.LANGUAGE_CODE).framework.monitoring_rounds)
    short = {kind: name.split(" (")[0] for kind, name in names.items()}
    return render(request, "pages/my_cases.html", {"rows": rows, "kinds": short})


@login_required
@require_http_methods(["GET", "POST"])
def new_case(request: HttpRequest) -> HttpResponse:
    access.require_case_work(request.user, "create")  # before the form, not after it is filled
    vulnerabilities = localized.names(localized.book(request.LANGUAGE_CODE)
                                      .framework.vulnerabilities)
    form = NewCaseForm(request.POST or None, vulnerabilities=vulnerabilities)
    if request.method == "POST" and form.is_valid():
        try:
            returnee = returnees.open_case(request.user, form.document(),
                                           language=form.cleaned_data["language"])
        except SAVE_REFUSED as error:
            refused(request, error)
        else:
            return redirect("pages:rss", pk=rounds.rounds_of(request.user, returnee.pk)[-1].pk)
    return render(request, "pages/new_case.html", {"form": form})


@login_required
@require_GET
def case(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = returnees.case_for(request.user, pk)
    case_rounds = rounds.rounds_of(request.user, pk)
    kinds = localized.names(localized.book(request.LANGUAGE_CODE).framework.monitoring_rounds)
    return render(request, "pages/case.html", {
        "returnee": returnee, "rounds": case_rounds, "kinds": kinds,
        "latest": case_rounds[-1] if case_rounds else None,
        "versions": plans.versions(request.user, pk),
        "tasks": follow_up_page.named(request, follow_up.tasks(request.user, pk)),
        "today": date.today(),
        "may_change": access.may_change(request.user, returnee),
        "closure_reasons": dict(closure.reasons())})


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(exports.cases_csv(request.user), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="cases.csv"'
    return response
