from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from engine.web.workspace import access


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = access.returnees(request.user).order_by("returnee_id")  # type: ignore[arg-type]
    return render(request, "pages/my_cases.html", {"cases": cases})


urlpatterns = [path("", my_cases, name="my-cases")]
