"""Why an approach got its status, as reason codes with the rule ids behind them.

The decision (``engine.evaluation.decision``) settles the status; these read its traced
parts afterwards, so a result can say what decided it without the decision's walk knowing
how it is worded (the documents word the codes in each language).
"""

from __future__ import annotations

from engine.evaluation.results import Evidence, LevelOutcome, ModalityOutcome, Reason, Status


def _ids(items: object) -> tuple[str, ...]:
    return tuple(item.rule_id for item in items)  # type: ignore[attr-defined]


def reasons_of(status: Status, evidence: tuple[Evidence, ...], levels: tuple[LevelOutcome, ...],
               options: tuple[ModalityOutcome, ...], modality: str | None
               ) -> tuple[Reason, ...]:
    """Every step that led to the status, as codes with the rule ids behind them."""
    if status == "not_indicated":
        return (Reason("no_need_shown", _ids(evidence)),)
    held = [e for e in evidence if e.truth == "holds"]
    reasons = [Reason("indicated", _ids(held)) if held else
               Reason("need_unknown", _ids(e for e in evidence if e.truth == "unknown"))]
    reasons += [_level_reason(level) for level in levels if level.outcome in ("failed", "open")]
    if status == "recommended":
        reasons.append(Reason("appropriate_all_levels"))
        if modality:
            chosen = next(o for o in options if o.modality == modality)
            reasons.append(Reason("modality_chosen", _ids(chosen.questions), modality=modality))
        elif all(o.outcome == "not_feasible" for o in options):
            reasons.append(Reason("no_modality_feasible"))
        else:
            reasons.append(Reason("modality_undecided"))
    return tuple(reasons)


def _level_reason(level: LevelOutcome) -> Reason:
    """Why a level failed (the answers against) or what is still to ask there."""
    if level.outcome == "failed":
        return Reason("level_failed", _ids(q for q in level.questions if q.outcome == "against"),
                      level=level.level)
    return Reason("level_open", _ids(q for q in level.questions if q.outcome == "open"),
                  level=level.level)


def summary_of(status: Status, evidence: tuple[Evidence, ...],
               levels: tuple[LevelOutcome, ...]) -> Reason:
    """The one step that decided the status."""
    held = _ids(e for e in evidence if e.truth == "holds")
    if status == "not_appropriate":
        return _level_reason(next(lv for lv in levels if lv.outcome == "failed"))
    if status == "needs_answers":
        return Reason("questions_open", held)
    if status == "recommended":
        return Reason("recommended", held)
    return Reason("no_need_shown", _ids(evidence))
