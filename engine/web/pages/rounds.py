"""A new monitoring round (intermediate at 6-9 months, final at 12-18 months, as the rules
name them) and the progress of the four scores over the rounds, as a chart readable in grey."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from engine import ProblemsFound
from engine.web.pages import localized
from engine.web.pages.forms import NewRoundForm
from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.pages.progress_chart import progress_chart
from engine.web.workspace import calendar, returnees, rounds

COMPOSITE = "composite"


@login_required
@require_http_methods(["GET", "POST"])
def new_round(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = returnees.case_for(request.user, pk, "change")  # the form is only for changing
    names = localized.names(localized.book(request.LANGUAGE_CODE).framework.monitoring_rounds)
    kinds = [(kind, names.get(kind, name)) for kind, name in rounds.round_kinds()]
    returned_on = date.fromisoformat(returnee.profile["date_of_return"])
    windows = {kind: window for kind, _name in kinds
               if (window := calendar.round_window(kind, returned_on))}
    form = NewRoundForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        kind, assessed_on = form.cleaned_data["kind"], form.cleaned_data["assessed_on"]
        try:
            started = rounds.start_round(request.user, pk, kind, assessed_on)
        except SAVE_REFUSED as error:
            refused(request, error)
        else:
            if kind in windows and not windows[kind][0] <= assessed_on <= windows[kind][1]:
                messages.warning(request, gettext(
                    "%(round)s is planned from %(start)s to %(end)s after this return; it was "
                    "started on %(on)s. Check that this is the round you meant.") % {
                    "round": names.get(kind, kind).split(" (")[0],
                    "start": windows[kind][0].isoformat(), "end": windows[kind][1].isoformat(),
                    "on": assessed_on.isoformat()})
            return redirect("pages:rss", pk=started.pk)
    return render(request, "pages/new_round.html", {
        "returnee": returnee, "form": form,
        "windows": [(names.get(kind, kind), start, end) for kind, (start, end) in windows.items()]})


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = returnees.case_for(request.user, pk)
    try:
        points = rounds.progress(request.user, pk)
    except ProblemsFound as error:
        refused(request, error)
        points = []
    book = localized.book(request.LANGUAGE_CODE)  # the case manager's page: their language
    kinds = localized.names(book.framework.monitoring_rounds)
    dimensions = [(d.id, d.name) for d in book.framework.dimensions]
    series = [(gettext("Overall (composite)"), COMPOSITE),
              *((name, dimension) for dimension, name in dimensions)]
    # the month isolated left to right, so an Arabic label does not reorder its digits
    labels = [f"{kinds.get(p.kind, p.kind).split(' (')[0]} \u2066{p.assessed_on:%Y-%m}\u2069"
              for p in points]
    chart = progress_chart(labels, [(name, [p.scores.get(key) for p in points])
                                    for name, key in series],
                           book.framework.scoring.comprehensive_support_below.value)
    return render(request, "pages/progress.html", {
        "returnee": returnee, "chart": chart, "points": points, "series": series,
        "labels": labels,
        "table": [(label, [p.scores.get(key) for _name, key in series])
                  for label, p in zip(labels, points, strict=True)]})
