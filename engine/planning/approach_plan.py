"""The approaches a plan carries: the recommended ones by dimension and horizon, the
questions still to ask, and the approaches set aside with why."""

from __future__ import annotations

from engine.evaluation.results import ApproachResult
from engine.planning.asking import next_questions
from engine.planning.draft import Section, need_id
from engine.planning.plan import (
    AnsweredQuestion,
    AnswererGroup,
    ApproachQuestions,
    DimensionPlan,
    HorizonGroup,
    LevelAnswers,
    NeedGroup,
    OpenQuestion,
    PlannedApproach,
    QuestionGroup,
    SetAside,
)

SET_ASIDE = ("not_appropriate", "not_indicated")


class Approaches(Section):
    # -- approaches --------------------------------------------------------------------

    def dimensions(self, needs: list[NeedGroup]) -> list[DimensionPlan]:
        labels = {n.id: n.label for g in needs for n in g.needs}
        recommended = [r for r in self.assessment.approaches if r.status == "recommended"]
        return [
            DimensionPlan(id=d, name=self.index.name("dimensions", d), approaches=[
                self.approach(r, labels) for r in recommended if r.dimension == d])
            for d in self.book.framework.ids("dimensions")
            if any(r.dimension == d for r in recommended)
        ]

    def approach(self, result: ApproachResult, labels: dict[str, str | None]) -> PlannedApproach:
        horizon = self.index.horizons[result.approach]
        modality = result.modality
        return PlannedApproach(
            id=result.approach, name=self.approach_name(result),
            description=self.book.approaches[result.approach].description,
            horizon=horizon.id, horizon_name=horizon.name, modality=modality,
            modality_name=self.index.name("modalities", modality) if modality else None,
            fill_in=self.index.fill_ins[modality] if modality else None,
            result=result,
            shown_by=list(dict.fromkeys(labels[need_id(e)]
                                        for e in self._indications(result))),
            levels=[LevelAnswers(level=level.level, name=self.index.name("levels", level.level),
                                 outcome=level.outcome,
                                 questions=[AnsweredQuestion(
                                     text=self.book.questions[q.question].text, answer=q.answer)
                                            for q in level.questions])
                    for level in result.trace.levels],  # type: ignore[union-attr]
            derived=self._derived(result), notes=self._cite(result))

    def _cite(self, result: ApproachResult) -> list[int]:
        """The grid entry that decided, then the approach's own description."""
        return sorted({self.notes.cite(self.book.entries[result.approach]),
                       self.notes.cite(self.book.approaches[result.approach])})

    def _derived(self, result: ApproachResult) -> bool:
        """A recommendation is IOM's only if both its grid entry and its approach are
        verbatim."""
        return "derived" in {self.book.entries[result.approach].provenance,
                             self.book.approaches[result.approach].provenance}

    def horizons(self, dimensions: list[DimensionPlan]) -> list[HorizonGroup]:
        planned = [a for d in dimensions for a in d.approaches]
        return [HorizonGroup(id=h.id, name=h.name, note=self.notes.cite(h),
                             approaches=[a.name for a in planned if a.horizon == h.id])
                for h in self.rules.planning.horizons
                if any(a.horizon == h.id for a in planned)]

    def open_questions(self) -> list[QuestionGroup]:
        """Each question still to ask once (``engine.planning.asking``, every approach not
        set aside or declined), under the dimension of the first approach waiting on it."""
        asked = next_questions(self.book, self.outcome, everything=True).questions
        dimension_of = {q.id: self.results[q.approaches[0]].dimension for q in asked}
        return [QuestionGroup(dimension=d, name=self.index.name("dimensions", d), questions=[
                    OpenQuestion(kind=q.kind, id=q.id, text=q.text, answered_by=q.answered_by,
                                 approaches=[self.approach_name(self.results[a])
                                             for a in q.approaches])
                    for q in asked if dimension_of[q.id] == d])
                for d in self.book.framework.ids("dimensions")
                if d in dimension_of.values()]

    def by_answerer(self, groups: list[QuestionGroup]) -> list[AnswererGroup]:
        """The same open questions for the worksheet: by who can answer them (in the
        framework's order, unassigned last), then by the first approach waiting on each."""
        found = []
        for who, mine in self.book.framework.by_answerer(
                q for group in groups for q in group.questions):
            approaches = list(dict.fromkeys(q.approaches[0] for q in mine))
            found.append(AnswererGroup(
                answerer=who, name=self.index.name("answerers", who) if who else None,
                approaches=[ApproachQuestions(approach=a, questions=[
                    q for q in mine if q.approaches[0] == a]) for a in approaches]))
        return found

    def set_aside(self) -> list[SetAside]:
        """Cited by the grid entry that set each aside (its description is not shown)."""
        aside = sorted((r for r in self.assessment.approaches if r.status in SET_ASIDE),
                       key=lambda r: SET_ASIDE.index(r.status))
        return [SetAside(id=r.approach, name=self.approach_name(r),
                         status=r.status,  # type: ignore[arg-type]
                         dimension=self.index.name("dimensions", r.dimension), result=r,
                         derived=self.book.entries[r.approach].provenance == "derived",
                         notes=[self.notes.cite(self.book.entries[r.approach])])
                for r in aside]
