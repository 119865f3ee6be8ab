"""Monitoring rounds: their answers, what the engine makes of them, what to ask next, the
decisions and agreed actions, and progress over rounds. Every score, status, reason and
question order comes from the engine's pipeline; this module only stores and asks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from engine import CaseError, Outcome, Problem, issue_sentence, next_questions, read_case_data
from engine.web.workspace import access, audit
from engine.web.workspace.calendar import round_kinds
from engine.web.workspace.case_files import as_json, checked, round_document, round_parts
from engine.web.workspace.conflicts import claim
from engine.web.workspace.models import MonitoringRound, User
from engine.web.workspace.rulebook import book, pipeline, settling

__all__ = ["ProgressPoint", "Question", "RoundOutcome", "outcome_of", "progress",
           "providers", "questions_to_ask", "record_agreed_action", "record_decision",
           "remove_agreed_action", "round_for", "round_kinds", "rounds_of", "save_grid_answers",
           "save_rss", "start_round"]

CARRIED_OVER = ("case_manager", "guardian", "interpreter", "case_manager_contact",
                "commitments", "goals", "decisions", "agreed_actions")
"""What a new round starts with from the one before: the plan stands until changed; the
answers (RSS, grid) are taken again."""


@dataclass(frozen=True)
class RoundOutcome:
    """The engine's outcome of one round, with the rule book it came from."""

    outcome: Outcome
    rules_identity: str
    warnings: list[Problem]
    """Possible but implausible answers the engine warns about (shown, not blocking)."""
    issues: list[Problem] = field(default_factory=list)
    """Decisions and actions that disagree with the advice (an action under an approach
    nobody took up): shown to fix; a plan is not drafted until they are."""


@dataclass(frozen=True)
class Question:
    """A question to ask now, in the engine's order: an RSS element or a grid question."""

    kind: str  # "rss" or "grid"
    id: str
    approaches: list[str]
    first_session: bool
    """In the first-session set: the few whose answers settle the most approaches."""
    text: str = ""
    answered_by: str | None = None
    settles: list[str] = field(default_factory=list)
    """The approaches one of its answers would settle (grid questions)."""


@dataclass(frozen=True)
class ProgressPoint:
    """One round on the progress chart: its kind, date and the four scores (economic,
    social, psychosocial, overall; None where too little was answered to score)."""

    round_pk: int
    kind: str
    assessed_on: date
    scores: dict[str, float | None]


def round_for(user: User, pk: int, action: str = "view") -> MonitoringRound:
    """The round, if ``user`` may ``action`` its case (audited either way)."""
    round_ = MonitoringRound.objects.select_related("returnee").filter(pk=pk).first()
    if round_ is None:
        raise access.refuse(user, action, None, "No such round.")
    access.returnee(user, round_.returnee_id, action)
    if action == "view":
        audit.record(user, "view", round_)
    return round_


def rounds_of(user: User, returnee_pk: int) -> list[MonitoringRound]:
    """The case's rounds, oldest first."""
    case = access.returnee(user, returnee_pk, "view")
    return list(case.rounds.select_related("returnee").order_by("assessed_on", "id"))


def start_round(user: User, returnee_pk: int, kind: str, assessed_on: date) -> MonitoringRound:
    """A new round of the case (e.g. intermediate at 6-9 months): RSS and grid answers
    start empty; decisions and agreed actions carry over from the latest round (they are
    still the plan until changed)."""
    case = access.returnee(user, returnee_pk, "change")  # a refusal's audit row stays
    with transaction.atomic():
        latest = case.rounds.order_by("assessed_on", "id").last()
        answers = {k: v for k, v in (latest.answers if latest else {}).items()
                   if k in CARRIED_OVER}
        document = {"returnee_id": case.returnee_id, "monitoring_round": kind,
                    "assessed_on": assessed_on.isoformat(), "profile": case.profile,
                    **({"consent": case.consent} if case.consent else {}), **answers}
        checked(document, "new round")
        round_ = MonitoringRound.objects.create(returnee=case, kind=kind,
                                                assessed_on=assessed_on, assessor=user,
                                                answers=answers)
        audit.record(user, "create", round_)
    return round_


def _save(user: User, pk: int, version: int, change: Any,
          against_advice_at: Callable[[dict[str, Any]], tuple[str | int, ...]] | None = None
          ) -> MonitoringRound:
    """Apply ``change`` (document -> document) to the round's case document, have the
    engine check the result, and save it if nobody saved since ``version``: one
    transaction, one audit row. ``against_advice_at``: where in the changed document the
    entry being saved is; if the engine finds it against its advice without a decision
    (an action under an approach nobody took up), it is refused here, with the engine's
    sentence, rather than stored and refused later when a plan is drafted."""
    round_for(user, pk, "change")  # outside the transaction: a refusal's audit row stays
    with transaction.atomic():
        round_ = MonitoringRound.objects.select_related("returnee").get(pk=pk)
        document = change(round_document(round_))
        reading = read_case_data(document, book(), f"round {pk}")
        if against_advice_at is not None:
            at = against_advice_at(document)
            issues = [reading.problem(i.loc, *issue_sentence(i))
                      for i in pipeline().run(reading.case).issues if i.loc[:len(at)] == at]
            if issues:
                raise CaseError(issues)
        saved = as_json(reading.case)
        claim(round_, version, answers=round_parts(saved))
        audit.record(user, "change", round_)
    return round_


def _merged(answers: dict[str, str | None], section: str) -> Any:
    def change(document: dict[str, Any]) -> dict[str, Any]:
        values = dict(document.get(section) or {})
        for key, value in answers.items():
            if value is None or value == "":
                values.pop(key, None)
            else:
                values[key] = value
        return {**document, section: values}
    return change


def save_rss(user: User, pk: int, answers: dict[str, str | None], version: int
             ) -> MonitoringRound:
    """Set RSS answers (element id -> choice name, "dont_know"/"refused" included; None
    clears one). Engine-validated; StaleVersion if the round changed since ``version``."""
    return _save(user, pk, version, _merged(answers, "rss"))


def save_grid_answers(user: User, pk: int, answers: dict[str, str | None], version: int
                      ) -> MonitoringRound:
    """Set grid answers (question id -> "yes", "no", or None to clear)."""
    return _save(user, pk, version, _merged(answers, "grid_answers"))


def record_decision(user: User, pk: int, approach: str, decision: str,
                    reason: str | None, version: int) -> MonitoringRound:
    """Accept or decline an approach (a reason is needed against the engine's advice:
    the engine says so as a problem). ``decision`` "" or None withdraws the decision."""
    def change(document: dict[str, Any]) -> dict[str, Any]:
        kept = [d for d in document.get("decisions", []) if d["approach"] != approach]
        if decision:
            kept.append({"approach": approach, "decision": decision,
                         **({"reason": reason} if reason else {}),
                         "decided_on": date.today().isoformat()})
        return {**document, "decisions": kept}
    return _save(user, pk, version, change)


def record_agreed_action(user: User, pk: int, action: dict[str, Any], version: int,
                         replace: int | None = None) -> MonitoringRound:
    """Add an agreed action (approach, what, modality, provider, starts, due, cost,
    contribution, status), or replace the one at index ``replace``."""
    def change(document: dict[str, Any]) -> dict[str, Any]:
        actions = list(document.get("agreed_actions", []))
        if replace is None:
            actions.append(action)
        elif 0 <= replace < len(actions):
            actions[replace] = action
        else:
            raise CaseError([Problem(f"round {pk}", None, "no agreed action at that place",
                                     None, "reload the page: the list has changed")])
        return {**document, "agreed_actions": actions}
    return _save(user, pk, version, change, lambda document: (
        "agreed_actions", len(document["agreed_actions"]) - 1 if replace is None else replace))


def remove_agreed_action(user: User, pk: int, index: int, version: int) -> MonitoringRound:
    def change(document: dict[str, Any]) -> dict[str, Any]:
        actions = list(document.get("agreed_actions", []))
        if not 0 <= index < len(actions):
            raise CaseError([Problem(f"round {pk}", None, "no agreed action at that place",
                                     None, "reload the page: the list has changed")])
        del actions[index]
        return {**document, "agreed_actions": actions}
    return _save(user, pk, version, change)


def engine_outcome(round_: MonitoringRound, strict: bool = False) -> RoundOutcome:
    """The engine's outcome of a round the caller may see (no access check: for services
    that have checked it already). ``strict``: raise CaseError on issues, as the CLI does
    before drafting a plan."""
    reading = read_case_data(round_document(round_), book(), f"round {round_.pk}")
    outcome = pipeline().run(reading.case)
    issues = [reading.problem(i.loc, *issue_sentence(i)) for i in outcome.issues]
    if issues and strict:
        raise CaseError(issues)
    return RoundOutcome(outcome, book().identity, list(reading.warnings), issues)


def outcome_of(user: User, pk: int) -> RoundOutcome:
    """The engine's outcome of the round (scores, approach statuses with their reasons and
    traces, safeguards), with the shipped rule book; decisions and actions that disagree
    with the advice come back as ``issues`` to show."""
    return engine_outcome(round_for(user, pk, "view"))


def questions_to_ask(user: User, pk: int, everything: bool = False) -> list[Question]:
    """What to ask now, in the engine's "ask this next" order: RSS elements first (in the
    survey's order), then the grid questions of indicated approaches, the first-session
    set first (the engine's Settling), then the rest as the engine ranks them."""
    result = outcome_of(user, pk)
    found = next_questions(book(), result.outcome, everything)
    ranked = settling().ranked(result.outcome, found)
    first = [r.question.id for r in settling().first_session(result.outcome, found)]
    by_id = {r.question.id: r for r in ranked}
    grid = [by_id[i] for i in first] + [r for r in ranked if r.question.id not in first]
    asked = [q for q in found.rss_first() if q.kind == "rss"]
    questions = [Question("rss", q.id, list(q.approaches), False, q.text, q.answered_by)
                 for q in asked]
    questions += [Question("grid", r.question.id, list(r.question.approaches),
                           r.question.id in first, r.question.text, r.question.answered_by,
                           list(r.settles)) for r in grid]
    return questions


def providers(user: User, pk: int, approach: str | None = None) -> list[tuple[str, str]]:
    """(id, name) of the service directory's providers for the case's country, those that
    deliver ``approach`` when it is given."""
    round_ = round_for(user, pk, "view")
    directory = book().directory(round_.returnee.profile["country_of_return"])
    if directory is None:
        return []
    return [(entry.id, entry.name) for entry in directory.entries
            if approach is None or approach in entry.approaches]


def progress(user: User, returnee_pk: int) -> list[ProgressPoint]:
    """The four scores over the case's rounds, oldest first (the engine scores each)."""
    points = []
    for round_ in rounds_of(user, returnee_pk):
        reading = read_case_data(round_document(round_), book(), f"round {round_.pk}")
        scores = pipeline().score(reading.case)
        points.append(ProgressPoint(round_.pk, round_.kind, round_.assessed_on,
                                    _four(scores)))
    return points


def _four(scores: Any) -> dict[str, float | None]:
    """The dimension scores and the composite, by their ids (None: not scored)."""
    return {score.name: score.value for score in scores.all()}
