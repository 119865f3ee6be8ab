"""The examples' two documents, in four languages, against Markdown snapshots.

A change to a template, a catalog or a rule that shows in a document fails here, so its
effect is reviewed as the diff of ``tests/snapshots/documents/`` in the commit that makes
it: run ``UPDATE_SNAPSHOTS=1 pytest tests/test_document_snapshots.py`` to write them again.
The rules version (a content hash that every rule edit changes) is replaced by ``RULES``.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from engine.case.reading import load_case
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.presentation.drafting import Drafter

TESTS = Path(__file__).resolve().parent
SNAPSHOTS = TESTS / "snapshots" / "documents"
EXAMPLES = sorted((TESTS.parent / "examples" / "cases").glob("*.yaml"))
LANGUAGES = ("en", "fr", "es", "ar")
DOCUMENTS = ("plan", "worksheet")


@pytest.fixture(scope="module")
def drafter(book: RuleBook) -> Drafter:
    return Drafter(book)


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_document_matches_its_snapshot(book: RuleBook, drafter: Drafter, example: Path,
                                       language: str, document: str) -> None:
    outcome = Pipeline(drafter.book).run(load_case(example, book))
    plan = drafter.draft(outcome, language, dated=date(2026, 11, 1))
    rendered = drafter.render(plan, "md", language, document)  # type: ignore[arg-type]
    assert isinstance(rendered, str) and book.version in rendered
    rendered = rendered.replace(book.version, "RULES")
    snapshot = SNAPSHOTS / f"{example.stem}.{language}.{document}.md"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(rendered)
    assert rendered == snapshot.read_text()
