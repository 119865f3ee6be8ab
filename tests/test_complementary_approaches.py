"""Figure 10's 16 complementary approaches: verbatim, in their categories, linked from the
individual-level approaches, and every one of them checked by ``validate``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from seed_passages import figure10, words
from tests_support import break_line

from engine.errors import RuleErrors
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook

FIGURE = Path("interventions/complementary/figure10.yaml")


def _category_words(name: str) -> str:
    return name.lower().replace("&", "and")


def test_sixteen_approaches_in_four_categories_verbatim(book: RuleBook) -> None:
    rows = figure10()
    shipped = list(book.project.complementary.values())
    assert len(rows) == len(shipped) == 16
    assert Counter(_category_words(c) for c, *_ in rows) == Counter({
        "process": 3, "programme interventions": 5, "coordination and external engagement": 4,
        "monitoring and measurement": 4})
    for (category, number, name, explanation), approach in zip(rows, shipped, strict=True):
        assert approach.number == number
        assert approach.name == name
        assert words(approach.explanation) == explanation
        assert approach.provenance == "verbatim"
        assert _category_words(book.framework.name("categories", approach.category)) == \
            _category_words(category), approach.id


def test_every_individual_approach_links_to_one_of_its_category(book: RuleBook) -> None:
    for approach in book.approaches.values():
        linked = book.project.complementary[approach.complementary]
        assert linked.category == approach.category, approach.id
    # Figure 10 files the Graduation Approach under Process; the individual approach follows
    assert book.approaches["graduation_approach"].category == "process"
    assert book.approaches["graduation_approach"].complementary == "graduation"


def _problems(rules: Path) -> list[str]:
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules)
    return [str(p) for p in caught.value.problems]


def test_a_missing_approach_is_named_by_its_number(rules_copy: Path) -> None:
    path = rules_copy / FIGURE
    text = path.read_text()
    start = text.index("  - id: diaspora_engagement")
    path.write_text(text[:start] + text[text.index("  - id: cso_engagement"):])
    messages = _problems(rules_copy)
    assert any("1 of the 16 complementary approaches missing (numbers 10)" in m
               and m.startswith(f"{path}:") for m in messages), messages


def test_an_unknown_link_points_at_its_line(rules_copy: Path) -> None:
    line = break_line(rules_copy, "interventions/social.yaml",
                      r"complementary: supporting_access_to_services",
                      "complementary: supporting_acces_to_services")
    messages = _problems(rules_copy)
    assert any(m.startswith(f"{rules_copy / 'interventions/social.yaml'}:{line}:")
               and "unknown complementary approach 'supporting_acces_to_services'" in m
               and "did you mean 'supporting_access_to_services'" in m for m in messages), messages


def test_a_link_to_another_category_is_refused(rules_copy: Path) -> None:
    line = break_line(rules_copy, "interventions/economic.yaml",
                      r"complementary: graduation$", "complementary: case_management_x")
    break_line(rules_copy, "interventions/economic.yaml",
               r"complementary: case_management_x", "complementary: business_startup")
    messages = _problems(rules_copy)
    assert any(f"economic.yaml:{line}:" in m and "'graduation_approach'" in m
               and "differs from that of complementary approach 'business_startup'" in m
               for m in messages), messages


def test_an_unknown_category_and_a_repeated_number(rules_copy: Path) -> None:
    line = break_line(rules_copy, FIGURE, r"number: 16$", "number: 15")
    messages = _problems(rules_copy)
    assert any(f"figure10.yaml:{line}:" in m and "number 15 is repeated" in m
               for m in messages), messages
    assert any("numbers 16" in m for m in messages), messages
