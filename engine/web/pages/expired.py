"""A request sent after its session ended or its form went stale (signed out in another
tab, the session's working day over, the browser's cookies cleared). Nothing it carried is
saved, so the user is told so, in their language, on a whole page: never a silent drop,
never a sign-in page swapped into a part of the grid, never Django's CSRF debug text."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _sent_to_sign_in(response: HttpResponse) -> bool:
    return response.status_code == 302 and response.get("Location", "").startswith(
        resolve_url(settings.LOGIN_URL))


class SessionEnded:
    """Turns login_required's redirect of a save into a said refusal: the sign-in page then
    says the change was not saved, and an htmx request moves the whole page there
    (HX-Redirect) instead of swapping the sign-in form into the part it was to update."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or not _sent_to_sign_in(response):
            return response
        if request.method == "POST":
            messages.warning(request, gettext(
                "Your session had ended, so your last change was not saved. Sign in, then "
                "make it again."))
        if not _is_htmx(request):
            return response
        moved = HttpResponse(status=204)
        moved["HX-Redirect"] = response["Location"]
        return moved


def form_expired(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was opened before the last sign-in or sign-out (its token
    no longer matches) or the cookies were cleared. An htmx save reloads the page, which
    shows why; a form gets a page saying what to do."""
    text = gettext("This page was opened before your last sign-in or sign-out, so what you "
                   "sent was not saved. Open the page again, then make your change again.")
    if _is_htmx(request):
        messages.error(request, text)
        response = HttpResponse(status=403)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "pages/form_expired.html", {"text": text}, status=403)
