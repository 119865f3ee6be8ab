"""What the pages offer the signed-in account on every page (the header's "New case"):
only what its role may do, so no one fills a form to be refused at the end."""

from __future__ import annotations

from django.http import HttpRequest

from engine.web.workspace import access


def offers(request: HttpRequest) -> dict[str, bool]:
    return {"opens_cases": access.opens_cases(request.user)}  # type: ignore[arg-type]
