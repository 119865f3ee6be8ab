"""Rule text in the reader's language: a RuleBook whose texts come from a translation.

A key with no translation falls back to English and is counted, so
``reintegrate i18n-status`` can say what is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from engine.loading.translations import english_texts, slots
from engine.model.approaches import Approach
from engine.model.framework import Framework
from engine.model.grids import Question
from engine.model.instrument import Instrument
from engine.model.plan_rules import PlanRules
from engine.model.rulebook import RuleBook
from engine.model.translation import SOURCE_LANGUAGE, Translation
from engine.model.weights import WeightSet


def localized(book: RuleBook, localizer: Localizer) -> RuleBook:
    """The same rules with their texts in the localizer's language (English where missing).

    Only texts change, so the rules version and the identity (and with it the compiled
    rules, the registered ruleset, every kept result) stay the parent's: a translation
    decides nothing.
    """
    if localizer.language == SOURCE_LANGUAGE:
        return book
    dumps: dict[str, Any] = {
        "framework": book.framework.model_dump(),
        "instrument": book.instrument.model_dump(),
        "approaches": {k: v.model_dump() for k, v in book.approaches.items()},
        "questions": {k: v.model_dump() for k, v in book.questions.items()},
        "weight_sets": {k: v.model_dump() for k, v in book.weight_sets.items()},
        "plan": book.plan.model_dump(),
    }
    for key, english, part, path in slots(book):
        if part not in dumps:
            continue  # texts the plan does not show (the project design note reads its own)
        target = dumps[part]
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = localizer.text(key, english)
    return replace(
        book,
        framework=Framework.model_validate(dumps["framework"]),
        instrument=Instrument.model_validate(dumps["instrument"]),
        approaches={k: Approach.model_validate(v) for k, v in dumps["approaches"].items()},
        questions={k: Question.model_validate(v) for k, v in dumps["questions"].items()},
        weight_sets={k: WeightSet.model_validate(v) for k, v in dumps["weight_sets"].items()},
        plan=PlanRules.model_validate(dumps["plan"]),
        content_identity=book.identity,
    )


@dataclass
class Localizer:
    """Rule text in one language, falling back to English and remembering each fallback."""

    language: str
    translation: Translation | None
    missing: set[str] = field(default_factory=set)

    @property
    def reviewed(self) -> bool:
        """Whether a reviewer signed the translation off (English is the source text)."""
        if self.language == SOURCE_LANGUAGE:
            return True
        return self.translation is not None and self.translation.reviewed

    def text(self, key: str, english: str) -> str:
        if self.language == SOURCE_LANGUAGE:
            return english
        found = self.translation.texts.get(key) if self.translation else None
        if found is None:
            self.missing.add(key)
            return english
        return found


@dataclass(frozen=True)
class Coverage:
    language: str
    total: int
    translated: int
    reviewed: bool

    @property
    def missing(self) -> int:
        return self.total - self.translated


def coverage(book: RuleBook, translations: dict[str, Translation]) -> list[Coverage]:
    known = english_texts(book)
    return [Coverage(language, len(known), len(set(t.texts) & set(known)), t.reviewed)
            for language, t in sorted(translations.items())]


def skeleton(book: RuleBook, language: str, existing: Translation | None) -> str:
    """A language file with every key, English as a comment, for translators to fill in."""
    lines = [f"language: {language}", "name: ''", "reviewed: false",
             "source: project translation of the English rule text", "provenance: derived",
             "texts:"]
    for key, english in english_texts(book).items():
        current = existing.texts.get(key) if existing else None
        lines.append(f"  # {' '.join(english.split())}")
        lines.append(f"  {key}: {_quoted(current) if current else ''}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

