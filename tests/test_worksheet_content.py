"""What the worksheet gives the case manager: who offers each approach where the returnee
lives, and questions only for approaches someone may still take up."""

from __future__ import annotations

from pathlib import Path

from engine.case.reading import load_case
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.presentation.drafting import Drafter

EXAMPLE = Path(__file__).parents[1] / "examples" / "cases" / "ethiopia_returnee.yaml"


def _offers(book: RuleBook, place: str | None = None) -> dict[str, list[str]]:
    case = load_case(EXAMPLE, book)
    if place is not None:
        profile = case.profile.model_copy(update={"place_of_return": place})
        case = case.model_copy(update={"profile": profile})
    plan = Drafter(book).draft(Pipeline(book).run(case))
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
    plan = drafter.draft(Pipeline(drafter.book).run(load_case(EXAMPLE, book)))
    worksheet = drafter.render(plan, "md", "en", "worksheet")
    assert isinstance(worksheet, str)
    assert ("Offered here, by the service directory: Public health centre of the sub-city "
            "(illustrative)") in worksheet


def test_a_declined_approach_waits_on_no_question(book: RuleBook) -> None:
    """Family counselling still needs answers in the Ethiopian case; once the returnee and
    the case manager decline it, its questions leave the worksheet and ``questions``."""
    from engine.case.model import Decision
    from engine.planning.asking import next_questions

    case = load_case(EXAMPLE, book)
    name = book.approaches["family_counselling"].name

    def asked(case_: object) -> tuple[set[str], set[str]]:
        outcome = Pipeline(book).run(case_)  # type: ignore[arg-type]
        plan = Drafter(book).draft(outcome)
        in_plan = {a for g in plan.open_questions for q in g.questions for a in q.approaches}
        found = next_questions(book, outcome)
        return in_plan, {a for q in found.questions for a in q.approaches}

    in_plan, in_questions = asked(case)
    assert name in in_plan and "family_counselling" in in_questions
    declined = case.model_copy(update={"decisions": [Decision(
        approach="family_counselling", decision="decline", reason="Not now")]})
    in_plan, in_questions = asked(declined)
    assert name not in in_plan and "family_counselling" not in in_questions
