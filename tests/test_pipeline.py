"""The one pipeline: a case's whole outcome made once, shared by every front door, with the
rules compiled once per book and nothing of one case reaching another."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests_support import AVAILABLE_BACKENDS

from engine.case.model import Case
from engine.case.reading import load_case
from engine.evaluation import checks
from engine.evaluation.assessment import Assessor
from engine.model.rulebook import RuleBook
from engine.planning.asking import next_questions
from engine.planning.pipeline import Pipeline
from engine.presentation.drafting import Drafter

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"


def test_checks_are_compiled_once_per_book(book: RuleBook, monkeypatch: pytest.MonkeyPatch,
                                           make_case: Callable[..., Case]) -> None:
    made: list[str] = []
    compile_book = checks.compile_book

    def counted(rules: RuleBook) -> checks.CompiledBook:
        made.append(rules.identity)
        return compile_book(rules)

    monkeypatch.setattr(checks, "compile_book", counted)
    monkeypatch.setattr(checks, "_kept", type(checks._kept)())
    drafter = Drafter(book)
    for backend in AVAILABLE_BACKENDS:
        pipeline = Pipeline(book, backend=backend)
        for example in sorted(EXAMPLES.glob("*.yaml")):
            outcome = pipeline.run(load_case(example, book))
            for language in ("en", "fr", "ar"):
                drafter.draft(outcome, language)
    assert made == [book.identity]
    derived = book.derive("copy", "an identical copy", entries=dict(book.entries))
    Pipeline(derived, backend="python").run(make_case())
    assert made == [book.identity]  # same content, same identity: compiled already


def _unknown_needs(make_case: Callable[..., Case], answered: dict[str, str]) -> Case:
    return make_case(returnee_id=f"TEST-{len(answered):04d}", rss=answered)


def test_each_case_gets_its_own_open_questions(book: RuleBook,
                                               make_case: Callable[..., Case]) -> None:
    """Explanations are shared between results to keep thousands small; the RSS questions
    of an approach whose need is unknown depend on the case's own answers and must never
    come from the case assessed before it."""
    first = _unknown_needs(make_case, {"currently_working": "no"})
    second = _unknown_needs(make_case, {"currently_working": "no",
                                        "economic_satisfaction": "very_dissatisfied",
                                        "food_insecurity_frequency": "very_often"})
    shared = Assessor(book, backend="python")
    shared.assess(first)
    in_turn = shared.assess(second)
    alone = Assessor(book, backend="python").assess(second)
    assert in_turn == alone
    unknown = [r for r in in_turn.approaches if r.summary and r.summary.code == "questions_open"
               and any(q.kind == "rss" for q in r.open_questions)]
    assert unknown, "the cases were meant to leave needs unknown"
    for result in unknown:
        asked = {q.id for q in result.open_questions if q.kind == "rss"}
        assert not asked & set(second.rss), (result.approach, asked & set(second.rss))


def test_the_outcome_holds_what_the_plan_needs(book: RuleBook) -> None:
    case = load_case(EXAMPLES / "ethiopia_returnee.yaml", book)
    outcome = Pipeline(book).run(case)
    assert outcome.assessment.rules_identity == book.identity
    assert outcome.issues == ()
    assert outcome.guardian_required is False
    plan = Drafter(book).draft(outcome)
    assert [s.id for s in plan.safeguards] == [
        s.id for s in sorted(
            (next(g for g in book.plan.safeguards.safeguards if g.id == t.id)
             for t in outcome.safeguards), key=lambda g: not g.comes_first)]


def test_ask_next_serves_the_worksheet_and_questions_alike(book: RuleBook) -> None:
    case = load_case(EXAMPLES / "senegal_returnee.yaml", book)
    outcome = Pipeline(book).run(case)
    asked = next_questions(book, outcome, everything=True)
    plan = Drafter(book).draft(outcome)
    on_worksheet = [q.id for group in plan.open_questions for q in group.questions]
    assert sorted(on_worksheet) == sorted(q.id for q in asked.questions)
    default = next_questions(book, outcome)
    assert {q.id for q in default.questions} <= {q.id for q in asked.questions}
    assert [q.kind for q in default.rss_first()] == sorted(
        (q.kind for q in default.questions), key=lambda kind: kind != "rss")


def test_an_unloadable_backend_is_one_sentence_and_exit_2(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where durable_rules cannot be loaded (Python 3.13), the Python backend serves by
    default, and asking for durable_rules is a user's mistake, told in one sentence."""
    from typer.testing import CliRunner

    from engine.cli.app import app
    from engine.evaluation import backends

    why = "durable cannot be loaded here (undefined symbol: PyEval_CallObject)"
    monkeypatch.setattr(backends, "unavailable",
                        lambda name: why if name == "durable_rules" else None)
    example = str(EXAMPLES / "ethiopia_returnee.yaml")
    refused = CliRunner().invoke(app, ["recommend", example, "--backend", "durable_rules"])
    assert refused.exit_code == 2
    assert f"the durable_rules backend {why}" in refused.output
    assert "Traceback" not in refused.output
    served = CliRunner().invoke(app, ["validate"])
    assert served.exit_code == 0 and "backend python" in served.output.replace("\n", " ")


def test_the_engine_failing_exits_3_not_as_a_users_mistake(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from engine.cli.app import app
    from engine.errors import InferenceError
    from engine.evaluation.backends.python import PythonBackend

    def broken(self: PythonBackend, facts: object) -> set[str]:
        raise InferenceError("the rules engine failed (a test's)")

    monkeypatch.setattr(PythonBackend, "holding", broken)
    example = str(EXAMPLES / "ethiopia_returnee.yaml")
    result = CliRunner().invoke(app, ["recommend", example, "--backend", "python"])
    assert result.exit_code == 3
    assert "The engine failed (a bug; nothing was written)" in result.output
    assert "Traceback" not in result.output
    as_json = CliRunner().invoke(app, ["recommend", example, "--backend", "python", "--json"])
    assert as_json.exit_code == 3 and '"kind": "crash"' in as_json.stdout


def test_the_pipeline_completes_a_case_from_its_places_profile(book: RuleBook) -> None:
    """A community profile answers the place's questions once; the case's own answer wins;
    the outcome names the profile and its version. The shipped profiles are illustrative,
    so they answer only when asked to."""
    case = load_case(EXAMPLES / "ethiopia_returnee.yaml", book)
    assert Pipeline(book).run(case).profile_answers == ()
    outcome = Pipeline(book, illustrative_profiles=True).run(case)
    assert outcome.profile_answers, "the Ethiopian place has an illustrative profile"
    for answer in outcome.profile_answers:
        assert answer.question not in case.grid_answers or case.grid_answers[
            answer.question] is None
        assert outcome.case.grid_answers[answer.question] == answer.answer
        assert answer.profile and answer.version
    question = outcome.profile_answers[0].question
    own = "no" if outcome.profile_answers[0].answer == "yes" else "yes"
    mine = case.model_copy(update={"grid_answers": {**case.grid_answers, question: own}})
    overridden = Pipeline(book, illustrative_profiles=True).run(mine)
    assert question not in {a.question for a in overridden.profile_answers}
    assert overridden.case.grid_answers[question] == own
