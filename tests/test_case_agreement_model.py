"""The case model's new parts: money, agreed actions, decisions, household members and who
gave the consent. Each refusal is checked by its field and its error type, so a loosened
rule (a quoted "1,200" read as money, ``age: true`` read as 1) fails here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from tests_support import case_data

from engine.case.model import AgreedAction, Case, Decision, Member, Money
from engine.model.consent import Consent


def _errors(model: type, data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """(location, error type) of every error validating ``data``."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()]


ACTION = {"approach": "health_referral", "what": "Check-up at the health centre",
          "modality": "referral", "provider": "eth_health_centre"}


# -- money -----------------------------------------------------------------------------

@pytest.mark.parametrize(("amount", "expected"), [
    (1200, Decimal("1200")), (0, Decimal("0")), (1200.5, Decimal("1200.5")),
    (0.1, Decimal("0.1")), (1_000_000_000, Decimal("1000000000")),
    (Decimal("19.99"), Decimal("19.99")),
])
def test_money_amount_is_an_exact_number(amount: Any, expected: Decimal) -> None:
    money = Money.model_validate({"amount": amount, "currency": "ETB"})
    assert money.amount == expected and isinstance(money.amount, Decimal)
    assert str(money.amount) == str(expected)  # 0.1 stays 0.1, not 0.1000000000000000055...


@pytest.mark.parametrize(("amount", "error"), [
    (True, "amount_not_a_number"), (False, "amount_not_a_number"),
    ("1,200", "amount_not_a_number"), ("1200", "amount_not_a_number"),
    (None, "amount_not_a_number"), ([1200], "amount_not_a_number"),
    (-1, "greater_than_equal"), (-0.01, "greater_than_equal"),
    (1.005, "decimal_max_places"), (Decimal("0.001"), "decimal_max_places"),
    (1_000_000_001, "less_than_equal"), (float("inf"), "finite_number"),
    (float("nan"), "finite_number"),
])
def test_money_amount_refused(amount: Any, error: str) -> None:
    assert _errors(Money, {"amount": amount, "currency": "ETB"}) == [(("amount",), error)]


def test_amount_refusal_says_how_to_write_it() -> None:
    with pytest.raises(ValidationError) as caught:
        Money.model_validate({"amount": "1,200", "currency": "ETB"})
    assert caught.value.errors()[0]["msg"] == (
        "write the amount as a number, e.g. 1200 or 1200.50")


@pytest.mark.parametrize("currency", ["ETB", "USD", "XOF", "IQD"])
def test_currency_is_three_capitals(currency: str) -> None:
    assert Money.model_validate({"amount": 1, "currency": currency}).currency == currency


@pytest.mark.parametrize("currency", ["etb", "Etb", "US", "USDT", "U$D", "ET1", " ETB", "€",
                                      ""])
def test_other_currencies_refused(currency: str) -> None:
    assert _errors(Money, {"amount": 1, "currency": currency}) == [
        (("currency",), "string_pattern_mismatch")]


def test_money_needs_both_parts() -> None:
    assert _errors(Money, {"amount": 1}) == [(("currency",), "missing")]
    assert _errors(Money, {"currency": "ETB"}) == [(("amount",), "missing")]


# -- agreed actions --------------------------------------------------------------------

def test_an_agreed_action_with_its_defaults() -> None:
    action = AgreedAction.model_validate(ACTION)
    assert (action.status, action.starts, action.due) == ("planned", None, None)
    assert (action.cost, action.contribution) == (None, None)
    full = AgreedAction.model_validate({
        **ACTION, "what": "  Check-up  ", "starts": "2026-10-09", "due": date(2026, 10, 31),
        "cost": {"amount": 1500, "currency": "ETB"},
        "contribution": {"amount": 0, "currency": "ETB"}, "status": "under_way"})
    assert full.what == "Check-up"
    assert (full.starts, full.due) == (date(2026, 10, 9), date(2026, 10, 31))
    assert full.cost == Money(amount=Decimal(1500), currency="ETB")
    assert full.status == "under_way"


@pytest.mark.parametrize(("changes", "expected"), [
    ({"status": "postponed"}, [(("status",), "literal_error")]),
    ({"status": "Done"}, [(("status",), "literal_error")]),
    ({"what": "   "}, [(("what",), "string_too_short")]),
    ({"what": "x" * 501}, [(("what",), "string_too_long")]),
    ({"modality": "By post"}, [(("modality",), "string_pattern_mismatch")]),
    ({"starts": 20261009}, [(("starts",), "number_is_not_a_date")]),
    ({"due": "2300-01-01"}, [(("due",), "date_out_of_range")]),
    ({"cost": {"amount": "1,500", "currency": "ETB"}}, [(("cost", "amount"),
                                                         "amount_not_a_number")]),
    ({"contribution": {"amount": 10, "currency": "birr"}},
     [(("contribution", "currency"), "string_pattern_mismatch")]),
    ({"returnee_name": "x"}, [(("returnee_name",), "extra_forbidden")]),
])
def test_agreed_action_refused(changes: dict, expected: list) -> None:
    assert _errors(AgreedAction, {**ACTION, **changes}) == expected


@pytest.mark.parametrize("field", ["approach", "what", "modality"])
def test_agreed_action_needs_approach_what_and_modality(field: str) -> None:
    data = {k: v for k, v in ACTION.items() if k != field}
    assert _errors(AgreedAction, data) == [((field,), "missing")]


# -- decisions -------------------------------------------------------------------------

def test_a_decision_accepts_or_declines() -> None:
    decision = Decision.model_validate({"approach": "job_placement", "decision": "accept"})
    assert (decision.reason, decision.decided_on) == (None, None)
    declined = Decision.model_validate({"approach": "job_placement", "decision": "decline",
                                        "reason": " Prefers his own shop. ",
                                        "decided_on": "2026-10-06"})
    assert (declined.decision, declined.reason) == ("decline", "Prefers his own shop.")
    assert declined.decided_on == date(2026, 10, 6)


@pytest.mark.parametrize(("changes", "expected"), [
    ({"decision": "accepted"}, [(("decision",), "literal_error")]),
    ({"decision": True}, [(("decision",), "literal_error")]),
    ({"decision": None}, [(("decision",), "literal_error")]),
    ({"reason": ""}, [(("reason",), "string_too_short")]),
    ({"reason": "r" * 501}, [(("reason",), "string_too_long")]),
    ({"decided_on": 2026}, [(("decided_on",), "number_is_not_a_date")]),
    ({"approach": "Job placement"}, [(("approach",), "string_pattern_mismatch")]),
    ({"by": "CM-01"}, [(("by",), "extra_forbidden")]),
])
def test_decision_refused(changes: dict, expected: list) -> None:
    data = {"approach": "job_placement", "decision": "accept", **changes}
    assert _errors(Decision, data) == expected


# -- household members -----------------------------------------------------------------

def test_a_member_is_a_relationship_and_an_age() -> None:
    member = Member.model_validate({"relationship": "child", "age": 9})
    assert (member.relationship, member.age) == ("child", 9)
    assert Member.model_validate({"relationship": "parent", "age": 0}).age == 0
    assert Member.model_validate({"relationship": "parent", "age": 120}).age == 120


@pytest.mark.parametrize(("data", "expected"), [
    ({"relationship": "child", "age": True}, [(("age",), "boolean_is_not_a_number")]),
    ({"relationship": "child", "age": -1}, [(("age",), "greater_than_equal")]),
    ({"relationship": "child", "age": 121}, [(("age",), "less_than_equal")]),
    ({"relationship": "child", "age": 9.5}, [(("age",), "int_from_float")]),
    ({"relationship": "child"}, [(("age",), "missing")]),
    ({"age": 9}, [(("relationship",), "missing")]),
    ({"relationship": "Son", "age": 9}, [(("relationship",), "string_pattern_mismatch")]),
    # no names in a case file: a member is never named
    ({"relationship": "child", "age": 9, "name": "Abebe"}, [(("name",), "extra_forbidden")]),
])
def test_member_refused(data: dict, expected: list) -> None:
    assert _errors(Member, data) == expected


def test_household_lists_default_to_empty_and_are_kept_apart() -> None:
    case = Case.model_validate(case_data())
    assert (case.profile.household.returned_with, case.profile.household.stayed) == ([], [])
    profile = {**case_data()["profile"], "household": {
        "returned_with": [{"relationship": "child", "age": 9}],
        "stayed": [{"relationship": "child", "age": 14}, {"relationship": "parent", "age": 67}]}}
    household = Case.model_validate(case_data(profile=profile)).profile.household
    assert [(m.relationship, m.age) for m in household.returned_with] == [("child", 9)]
    assert [(m.relationship, m.age) for m in household.stayed] == [("child", 14),
                                                                  ("parent", 67)]


# -- guardian, interpreter, consent.given_by -------------------------------------------

def test_consent_is_given_by_the_returnee_unless_said() -> None:
    assert Consent.model_validate({"data_processing": True}).given_by == "returnee"
    given = Consent.model_validate({"data_processing": True, "given_by": "guardian"})
    assert given.given_by == "guardian"


@pytest.mark.parametrize("giver", ["parent", "Guardian", "", None, True])
def test_consent_given_by_someone_else_is_refused(giver: Any) -> None:
    assert _errors(Consent, {"data_processing": True, "given_by": giver}) == [
        (("given_by",), "literal_error")]


def test_guardian_and_interpreter_are_short_references() -> None:
    case = Case.model_validate(case_data(guardian=" legal guardian, GRD-07 ",
                                         interpreter="INT-02"))
    assert (case.guardian, case.interpreter) == ("legal guardian, GRD-07", "INT-02")
    assert _errors(Case, case_data(guardian="g" * 81)) == [(("guardian",), "string_too_long")]
    assert _errors(Case, case_data(interpreter=" ")) == [(("interpreter",), "string_too_short")]
