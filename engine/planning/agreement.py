"""What the returnee and the case manager agreed: the engine advises, they decide.

The case file records the decisions (an approach taken up against the engine's advice, or
one it recommended declined, each with a reason) and the agreed actions (what, by whom,
when, at what cost). This part of the plan sets them beside the engine's advice, totals
the budget per currency, lists the referrals and the signatures, and says what is still
missing before the plan can be signed as final.

Where the case file contradicts the advice without a decision is ``engine.planning.advice``'s
(the pipeline checks it for every case; a plan is refused while it stands).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from engine.case.model import AgreedAction, Decision
from engine.errors import ReintegrateError
from engine.model.services import ServiceEntry
from engine.planning.draft import Section
from engine.planning.plan import (
    ActionLine,
    AgreedApproach,
    BudgetLine,
    DimensionSummary,
    Gap,
    NeedGroup,
    ProviderLine,
    Referral,
    ScoreLine,
    Signatory,
    Standing,
)

TAKEN_UP: frozenset[Standing] = frozenset({"agreed", "accepted_against_advice"})


class NotReadyToSign(ReintegrateError):
    """A final plan was asked for while the case file lacks what one needs."""

    kind = "input"

    def __init__(self, gaps: list[Gap]):
        super().__init__(f"{len(gaps)} things missing for a final plan")
        self.gaps = gaps


class Agreement(Section):
    """The plan's agreed part, drafted from the case file's decisions and actions."""

    def approaches(self) -> list[AgreedApproach]:
        """Every approach recommended or decided on, in the grids' order."""
        decisions = {d.approach: d for d in self.case.decisions}
        actions: defaultdict[str, list[tuple[int, AgreedAction]]] = defaultdict(list)
        for number, action in enumerate(self.case.agreed_actions, start=1):
            actions[action.approach].append((number, action))
        return [self._approach(r.approach, decisions.get(r.approach), actions[r.approach])
                for r in self.assessment.approaches
                if r.status == "recommended" or r.approach in decisions]

    def _approach(self, approach_id: str, decision: Decision | None,
                  actions: list[tuple[int, AgreedAction]]) -> AgreedApproach:
        result = self.results[approach_id]
        entry, approach = self.book.entries[approach_id], self.book.approaches[approach_id]
        return AgreedApproach(
            id=approach_id, name=approach.name, dimension=result.dimension,
            dimension_name=self.index.name("dimensions", result.dimension),
            horizon_name=self.index.horizons[approach_id].name,
            engine_status=result.status,
            engine_modality_name=(self.index.name("modalities", result.modality)
                                  if result.modality else None),
            standing=_standing(result.status == "recommended", decision,
                               any(a.status != "cancelled" for _n, a in actions)),
            reason=decision.reason if decision else None,
            decided_on=decision.decided_on if decision else None,
            actions=[self._action(number, action) for number, action in actions],
            offered_by=[_provider_line(e) for e in self._offering(approach_id)],
            derived="derived" in {entry.provenance, approach.provenance},
            notes=sorted({self.notes.cite(entry), self.notes.cite(approach)}))

    def _offering(self, approach_id: str) -> list[ServiceEntry]:
        """Directory entries of the country of return that deliver the approach and serve
        the place of return (an entry without places serves the whole country)."""
        profile = self.case.profile
        directory = self.book.directory(profile.country_of_return)
        place = profile.place_of_return.casefold()
        return [e for e in directory.serving(approach_id)
                if not e.places or any(p.casefold() in place for p in e.places)
                ] if directory else []

    def _action(self, number: int, action: AgreedAction) -> ActionLine:
        entry = self.book.provider(action.provider) if action.provider else None
        return ActionLine(
            number=number, what=action.what, modality=action.modality,
            modality_name=self.index.name("modalities", action.modality),
            provider=entry and _provider_line(entry),
            starts=action.starts, due=action.due, cost=action.cost,
            contribution=action.contribution, status=action.status)

    def summary(self, scores: list[ScoreLine], needs: list[NeedGroup],
                agreed: list[AgreedApproach]) -> list[DimensionSummary]:
        """One line per score: the dimensions, then the composite (its needs span them)."""
        return [DimensionSummary(
            score=line,
            needs=[n.label or "" for g in needs if g.dimension == line.id for n in g.needs],
            approaches=[a.name for a in agreed if a.dimension == line.id
                        and a.standing in TAKEN_UP])
            for line in scores]

    def budget(self, agreed: list[AgreedApproach]) -> list[BudgetLine]:
        """Estimated cost and the returnee's contribution per currency, cancelled actions
        left out; currencies in order of first use."""
        totals: dict[str, list[Decimal]] = {}
        for action in _live_actions(agreed):
            for slot, money in enumerate((action.cost, action.contribution)):
                if money is not None:
                    totals.setdefault(money.currency, [Decimal(0), Decimal(0)])[slot] += (
                        money.amount)
        return [BudgetLine(currency=c, cost=cost, contribution=contribution)
                for c, (cost, contribution) in totals.items()]

    def referrals(self, agreed: list[AgreedApproach]) -> list[Referral]:
        """Each provider or programme once, with what it delivers in this plan."""
        found: dict[str, Referral] = {}
        for action in _live_actions(agreed):
            if action.provider is not None:
                found.setdefault(action.provider.id, Referral(provider=action.provider,
                                                              assistance=[]))
                found[action.provider.id].assistance.append(action.what)
        return list(found.values())

    @property
    def guardian_required(self) -> bool:
        """Whether a guardian consents and signs (the plan rules say for whom)."""
        return self.outcome.guardian_required

    def signatories(self) -> list[Signatory]:
        case = self.case
        signers = [Signatory(role="returnee", name=case.returnee_id)]
        if self.guardian_required:
            signers.append(Signatory(role="guardian", name=case.guardian))
        if case.interpreter:
            signers.append(Signatory(role="interpreter", name=case.interpreter))
        signers.append(Signatory(role="case_manager", name=case.case_manager))
        return signers

    def gaps(self, agreed: list[AgreedApproach]) -> list[Gap]:
        """What a plan the returnee signs must hold that this case file does not yet."""
        gaps: list[Gap] = []
        for approach in agreed:
            live = [a for a in approach.actions if a.status != "cancelled"]
            if approach.standing in TAKEN_UP | {"to_agree"} and not live:
                gaps.append(Gap(code="no_action", approach=approach.name))
            for action in live:
                if action.starts is None or action.due is None:
                    gaps.append(Gap(code="action_undated", approach=approach.name,
                                    action=action.number))
                if action.cost is None:
                    gaps.append(Gap(code="action_uncosted", approach=approach.name,
                                    action=action.number))
        consent = self.case.consent
        if consent is None:
            gaps.append(Gap(code="no_consent"))
        if self.guardian_required:
            if self.case.guardian is None:
                gaps.append(Gap(code="no_guardian"))
            if consent is not None and consent.given_by != "guardian":
                gaps.append(Gap(code="consent_not_by_guardian"))
        if self.case.case_manager is None:
            gaps.append(Gap(code="no_case_manager"))
        return gaps


def _standing(recommended: bool, decision: Decision | None, has_actions: bool) -> Standing:
    if decision is not None and decision.decision == "decline":
        return "declined"
    if not recommended:
        return "accepted_against_advice"
    return "agreed" if has_actions or decision is not None else "to_agree"


def _provider_line(entry: ServiceEntry) -> ProviderLine:
    return ProviderLine(id=entry.id, name=entry.name, kind=entry.kind, contact=entry.contact,
                        illustrative=entry.illustrative)


def _live_actions(agreed: list[AgreedApproach]) -> list[ActionLine]:
    return [action for approach in agreed if approach.standing in TAKEN_UP
            for action in approach.actions if action.status != "cancelled"]
