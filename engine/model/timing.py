"""Follow-up dates counted from the date of return: deadlines, windows and periods.

How long after return something happens is data (``rules/plan/schedule.yaml`` and the
dated actions of ``rules/plan/safeguards.yaml``); this module only does the calendar
arithmetic. A month is a calendar month, clamped to the month's end (31 January + 1 month
is the last day of February), so a date printed on a plan is the one a case manager
counts on a calendar, not a number of days that drifts.
"""

import calendar
from datetime import date, timedelta
from typing import Annotated

from pydantic import Discriminator, Field, Tag, model_validator

from engine.model.base import Id, RuleModel, Sourced, form_by_keys

MAX_MONTHS = 600
MAX_DAYS = 20_000
"""About fifty years: any follow-up a plan can hold, and far from the calendar's end, so a
dated plan never overflows (a date is valid to the year 9999)."""


class Period(RuleModel):
    """A length of time in whole days or whole calendar months (exactly one of them)."""

    days: int | None = Field(default=None, ge=0, le=MAX_DAYS, strict=True)
    months: int | None = Field(default=None, ge=0, le=MAX_MONTHS, strict=True)

    @model_validator(mode="after")
    def _one_unit(self) -> "Period":
        if (self.days is None) == (self.months is None):
            raise ValueError("a period is either {days: N} or {months: N}, not both or neither")
        return self

    def after(self, start: date) -> date:
        """The date this period after ``start``; months clamp to the end of shorter months."""
        if self.days is not None:
            return start + timedelta(days=self.days)
        assert self.months is not None
        index = start.month - 1 + self.months
        year, month = start.year + index // 12, index % 12 + 1
        return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))

    def sort_key(self) -> tuple[int, int]:
        """Comparable within one unit; a window's ends must share their unit (checked below)."""
        return (self.months or 0, self.days or 0)


class Within(RuleModel):
    """A deadline: done at the latest this long after return."""

    within: Period


class Span(RuleModel):
    start: Period
    end: Period

    @model_validator(mode="after")
    def _ordered(self) -> "Span":
        if (self.start.days is None) != (self.end.days is None):
            raise ValueError("a window's start and end use the same unit (both days or months)")
        if self.start.sort_key() >= self.end.sort_key():
            raise ValueError("a window's start comes before its end")
        return self


class Window(RuleModel):
    """Between two moments after return, such as the W model's low point at 1-2 months."""

    window: Span


class Lasting(RuleModel):
    """From the return for at least this long, such as 24 months of child monitoring."""

    lasting: Period


_timing_form = form_by_keys({
    "deadline": frozenset({"within"}),
    "between": frozenset({"window"}),
    "period": frozenset({"lasting"}),
})
"""The tags differ from the keys so an error's location names a key once."""


Timing = Annotated[
    Annotated[Within, Tag("deadline")]
    | Annotated[Window, Tag("between")]
    | Annotated[Lasting, Tag("period")],
    Discriminator(
        _timing_form,
        custom_error_type="bad_timing",
        custom_error_message=(
            "unknown timing: use {within: PERIOD}, {window: {start: PERIOD, end: PERIOD}} "
            "or {lasting: PERIOD}, where PERIOD is {days: N} or {months: N}"
        ),
    ),
]


class Milestone(Sourced):
    """One follow-up moment every plan carries, whatever the profile."""

    id: Id
    name: str
    timing: Timing
    monitoring_round: Id | None = None
    met_by_final_plan: bool = False
    """Making the plan final is this milestone itself: its follow-up task is done then (it
    read overdue the moment a plan finalised after its deadline was made final)."""
    quote: str | None = None


class ScheduleRules(RuleModel):
    milestones: list[Milestone] = Field(min_length=1)
