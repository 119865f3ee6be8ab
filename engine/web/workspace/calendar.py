"""The dates the workspace flags, read from the rules' schedule (rules/plan/schedule.yaml):
when a plan should be final (milestone ``plan_finalised``: a month after return) and each
monitoring round's window (``intermediate``: 6-9 months, ``final``: 12-18 months after
arrival, quoted from the seeds there). The rule objects compute the dates themselves."""

from __future__ import annotations

from datetime import date

from engine.web.workspace.rulebook import book
from engine.web.workspace.vocabulary import vocabulary


def _milestones() -> list:
    return list(book().plan.schedule.milestones)


def plan_deadline(returned_on: date) -> date:
    """The last day to finalise the plan, counted from the date of return."""
    wanted = vocabulary().plan_deadline_milestone
    milestone = next(m for m in _milestones() if m.id == wanted)
    timing = milestone.timing
    return timing.within.after(returned_on) if hasattr(timing, "within") \
        else timing.window.end.after(returned_on)


def round_window(kind: str, returned_on: date) -> tuple[date, date] | None:
    """The first and last day of a monitoring round's window, if the rules give one."""
    for milestone in _milestones():
        if milestone.monitoring_round == kind and hasattr(milestone.timing, "window"):
            window = milestone.timing.window
            return window.start.after(returned_on), window.end.after(returned_on)
    return None


def round_kinds() -> list[tuple[str, str]]:
    """(id, name) of the rules' monitoring rounds, in their order."""
    return [(term.id, term.name) for term in book().framework.monitoring_rounds]
