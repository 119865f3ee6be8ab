"""The translatable texts of the project development officer's rules: Figure 10's approach
names and explanations and the Conditions Analysis Grid's aspects. A language file may hold
them (``complementary/<id>/name`` ...); the design note reads them through the localizer.
The grids' questions and conditions are not listed yet: a note in another language shows
them in English and says how many fell back."""

from __future__ import annotations

from collections.abc import Iterator

from engine.model.rulebook import RuleBook

PART = "project"
"""The RuleBook field these texts belong to (the plan's localized copy does not use them)."""


def project_slots(book: RuleBook) -> Iterator[tuple[str, str, str, tuple[str | int, ...]]]:
    for approach in book.project.complementary.values():
        at = ("complementary", approach.id)
        yield f"complementary/{approach.id}/name", approach.name, PART, (*at, "name")
        yield (f"complementary/{approach.id}/explanation", approach.explanation, PART,
               (*at, "explanation"))
    for aspect in book.project.aspects.values():
        yield f"project/aspect/{aspect.id}", aspect.name, PART, ("aspects", aspect.id, "name")
