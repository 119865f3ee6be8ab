"""durable_rules as the backend that finds which checks hold for one case.

This module is the only one that touches durable_rules, and it designs around the traps
measured in shared/notes/durable-rules.md:
- one process-wide host, all access under one lock (the host is not thread-safe);
- rulesets are registered once per rule book identity (the hash of its content): a name
  can never be registered twice and there is no delete, so changed rules (a reload, a
  derived what-if book) get a new name and the same rules reuse the old one;
- every case is asserted as *facts* (an event is consumed by the first rule that
  matches; facts let every matching rule fire), in a session of its own whose state is
  deleted when the evaluation ends, also on error (about 1,024 live sessions exhaust it);
- definitions are handed over as deep copies (``Ruleset`` deletes ``run`` from them);
- ``assert_facts`` with one fact no rule matches raises "not handled" for the whole batch
  and fires nothing, so facts are asserted one by one, and only those a check reads;
- deleting a session in which no fact was ever handled aborted the whole process in one
  build (undefined behaviour), so each session opens with a sentinel fact that a
  do-nothing rule always handles;
- an exception inside an action does not propagate: durable_rules returns it in the
  session state, so we look there and raise it;
- numeric error codes are turned into sentences;
- a fact is now and then refused although its id is new in its session ("already
  observed", about 1 run in 30 of the equivalence test; "could not complete and start
  action, error code: 307" once after some 40,000 sessions in one process): the case is
  evaluated again once, in a fresh session, before that counts as a failure; durable's
  own logger, which would print the refused action's traceback to the user's terminal
  before the retry, is kept quiet (a failure that stands is raised as a sentence);
- its engine module warns (DeprecationWarning) at every call on Python 3.12: silenced here,
  where it is imported, so neither users nor the test output see them.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import re
import threading
import uuid
import warnings
from collections.abc import Callable
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import durable.lang
    from durable.engine import MessageNotHandledException, MessageObservedException

from engine.errors import InferenceError
from engine.evaluation.checks import compiled
from engine.evaluation.facts import Facts
from engine.model.checks import Check, require_every_operator
from engine.model.rulebook import RuleBook

warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"durable(\.|$)")
_durable_log = logging.getLogger("durable")
_durable_log.addHandler(logging.NullHandler())
_durable_log.propagate = False

_LOCK = threading.RLock()
_REGISTERED: set[str] = set()
_FIRED: dict[str, set[str]] = {}
"""Rule ids fired per live session id; an entry lives only while its case is evaluated."""

_SESSION_RULE = "session/opened"
"""Handles the sentinel fact every session starts with; it records nothing."""

_ERROR_CODES = {
    "105": "a rule refers to a name the engine does not know",
    "106": "too many rules or conditions for the engine",
    "202": "the engine could not parse a compiled rule",
    "309": "the case's session was not found",
}


def open_sessions() -> int:
    """Sessions whose evaluation has not finished; 0 between cases."""
    with _LOCK:
        return len(_FIRED)


class DurableBackend:
    """Evaluates the compiled checks of one RuleBook with durable_rules."""

    name = "durable_rules"

    def __init__(self, book: RuleBook):
        compiled_book = compiled(book)
        self.ruleset = f"reintegrate_{compiled_book.identity}"
        checks, joins = compiled_book.checks, compiled_book.joins
        every_check = [*checks, *(c for j in joins for c in j.checks)]
        self.read = {(c.kind, c.subject) for c in every_check}
        with _LOCK:
            if self.ruleset not in _REGISTERED:
                definition = {ids[0]: _rule(ids, [check])
                              for check, ids in compiled_book.shared_tests().items()}
                definition |= {j.rule_id: _rule([j.rule_id], list(j.checks)) for j in joins}
                definition[_SESSION_RULE] = {"all": [{"m": {"kind": _SESSION_RULE}}],
                                             "run": lambda context: None}
                _translate(lambda: durable.lang.get_host().set_rulesets(
                    {self.ruleset: copy.deepcopy(definition)}))
                _REGISTERED.add(self.ruleset)

    def holding(self, facts: Facts) -> set[str]:
        """Rule ids whose checks hold for these facts."""
        try:
            return self._holding(facts)
        except (MessageObservedException, InferenceError):
            return self._holding(facts)  # once more, in a fresh session (see above)

    def _holding(self, facts: Facts) -> set[str]:
        host = durable.lang.get_host()
        with _LOCK:
            sid = uuid.uuid4().hex
            _FIRED[sid] = set()
            try:
                _translate(lambda: _assert(host, self.ruleset,
                                           {"sid": sid, "kind": _SESSION_RULE}))
                for index, record in enumerate(facts.records):
                    if (record["kind"], record["subject"]) not in self.read:
                        continue
                    fact = {"sid": sid, "fid": str(index), **record}
                    state = _translate(lambda fact=fact: _assert(host, self.ruleset, fact))
                    if isinstance(state, dict) and "exception" in state:
                        raise InferenceError(f"a rule action failed: {state['exception']}")
            except BaseException:
                # the failure is what to report: a session that never opened cannot be
                # deleted (error 309), and that must not hide why
                with contextlib.suppress(InferenceError):
                    self._close(host, sid)
                raise
            fired = _FIRED[sid]
            self._close(host, sid)
            return fired

    def _close(self, host: Any, sid: str) -> None:
        del _FIRED[sid]
        _translate(lambda: host.delete_state(self.ruleset, sid))


def _assert(host: Any, ruleset: str, fact: dict[str, Any]) -> Any:
    try:
        return host.assert_fact(ruleset, fact)
    except MessageNotHandledException:
        return None  # no check holds for this fact


def _rule(rule_ids: list[str], checks: list[Check]) -> dict[str, Any]:
    def run(context: Any) -> None:
        _FIRED[context.s.sid].update(rule_ids)

    return {"all": [{f"m{i}": _pattern(c)} for i, c in enumerate(checks)], "run": run}


_OPERATORS: dict[str, Callable[[Check], list[dict[str, Any]]]] = {
    "lt": lambda check: [{"$lt": {check.field: check.operand}}],
    "gte": lambda check: [{"$gte": {check.field: check.operand}}],
    "eq": lambda check: [{check.field: check.operand}],
    "in": lambda check: [{"$or": [{check.field: value}
                                  for value in check.operand]}],  # type: ignore[union-attr]
    "present": lambda check: [],
}
"""Each operator as durable_rules terms (operators wrap the field: {"$lt": {f: v}})."""
require_every_operator(_OPERATORS, "durable_rules")


def _pattern(check: Check) -> dict[str, Any]:
    """One check as a durable_rules pattern: the fact it reads, then its operator's terms."""
    return {"$and": [{"kind": check.kind}, {"subject": check.subject},
                     *_OPERATORS[check.op](check)]}


def _translate(call: Callable[[], Any]) -> Any:
    """Run a durable_rules call, turning its numeric error codes into a sentence."""
    try:
        return call()
    except (InferenceError, MessageObservedException):
        raise
    except Exception as exc:  # durable raises bare Exception and its own C error type
        code = re.search(r"error code: (\d+)", str(exc))
        meaning = _ERROR_CODES.get(code.group(1), "") if code else ""
        detail = f" ({meaning})" if meaning else ""
        raise InferenceError(f"the rules engine failed{detail}: {exc}") from exc

