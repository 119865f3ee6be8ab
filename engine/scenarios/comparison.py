"""Two assessments of one case side by side: what changed, and nothing else.

A what-if (one answer changed, or one rule) and a rule change's impact (every case under
old and new rules) are the same comparison. An approach changed when its status or its
modality did; the reasons kept for it are those of each side that the other side does not
share, and the values its indications read that differ, so "why" is the difference itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.evaluation.assessment import Assessment
from engine.evaluation.results import ApproachResult, Evidence, Reason
from engine.model.framework import COMPOSITE

SCORE_EPSILON = 1e-9
"""Scores equal to this many decimals are the same score (sums in another order)."""


@dataclass(frozen=True)
class ScoreChange:
    name: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class ApproachChange:
    """One approach whose outcome moved; ``before`` or ``after`` is None when the rules on
    that side do not have the approach."""

    approach: str
    before: ApproachResult | None
    after: ApproachResult | None

    @property
    def status_changed(self) -> bool:
        return _status(self.before) != _status(self.after)

    def reasons_before(self) -> tuple[Reason, ...]:
        """The reasons of the old outcome that the new one does not give."""
        return _only_in(self.before, self.after)

    def reasons_after(self) -> tuple[Reason, ...]:
        return _only_in(self.after, self.before)

    def values_read(self) -> list[tuple[Evidence | None, Evidence | None]]:
        """Indications that read another value or came out another way, old beside new."""
        old = _evidence(self.before)
        new = _evidence(self.after)
        pairs = []
        for rule_id in dict.fromkeys([*old, *new]):
            a, b = old.get(rule_id), new.get(rule_id)
            if a is None or b is None or (a.value, a.truth, a.operand) != (
                    b.value, b.truth, b.operand):
                pairs.append((a, b))
        return pairs


@dataclass(frozen=True)
class Difference:
    scores: list[ScoreChange]
    approaches: list[ApproachChange]
    safeguards: tuple[list[str], list[str]] = ([], [])
    """Safeguards the change adds and removes (when plans were compared)."""
    unchanged: int = 0
    """Approaches whose status and modality stayed the same."""

    @property
    def empty(self) -> bool:
        return not (self.scores or self.approaches or any(self.safeguards))


def compare(before: Assessment, after: Assessment, safeguards_before: list[str] | None = None,
            safeguards_after: list[str] | None = None) -> Difference:
    scores = []
    for name in dict.fromkeys([*before.scores.dimensions, *after.scores.dimensions, COMPOSITE]):
        old, new = _score(before, name), _score(after, name)
        if (old is None) != (new is None) or (
                old is not None and new is not None and abs(old - new) > SCORE_EPSILON):
            scores.append(ScoreChange(name, old, new))
    old_results = {a.approach: a for a in before.approaches}
    new_results = {a.approach: a for a in after.approaches}
    changes, unchanged = [], 0
    for approach in dict.fromkeys([*old_results, *new_results]):
        a, b = old_results.get(approach), new_results.get(approach)
        if _outcome(a) == _outcome(b):
            unchanged += 1
        else:
            changes.append(ApproachChange(approach, a, b))
    added = sorted(set(safeguards_after or []) - set(safeguards_before or []))
    removed = sorted(set(safeguards_before or []) - set(safeguards_after or []))
    return Difference(scores, changes, (added, removed), unchanged)


def _score(assessment: Assessment, name: str) -> float | None:
    scores = assessment.scores
    if name != COMPOSITE and name not in scores.dimensions:
        return None
    return scores.value(name)


def _status(result: ApproachResult | None) -> str | None:
    return result.status if result else None


def _outcome(result: ApproachResult | None) -> tuple[str | None, str | None]:
    return (result.status, result.modality) if result else (None, None)


def _only_in(one: ApproachResult | None, other: ApproachResult | None) -> tuple[Reason, ...]:
    if one is None:
        return ()
    others = set(other.reasons) if other else set()
    return tuple(r for r in one.reasons if r not in others)


def _evidence(result: ApproachResult | None) -> dict[str, Evidence]:
    if result is None or result.trace is None:
        return {}
    return {e.rule_id: e for e in result.trace.indication}
