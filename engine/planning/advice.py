"""Where a case file's decisions and actions contradict the engine's advice without a
recorded decision: the check the pipeline runs on every case.

An action under an approach nobody decided to take up, or a decision against the advice
without a reason, is a mistake in the case file; a plan drafted anyway would drop those
actions silently, so it is refused (``AgainstAdvice``) until they are settled. Issues are
codes with their place in the case file; a front door words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.case.model import Case, Decision
from engine.errors import ReintegrateError
from engine.evaluation.assessment import Assessment

IssueCode = Literal["action_under_declined", "action_not_recommended", "reason_missing"]


@dataclass(frozen=True)
class CaseIssue:
    """A contradiction between the case file's decisions and the engine's advice, at a
    place in the case file (``loc``), for the front door to word and show with its line."""

    loc: tuple[str | int, ...]
    code: IssueCode
    approach: str
    status: str
    """The engine's advice on the approach (a status code)."""
    action: int | None = None
    """The action's number (from 1), for an issue about an action."""
    decision: str | None = None
    """``accept`` or ``decline``, for an issue about a decision."""


class AgainstAdvice(ReintegrateError):
    """The case file's actions or decisions contradict the advice without a recorded
    decision: a plan drafted anyway would drop those actions silently."""

    kind = "case"

    def __init__(self, issues: list[CaseIssue]):
        super().__init__("; ".join(f"{i.code} ({i.approach})" for i in issues))
        self.issues = issues


def advice_issues(case: Case, assessment: Assessment) -> list[CaseIssue]:
    """Actions and decisions that contradict the advice without a recorded decision."""
    status = {r.approach: r.status for r in assessment.approaches}
    decisions = {d.approach: d for d in case.decisions}
    issues = [issue for index, decision in enumerate(case.decisions)
              if (issue := _decision_issue(index, decision, status[decision.approach]))]
    for index, action in enumerate(case.agreed_actions):
        decision = decisions.get(action.approach)
        at = ("agreed_actions", index, "approach")
        if decision is not None and decision.decision == "decline" and action.status != "cancelled":
            issues.append(CaseIssue(at, "action_under_declined", action.approach,
                                    status[action.approach], action=index + 1))
        elif decision is None and status[action.approach] != "recommended":
            issues.append(CaseIssue(at, "action_not_recommended", action.approach,
                                    status[action.approach], action=index + 1))
    return issues


def _decision_issue(index: int, decision: Decision, status: str) -> CaseIssue | None:
    against_advice = (decision.decision == "decline") == (status == "recommended")
    if against_advice and decision.reason is None:
        return CaseIssue(("decisions", index), "reason_missing", decision.approach, status,
                         decision=decision.decision)
    return None
