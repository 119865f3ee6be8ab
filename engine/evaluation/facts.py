"""What is known about one returnee, as the flat facts a rules engine matches.

Only what is known becomes a fact: a null score, a "don't know" or an unanswered grid
question produces no fact, and the decision step reads that absence as "open".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from engine.case.model import Case
from engine.evaluation.scoring import Scores
from engine.model.checks import Check
from engine.model.conditions import Condition


@dataclass(frozen=True)
class Facts:
    scores: dict[str, float | None]
    choices: dict[str, str]
    points: dict[str, float]
    vulnerabilities: frozenset[str]
    not_applicable: frozenset[str]
    answers: dict[str, str]
    profile: dict[str, int] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)

    def known(self, kind: str, subject: str) -> bool:
        """Whether the input a check reads is present, so its absence of a match means 'no'."""
        if kind == "score":
            return self.scores.get(subject) is not None
        if kind == "element":  # "not applicable" is an answer: no child, no schooling need
            return subject in self.points or subject in self.not_applicable
        if kind in ("vulnerability", "profile"):
            # the profile lists every flag and is read whole: an absent fact does not hold
            return True
        return subject in self.answers

    def value(self, check: Check) -> str | float | int | None:
        """The value a check reads ("present"/"absent" for a flag), or None when unknown."""
        if check.kind == "score":
            return self.scores.get(check.subject)
        if check.kind == "element":
            return (self.choices if check.field == "choice" else self.points).get(check.subject)
        if check.kind == "vulnerability":
            return "present" if check.subject in self.vulnerabilities else "absent"
        if check.kind == "profile":
            return self.profile.get(check.subject)
        return self.answers.get(check.subject)

    def holds(self, check: Check) -> bool:
        """The reference evaluation of one check (what every backend must agree with)."""
        if check.kind == "vulnerability":
            return check.subject in self.vulnerabilities
        return check.test(self.value(check))


def case_facts(case: Case, scores: Scores, observed: Iterable[Condition]) -> Facts:
    """The facts of one case; ``observed``: one condition per profile fact the rules read
    (``CompiledBook.observed``), each observing its own fact on the case."""
    score_values = {s.name: s.value for s in scores.all()}
    answers = {q: a for q, a in case.grid_answers.items() if a is not None}
    records: list[dict[str, Any]] = [
        {"kind": "score", "subject": name, "value": value}
        for name, value in score_values.items() if value is not None
    ]
    choices: dict[str, str] = {}
    points: dict[str, float] = {}
    not_applicable: list[str] = []
    for e, r in scores.elements.items():  # one walk: this is every case's cost
        if r.points is not None:
            records.append({"kind": "element", "subject": e, "choice": r.choice,
                            "points": r.points})
            points[e] = r.points
            if r.choice:
                choices[e] = r.choice
        if r.gap == "not_applicable":
            not_applicable.append(e)
    records += [{"kind": "vulnerability", "subject": v} for v in case.profile.vulnerabilities]
    records += [{"kind": "answer", "subject": q, "value": a} for q, a in answers.items()]
    profile = {subject: value for condition in observed
               if (value := condition.observe(case.profile)) is not None
               for subject in (condition.subject(),)}
    records += [{"kind": "profile", "subject": subject, "value": value}
                for subject, value in profile.items()]
    return Facts(
        scores=score_values,
        choices=choices,
        points=points,
        vulnerabilities=frozenset(case.profile.vulnerabilities),
        not_applicable=frozenset(not_applicable),
        answers=answers,
        profile=profile,
        records=records,
    )
