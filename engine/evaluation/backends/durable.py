"""durable_rules as the backend that finds which checks hold for one case.

This module is the only one that touches durable_rules, and it designs around the traps
measured in shared/notes/durable-rules.md:
- one process-wide host, all access under one lock (the host is not thread-safe);
- rulesets are registered once per rules version (content hash): a name can never be
  registered twice and there is no delete, so a reload of changed rules gets a new name
  and a reload of the same rules reuses the old one;
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
- numeric error codes are turned into sentences.
"""

from __future__ import annotations

import copy
import re
import threading
import uuid
from collections.abc import Callable
from typing import Any

import durable.lang
from durable.engine import MessageNotHandledException

from engine.errors import InferenceError
from engine.evaluation.checks import compile_checks, shared_tests
from engine.evaluation.facts import Facts
from engine.model.checks import Check
from engine.model.rulebook import RuleBook

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
        self.ruleset = f"reintegrate_{book.version}"
        checks, joins = compile_checks(book)
        self.rule_ids = [c.rule_id for c in checks] + [j.rule_id for j in joins]
        every_check = checks + [c for j in joins for c in j.checks]
        self.read = {(c.kind, c.subject) for c in every_check}
        with _LOCK:
            if self.ruleset not in _REGISTERED:
                definition = {ids[0]: _rule(ids, [check])
                              for check, ids in shared_tests(checks).items()}
                definition |= {j.rule_id: _rule([j.rule_id], list(j.checks)) for j in joins}
                definition[_SESSION_RULE] = {"all": [{"m": {"kind": _SESSION_RULE}}],
                                             "run": lambda context: None}
                _translate(lambda: durable.lang.get_host().set_rulesets(
                    {self.ruleset: copy.deepcopy(definition)}))
                _REGISTERED.add(self.ruleset)

    def holding(self, facts: Facts) -> set[str]:
        """Rule ids whose checks hold for these facts."""
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
                return _FIRED[sid]
            finally:
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


def _pattern(check: Check) -> dict[str, Any]:
    """One check as a durable_rules pattern (operators wrap the field: {"$lt": {f: v}})."""
    terms: list[dict[str, Any]] = [{"kind": check.kind}, {"subject": check.subject}]
    if check.op == "lt":
        terms.append({"$lt": {check.field: check.operand}})
    elif check.op == "eq":
        terms.append({check.field: check.operand})
    elif check.op == "in":
        assert isinstance(check.operand, tuple)
        terms.append({"$or": [{check.field: value} for value in check.operand]})
    return {"$and": terms}


def _translate(call: Callable[[], Any]) -> Any:
    """Run a durable_rules call, turning its numeric error codes into a sentence."""
    try:
        return call()
    except InferenceError:
        raise
    except Exception as exc:  # durable raises bare Exception and its own C error type
        code = re.search(r"error code: (\d+)", str(exc))
        meaning = _ERROR_CODES.get(code.group(1), "") if code else ""
        detail = f" ({meaning})" if meaning else ""
        raise InferenceError(f"the rules engine failed{detail}: {exc}") from exc

