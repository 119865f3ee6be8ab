"""What a request asks of a case: to read it (GET) or to change it (POST), which access
checks it against; the same for every page that both shows and saves."""

from __future__ import annotations

from django.http import HttpRequest

from engine.web.workspace import rounds
from engine.web.workspace.models import MonitoringRound


def action(request: HttpRequest) -> str:
    return "change" if request.method == "POST" else "view"


def requested_round(request: HttpRequest, pk: int) -> MonitoringRound:
    """The round ``pk``, if this user may do what the request asks of it (else refused)."""
    return rounds.round_for(request.user, pk, action(request))  # type: ignore[arg-type]
