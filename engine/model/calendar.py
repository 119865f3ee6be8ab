"""Days as a case or a rule file may write them: a date, never a number, within the years
a plan can count in."""

from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
"""The dates a case can hold: a plan counts up to decades from the date of return, and the
calendar ends at 9999, so a mistyped year is refused here rather than failing the plan."""


def _not_number(value: Any) -> Any:
    """A date written as a number is refused; pydantic would read it as seconds since 1970."""
    if isinstance(value, bool | int | float):
        raise PydanticCustomError("number_is_not_a_date",
                                  "a number is not a date: write year-month-day, e.g. 2026-09-15")
    return value


def _in_calendar(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError(
            "date_out_of_range", f"must be between {EARLIEST.isoformat()} and "
            f"{LATEST.isoformat()}: check the year")
    return value


Day = Annotated[date, BeforeValidator(_not_number), AfterValidator(_in_calendar)]
