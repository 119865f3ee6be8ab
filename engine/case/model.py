"""A returnee's case file: pseudonymous id, profile, RSS answers and grid answers.

The case model imports only the rule model beneath it, so a database, a web form or a
Kobo reader can map onto it without pulling in loading or evaluation.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from engine.model.base import Id, RuleModel
from engine.model.consent import Consent

__all__ = ["Answer", "Case", "Consent", "GridAnswer", "Household", "Profile"]

Answer = Literal["yes", "no"]

_ANSWER_WORDS: dict[Any, str | None] = {
    True: "yes", False: "no", "yes": "yes", "no": "no", "y": "yes", "n": "no",
    None: None, "": None, "unknown": None, "unanswered": None,
}


def _normalise_answer(value: Any) -> Any:
    """Accept yes/no, true/false and blank for a grid answer; blank means not asked yet."""
    key = value.strip().lower() if isinstance(value, str) else value
    return _ANSWER_WORDS.get(key, value)


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


class Household(RuleModel):
    size: int | None = Field(default=None, ge=1)
    school_aged_children: int = Field(default=0, ge=0)


class Profile(RuleModel):
    age: int = Field(ge=0, le=120)
    sex: Literal["female", "male", "other", "not_stated"]
    country_of_return: str
    place_of_return: str
    date_of_return: date
    household: Household = Household()
    vulnerabilities: list[Id] = []


class Case(RuleModel):
    returnee_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$")]
    monitoring_round: Id = "baseline"
    assessed_on: date | None = None
    case_manager: str | None = None
    profile: Profile
    consent: Consent | None = None
    goals: str | None = None
    rss: RssAnswers = {}
    grid_answers: dict[Id, GridAnswer] = {}
