"""The engine redesign changed no result: the examples against a snapshot.

``tests/snapshots/before_redesign/results.json`` was written by the engine as it stood
before results became codes (commit a6c4ad3): scores, statuses, modalities, the rule ids
that held, the open questions, every trace outcome and the English reasons as sentences.
The redesigned engine must give the same, and its English wording of the reason codes must
read exactly as the old sentences did. Rule changes made since are listed in ``ADDED``.

The plan documents are compared with their own snapshots in ``test_document_snapshots``:
the single plan of that time became two documents (issue 7), so its old Markdown is gone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.case.reading import load_case
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.presentation.drafting import Drafter

TESTS = Path(__file__).resolve().parent
SNAPSHOT = TESTS / "snapshots" / "before_redesign"
EXAMPLES = TESTS.parent / "examples" / "cases"
BEFORE = json.loads((SNAPSHOT / "results.json").read_text())
LANGUAGES = ("en", "fr", "es", "ar")
ADDED = {"graduation_approach"}
"""Approaches added to the rules after the snapshot: a composite score below 0.50 now
indicates the Graduation approach (the seeds' 0.50 reading covers the composite)."""


@pytest.fixture(scope="module")
def drafter(book: RuleBook) -> Drafter:
    return Drafter(book)


@pytest.mark.parametrize("example", sorted(BEFORE))
def test_results_are_unchanged(book: RuleBook, drafter: Drafter, example: str) -> None:
    before = BEFORE[example]
    assessment = Pipeline(book).assess(load_case(EXAMPLES / f"{example}.yaml", book))
    for score in assessment.scores.all():
        old = before["scores"][score.name]
        assert (score.value, score.answered, score.applicable) == (
            pytest.approx(old["value"]), old["answered"], old["applicable"]), score.name
        assert score.coverage == pytest.approx(old["coverage"])
        assert (score.missing is None) == (old["reason"] is None)
    words = drafter.language("en").words
    assert {r.approach for r in assessment.approaches} == set(before["approaches"]) | ADDED
    for result in assessment.approaches:
        if result.approach in ADDED:
            continue
        old = before["approaches"][result.approach]
        trace = result.trace
        assert trace is not None
        assert (result.status, result.modality) == (old["status"], old["modality"])
        assert list(result.rule_ids) == old["rule_ids"]
        assert [[q.kind, q.id] for q in result.open_questions] == old["open_questions"]
        assert [[e.rule_id, e.truth] for e in trace.indication] == old["indication"]
        assert [[lv.level, lv.outcome] for lv in trace.levels] == old["levels"]
        assert [[f.rule_id, f.outcome] for f in trace.feasibility] == old["feasibility"]
        assert words.summary(result) == old["summary"], result.approach
        assert words.reasons(result) == old["reasons"], result.approach
