"""The plan: preview and download (HTML, PDF) in any of the four languages, submission,
a supervisor's approval, finalising (refused with the same gap list as
``reintegrate plan --final``), and two versions side by side."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from engine import ProblemsFound
from engine.web.pages.problems import SAVE_REFUSED, refused
from engine.web.workspace import access, plans, rounds
from engine.web.workspace.conflicts import StaleVersion

FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _language(request: HttpRequest, default: str) -> str:
    language = request.GET.get("lang") or request.POST.get("lang") or default
    return language if language in LANGUAGES else default


def _document(body: str | bytes, fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(fmt)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    if fmt == "pdf":
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring_round = rounds.round_for(request.user, pk)
    returnee = monitoring_round.returnee
    language = _language(request, returnee.language)
    context = {"round": monitoring_round, "returnee": returnee, "language": language,
               "may_change": access.may_change(request.user, returnee),
               "languages": settings.LANGUAGES,
               "versions": plans.versions(request.user, returnee.pk)}
    try:
        context.update({"gaps": plans.gaps(request.user, pk, language),
                        "html": plans.draft(request.user, pk, "html", language)})
    except ProblemsFound as error:
        context["problems"] = [p.message + (f" — {p.hint}" if p.hint else "")
                               for p in error.problems]
    return render(request, "pages/plan.html", context)


@login_required
@require_GET
def draft_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    monitoring_round = rounds.round_for(request.user, pk)
    language = _language(request, monitoring_round.returnee.language)
    if fmt not in FORMATS:
        raise Http404(fmt)
    try:
        body = plans.draft(request.user, pk, fmt, language)
    except ProblemsFound as error:
        refused(request, error)
        return redirect("pages:plan", pk=pk)
    return _document(body, fmt, f"plan-{monitoring_round.returnee.returnee_id}-draft-{language}")


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring_round = rounds.round_for(request.user, pk, "change")
    try:
        version = plans.submit(request.user, pk,
                               _language(request, monitoring_round.returnee.language))
    except SAVE_REFUSED as error:
        refused(request, error)
        return redirect("pages:plan", pk=pk)
    except plans.AlreadySubmitted as same:
        messages.info(request, gettext(
            "Version %(number)s already holds exactly this plan: nothing new was submitted.")
            % {"number": same.version.number})
        return redirect("pages:plan_version", pk=same.version.pk)
    messages.success(request, gettext(
        "Version %(number)s was submitted for a supervisor's approval.")
        % {"number": version.number})
    return redirect("pages:plan_version", pk=version.pk)


@login_required
@require_GET
def version(request: HttpRequest, pk: int) -> HttpResponse:
    plan_version = plans.version_for(request.user, pk)
    returnee = plan_version.round.returnee
    return render(request, "pages/plan_version.html", {
        "version": plan_version, "returnee": returnee, "round": plan_version.round,
        "languages": settings.LANGUAGES,
        "may_approve": access.may_approve(request.user, returnee),
        "may_change": access.may_change(request.user, returnee),
        "versions": plans.versions(request.user, returnee.pk)})


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    plans.approve(request.user, pk)
    messages.success(request, gettext("The plan version was approved."))
    return redirect("pages:plan_version", pk=pk)


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        plans.finalise(request.user, pk)
    except plans.PlanNotReady as refusal:
        messages.error(request, gettext("The plan cannot be final yet:"))
        for gap in refusal.gaps:
            messages.error(request, gap)
    except plans.ApprovalNeeded as refusal:
        messages.error(request, str(refusal) or gettext("A supervisor must approve this version "
                                                  "before it is final."))
    except StaleVersion as refusal:
        refused(request, refusal)
    else:
        messages.success(request, gettext("The plan is final."))
    return redirect("pages:plan_version", pk=pk)


@login_required
@require_GET
def version_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan_version = plans.version_for(request.user, pk)
    if fmt not in FORMATS:
        raise Http404(fmt)
    language = _language(request, plan_version.language)
    return _document(plans.rendered(request.user, pk, fmt, language), fmt,
                     f"plan-{plan_version.round.returnee.returnee_id}-v{plan_version.number}")


@login_required
@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    versions = plans.versions(request.user, pk)
    numbers = {str(v.pk) for v in versions}
    chosen = [request.GET.get("a"), request.GET.get("b")]
    context = {"returnee": versions[0].round.returnee if versions else None,
               "case_pk": pk, "versions": versions, "chosen": chosen}
    if all(c in numbers for c in chosen):
        a, b = (int(c) for c in chosen)
        context.update({
            "differences": plans.compare(request.user, a, b),
            "html_a": plans.rendered(request.user, a, "html"),
            "html_b": plans.rendered(request.user, b, "html")})
    return render(request, "pages/compare.html", context)
