"""Exports for analysis: pseudonymised by default (ids, ages, dates, scores, statuses; no
places, goals, notes or names) and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from engine.web.workspace import access, audit
from engine.web.workspace.models import MonitoringRound, User
from engine.web.workspace.rounds import engine_outcome

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is run as a formula by spreadsheet programs."""


def neutralised(cell: object) -> str:
    """The cell as text a spreadsheet shows as text: a leading formula character gets a
    quote before it (OWASP's advice against CSV injection)."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cases_csv(user: User) -> str:
    """One row per round of the cases ``user`` sees: pseudonymous id, office code, the case
    manager's reference (a staff code, typed by staff: neutralised like every cell), round,
    date, age, sex, the four scores and each approach's status. Audited as an export."""
    rounds = MonitoringRound.objects.filter(returnee__in=access.returnees(user)).select_related(
        "returnee__office").order_by("returnee__returnee_id", "assessed_on", "id")
    header: list[str] | None = None
    rows: list[list[object]] = []
    for round_ in rounds:
        outcome = engine_outcome(round_).outcome
        scores = {s.name: s.value for s in outcome.assessment.scores.all()}
        statuses = {a.approach: a.status for a in outcome.assessment.approaches}
        if header is None:
            header = ["returnee_id", "office", "case_manager", "round", "assessed_on", "age",
                      "sex",
                      *(f"score_{name}" for name in scores),
                      *(f"status_{approach}" for approach in statuses)]
        profile = round_.returnee.profile
        rows.append([round_.returnee.returnee_id, round_.returnee.office.code,
                     outcome.case.case_manager, round_.kind, round_.assessed_on.isoformat(),
                     profile.get("age"), profile.get("sex"),
                     *scores.values(), *statuses.values()])
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header or ["returnee_id", "office", "round", "assessed_on"])
    writer.writerows([[neutralised(cell) for cell in row] for row in rows])
    audit.record(user, "export", None)
    return stream.getvalue()
