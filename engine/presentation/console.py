"""Results as terminal tables: readable at 80 columns, with names rather than ids.

Rule ids appear where a reviewer needs them (``explain``), on lines of their own, so a
narrow terminal never cuts one in the middle; every number is rounded as the plan prints it.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from engine.case.model import Decision
from engine.evaluation.assessment import Assessment
from engine.evaluation.results import ApproachResult, Evidence
from engine.evaluation.scoring import Scores
from engine.model.rulebook import RuleBook
from engine.presentation.text_safety import returnee_lines
from engine.presentation.wording import Wording

STATUS_STYLE = {"recommended": "green", "needs_answers": "yellow",
                "not_appropriate": "red", "not_indicated": "dim"}
STATUS_WORDS = {"recommended": "recommended", "needs_answers": "needs answers",
                "not_appropriate": "not appropriate", "not_indicated": "not indicated"}


def number(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _status(status: str) -> Text:
    return Text(STATUS_WORDS[status], style=STATUS_STYLE[status])


def scores_table(scores: Scores, returnee_id: str, words: Wording) -> Table:
    official = "" if scores.weight_set_official else ", not the official IOM weights"
    table = Table(title=Text(f"RSS scores for {returnee_id} (weights: {scores.weight_set}"
                             f"{official})"))
    table.add_column("score", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("answered", justify="right", no_wrap=True)
    table.add_column("note")
    for item in scores.all():
        table.add_row(words.score_name(item.name), number(item.value),
                      f"{item.coverage:.0%} ({item.answered}/{item.applicable})",
                      words.missing_score(item, scores.min_coverage) or "")
    return table


def recommendations_table(assessment: Assessment, book: RuleBook, words: Wording) -> Table:
    table = Table(title=f"Approaches (rules {assessment.rules_version})", show_lines=True,
                  expand=True)
    table.add_column("approach", ratio=3)
    table.add_column("status", width=max(map(len, STATUS_WORDS.values())), no_wrap=True)
    modalities = [book.framework.name("modalities", m) for m in book.framework.ids("modalities")]
    # as wide as its longest word: at 80 columns "reintegration" was cut to "reintegrat…"
    table.add_column("modality", ratio=2,  # with a ratio, rich takes width as the minimum
                     width=max(len(word) for name in modalities for word in name.split()))
    table.add_column("why", ratio=4)
    order = list(STATUS_STYLE)
    for result in sorted(assessment.approaches, key=lambda a: (order.index(a.status),
                                                               a.dimension, a.approach)):
        modality = (book.framework.name("modalities", result.modality)
                    if result.modality else "")
        table.add_row(Text(book.approaches[result.approach].name), _status(result.status),
                      Text(modality), Text(words.summary(result)))
    return table


def decision_line(decision: Decision, book: RuleBook) -> Text:
    """A decision the case file records, after the engine's advice it may go against."""
    verb = "taken up" if decision.decision == "accept" else "declined"
    text = Text.assemble(("Decided in the case file: ", "bold"),
                         f"{book.approaches[decision.approach].name} {verb}")
    if decision.decided_on:
        text.append(f" on {decision.decided_on.isoformat()}")
    if decision.reason:
        # cleaned, not isolated: a terminal shows the isolate characters as boxes
        text.append(f". Reason: {' '.join(returnee_lines(decision.reason))}")
    return text


def explanation(result: ApproachResult, book: RuleBook, words: Wording,
                rules_version: str) -> Iterator[RenderableType]:
    """Everything that decided one approach, in the order a reviewer checks it."""
    approach = book.approaches[result.approach]
    yield Text.assemble((approach.name, "bold"), f" ({result.approach}) — ",
                        book.framework.name("dimensions", result.dimension), ", ",
                        book.framework.name("categories", result.category))
    status = Text("Status: ").append(_status(result.status))
    if result.modality:
        status.append(f", modality {book.framework.name('modalities', result.modality)}")
    yield status
    for reason in words.reasons(result):
        yield Text(f"  • {reason}")
    if result.trace is None:
        return
    yield _indication_table(result.trace.indication, words)
    table = Table(title="Appropriateness by level", show_lines=True)
    for column, ratio in (("level", 1), ("question", 4), ("answer", 1), ("needs", 1),
                          ("outcome", 1)):
        table.add_column(column, ratio=ratio)
    for level in result.trace.levels:
        name = book.framework.name("levels", level.level)
        if level.outcome == "not_applicable":
            table.add_row(name, "n/a", "", "", "satisfied (n/a)")
        for question in level.questions:
            table.add_row(f"{name} ({level.combine}: {level.outcome})",
                          Text(words.question(question.question)), question.answer or "—",
                          question.supports, question.outcome)
    yield table
    table = Table(title="Feasibility (first feasible option in order)", show_lines=True)
    table.add_column("modality", ratio=1)
    table.add_column("questions", ratio=4)
    table.add_column("outcome", ratio=1)
    for option in result.trace.feasibility:
        asked = "; ".join(f"{words.question(q.question)} [{q.answer or '—'}; needs {q.supports}]"
                          for q in option.questions)
        table.add_row(book.framework.name("modalities", option.modality), Text(asked),
                      option.outcome)
    yield table
    yield Text("Rule ids that held:")
    yield from (Text(f"  {rule_id}") for rule_id in result.rule_ids or ("none",))
    entry = book.entries[result.approach]
    for label, origin in (("Approach", approach), ("Grid entry", entry)):
        note = "" if origin.provenance == "verbatim" else " — project guidance, not IOM's"
        yield Text(f"{label}: {origin.provenance}{note}; source: {origin.source}")
    yield Text(f"Rules version: {rules_version}")


def _indication_table(indication: tuple[Evidence, ...], words: Wording) -> Table:
    table = Table(title="Indication (any condition suffices)", show_lines=True)
    table.add_column("#", no_wrap=True)
    table.add_column("condition", ratio=4)
    table.add_column("value", ratio=2)
    table.add_column("result", ratio=1)
    for index, item in enumerate(indication):
        table.add_row(str(index), Text(words.condition(item)), Text(words.shown(item)),
                      item.truth.replace("_", " "))
    return table
