"""The needs a plan lists: each score below the threshold and each indication that held,
once, with the approaches it led to."""

from __future__ import annotations

from engine.evaluation.results import Evidence
from engine.model.conditions import BY_TAG
from engine.model.framework import COMPOSITE
from engine.planning.draft import Section, need_id
from engine.planning.plan import Need, NeedGroup


class Needs(Section):
    # -- needs -------------------------------------------------------------------------

    def needs(self, urgent_dimensions: set[str]) -> list[NeedGroup]:
        """Every score below the threshold and every indication that holds, once each."""
        found: dict[str, tuple[str | None, tuple[int, int], Need]] = {}
        for score in self.assessment.scores.all():
            if score.value is not None and score.value < self.threshold:
                found[f"score:{score.name}"] = self._score_need(score.name, self.threshold)
        for result in self.assessment.approaches:
            for evidence in self._indications(result):
                key = need_id(evidence)
                if key not in found:
                    found[key] = self._need(evidence)
                need = found[key][2]
                {"recommended": need.addressed_by, "needs_answers": need.pending,
                 "not_appropriate": need.set_aside}[result.status].append(
                    self.approach_name(result))
        groups: list[NeedGroup] = []
        for dimension in [None, *self.book.framework.ids("dimensions")]:
            needs = [need for _dim, _order, need in sorted(
                (v for v in found.values() if v[0] == dimension), key=lambda v: v[1])]
            for need in needs:
                need.urgent = dimension in urgent_dimensions
            if needs:
                groups.append(NeedGroup(dimension=dimension, needs=needs, name=(
                    self.index.name("dimensions", dimension) if dimension else None)))
        return groups

    def _score_need(self, name: str, threshold: float) -> tuple[str | None, tuple[int, int], Need]:
        return (None if name == COMPOSITE else name, (0, 0), Need(
            id=f"score:{name}", kind="score", label=self.dimension_name(name),
            value=self.assessment.scores.value(name), threshold=threshold))

    def _need(self, evidence: Evidence) -> tuple[str | None, tuple[int, int], Need]:
        """The need an indication that held shows, from what it read (its evidence)."""
        fact = BY_TAG[evidence.condition].fact
        if fact == "score":
            return self._score_need(evidence.subject, float(evidence.operand))  # type: ignore[arg-type]
        if fact == "element":
            element = self.index.elements[evidence.subject]
            coded = self.assessment.scores.elements[element.id]
            choice = element.choice(coded.choice) if coded.choice else None
            return (element.dimension, (1, element.number), Need(
                id=f"rss:{element.id}", kind="answer", label=element.name,
                question=element.question, answer=choice.label if choice else None,
                value=coded.points))
        label = (self.index.name("vulnerabilities", evidence.subject)
                 if fact == "vulnerability" else None)
        return (None, (2, 0), Need(id=f"profile:{evidence.subject}", kind="profile",
                                   label=label))
