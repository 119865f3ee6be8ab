"""What protects the returnee: the safeguards the profile triggers, the follow-up
schedule, and the consent clauses."""

from __future__ import annotations

from datetime import date

from engine.model.conditions import Condition
from engine.model.safeguards import Safeguard
from engine.planning.dates import Dates, dates_of
from engine.planning.draft import Section
from engine.planning.plan import (
    ConsentLine,
    ConsentSection,
    NeedGroup,
    PlannedAction,
    PlannedSafeguard,
    ScheduleItem,
    Trigger,
)


class Protection(Section):
    # -- safeguards, schedule, consent -------------------------------------------------

    def safeguard(self, safeguard: Safeguard, held: list[Condition],
                  needs: list[NeedGroup]) -> PlannedSafeguard:
        returned = self.case.profile.date_of_return
        results = self.results
        return PlannedSafeguard(
            id=safeguard.id, name=safeguard.name, comes_first=safeguard.comes_first,
            triggers=[self._trigger(c) for c in held],
            note=self.notes.cite(safeguard),
            actions=[PlannedAction(
                id=a.id, text=a.text, fill_in=a.fill_in,
                dates=self._agreed_period(a.approach) or (
                    dates_of(a.timing, returned) if a.timing else None),
                urgent_needs=[n.label or "" for g in needs if g.dimension in a.flags_needs_in
                              for n in g.needs],
                approach=self.approach_name(results[a.approach]) if a.approach else None,
                approach_status=results[a.approach].status if a.approach else None,
                note=self.notes.cite(a))
                for a in safeguard.actions])

    def _agreed_period(self, approach: str | None) -> Dates | None:
        """The period the case file agreed for the approach carrying a safeguard's step,
        once it is dated: the plan then shows that one period everywhere, not the rule's
        default beside it."""
        for action in self.case.agreed_actions:
            if (approach is not None and action.approach == approach
                    and action.status != "cancelled" and action.starts and action.due):
                return Dates(kind="period", start=action.starts, end=action.due)
        return None

    def _trigger(self, condition: Condition) -> Trigger:
        kind, value = condition.trigger(self.case.profile)
        if kind == "vulnerability":
            return Trigger(kind=kind, label=self.index.name("vulnerabilities",
                                                            condition.subject()))
        return Trigger(kind=kind, value=value)

    def schedule(self, safeguards: list[PlannedSafeguard], dated: date) -> list[ScheduleItem]:
        """The follow-up milestones and the safeguards' dated steps, by when each is due."""
        returned = self.case.profile.date_of_return
        items = [(m.id, m.name, dates_of(m.timing, returned), "follow_up", self.notes.cite(m),
                  m.met_by_final_plan) for m in self.rules.schedule.milestones]
        items += [(f"{s.id}.{a.id}", a.text, a.dates, "safeguard", a.note, False)
                  for s in safeguards for a in s.actions if a.dates]
        planned = [ScheduleItem(id=i, name=name, dates=dates, kind=kind,  # type: ignore[arg-type]
                                passed=dates.end < dated, note=note, met_by_final_plan=met)
                   for i, name, dates, kind, note, met in items]
        return sorted(planned, key=lambda i: (i.dates.end, i.dates.start or i.dates.end))

    def consent(self) -> ConsentSection:
        """Who consented, to what and when; for a child, the guardian's consent and whether
        the child's view was heard (003, child-rights article)."""
        rules = self.rules.consent
        given = self.case.consent
        child = self.outcome.guardian_required
        return ConsentSection(
            recorded=given is not None, recorded_on=given.recorded_on if given else None,
            given_by=given.given_by if given else None, for_child=child,
            guardian=self.case.guardian if child else None,
            guardian_text=rules.guardian.text if child else None,
            guardian_note=self.notes.cite(rules.guardian) if child else None,
            child_view_heard=given.child_view_heard if given and child else None,
            principle_name=rules.principle.name, principle=rules.principle.text,
            principle_note=self.notes.cite(rules.principle),
            feedback=dict(self.rules.feedback),
            lines=[ConsentLine(consent=c.consent, what=c.what, with_whom=c.with_whom,
                               if_not_given=c.if_not_given,
                               given=getattr(given, c.consent) if given else None,
                               note=self.notes.cite(c))
                   for c in rules.clauses])
