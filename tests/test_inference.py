"""The durable_rules backend: session lifecycle, reloads, traps of the engine."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.evaluation.backends import unavailable

if unavailable("durable_rules"):
    pytest.skip(f"the durable_rules backend {unavailable('durable_rules')}",
                allow_module_level=True)

import durable.lang
from durable.engine import MessageNotHandledException, MessageObservedException

from engine.case.model import Case
from engine.errors import InferenceError
from engine.evaluation.assessment import Assessment, Assessor
from engine.evaluation.backends import durable as inference
from engine.evaluation.backends.durable import DurableBackend, open_sessions
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook


def _varied_cases(book: RuleBook, make_case: Callable[..., Case], count: int) -> list[Case]:
    """Cases that differ in every RSS answer and grid answer, deterministically."""
    elements = book.instrument.elements
    questions = sorted(book.questions)
    cases = []
    for n in range(count):
        rss = {e.id: e.choices[(n + i) % len(e.choices)].name for i, e in enumerate(elements)}
        answers = {q: ("yes", "no", None)[(n * 7 + i) % 3] for i, q in enumerate(questions)}
        cases.append(make_case(returnee_id=f"LOAD-{n:05d}", rss=rss, grid_answers=answers))
    return cases


@pytest.mark.stress
def test_five_thousand_cases_in_one_process(book: RuleBook, assessor: Assessor,
                                            make_case: Callable[..., Case]) -> None:
    """Far past the ~1,024 live sessions that exhaust durable_rules: no MemoryError."""
    statuses: set[str] = set()
    for case in _varied_cases(book, make_case, 5200):
        assessment = assessor.assess(case)
        statuses |= {a.status for a in assessment.approaches}
    assert open_sessions() == 0
    assert statuses == {"recommended", "not_appropriate", "needs_answers", "not_indicated"}


def test_no_session_state_left_behind(book: RuleBook, assessor: Assessor,
                                      make_case: Callable[..., Case],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_uuid4 = inference.uuid.uuid4

    def recording_uuid4():
        value = real_uuid4()
        seen.append(value.hex)
        return value

    monkeypatch.setattr(inference.uuid, "uuid4", recording_uuid4)
    for case in _varied_cases(book, make_case, 20):
        assessor.assess(case)
    host = durable.lang.get_host()
    assert len(seen) == 20
    for sid in seen:
        with pytest.raises(Exception, match=r"309|not found"):
            host.get_state(assessor.backend.ruleset, sid)


def test_state_is_deleted_on_error(book: RuleBook, assessor: Assessor,
                                   make_case: Callable[..., Case],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    case = _varied_cases(book, make_case, 1)[0]
    calls = {"n": 0}
    real_assert = inference._assert

    def failing_assert(host, ruleset, fact):
        calls["n"] += 1
        if calls["n"] >= 3:
            raise RuntimeError("engine failure in the middle of a case")
        return real_assert(host, ruleset, fact)

    monkeypatch.setattr(inference, "_assert", failing_assert)
    with pytest.raises(InferenceError, match="engine failure"):
        assessor.assess(case)
    assert open_sessions() == 0
    monkeypatch.setattr(inference, "_assert", real_assert)
    assert assessor.assess(case).returnee_id == case.returnee_id  # the host still works


@pytest.mark.parametrize("failure", [
    MessageObservedException("already observed"),
    RuntimeError("Could not complete and start action, error code: 307")])
def test_a_passing_engine_failure_is_evaluated_again(
        book: RuleBook, assessor: Assessor, make_case: Callable[..., Case],
        monkeypatch: pytest.MonkeyPatch, failure: Exception) -> None:
    """durable_rules now and then refuses a new fact in a session ("already observed", error
    307): the case is evaluated once more in a fresh session and gets the same result."""
    case = _varied_cases(book, make_case, 1)[0]
    expected = assessor.assess(case)
    calls = {"n": 0}
    real_assert = inference._assert

    def once(host, ruleset, fact):
        calls["n"] += 1
        if calls["n"] == 3:
            raise failure
        return real_assert(host, ruleset, fact)

    monkeypatch.setattr(inference, "_assert", once)
    assert assessor.assess(case) == expected
    assert calls["n"] > 3 and open_sessions() == 0


def test_action_exception_is_raised_not_swallowed() -> None:
    """durable_rules returns an action's exception inside the state; we must raise it."""
    def failing(context):
        raise ValueError("boom in action")

    name = "test_failing_action"
    durable.lang.get_host().set_rulesets({name: {"r": {"all": [{"m": {"kind": "x"}}],
                                                       "run": failing}}})
    state = inference._assert(durable.lang.get_host(), name, {"sid": "s1", "kind": "x"})
    assert "boom in action" in state["exception"]
    durable.lang.get_host().delete_state(name, "s1")


def test_one_unmatched_fact_spoils_a_batch() -> None:
    """Why facts are asserted one by one: a batch with one unhandled fact fires nothing."""
    fired: list[str] = []
    name = "test_batch_trap"
    durable.lang.get_host().set_rulesets({name: {"r": {
        "all": [{"m": {"kind": "score"}}], "run": lambda c: fired.append(c.m.kind)}}})
    host = durable.lang.get_host()
    with pytest.raises(MessageNotHandledException):
        host.assert_facts(name, [{"sid": "b1", "kind": "score"}, {"sid": "b1", "kind": "other"}])
    assert fired == []
    host.assert_fact(name, {"sid": "b1", "kind": "score", "n": 2})  # see the next test
    host.delete_state(name, "b1")


def test_every_session_opens_with_a_handled_fact(
        assessor: Assessor, make_case: Callable[..., Case],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Deleting a session in which no fact was ever handled aborted the process in one
    build of durable_rules (and not in another: undefined behaviour), so every session
    starts with the sentinel fact, which a rule always handles."""
    first_facts: dict[str, dict] = {}
    real_assert = inference._assert

    def recording_assert(host, ruleset, fact):
        first_facts.setdefault(fact["sid"], fact)
        return real_assert(host, ruleset, fact)

    monkeypatch.setattr(inference, "_assert", recording_assert)
    assessor.assess(make_case(rss={"currently_working": "yes"}))
    assessor.assess(make_case())
    assert len(first_facts) == 2
    host = durable.lang.get_host()
    for index, fact in enumerate(first_facts.values()):
        assert fact["kind"] == inference._SESSION_RULE
        probe = {**fact, "sid": f"probe{index}"}
        assert real_assert(host, assessor.backend.ruleset, probe) is not None  # handled
        host.delete_state(assessor.backend.ruleset, probe["sid"])


def test_case_where_nothing_holds(assessor: Assessor, make_case: Callable[..., Case]) -> None:
    """No fact is handled by any check: the session must still close cleanly."""
    for case in (make_case(), make_case(rss={"currently_working": "yes"})):
        assessment = assessor.assess(case)
        assert all(not a.rule_ids for a in assessment.approaches)
    assert open_sessions() == 0


def test_same_rules_reload_reuses_the_registration(book: RuleBook) -> None:
    again = load_rulebook(book.root)
    assert again.version == book.version
    first, second = DurableBackend(book), DurableBackend(again)
    assert first.ruleset == second.ruleset


def test_changed_rules_reload_in_the_same_process(
        rules_copy: Path, book: RuleBook, make_case: Callable[..., Case]) -> None:
    """Editing a threshold gives a new rules version, registered beside the old one."""
    framework = rules_copy / "framework.yaml"
    text = framework.read_text()
    assert "value: 0.50" in text
    framework.write_text(text.replace("value: 0.50", "value: 0.90"))
    changed = load_rulebook(rules_copy)
    assert changed.version != book.version
    case = make_case(rss={e.id: next(c.name for c in e.choices if c.points == 0.75)
                          if len(e.scored_choices()) == 5 else
                          next(c.name for c in e.choices if c.points == 1)
                          for e in book.instrument.elements})
    before = Assessor(book).assess(case)
    after = Assessor(changed).assess(case)
    assert after.rules_version == changed.version
    score_rule = "/indicated/0"
    held_before = {a.approach for a in before.approaches
                   if any(e.rule_id.endswith(score_rule) and e.truth == "holds"
                          for e in a.trace.indication)}
    held_after = {a.approach for a in after.approaches
                  if any(e.rule_id.endswith(score_rule) and e.truth == "holds"
                         for e in a.trace.indication)}
    assert held_after > held_before


def test_concurrent_assessments_match_sequential(book: RuleBook, assessor: Assessor,
                                                 make_case: Callable[..., Case]) -> None:
    cases = _varied_cases(book, make_case, 40)
    expected = [assessor.assess(c) for c in cases]
    results: dict[int, Assessment] = {}
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(offset, len(cases), 4):
                results[i] = assessor.assess(cases[i])
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [results[i] for i in range(len(cases))] == expected
    assert open_sessions() == 0


def test_durables_deprecation_warnings_do_not_reach_users() -> None:
    """On Python 3.12 durable_rules' engine warns at every call (utcfromtimestamp); a user
    running with warnings shown (-W default) must not see them. (On 3.11 it does not warn,
    so there this only guards against our own code warning.)"""
    import subprocess
    import sys

    example = Path(__file__).resolve().parents[1] / "examples" / "cases" / "ethiopia_returnee.yaml"
    code = ("from engine import Pipeline, load_rules, read_case; book = load_rules(); "
            f"Pipeline(book, backend='durable_rules').run(read_case({str(example)!r}, book).case)")
    run = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True,
                         text=True, check=True)
    assert "DeprecationWarning" not in run.stderr


def test_durables_own_log_of_a_retried_failure_does_not_reach_users() -> None:
    """durable_rules logs the traceback of a refused action (error code 307) before our
    backend evaluates the case again; with logging unconfigured, as in the CLI, Python
    would print it to the terminal. A failure that stands is raised as a sentence instead."""
    import subprocess
    import sys

    log = "logging.getLogger('durable').exception('base exception type %s', 'error 307')"
    run = subprocess.run([sys.executable, "-c",
                          f"import engine.evaluation.backends.durable, logging; {log}"],
                         capture_output=True, text=True, check=True)
    assert run.stderr == ""
    control = subprocess.run([sys.executable, "-c", f"import durable, logging; {log}"],
                             capture_output=True, text=True, check=True)
    assert "error 307" in control.stderr
