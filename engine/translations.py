"""Rule text in other languages: one file per language in ``rules/translations/``.

Each translatable text of the rules has a stable key (``question/<id>``,
``approach/<id>/name`` …); a language file maps keys to text. A key with no translation
falls back to English and is counted, so ``reintegrate i18n-status`` can say what is left.
Files the project wrote itself say ``reviewed: false`` until a fluent reviewer signs them off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import StringConstraints, ValidationError

from engine.errors import Problem, RuleErrors
from engine.rule_model import Sourced
from engine.rulebook import RuleBook
from engine.source_file import read_source, yaml_files

Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
SOURCE_LANGUAGE = "en"

FRAMEWORK_TERMS = ("dimensions", "levels", "modalities", "categories", "vulnerabilities",
                   "monitoring_rounds")


class Translation(Sourced):
    language: Language
    name: str
    direction: Literal["ltr", "rtl"]
    reviewed: bool
    texts: dict[str, Annotated[str, StringConstraints(min_length=1)]]


def english_texts(book: RuleBook) -> dict[str, str]:
    """Every translatable text of the rules, by key, in the rules' own language."""
    texts: dict[str, str] = {}
    for term_field in FRAMEWORK_TERMS:
        for term in getattr(book.framework, term_field):
            texts[f"term/{term_field}/{term.id}"] = term.name
    for element in book.instrument.elements:
        texts[f"element/{element.id}/name"] = element.name
        texts[f"element/{element.id}/question"] = element.question
        for choice in element.choices:
            texts.setdefault(f"choice/{choice.name}", choice.label)
    for approach in book.approaches.values():
        texts[f"approach/{approach.id}/name"] = approach.name
        texts[f"approach/{approach.id}/description"] = approach.description
        for index, need in enumerate(approach.useful_for):
            texts[f"approach/{approach.id}/useful_for/{index}"] = need
    for question_id, question in book.questions.items():
        texts[f"question/{question_id}"] = question.text
    return texts


def load_translations(book: RuleBook) -> dict[str, Translation]:
    """Read and check every language file against the keys of the rules."""
    known = english_texts(book)
    translations: dict[str, Translation] = {}
    problems: list[Problem] = []
    for path in yaml_files(book.root / "translations"):
        source = read_source(path)
        if isinstance(source, Problem):
            problems.append(source)
            continue
        try:
            translation = Translation.model_validate(source.data)
        except ValidationError as exc:
            problems += source.validation_problems(exc)
            continue
        if path.stem != translation.language:
            problems.append(source.problem(("language",), f"file {path.name} declares "
                                           f"language '{translation.language}'",
                                           hint=f"name the file {translation.language}.yaml"))
        for key in translation.texts:
            if key not in known:
                problems.append(source.problem(("texts", key), f"unknown text key '{key}'",
                                               key, "keys are listed by 'reintegrate "
                                               "i18n-status --keys'; remove or fix it"))
        translations[translation.language] = translation
    if problems:
        raise RuleErrors(problems)
    return translations


@dataclass
class Localizer:
    """Rule text in one language, falling back to English and remembering each fallback."""

    language: str
    translation: Translation | None
    missing: set[str] = field(default_factory=set)

    @property
    def direction(self) -> str:
        return self.translation.direction if self.translation else "ltr"

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
    lines = [f"language: {language}", "name: ''", "direction: ltr", "reviewed: false",
             "source: project translation of the English rule text", "provenance: derived",
             "texts:"]
    for key, english in english_texts(book).items():
        current = existing.texts.get(key) if existing else None
        lines.append(f"  # {' '.join(english.split())}")
        lines.append(f"  {key}: {_quoted(current) if current else ''}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

