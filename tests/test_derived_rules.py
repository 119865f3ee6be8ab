"""Derived rule books (what-ifs on the rules): a changed copy is evaluated as changed, on
every backend, in the same process as its parent, whose results never move.

The trap this guards: a copy that kept its parent's identity was evaluated with the
parent's registered ruleset, so a lowered threshold still said "holds", and a renamed rule
id raised KeyError in the decision.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests_support import AVAILABLE_BACKENDS

from engine.case.model import Case
from engine.case.reading import load_case
from engine.errors import RuleErrors
from engine.evaluation.assessment import Assessor
from engine.model.conditions import ScoreBelow
from engine.model.rulebook import RuleBook

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "cases" / "ethiopia_returnee.yaml"
APPROACH = "business_startup_revisited"


def _only_the_score(book: RuleBook, below: float | None) -> dict:
    """The approach's grid entry indicated by the economic score alone, at ``below``."""
    entry = book.entries[APPROACH]
    condition = ScoreBelow(score="economic", below=below)
    return book.entries | {APPROACH: entry.model_copy(update={"indicated_if_any": [condition]})}


@pytest.fixture(scope="module")
def case(book: RuleBook) -> Case:
    return load_case(EXAMPLE, book)


@pytest.fixture(scope="module")
def parent(book: RuleBook) -> RuleBook:
    return book.derive("score-only", "indicated by the economic score alone",
                       entries=_only_the_score(book, None))


@pytest.mark.parametrize("backend", AVAILABLE_BACKENDS)
def test_a_lowered_threshold_is_evaluated_as_lowered(parent: RuleBook, case: Case,
                                                     backend: str) -> None:
    before = Assessor(parent, backend=backend).assess(case)
    assert before.scores.value("economic") == pytest.approx(0.0556, abs=1e-4)
    assert before.approach(APPROACH).status != "not_indicated"  # type: ignore[union-attr]

    lowered = parent.derive("threshold-0.01", "economic threshold lowered to 0.01",
                            entries=_only_the_score(parent, 0.01))
    after = Assessor(lowered, backend=backend).assess(case)
    result = after.approach(APPROACH)
    assert result is not None and result.status == "not_indicated"
    assert result.trace.indication[0].truth == "does_not_hold"  # type: ignore[union-attr]
    assert after.rules_identity == lowered.identity != parent.identity
    # the parent, assessed again in the same process, has not moved
    assert Assessor(parent, backend=backend).assess(case) == before


def test_a_derived_book_says_where_it_came_from(book: RuleBook, parent: RuleBook) -> None:
    assert parent.derived_from is not None
    assert parent.derived_from.parent_identity == book.identity
    assert parent.derived_from.name == "score-only"
    assert parent.version == f"{book.version}+score-only"
    assert book.derived_from is None


def test_the_same_content_has_the_same_identity(book: RuleBook) -> None:
    again = book.derive("nothing", "no change", entries=dict(book.entries))
    assert again.identity == book.identity
    assert again.version != book.version  # a person still sees it is a copy


@pytest.mark.parametrize("backend", AVAILABLE_BACKENDS)
def test_a_renamed_approach_works(book: RuleBook, case: Case, backend: str) -> None:
    entry = book.entries[APPROACH]
    approach = book.approaches[APPROACH]
    entries = {k: v for k, v in book.entries.items() if k != APPROACH}
    approaches = {k: v for k, v in book.approaches.items() if k != APPROACH}
    renamed = book.derive("renamed", "business start-up under a new id",
                          entries=entries | {"startup": entry.model_copy(
                              update={"approach": "startup"})},
                          approaches=approaches | {"startup": approach})
    assessment = Assessor(renamed, backend=backend).assess(case)
    original = Assessor(book, backend=backend).assess(case).approach(APPROACH)
    result = assessment.approach("startup")
    assert result is not None and original is not None
    assert assessment.approach(APPROACH) is None
    assert (result.status, result.modality) == (original.status, original.modality)
    assert all(rule_id.startswith("startup/") for rule_id in result.rule_ids)


def test_a_change_that_breaks_a_reference_is_refused(book: RuleBook) -> None:
    entry = book.entries[APPROACH]
    broken = entry.model_copy(update={"indicated_if_any": [ScoreBelow(score="financial")]})
    with pytest.raises(RuleErrors) as raised:
        book.derive("bad", "an unknown score", entries=book.entries | {APPROACH: broken})
    assert "derived rules 'bad'" in str(raised.value)
    assert "unknown score 'financial'" in str(raised.value)


def test_a_change_is_validated_like_a_rule_file(book: RuleBook) -> None:
    """``model_copy`` skips validation; the derivation does not."""
    entry = book.entries[APPROACH]
    bad = entry.model_copy(update={"indicated_if_any": [
        ScoreBelow.model_construct(score="economic", below=7.0)]})
    with pytest.raises(ValueError, match="less than or equal to 1"):
        book.derive("bad-threshold", "a threshold of 7", entries=book.entries | {APPROACH: bad})


def test_only_rule_content_can_be_changed(book: RuleBook) -> None:
    with pytest.raises(TypeError, match="rule content only"):
        book.derive("root", "another folder", root=Path("/tmp"))
