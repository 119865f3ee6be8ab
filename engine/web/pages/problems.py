"""What the pages say when a save is refused: the engine's problems (each naming the field
and what to do) and the workspace's conflicts, as messages; nothing is saved either way."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext

from engine import ProblemsFound
from engine.web.workspace.conflicts import StaleVersion


def refused(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ProblemsFound):
        for problem in error.problems:
            text = problem.message + (f" — {problem.hint}" if problem.hint else "")
            messages.error(request, text)
    elif isinstance(error, StaleVersion):  # the workspace's own words, in the reader's language
        messages.error(request, gettext(
            "This case was changed by someone else after you opened this page (your copy: "
            "version %(read)s, now: version %(current)s), so your change was not saved. "
            "Reload the page to see their change, then make yours again.")
            % {"read": error.read, "current": error.current})
    else:
        messages.error(request, str(error))


SAVE_REFUSED = (ProblemsFound, StaleVersion)
"""What a save may refuse with, for the user to correct (never a bare 500)."""
