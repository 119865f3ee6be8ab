"""Decisions on approaches and agreed actions, with the service directory's providers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from engine.web.pages import localized
from engine.web.pages.forms import AgreedActionForm, DecisionForm
from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.pages.requested import requested_round
from engine.web.workspace import access, rounds


@login_required
@require_http_methods(["GET", "POST"])
def decisions(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring_round = requested_round(request, pk)
    language = monitoring_round.returnee.language
    book = localized.book(language)
    approaches = {a: approach.name for a, approach in book.approaches.items()}
    modalities = localized.names(book.framework.modalities)
    providers = rounds.providers(request.user, pk)
    posted = request.POST if request.method == "POST" else None
    kind = posted.get("form") if posted else None
    decision_form = DecisionForm(posted if kind == "decision" else None,
                                 approaches=approaches,
                                 initial={"version": monitoring_round.version})
    action_form = AgreedActionForm(posted if kind == "action" else None,
                                   approaches=approaches, modalities=modalities,
                                   providers=providers,
                                   initial={"version": monitoring_round.version})
    if posted:
        try:
            if kind == "decision" and decision_form.is_valid():
                data = decision_form.cleaned_data
                rounds.record_decision(request.user, pk, data["approach"], data["decision"],
                                       data["reason"] or None, data["version"])
                messages.success(request, gettext("The decision was recorded."))
                return redirect("pages:decisions", pk=pk)
            if kind == "action" and action_form.is_valid():
                rounds.record_agreed_action(request.user, pk, action_form.action(),
                                            action_form.cleaned_data["version"])
                messages.success(request, gettext("The agreed action was recorded."))
                return redirect("pages:decisions", pk=pk)
        except SAVE_REFUSED as error:
            refused(request, error)
    answers = monitoring_round.answers
    provider_names = dict(providers)
    return render(request, "pages/decisions.html", {
        "round": monitoring_round, "returnee": monitoring_round.returnee,
        "decision_form": decision_form, "action_form": action_form,
        "may_change": access.may_change(request.user, monitoring_round.returnee),
        "decisions": [{**d, "name": approaches.get(d["approach"], d["approach"])}
                      for d in answers.get("decisions", [])],
        "actions": [{**a, "name": approaches.get(a["approach"], a["approach"]),
                     "modality_name": modalities.get(a.get("modality"), a.get("modality")),
                     "provider_name": provider_names.get(a.get("provider"), a.get("provider"))}
                    for a in answers.get("agreed_actions", [])]})
