"""Weight-set validation: every failure names the set, the element and the sum found."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ArgumentError, RuleErrors
from engine.loading.rulebook import resolve_weight_set
from engine.model.rulebook import RuleBook


def _write_set(tmp_path: Path, book: RuleBook, edit) -> Path:
    weights = {e: {"dimension": w.dimension, "composite": w.composite}
               for e, w in book.weight_set("default").weights.items()}
    edit(weights)
    lines = ["id: country_test", "name: Test set", "official: false",
             "construction: for a test", "source: a test fixture", "provenance: derived",
             "weights:"]
    lines += [f"  {e}: {{dimension: {w['dimension']!r}, composite: {w['composite']!r}}}"
              for e, w in weights.items()]
    path = tmp_path / "country_test.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _problems(book: RuleBook, path: Path) -> list[str]:
    with pytest.raises(RuleErrors) as caught:
        resolve_weight_set(book, str(path))
    return [str(p) for p in caught.value.problems]


def test_shipped_sets_load(book: RuleBook) -> None:
    assert {"default", "seed_example"} <= set(book.weight_sets)
    assert not any(s.official for s in book.weight_sets.values())


def test_seed_example_carries_the_six_published_pairs(book: RuleBook) -> None:
    weights = book.weight_set("seed-example").weights
    published = {"economic_satisfaction": (0.15, 0.05), "ability_to_borrow": (0.08, 0.02),
                 "access_to_housing": (0.1, 0.03), "access_to_education": (0.11, 0.03),
                 "participation_in_social_activities": (0.12, 0.04),
                 "support_network_strength": (0.05, 0.03)}
    for element, (dimension, composite) in published.items():
        assert (weights[element].dimension, weights[element].composite) == (dimension, composite)
        assert weights[element].provenance == "verbatim"


def test_a_country_set_loads_by_path(book: RuleBook, tmp_path: Path) -> None:
    path = _write_set(tmp_path, book, lambda w: None)
    assert resolve_weight_set(book, str(path)).id == "country_test"


def test_unknown_name_is_a_bad_argument_not_a_rule_error(book: RuleBook) -> None:
    with pytest.raises(ArgumentError, match=r"no weight set named 'nope'.*default"):
        book.weight_set("nope")


def test_missing_element(book: RuleBook, tmp_path: Path) -> None:
    path = _write_set(tmp_path, book, lambda w: w.pop("possesses_id"))
    problems = _problems(book, path)
    assert any("country_test" in p and "'possesses_id' has no weight" in p for p in problems)


def test_unknown_element(book: RuleBook, tmp_path: Path) -> None:
    path = _write_set(tmp_path, book, lambda w: w.update(
        {"shoe_size": {"dimension": 0.0, "composite": 0.0}}))
    problems = _problems(book, path)
    assert any("unknown element 'shoe_size'" in p and f"{path}:" in p for p in problems)


def test_element_weighted_twice(book: RuleBook, tmp_path: Path) -> None:
    path = _write_set(tmp_path, book, lambda w: None)
    text = path.read_text()
    path.write_text(text + "  possesses_id: {dimension: 0.0, composite: 0.0}\n")
    problems = _problems(book, path)
    assert any("possesses_id" in p and "duplicate" in p.lower() for p in problems), problems


def test_dimension_sum(book: RuleBook, tmp_path: Path) -> None:
    def edit(weights):
        weights["possesses_id"]["dimension"] += 0.1
    problems = _problems(book, _write_set(tmp_path, book, edit))
    assert any("country_test" in p and "social dimension weights sum to 1.100000" in p
               for p in problems), problems


def test_composite_sum(book: RuleBook, tmp_path: Path) -> None:
    def edit(weights):
        weights["possesses_id"]["composite"] = 0.0
    problems = _problems(book, _write_set(tmp_path, book, edit))
    assert any("composite weights sum to 0.966667" in p for p in problems), problems


def test_negative_weight(book: RuleBook, tmp_path: Path) -> None:
    def edit(weights):
        weights["possesses_id"]["dimension"] = -0.05
        weights["access_to_housing"]["dimension"] += 0.05 + 1 / 11
    problems = _problems(book, _write_set(tmp_path, book, edit))
    assert any("'possesses_id' has a negative dimension weight -0.05" in p for p in problems)


def test_every_problem_reported_at_once(book: RuleBook, tmp_path: Path) -> None:
    def edit(weights):
        weights.pop("possesses_id")
        weights["currently_working"]["composite"] = -1.0
    problems = _problems(book, _write_set(tmp_path, book, edit))
    assert len(problems) >= 4  # missing, negative, social sum, composite sum
