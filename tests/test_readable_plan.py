"""A plan a returnee can read (issue 14): the Guinean returnee's final plan in French has
its dates, scores and country in French, her whole list of needs, scores in words, how to
reach her case manager, her own commitments and how to complain; the worksheet names the
seeds by their titles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.case.reading import load_case
from engine.loading.office import with_office_services
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.presentation.drafting import Drafter

REPO = Path(__file__).resolve().parent.parent
GUINEA = REPO / "examples" / "guinea_returnee.yaml"


@pytest.fixture(scope="module")
def office_book(book: RuleBook) -> RuleBook:
    return with_office_services(book, REPO / "examples" / "office")


def _text(book: RuleBook, lang: str, document: str = "plan") -> str:
    drafter = Drafter(book)
    plan = drafter.draft(Pipeline(book).run(load_case(GUINEA, book)), lang, status="final")
    return " ".join(str(drafter.render(plan, "md", lang, document)).replace("\\", "").split())


def test_the_french_plan_reads_in_french(office_book: RuleBook) -> None:
    text = _text(office_book, "fr")
    body = text.split("version des règles")[0]
    assert not re.search(r"\d{4}-\d\d-\d\d", body)  # no ISO date
    assert "5 novembre 2026" in text and "Guinée" in text and "Guinea" not in body
    assert re.search(r"\*\*0,\d\d\*\*", text) and not re.search(r"\*\*0\.\d\d\*\*", text)
    assert "Bas : plus de soutien est conseillé" in text  # the score in words
    assert "autres" not in re.sub(r"\(.*?\)", "", text.split("Synthèse")[1].split("##")[0])
    assert "IOM office Conakry, reception desk" in text  # how to reach the case manager
    assert "Go to each counselling session" in text  # her own commitments
    assert "ligne d'écoute du bureau" in text  # how to complain, written once by the office
    assert "modèle en W" not in text


def test_every_need_of_a_dimension_is_listed(office_book: RuleBook) -> None:
    drafter = Drafter(office_book)
    plan = drafter.draft(Pipeline(office_book).run(load_case(GUINEA, office_book)), "en")
    text = " ".join(str(drafter.render(plan, "md", "en")).split())
    for item in plan.summary:
        for need in item.needs:
            assert need in text
    summary = text.split("## Summary by dimension")[1].split("Scores run from")[0]
    assert not re.search(r"and \d+ more", summary)


def test_the_worksheet_names_the_seeds_by_title(office_book: RuleBook) -> None:
    text = _text(office_book, "fr", "worksheet")
    notes = text.split("[^1]:", 1)[1]
    assert "003_880c1c54d5752cb4.txt" not in notes and "001_15f4baf8ed195180.txt" not in notes
    assert "«Migration Policy Practice, Vol. IX, No. 1 (2019)»" in notes
    assert "Recommandation du projet, et non de l'OIM" in notes
