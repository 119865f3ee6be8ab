"""A returnee's case file: pseudonymous id, profile, RSS answers and grid answers.

The case model imports only the rule model beneath it, so a database, a web form or a
Kobo reader can map onto it without pulling in loading or evaluation.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from engine.model.base import Id, RuleModel
from engine.model.consent import Consent

__all__ = ["RETURNEE_ID_RULE", "Answer", "Case", "Consent", "GridAnswer", "Household", "Profile"]

Answer = Literal["yes", "no"]

_ANSWER_WORDS: dict[str | None, str | None] = {
    "yes": "yes", "no": "no", "y": "yes", "n": "no",
    None: None, "": None, "unknown": None, "unanswered": None,
}


def _normalise_answer(value: Any) -> Any:
    """Accept yes/no, true/false and blank for a grid answer; blank means not asked yet.

    1 and 0 are refused, not read as yes and no: in a spreadsheet export they may as well
    be a count or a code, and a wrong yes decides an approach. (Python's ``1 == True`` once
    let them through a dictionary lookup.)
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        raise PydanticCustomError(
            "answer_is_number", "a number is not an answer: write yes or no (blank if not asked)")
    key = value.strip().lower() if isinstance(value, str) else value
    return _ANSWER_WORDS.get(key, value) if isinstance(key, str | None) else value


GridAnswer = Annotated[Answer | None, BeforeValidator(_normalise_answer)]


def _drop_unasked(value: Any) -> Any:
    """A blank RSS answer means "not asked yet", as a missing key does (a blank case file
    lists every element with an empty value); "don't know" and "refused" are answers."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        return value
    return {k: v for k, v in value.items() if not (v is None or (isinstance(v, str)
                                                                and not v.strip()))}


RssAnswers = Annotated[dict[Id, Id], BeforeValidator(_drop_unasked)]


def _not_boolean(value: Any) -> Any:
    """A count or an age written as true/false is a mistake, not 1 or 0 (pydantic's lax mode
    would read ``age: true`` as age 1, and child safeguards would follow)."""
    if isinstance(value, bool):
        raise PydanticCustomError("boolean_is_not_a_number",
                                  "yes/no (true/false) is not a number: write the number")
    return value


def _not_number(value: Any) -> Any:
    """A date written as a number is refused; pydantic would read it as seconds since 1970."""
    if isinstance(value, bool | int | float):
        raise PydanticCustomError("number_is_not_a_date",
                                  "a number is not a date: write year-month-day, e.g. 2026-09-15")
    return value


Count = Annotated[int, BeforeValidator(_not_boolean)]
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
"""The dates a case can hold: a plan counts up to decades from the date of return, and the
calendar ends at 9999, so a mistyped year is refused here rather than failing the plan."""


def _in_calendar(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError(
            "date_out_of_range", f"must be between {EARLIEST.isoformat()} and "
            f"{LATEST.isoformat()}: check the year")
    return value


Day = Annotated[date, BeforeValidator(_not_number), AfterValidator(_in_calendar)]

RETURNEE_ID_RULE = ("a pseudonymous code such as ETH-2026-0042, not the returnee's name: "
                    "3 to 40 letters, digits, '-' or '_', starting with a letter or digit")
_RETURNEE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{2,39}")


def _returnee_id(value: str) -> str:
    """The id's rule is explained in words; the value is never echoed (it may be a name)."""
    if not _RETURNEE_ID.fullmatch(value):
        raise PydanticCustomError("returnee_id", "must be " + RETURNEE_ID_RULE)
    return value


class Household(RuleModel):
    size: Count | None = Field(default=None, ge=1)
    school_aged_children: Count = Field(default=0, ge=0)


class Profile(RuleModel):
    age: Count = Field(ge=0, le=120)
    sex: Literal["female", "male", "other", "not_stated"]
    country_of_return: str
    place_of_return: str
    date_of_return: Day
    household: Household = Household()
    vulnerabilities: list[Id] = []


class Case(RuleModel):
    returnee_id: Annotated[str, AfterValidator(_returnee_id)]
    monitoring_round: Id = "baseline"
    assessed_on: Day | None = None
    case_manager: str | None = None
    profile: Profile
    consent: Consent | None = None
    goals: str | None = None
    rss: RssAnswers = {}
    grid_answers: dict[Id, GridAnswer] = {}
