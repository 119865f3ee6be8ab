"""The translatable texts of the project development officer's rules: Figure 10's approach
names and explanations, the Conditions Analysis Grid's aspects, every grid question and the
condition it sets, and the community profile's services and indicators that answer a
question. A language file may hold them (``project/question/<id>`` ...); the design note
reads them through the localizer, so ``reintegrate i18n-status`` counts each one a note can
show, and a note's "fell back to English" is never news to it."""

from __future__ import annotations

from collections.abc import Iterator

from engine.model.rulebook import RuleBook

PART = "project"
"""The RuleBook field these texts belong to (the plan's localized copy does not use them)."""

NOTE_SHARED = ("term/categories/", "term/dimensions/", "term/vulnerabilities/",
               "plan/milestone/", "question/")
"""Prefixes of the case rules' texts a design note shows too (with approach and element
names): the categories, needs, grid questions answered from a profile, the W model's low
points."""


def shown_in_notes(key: str, part: str) -> bool:
    """Whether a design note can show this rule text (``engine/project_design/note.py``)."""
    if part == PART or key.startswith(NOTE_SHARED):
        return True
    return key.startswith(("approach/", "element/")) and key.endswith("/name")


def project_slots(book: RuleBook) -> Iterator[tuple[str, str, str, tuple[str | int, ...]]]:
    project = book.project
    for approach in project.complementary.values():
        at = ("complementary", approach.id)
        yield f"complementary/{approach.id}/name", approach.name, PART, (*at, "name")
        yield (f"complementary/{approach.id}/explanation", approach.explanation, PART,
               (*at, "explanation"))
    for aspect in project.aspects.values():
        yield f"project/aspect/{aspect.id}", aspect.name, PART, ("aspects", aspect.id, "name")
    for question in [*(q for entry in project.design.values() for q in entry.questions),
                     *project.common]:
        key = f"project/question/{question.id}"
        yield key, question.text, PART, ("questions", question.id, "text")
        if question.condition:
            yield f"{key}/condition", question.condition, PART, (
                "questions", question.id, "condition")
    yield from _profile_fields(book)


def _profile_fields(book: RuleBook) -> Iterator[tuple[str, str, str, tuple[str | int, ...]]]:
    """The names of the services and indicators (and parts) whose value answers a grid
    question: a note names the one that answered."""
    for rule in book.project.profile_answers:
        for key, english, path in field_texts(book, rule.yes_when.subject()):
            yield key, english, PART, path


def field_texts(book: RuleBook, subject: str) -> list[tuple[str, str, tuple[str | int, ...]]]:
    """The rule texts naming a profile field (``service.ID`` or ``indicator.ID[.PART]``), as
    (key, English, path): a service's name, or an indicator's and its part's. None for a
    field the vocabulary lacks. One place for these keys: the note shows what
    ``i18n-status`` counts."""
    vocabulary = book.project.indicators
    if vocabulary is None:
        return []
    kind, _, rest = subject.partition(".")
    if kind == "service":
        service = next((s for s in vocabulary.services if s.id == rest), None)
        return [(f"project/service/{rest}", service.name, ("services", rest, "name"))] \
            if service else []
    name, _, part_id = rest.partition(".")
    indicator = vocabulary.indicator(name)
    if indicator is None:
        return []
    texts: list[tuple[str, str, tuple[str | int, ...]]] = [
        (f"project/indicator/{name}", indicator.name, ("indicators", name, "name"))]
    part = next((p for p in indicator.parts if p.id == part_id), None)
    if part is not None:
        texts.append((f"project/indicator/{name}/{part.id}", part.name,
                      ("indicators", name, "parts", part.id, "name")))
    return texts
