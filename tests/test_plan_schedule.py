"""Calendar arithmetic of the follow-up schedule: calendar months, clamped to month ends."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from engine.model.timing import Lasting, Period, Timing, Window, Within
from engine.planning.dates import Dates, dates_of

TIMING: TypeAdapter = TypeAdapter(Timing)


@pytest.mark.parametrize(("start", "period", "expected"), [
    (date(2026, 9, 15), {"months": 1}, date(2026, 10, 15)),
    (date(2026, 1, 31), {"months": 1}, date(2026, 2, 28)),
    (date(2028, 1, 31), {"months": 1}, date(2028, 2, 29)),
    (date(2026, 3, 31), {"months": 6}, date(2026, 9, 30)),
    (date(2026, 11, 17), {"months": 2}, date(2027, 1, 17)),
    (date(2026, 12, 31), {"months": 14}, date(2028, 2, 29)),
    (date(2026, 9, 15), {"months": 24}, date(2028, 9, 15)),
    (date(2026, 11, 17), {"days": 3}, date(2026, 11, 20)),
    (date(2026, 12, 30), {"days": 3}, date(2027, 1, 2)),
])
def test_period_after(start: date, period: dict, expected: date) -> None:
    assert Period.model_validate(period).after(start) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
       st.integers(min_value=0, max_value=60))
def test_months_keep_the_day_or_clamp_to_the_month_end(start: date, months: int) -> None:
    end = Period(months=months).after(start)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    assert end.day == min(start.day, calendar.monthrange(end.year, end.month)[1])


@pytest.mark.parametrize("bad", [{}, {"days": 3, "months": 1}, {"months": -1}, {"weeks": 2}])
def test_a_period_is_days_or_months(bad: dict) -> None:
    with pytest.raises(ValidationError):
        Period.model_validate(bad)


def test_timing_forms_and_their_dates() -> None:
    returned = date(2026, 9, 15)
    deadline = TIMING.validate_python({"within": {"months": 1}})
    window = TIMING.validate_python({"window": {"start": {"months": 1}, "end": {"months": 2}}})
    lasting = TIMING.validate_python({"lasting": {"months": 24}})
    assert isinstance(deadline, Within) and isinstance(window, Window)
    assert isinstance(lasting, Lasting)
    assert dates_of(deadline, returned) == Dates(kind="by", start=None, end=date(2026, 10, 15))
    assert dates_of(window, returned) == Dates(kind="window", start=date(2026, 10, 15),
                                               end=date(2026, 11, 15))
    assert dates_of(lasting, returned) == Dates(kind="period", start=returned,
                                                end=date(2028, 9, 15))


@pytest.mark.parametrize(("bad", "fragment"), [
    ({"by": {"days": 3}}, "unknown timing"),
    ({"window": {"start": {"months": 6}, "end": {"months": 5}}}, "start comes before its end"),
    ({"window": {"start": {"days": 10}, "end": {"months": 1}}}, "same unit"),
])
def test_bad_timings_say_what_is_wrong(bad: dict, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TIMING.validate_python(bad)
    assert fragment in str(caught.value)
