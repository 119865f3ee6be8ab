"""Rule text in the reader's language: a RuleBook whose texts come from a translation.

A key with no translation falls back to English and is counted, so
``reintegrate i18n-status`` can say what is left.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field, replace
from typing import Any

from engine.loading.project_texts import PART as PROJECT_PART
from engine.loading.project_texts import shown_in_notes
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
    missing_in: dict[str, int] = field(default_factory=dict)
    """Untranslated rule texts each kind of document can show (``DOCUMENTS``): a plan and
    a design note share some (approach names), and each has its own."""

    @property
    def missing(self) -> int:
        return self.total - self.translated


DOCUMENTS = ("plans", "design notes")


def coverage(book: RuleBook, translations: dict[str, Translation]) -> list[Coverage]:
    """Per language, every rule text any document can show, and how many are missing in
    each kind of document (a design note in Arabic said 52 texts fell back to English
    while this said none: the project grids' texts were not counted)."""
    known = english_texts(book)
    shown: dict[str, set[str]] = {document: set() for document in DOCUMENTS}
    for key, _english, part, _path in slots(book):
        if part != PROJECT_PART:
            shown["plans"].add(key)
        if shown_in_notes(key, part):
            shown["design notes"].add(key)
    return [Coverage(language, len(known), len(set(t.texts) & set(known)), t.reviewed,
                     {document: len(keys - set(t.texts)) for document, keys in shown.items()})
            for language, t in sorted(translations.items())]


def skeleton(book: RuleBook, language: str, existing: Translation | None,
             blanks: bool = True) -> str:
    """A language file with every key, English as a comment, for translators to fill in
    (what ``existing`` says of the language kept: its name, whether reviewed, its source).
    Without ``blanks`` a key with no text is written as a comment, so that the file loads
    as it is (an imported catalog with untranslated entries was refused: "is empty")."""
    lines = [f"language: {language}",
             f"name: {_quoted(existing.name) if existing and existing.name else chr(39) * 2}",
             f"reviewed: {'true' if existing and existing.reviewed else 'false'}",
             f"source: {existing.source if existing else SKELETON_SOURCE}",
             f"provenance: {existing.provenance if existing else 'derived'}", "texts:"]
    for key, english in english_texts(book).items():
        current = existing.texts.get(key) if existing else None
        lines.append(f"  # {' '.join(english.split())}")
        if current or blanks:
            lines.append(f"  {key}: {_quoted(current) if current else ''}")
        else:
            lines.append(f"  # {key}:")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'



SKELETON_SOURCE = "project translation of the English rule text"
PO_META = "reintegrate-translation: "
"""The header comment line of an exported catalog that carries the language file's own
fields (name, reviewed, source, provenance), so an import loses nothing."""


def to_po(book: RuleBook, language: str, existing: Translation | None) -> bytes:
    """The rule texts of ``language`` as a gettext catalog for Weblate, Poedit or Crowdin:
    one entry per text, its key as the context, the English as msgid, the translation (or
    nothing) as msgstr."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    catalog = Catalog(locale=language, domain="rules", project="reintegrate rules",
                      fuzzy=False)
    meta = {"name": existing.name if existing else "",
            "reviewed": bool(existing and existing.reviewed),
            "source": existing.source if existing else SKELETON_SOURCE,
            "provenance": existing.provenance if existing else "derived"}
    catalog.header_comment = (f"# Rule texts of reintegrate in '{language}'.\n"
                              f"# {PO_META}{json.dumps(meta, ensure_ascii=False)}")
    for key, english in english_texts(book).items():
        found = existing.texts.get(key, "") if existing else ""
        catalog.add(english, found, context=key, auto_comments=[key])
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False)
    return buffer.getvalue()


def from_po(book: RuleBook, data: bytes) -> tuple[str, str]:
    """A language file (its language and its text) from a catalog made by ``to_po``: every
    translated entry by its key, the language file's own fields from the header. ValueError
    naming an entry whose key the rules do not have."""
    from babel.messages.pofile import read_po
    try:
        catalog = read_po(io.BytesIO(data))
    except UnicodeDecodeError:
        raise ValueError("not a gettext catalog in UTF-8") from None
    if catalog.locale is None:
        raise ValueError("the catalog's header names no language (a line \"Language: fr\")")
    language = catalog.locale.language  # Poedit and Weblate may write fr_FR: the rules' fr
    known = english_texts(book)
    texts: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        if message.context not in known:
            raise ValueError(f"entry '{message.context}' is not a rule text of these rules")
        if message.string:
            texts[message.context] = message.string
    meta: dict[str, Any] = {}
    for line in (catalog.header_comment or "").splitlines():
        if PO_META in line:
            meta = json.loads(line.split(PO_META, 1)[1])
    translation = Translation(language=language, name=meta.get("name", ""),
                              reviewed=meta.get("reviewed", False),
                              source=meta.get("source", SKELETON_SOURCE),
                              provenance=meta.get("provenance", "derived"), texts=texts)
    return language, skeleton(book, language, translation, blanks=False)
