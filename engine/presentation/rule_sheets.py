"""One rule as a person reads it: an RSS element, a grid question or an approach.

A sheet holds the rule's data (text, choices, levels, thresholds, where it is used) and,
for every part, where it comes from; a derived part says it is the project's guidance, so
nobody takes it for IOM's. Thresholds are shown as the engine compiled them, framework
defaults filled in.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from engine.evaluation.checks import compiled
from engine.model.base import Sourced
from engine.model.checks import Check
from engine.model.grids import Criterion
from engine.model.instrument import Element
from engine.model.rulebook import RuleBook

DERIVED_NOTE = "project guidance, not official IOM guidance"
OPERATORS = {"lt": "below", "in": "one of", "eq": "is", "present": "present"}


@dataclass
class Origin:
    """Where one part of a rule comes from."""

    part: str
    provenance: str
    source: str

    @property
    def note(self) -> str:
        return f"derived: {DERIVED_NOTE}" if self.provenance == "derived" else self.provenance


@dataclass
class RuleSheet:
    kind: str
    id: str
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)

    def add(self, label: str, value: str | None) -> None:
        if value:
            self.fields.append((label, value))

    def origin(self, part: str, rule: Sourced) -> None:
        self.origins.append(Origin(part, rule.provenance, rule.source))


def rule_ids(book: RuleBook) -> dict[str, list[str]]:
    """Every id ``rules show`` knows, by kind (grid questions by grid file)."""
    kinds: dict[str, list[str]] = {"RSS elements": [e.id for e in book.instrument.elements]}
    for question_id, path in book.question_files.items():
        kinds.setdefault(f"grid questions, {path.stem}", []).append(question_id)
    kinds["approaches"] = list(book.approaches)
    return kinds


def similar_ids(book: RuleBook, wanted: str) -> list[str]:
    every = [i for ids in rule_ids(book).values() for i in ids]
    return difflib.get_close_matches(wanted, every, n=3, cutoff=0.6)


def rule_sheets(book: RuleBook, rule_id: str) -> list[RuleSheet]:
    """The sheets of every rule with this id (one, unless two kinds share an id)."""
    sheets = []
    element = book.instrument.element(rule_id)
    if element is not None:
        sheets.append(_element_sheet(book, element))
    if rule_id in book.questions:
        sheets.append(_question_sheet(book, rule_id))
    if rule_id in book.approaches:
        sheets.append(_approach_sheet(book, rule_id))
    return sheets


def check_text(check: Check) -> str:
    """A compiled check in ids: ``score economic below 0.50``."""
    operand = check.operand
    shown = (", ".join(operand) if isinstance(operand, tuple)
             else f"{operand:.2f}" if isinstance(operand, float) else operand or "")
    reads = f"{check.kind} {check.subject}"
    if check.field and check.field != "value":
        reads += f" {check.field}"
    return f"{reads} {OPERATORS[check.op]} {shown}".rstrip()


def _element_sheet(book: RuleBook, element: Element) -> RuleSheet:
    framework = book.framework
    indicator = next(i for i in book.instrument.indicators if i.id == element.indicator)
    sheet = RuleSheet("RSS element", element.id, f"{element.number}. {element.name}")
    sheet.add("dimension", f"{framework.name('dimensions', element.dimension)} "
                           f"({element.dimension})")
    sheet.add("indicator", f"{indicator.name} ({indicator.id})")
    sheet.add("question", element.question)
    _answerer(book, sheet, book.instrument.answered_by)
    for choice in element.choices:
        coded = (f"{choice.points:.2f} points" if choice.points is not None
                 else f"missing answer ({choice.missing}), never scored")
        sheet.add("choice", f"{choice.name} = {choice.label}: {coded}")
    for weight_set in book.weight_sets.values():
        weight = weight_set.weights.get(element.id)
        if weight is not None:
            sheet.add("weight", f"{weight_set.id}: {weight.dimension:.4f} of the dimension, "
                                f"{weight.composite:.4f} of the composite")
    for check in compiled(book).checks:
        if check.kind == "element" and check.subject == element.id:
            sheet.add("indicates", f"{check.rule_id.split('/', 1)[0]} if {check_text(check)}")
    sheet.origin("element", element)
    if element.scale:
        sheet.origin(f"scale {element.scale}", book.instrument.scales[element.scale])
    _answerer_origin(book, sheet, book.instrument.answered_by)
    return sheet


def _question_sheet(book: RuleBook, question_id: str) -> RuleSheet:
    question = book.questions[question_id]
    sheet = RuleSheet("grid question", question_id, question.text)
    sheet.add("grid", book.question_files[question_id].name)
    sheet.add("seed text", question.seed_text)
    _answerer(book, sheet, question.answered_by)
    for entry in book.entries.values():
        for level, criterion in entry.criteria.items():
            if isinstance(criterion, Criterion):
                for use in criterion.questions:
                    if use.question == question_id:
                        sheet.add("used by", f"{entry.approach}: {level} criterion "
                                             f"({criterion.combine}), supports if {use.supports}")
        for option in entry.feasibility:
            for answer in option.when:
                if answer.question == question_id:
                    sheet.add("used by", f"{entry.approach}: modality {option.modality} "
                                         f"if {answer.answer}")
    sheet.origin("question", question)
    _answerer_origin(book, sheet, question.answered_by)
    return sheet


def _approach_sheet(book: RuleBook, approach_id: str) -> RuleSheet:
    approach = book.approaches[approach_id]
    entry = book.entries[approach_id]
    framework = book.framework
    sheet = RuleSheet("approach", approach_id, approach.name)
    sheet.add("dimension", f"{framework.name('dimensions', approach.dimension)} "
                           f"({approach.dimension})")
    sheet.add("category", f"{framework.name('categories', approach.category)} "
                          f"({approach.category})")
    sheet.add("description", approach.description)
    for need in approach.useful_for:
        sheet.add("useful for", need)
    sheet.add("indicators", ", ".join(approach.indicators))
    checks = [c for c in compiled(book).checks
              if c.rule_id.startswith(f"{approach_id}/indicated/")]
    for check in checks:
        sheet.add("indicated if", check_text(check))
    for level in framework.ids("levels"):
        criterion = entry.criteria.get(level)
        if isinstance(criterion, Criterion):
            asked = ", ".join(f"{use.question} = {use.supports}" for use in criterion.questions)
            sheet.add(f"{level} ({criterion.combine})", asked)
        elif criterion is not None:
            sheet.add(level, "not applicable")
    for number, option in enumerate(entry.feasibility, 1):
        when = ", ".join(f"{answer.question} = {answer.answer}" for answer in option.when)
        sheet.add(f"modality {number}", f"{option.modality} if {when}")
    sheet.origin("approach", approach)
    sheet.origin("grid entry", entry)
    return sheet


def _answerer(book: RuleBook, sheet: RuleSheet, answerer: str | None) -> None:
    if answerer is None:
        sheet.add("answered by", "not stated in the rules")
        return
    term = next(t for t in book.framework.answerers if t.id == answerer)
    sheet.add("answered by", f"{term.name} ({term.id})")


def _answerer_origin(book: RuleBook, sheet: RuleSheet, answerer: str | None) -> None:
    """Who answers is the project's reading of a question, whatever the question's origin."""
    term = next((t for t in book.framework.answerers if t.id == answerer), None)
    if term is not None:
        sheet.origin("'answered by'", term)
