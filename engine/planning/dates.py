"""Follow-up dates for one returnee: a rule's timing counted from the date of return."""

from datetime import date
from typing import Literal

from pydantic import BaseModel

from engine.model.timing import Lasting, Window, Within


class Dates(BaseModel):
    """A timing made concrete for one returnee: ``start`` is None for a plain deadline."""

    kind: Literal["by", "window", "period"]
    start: date | None
    end: date


def dates_of(timing: Within | Window | Lasting, returned_on: date) -> Dates:
    if isinstance(timing, Within):
        return Dates(kind="by", start=None, end=timing.within.after(returned_on))
    if isinstance(timing, Window):
        return Dates(kind="window", start=timing.window.start.after(returned_on),
                     end=timing.window.end.after(returned_on))
    return Dates(kind="period", start=returned_on, end=timing.lasting.after(returned_on))
