"""Shared fixtures: the shipped rules, one assessor per session, and a case builder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests_support import case_data

from engine.case.model import Case
from engine.evaluation.assessment import Assessor
from engine.loading.rulebook import load_rulebook, shipped_rules
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline

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


@pytest.fixture
def make_case() -> Callable[..., Case]:
    return lambda **overrides: Case.model_validate(case_data(**overrides))


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped rules, for tests that break or change a rule."""
    target = tmp_path / "rules"
    shutil.copytree(shipped_rules(), target)
    return target
