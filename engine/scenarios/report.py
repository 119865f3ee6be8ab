"""Scenario outcomes as plain lines: the same text for the terminal and for pytest.

A failure reads as a diff: where the expectation is written (``file:line``), what it says,
what the engine gave, and the trace of what decided it.
"""

from __future__ import annotations

import gettext
import textwrap

from engine.evaluation.results import ApproachResult, Evidence
from engine.presentation.wording import Wording
from engine.scenarios.comparison import ApproachChange, Difference
from engine.scenarios.handout import PersonaKey, PersonaSheet
from engine.scenarios.impact import MISSING, Impact, RuleChange
from engine.scenarios.running import Mismatch, Outcome
from engine.scenarios.training import Comparison, Explainer


def outcome_lines(outcome: Outcome, width: int = 80) -> list[str]:
    scenario = outcome.scenario
    if outcome.passed:
        return [f"PASS {scenario.id}"]
    count = len(outcome.mismatches)
    lines = [f"FAIL {scenario.id}: {count} expectation{'s' if count != 1 else ''} not met"]
    for mismatch in outcome.mismatches:
        lines += mismatch_lines(mismatch, str(scenario.path), width)
    return lines


def mismatch_lines(mismatch: Mismatch, path: str, width: int = 80) -> list[str]:
    where = f"{path}:{mismatch.line}" if mismatch.line else path
    lines = [f"  {where}: {mismatch.what}",
             f"    - expected: {mismatch.expected}",
             f"    + got:      {mismatch.got}"]
    for index, step in enumerate(mismatch.why):
        lines += textwrap.wrap(step, width - 1, initial_indent="      why: " if index == 0
                               else "           ", subsequent_indent="           ",
                               break_long_words=False, break_on_hyphens=False)
    return lines


def difference_lines(difference: Difference, before: Wording, after: Wording,
                     width: int = 80) -> list[str]:
    """Only what changed: scores old → new, then each approach whose status or modality
    moved, with the reasons each side gives that the other does not and the values read."""
    lines: list[str] = []
    if difference.scores:
        lines.append("Scores that changed:")
        lines += [f"  {after.score_name(s.name):<14} {_number(s.before)} → {_number(s.after)}"
                  for s in difference.scores]
    added, removed = difference.safeguards
    if added or removed:
        lines.append("Safeguards: " + ", ".join([*(f"+ {s}" for s in added),
                                                  *(f"- {s}" for s in removed)]))
    count = len(difference.approaches)
    lines.append(f"Approaches: {count} changed, {difference.unchanged} the same.")
    for change in difference.approaches:
        lines += approach_change_lines(change, before, after, width)
    return lines


def approach_change_lines(change: ApproachChange, before: Wording, after: Wording,
                          width: int = 80) -> list[str]:
    """The approach, each side's outcome with the sentence that decided it (and the
    modality's reason when only the modality moved), then the values read that differ."""
    book = (after if change.after else before).book
    lines = _wrapped(f"{book.approaches[change.approach].name} ({change.approach})", "  ",
                     width)
    for label, words, result, reasons, sign in (
            ("before", before, change.before, change.reasons_before(), "-"),
            ("after ", after, change.after, change.reasons_after(), "+")):
        lines.append(f"    {label}: {_outcome(result, words)}")
        if result is None:
            continue
        said = [words.summary(result)]
        said += [words.reason(result, r) for r in reasons if not change.status_changed
                 and r.code in ("modality_chosen", "no_modality_feasible", "modality_undecided")]
        for sentence in said:
            lines += _wrapped(f"{sign} {sentence}", "      ", width)
    for old, new in change.values_read():
        lines += _wrapped("read: " + _read(old, new, before, after), "      ", width)
    return lines


def _outcome(result: ApproachResult | None, words: Wording) -> str:
    if result is None:
        return "not in these rules"
    status = result.status.replace("_", " ")
    if result.modality:
        status += ", " + words.book.framework.name("modalities", result.modality)
    return status


def _read(old: Evidence | None, new: Evidence | None, before: Wording, after: Wording) -> str:
    if old is None or new is None:
        some = old or new
        words = before if new is None else after
        side = "before only" if new is None else "after only"
        return (f"{words.condition(some)} ← {words.shown(some)}: "  # type: ignore[arg-type]
                f"{some.truth.replace('_', ' ')} ({side})")  # type: ignore[union-attr]
    condition = after.condition(new)
    if before.condition(old) != condition:
        condition = f"{before.condition(old)} → {condition}"
    shown = before.shown(old)
    if after.shown(new) != shown:
        shown = f"{shown} → {after.shown(new)}"
    return (f"{condition} ← {shown}: "
            f"{old.truth.replace('_', ' ')} → {new.truth.replace('_', ' ')}")


def _wrapped(text: str, indent: str, width: int) -> list[str]:
    return textwrap.wrap(text, width - 1, initial_indent=indent,
                         subsequent_indent=indent + "  ", break_long_words=False,
                         break_on_hyphens=False)


def _number(value: float | None) -> str:
    return "no score" if value is None else f"{value:.2f}"


def rule_change_lines(changes: list[RuleChange], width: int = 80) -> list[str]:
    if not changes:
        return ["The rules are the same."]
    lines = [f"What changed in the rules ({len(changes)}):"]
    for change in changes:
        lines.append(f"  {change.kind} {change.id}: {change.change}")
        for item in change.fields:
            lines += _wrapped(f"{item.path}: {_leaf(item.before)} → {_leaf(item.after)}",
                              "    ", width)
    return lines


def impact_lines(impact: Impact, before: Wording, after: Wording, width: int = 80,
                 examples: int = 2) -> list[str]:
    """The rule changes, then per approach how many cases change outcome and how, each
    with examples and the reasons from both traces; cases that could not be compared."""
    lines = rule_change_lines(impact.rules, width)
    counted = [c for c in impact.cases if not c.skipped]
    moved = [c for c in counted if c.changes or c.problem]
    lines.append(f"Outcomes over {len(counted)} cases: {len(moved)} change"
                 f"{'s' if len(moved) == 1 else ''}.")
    for approach, counts in sorted(impact.by_approach().items()):
        total = sum(counts.values())
        lines.append(f"  {approach}: {total} case{'s' if total != 1 else ''} change")
        lines += [f"    {old} → {new}: {count}" for (old, new), count in counts.most_common()]
        for name, change in impact.examples(approach, examples):
            lines.append(f"    e.g. {name}:")
            lines += ["  " + line for line in approach_change_lines(change, before, after,
                                                                    width - 2)[1:]]
    for case in impact.cases:
        if case.problem is not None:
            lines += _wrapped(f"{'skipped' if case.skipped else 'changed'}: {case.problem}",
                              "  ", width)
    return lines


def _leaf(value: object) -> str:
    if value is MISSING:
        return "(absent)"
    if value is None:
        return "(default)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def sheet_lines(sheet: PersonaSheet, phrases: gettext.NullTranslations,
                width: int = 80) -> list[str]:
    """A persona as handed out, for the terminal."""
    _ = phrases.gettext
    lines = [*_wrapped(sheet.title, "", width), sheet.returnee_id, ""]
    lines += [line for item in sheet.profile
              for line in _wrapped(f"{item.question}: {item.answer}", "  ", width)]
    if sheet.goals:
        lines += ["", _("Goals, in the returnee's own words")]
        lines += _wrapped(sheet.goals, "  ", width)
    lines += ["", _("Survey answers")]
    for group in sheet.survey:
        lines.append(f"  {group.name}")
        lines += [line for item in group.answers
                  for line in _wrapped(f"{item.question}: {item.answer}", "    ", width)]
    if sheet.grid:
        lines += ["", _("Answers to the grid questions")]
        lines += [line for item in sheet.grid
                  for line in _wrapped(f"{item.question} {item.answer}", "  ", width)]
    return lines


def key_lines(key: PersonaKey, phrases: gettext.NullTranslations, width: int = 80) -> list[str]:
    """The engine's answer for a persona, with the sentence that decided each approach."""
    _ = phrases.gettext
    statuses = {"recommended": _("Recommended"), "needs_answers": _("Needs answers"),
                "not_appropriate": _("Not appropriate"), "not_indicated": _("No need shown")}
    lines = ["", _("The engine's answer")]
    lines += _wrapped(_("; ").join(f"{s.question} {s.answer}" for s in key.scores), "  ", width)
    lines += _wrapped(f"{_('Safeguards')}: " + (_("; ").join(key.safeguards) or _("None.")),
                      "  ", width)
    for status in ("recommended", "needs_answers", "not_appropriate"):
        if not key.lines[status]:
            continue
        lines.append(f"  {statuses[status]}:")
        for line in key.lines[status]:
            name = line.name + (f" — {line.modality}" if line.modality else "")
            lines += _wrapped(f"- {name}", "    ", width)
            lines += _wrapped(line.why, "      ", width)
    if key.lines["not_indicated"]:
        lines += _wrapped(f"{statuses['not_indicated']}: " + _("; ").join(
            line.name for line in key.lines["not_indicated"]), "  ", width)
    lines += ["", _("Teaching note")]
    lines += _wrapped(key.teaches, "  ", width)
    lines += [line for source in key.sources for line in _wrapped(f"- {source}", "  ", width)]
    return lines


def comparison_lines(comparison: Comparison, explainer: Explainer,
                     width: int = 80) -> list[str]:
    """A trainee's choices against the engine's: each difference and the trace's reasons."""
    lines = _wrapped(explainer.summary(comparison), "", width)
    for difference in comparison.differences:
        lines += _wrapped("- " + explainer.headline(difference), "", width)
        for sentence in explainer.why(difference):
            lines += _wrapped(sentence, "    ", width)
    return lines
