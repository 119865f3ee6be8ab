"""The grid questions of the indicated approaches in the engine's "ask this next" order
(first-session set first), the recommendations beside them with their reasons, and the
"explain" view of one approach's trace."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from engine import ProblemsFound
from engine.web.pages import localized
from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.pages.requested import requested_round
from engine.web.workspace import access, rounds


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request wants only the live part of the page back."""
    return request.headers.get("HX-Request") == "true"


def recommendation_rows(outcome: Any, language: str) -> list[dict[str, Any]]:
    """Each approach's status and modality with the engine's own reasons, worded."""
    book = localized.book(language)
    words = localized.words(language)
    modalities = localized.names(book.framework.modalities)
    return [{"approach": r.approach, "name": book.approaches[r.approach].name,
             "dimension": r.dimension, "status": r.status,
             "modality": modalities.get(r.modality, r.modality) if r.modality else "",
             "summary": words.summary(r), "reasons": words.reasons(r)}
            for r in outcome.assessment.approaches]


def _recommendations(request: HttpRequest, pk: int, language: str) -> dict[str, Any]:
    try:
        result = rounds.outcome_of(request.user, pk)
    except ProblemsFound as error:
        return {"problems": [p.message for p in error.problems], "rows": []}
    return {"rows": recommendation_rows(result.outcome, language), "problems": [],
            "warnings": [p.message for p in result.warnings]}


def _questions(request: HttpRequest, pk: int, language: str, answers: dict[str, Any]
               ) -> list[dict[str, Any]]:
    book = localized.book(language)
    return [{"id": q.id, "text": book.questions[q.id].text, "first_session": q.first_session,
             "approaches": [book.approaches[a].name for a in q.approaches if a in book.approaches],
             "answer": answers.get(q.id)}
            for q in rounds.questions_to_ask(request.user, pk) if q.kind == "grid"]


@login_required
@require_http_methods(["GET", "POST"])
def grid(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring_round = requested_round(request, pk)
    language = monitoring_round.returnee.language
    if request.method == "POST":
        answers = {key[len("q-"):]: (value or None) for key, value in request.POST.items()
                   if key.startswith("q-")}
        try:
            rounds.save_grid_answers(request.user, pk, answers,
                                     int(request.POST.get("version", 0)))
        except SAVE_REFUSED as error:
            refused(request, error)
        else:
            if not is_htmx(request):
                messages.success(request, gettext("The answers were saved."))
                return redirect("pages:grid", pk=pk)
        monitoring_round = rounds.round_for(request.user, pk)
    context = {"round": monitoring_round, "returnee": monitoring_round.returnee,
               # the live part replaces only itself: it shows a refusal, or no one sees it
               "live_messages": is_htmx(request),
               "may_change": access.may_change(request.user, monitoring_round.returnee),
               **_recommendations(request, pk, language)}
    if not context["problems"]:
        context["questions"] = _questions(request, pk, language,
                                          monitoring_round.answers.get("grid_answers", {}))
    if is_htmx(request):
        return render(request, "pages/grid_live.html", context)
    return render(request, "pages/grid.html", context)


@login_required
@require_GET
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring_round = rounds.round_for(request.user, pk)
    return render(request, "pages/recommendations.html", {
        "round": monitoring_round,
        **_recommendations(request, pk, monitoring_round.returnee.language)})


@login_required
@require_GET
def explain(request: HttpRequest, pk: int, approach: str) -> HttpResponse:
    monitoring_round = rounds.round_for(request.user, pk)
    language = monitoring_round.returnee.language
    outcome = rounds.outcome_of(request.user, pk).outcome
    result = outcome.assessment.approach(approach)
    if result is None:
        raise Http404(approach)
    book = localized.book(language)
    words = localized.words(language)
    levels = localized.names(book.framework.levels)
    modalities = localized.names(book.framework.modalities)
    trace = result.trace
    return render(request, "pages/explain.html", {
        "round": monitoring_round, "returnee": monitoring_round.returnee,
        "name": book.approaches[approach].name, "status": result.status,
        "summary": words.summary(result), "reasons": words.reasons(result),
        "indication": [words.condition(e) for e in trace.indication] if trace else [],
        "levels": [(levels.get(level.level, level.level), level.outcome,
                    [words.answered(q) for q in level.questions])
                   for level in trace.levels] if trace else [],
        "feasibility": [(modalities.get(m.modality, m.modality), m.outcome,
                         [words.answered(q) for q in m.questions])
                        for m in trace.feasibility] if trace else [],
        "rule_ids": result.rule_ids})
