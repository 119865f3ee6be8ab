"""The RSS form: the instrument's elements by dimension, each with its choices in the case's
language ("don't know" and "refused" among them), as the rule book's translations word them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from engine.web.pages import localized
from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.pages.requested import requested_round
from engine.web.workspace import access, rounds


@dataclass(frozen=True)
class Field:
    id: str
    number: str
    question: str
    choices: list[tuple[str, str]]
    answer: str | None


def dimensions(language: str, answers: dict[str, Any]) -> list[tuple[str, list[Field]]]:
    """Each dimension's name and its elements, in the instrument's order."""
    book = localized.book(language)
    grouped = []
    for dimension in book.framework.dimensions:
        fields = [Field(e.id, str(e.number), e.question,
                        [(c.name, c.label) for c in e.choices], answers.get(e.id))
                  for e in book.instrument.elements_of(dimension.id)]
        grouped.append((dimension.name, fields))
    return grouped


@login_required
@require_http_methods(["GET", "POST"])
def rss(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring_round = requested_round(request, pk)
    language = monitoring_round.returnee.language
    if request.method == "POST":
        known = {e.id for e in localized.book(language).instrument.elements}
        answers = {element: (request.POST.get(element) or None) for element in known}
        try:
            rounds.save_rss(request.user, pk, answers, int(request.POST.get("version", 0)))
        except SAVE_REFUSED as error:
            refused(request, error)
        else:
            messages.success(request, gettext("The RSS answers were saved."))
            return redirect("pages:grid", pk=pk)
        monitoring_round = rounds.round_for(request.user, pk)
    return render(request, "pages/rss.html", {
        "round": monitoring_round, "returnee": monitoring_round.returnee,
        "case_language": language,
        "may_change": access.may_change(request.user, monitoring_round.returnee),
        "dimensions": dimensions(language, monitoring_round.answers.get("rss", {}))})
