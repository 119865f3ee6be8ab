"""Shared fixtures: the shipped rules, one assessor per session, and a case builder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests_support import case_data

from engine.case.model import Case
from engine.case.reading import load_case
from engine.evaluation.assessment import Assessor
from engine.loading.rulebook import load_rulebook, shipped_rules
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.planning.planner import Planner

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "cases"


@pytest.fixture(scope="session")
def book() -> RuleBook:
    return load_rulebook()


@pytest.fixture(scope="session")
def assessor(book: RuleBook) -> Assessor:
    return Assessor(book)


@pytest.fixture(scope="session")
def pipeline(book: RuleBook) -> Pipeline:
    return Pipeline(book)


@pytest.fixture(scope="session")
def planner(book: RuleBook) -> Planner:
    return Planner(book)


def _example(book: RuleBook, name: str) -> dict[str, Any]:
    return load_case(EXAMPLES / f"{name}_returnee.yaml", book).model_dump(exclude_none=True)


@pytest.fixture(scope="module")
def ethiopia(book: RuleBook) -> dict[str, Any]:
    """The Ethiopian example as plain data, to change one part at a time (see
    ``tests_support.with_changes``); a module's tests share it, so none may change it in place."""
    return _example(book, "ethiopia")


@pytest.fixture(scope="module")
def senegal(book: RuleBook) -> dict[str, Any]:
    """The Senegalese example as plain data (as ``ethiopia``)."""
    return _example(book, "senegal")


@pytest.fixture
def make_case() -> Callable[..., Case]:
    return lambda **overrides: Case.model_validate(case_data(**overrides))


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped rules, for tests that break or change a rule."""
    target = tmp_path / "rules"
    shutil.copytree(shipped_rules(), target)
    return target
