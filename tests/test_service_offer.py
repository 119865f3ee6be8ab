"""Who the service directory offers for each approach, where the returnee lives."""

from __future__ import annotations

from pathlib import Path

from engine.case.reading import load_case
from engine.model.rulebook import RuleBook
from engine.presentation.drafting import Drafter

EXAMPLE = Path(__file__).parents[1] / "examples" / "cases" / "ethiopia_returnee.yaml"


def _offers(book: RuleBook, place: str | None = None) -> dict[str, list[str]]:
    case = load_case(EXAMPLE, book)
    if place is not None:
        profile = case.profile.model_copy(update={"place_of_return": place})
        case = case.model_copy(update={"profile": profile})
    plan = Drafter(book).draft(case)
    return {a.id: [p.id for p in a.offered_by] for a in plan.agreement}


def test_entries_serving_the_place_of_return_are_offered(book: RuleBook) -> None:
    offers = _offers(book)
    assert offers["financial_counselling_grant"] == ["eth_addis_enterprise_centre",
                                                     "eth_microfinance_partner"]
    assert offers["school_reintegration"] == ["eth_school_support_programme"]


def test_entries_of_another_place_are_not(book: RuleBook) -> None:
    offers = _offers(book, place="Bahir Dar")
    assert offers["financial_counselling_grant"] == ["eth_microfinance_partner"]
    assert offers["health_referral"] == []


def test_the_worksheet_names_them(book: RuleBook) -> None:
    drafter = Drafter(book)
    plan = drafter.draft(load_case(EXAMPLE, book))
    worksheet = drafter.render(plan, "md", "en", "worksheet")
    assert isinstance(worksheet, str)
    assert ("Offered here, by the service directory: Public health centre of the sub-city "
            "(illustrative)") in worksheet
