"""A returnee's case file: pseudonymous id, profile, RSS answers and grid answers.

The case model imports only the rule model beneath it, so a database, a web form or a
Kobo reader can map onto it without pulling in loading or evaluation.
"""

import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, StringConstraints
from pydantic_core import PydanticCustomError

from engine.model.base import Id, RuleModel
from engine.model.calendar import Day
from engine.model.consent import Consent

__all__ = ["RETURNEE_ID_PATTERN", "RETURNEE_ID_RULE", "AgreedAction", "Answer", "Case",
           "Consent", "Decision", "GridAnswer", "Household", "Member", "Money", "Profile"]

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
    would read ``age: true`` as age 1, and child safeguards would follow); one written as
    text (``"8"``, ``!!str 44``) is refused too: a quoted number in a case file was typed
    as text, or converted from a column of text, and may hold anything."""
    if isinstance(value, bool):
        raise PydanticCustomError("boolean_is_not_a_number",
                                  "yes/no (true/false) is not a number: write the number")
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        raise PydanticCustomError("text_is_not_a_number",
                                  "a number in quotes (or tagged !!str) is text: write the "
                                  "number without quotes, e.g. 8")
    if isinstance(value, str):  # "twenty", "about 30": not quoted digits, so not said so
        raise PydanticCustomError("text_is_not_a_number",
                                  "not a number: write it in digits, e.g. 8")
    return value


_NUMBER = re.compile(r"[-+]?\d+(\.\d*)?")


Count = Annotated[int, BeforeValidator(_not_boolean)]

RETURNEE_ID_RULE = ("a pseudonymous code such as ETH-2026-0042, not the returnee's name: "
                    "3 to 40 letters, digits, '-' or '_', starting with a letter or digit")
RETURNEE_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{2,39}"
"""The rule above as a regular expression (a form's constraint, a batch reader's check)."""
_RETURNEE_ID = re.compile(RETURNEE_ID_PATTERN)


def _returnee_id(value: str) -> str:
    """The id's rule is explained in words; the value is never echoed (it may be a name)."""
    if not _RETURNEE_ID.fullmatch(value):
        raise PydanticCustomError("returnee_id", "must be " + RETURNEE_ID_RULE)
    return value


Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A line of the case manager's own words (an action, a reason): short enough to print."""
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
"""Who someone is, as the office refers to them (a staff code, a role): never a
returnee's name, and short enough for a signature line."""
Place = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A country or a place of return: a name, not a story (goals hold those). Bounded because
documents lay it out in a table cell, where the time to fit text grows with its square."""


class Member(RuleModel):
    """A household member, by relationship and age only (no name: the plan does not need it)."""

    relationship: Id
    age: Count = Field(ge=0, le=120)


class Household(RuleModel):
    size: Count | None = Field(default=None, ge=1)
    school_aged_children: Count = Field(default=0, ge=0)
    returned_with: list[Member] = []
    """Members who came back with the returnee: child safeguards follow these children."""
    stayed: list[Member] = []
    """Members who stayed in the country of return while the returnee was away."""


def _amount(value: Any) -> Any:
    """Money is written as a number; ``true`` or a quoted "1,200" is a mistake, not a sum.
    A float is read through its shortest text, so 0.1 stays 0.1 and sums add up exactly."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("amount_not_a_number",
                                  "write the amount as a number, e.g. 1200 or 1200.50")
    return Decimal(str(value)) if isinstance(value, float) else value


def _as_number(value: Decimal) -> int | float:
    """Written back as the number it was read from (pydantic would write a string, which
    ``_amount`` refuses), so a case saved as JSON reads back."""
    return int(value) if value == value.to_integral_value() else float(value)


Amount = Annotated[Decimal, BeforeValidator(_amount),
                   Field(ge=0, le=1_000_000_000, decimal_places=2, allow_inf_nan=False),
                   PlainSerializer(_as_number, when_used="json")]


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes, from the list kept beside this module (data, checked against CLDR)."""
    text = (Path(__file__).parent / "currencies.txt").read_text(encoding="ascii")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def _known_currency(code: str) -> str:
    if code not in currency_codes():
        raise PydanticCustomError("unknown_currency",
                                  "'{code}' is not an ISO 4217 currency code: write the "
                                  "currency's code, e.g. ETB, USD or XOF", {"code": code})
    return code


Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"),
                     AfterValidator(_known_currency)]
"""An ISO 4217 code (ETB, USD, XOF): amounts in different currencies are never added."""


class Money(RuleModel):
    amount: Amount
    currency: Currency


ActionStatus = Literal["planned", "under_way", "done", "cancelled"]


class AgreedAction(RuleModel):
    """One thing the returnee and the case manager agreed to do under an approach."""

    approach: Id
    what: Note
    modality: Id
    """How it is delivered: a modality of the framework (directly, referral, programme)."""
    provider: Id | None = None
    """Who delivers it, from the service directory; needed when the modality names one."""
    starts: Day | None = None
    due: Day | None = None
    cost: Money | None = None
    """The estimated cost to the reintegration programme; 0 for a free service."""
    contribution: Money | None = None
    """What the returnee brings (savings, a share of the cost), if anything."""
    status: ActionStatus = "planned"


class Decision(RuleModel):
    """The case manager and the returnee deciding on an approach: the engine only advises.

    ``accept`` takes up an approach the engine did not recommend; ``decline`` leaves out one
    it did. Either way against the engine's advice needs a reason, shown in the plan."""

    approach: Id
    decision: Literal["accept", "decline"]
    reason: Note | None = None
    decided_on: Day | None = None


class Profile(RuleModel):
    age: Count = Field(ge=0, le=120)
    sex: Literal["female", "male", "other", "not_stated"]
    country_of_return: Place
    place_of_return: Place
    date_of_return: Day
    household: Household = Household()
    vulnerabilities: list[Id] = []


class Case(RuleModel):
    returnee_id: Annotated[str, AfterValidator(_returnee_id)]
    monitoring_round: Id = "baseline"
    assessed_on: Day | None = None
    case_manager: Reference | None = None
    guardian: Reference | None = None
    """Who consents and signs for a child (a role or code, e.g. "legal guardian, GRD-07")."""
    interpreter: Reference | None = None
    """Set when the plan was discussed through an interpreter, who then signs it too."""
    case_manager_contact: Reference | None = None
    """How the returnee reaches the case manager (an office phone line, an office address):
    printed on the plan, so never a private number."""
    commitments: list[Note] = []
    """What the returnee commits to do, in their own words (printed above their signature)."""
    profile: Profile
    consent: Consent | None = None
    goals: str | None = None
    rss: RssAnswers = {}
    grid_answers: dict[Id, GridAnswer] = {}
    decisions: list[Decision] = []
    agreed_actions: list[AgreedAction] = []

    def declined(self) -> set[str]:
        """The approaches the case manager and the returnee decided not to take up."""
        return {d.approach for d in self.decisions if d.decision == "decline"}
