"""What the pages say when a save is refused: the engine's problems (each naming the field
and what to do) and the workspace's conflicts, as messages; nothing is saved either way."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from engine import ProblemsFound
from engine.web.workspace.conflicts import StaleVersion


def refused(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ProblemsFound):
        for problem in error.problems:
            text = problem.message + (f" — {problem.hint}" if problem.hint else "")
            messages.error(request, text)
    else:
        messages.error(request, str(error))


SAVE_REFUSED = (ProblemsFound, StaleVersion)
"""What a save may refuse with, for the user to correct (never a bare 500)."""
