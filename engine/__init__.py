"""Decision support for the reintegration of returning migrants.

The pipeline is: case answers -> RSS scores -> facts -> a backend finds which compiled
checks hold -> the grid decision -> safeguards, guardian, agreement with the advice -> one
language-free outcome; a plan is laid out from it, and words are made only for the reader,
in the reader's language. Every front door (CLI, web, batch, scenarios) goes through the
small API below, and holds no domain logic of its own::

    from engine import Drafter, Pipeline, load_rules, read_case

    book = load_rules()                                   # the shipped rules, validated
    case = read_case("examples/cases/ethiopia_returnee.yaml", book).case
    outcome = Pipeline(book).run(case)                    # scores, statuses, safeguards
    for result in outcome.assessment.approaches:
        print(result.approach, result.status, result.modality)
    drafter = Drafter(book)
    plan = drafter.draft(outcome, "fr")                   # the plan model, in French
    html = drafter.render(plan, "html", "fr")             # or "pdf", "md"

Names are imported when first used, so ``import engine`` costs nothing a command does not
need (rendering a PDF is not needed to score).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "load_rules": ("engine.loading.rulebook", "load_rulebook"),
    "read_case": ("engine.case.reading", "read_case"),
    "Pipeline": ("engine.planning.pipeline", "Pipeline"),
    "Outcome": ("engine.planning.pipeline", "Outcome"),
    "Drafter": ("engine.presentation.drafting", "Drafter"),
    "RuleBook": ("engine.model.rulebook", "RuleBook"),
    "Case": ("engine.case.model", "Case"),
    "Assessment": ("engine.evaluation.assessment", "Assessment"),
    "next_questions": ("engine.planning.asking", "next_questions"),
    "ReintegrateError": ("engine.errors", "ReintegrateError"),
    "ProblemsFound": ("engine.errors", "ProblemsFound"),
    "RuleErrors": ("engine.errors", "RuleErrors"),
    "CaseError": ("engine.errors", "CaseError"),
    "InferenceError": ("engine.errors", "InferenceError"),
    "Problem": ("engine.errors", "Problem"),
    "read_case_data": ("engine.case.mapping", "read_case_data"),
    "issue_sentence": ("engine.presentation.gaps", "issue_sentence"),
    "NotReadyToSign": ("engine.planning.agreement", "NotReadyToSign"),
    "gap_sentence": ("engine.presentation.gaps", "gap_sentence"),
    "Settling": ("engine.planning.settling", "Settling"),
}
__all__ = ["Assessment", "Case", "CaseError", "Drafter", "InferenceError", "NotReadyToSign",
           "Outcome", "Pipeline", "Problem", "ProblemsFound", "ReintegrateError", "RuleBook",
           "RuleErrors", "Settling", "gap_sentence", "issue_sentence", "load_rules",
           "next_questions", "read_case", "read_case_data"]

if TYPE_CHECKING:
    from engine.case.mapping import read_case_data
    from engine.case.model import Case
    from engine.case.reading import read_case
    from engine.errors import (
        CaseError,
        InferenceError,
        Problem,
        ProblemsFound,
        ReintegrateError,
        RuleErrors,
    )
    from engine.evaluation.assessment import Assessment
    from engine.loading.rulebook import load_rulebook as load_rules
    from engine.model.rulebook import RuleBook
    from engine.planning.agreement import NotReadyToSign
    from engine.planning.asking import next_questions
    from engine.planning.pipeline import Outcome, Pipeline
    from engine.planning.settling import Settling
    from engine.presentation.drafting import Drafter
    from engine.presentation.gaps import gap_sentence, issue_sentence


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'engine' has no attribute '{name}'")
    module, attribute = _API[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
