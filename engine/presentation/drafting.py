"""Plans in words: a case's outcome (from the one pipeline) laid out and worded in the
chosen language, then rendered.

The outcome is made once, in no language; per language, the rules are copied once with
their texts translated (their identity, and so their compiled form, stays the same), and a
Planner and a Wording are kept for that copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.errors import ArgumentError, Problem
from engine.loading.translations import available_languages, load_translations
from engine.model.rulebook import RuleBook
from engine.model.translation import SOURCE_LANGUAGE
from engine.planning.pipeline import Outcome
from engine.planning.plan import Plan, PlanStatus
from engine.planning.planner import Planner
from engine.presentation.catalogs import gettext_translations
from engine.presentation.localization import Localizer, localized
from engine.presentation.rendering import DocumentKind, Format, render_plan, templates_dir
from engine.presentation.wording import Wording


@dataclass(frozen=True)
class Language:
    """What one language needs: the rules in it, a planner over them and their wording."""

    planner: Planner
    words: Wording
    localizer: Localizer


class Drafter:
    """One per rule book: each language's planner and wording, made at its first use."""

    def __init__(self, book: RuleBook):
        self.book = book
        self.available = available_languages(book)
        self._languages: dict[str, Language] = {}

    @property
    def languages(self) -> list[str]:
        return [SOURCE_LANGUAGE, *sorted(self.available)]

    def language(self, language: str) -> Language:
        if language not in self.languages:
            raise ArgumentError([Problem("--lang", None,  # the user's word, not the rules'
                                         f"no translation for language '{language}'",
                                         hint="use one of: " + ", ".join(self.languages))])
        if language not in self._languages:
            # only the language asked for is read (each is parsed once per rules version)
            translation = (load_translations(self.book, [language]).get(language)
                           if language != SOURCE_LANGUAGE else None)
            localizer = Localizer(language, translation)
            book = localized(self.book, localizer)
            self._languages[language] = Language(
                Planner(book), Wording(book, gettext_translations(templates_dir(), language),
                        language),
                localizer)
        return self._languages[language]

    def draft(self, outcome: Outcome, language: str = SOURCE_LANGUAGE, *,
              status: PlanStatus = "draft", dated: date | None = None) -> Plan:
        """The plan of one case's outcome, in ``language``."""
        return self.language(language).planner.plan(outcome, status=status, dated=dated)

    def render(self, plan: Plan, fmt: Format, language: str = SOURCE_LANGUAGE,
               document: DocumentKind = "plan") -> str | bytes:
        lang = self.language(language)
        return render_plan(plan, fmt, language, lang.words, document,
                           reviewed=lang.localizer.reviewed)

    def untranslated(self, language: str) -> set[str]:
        """Rule-text keys that fell back to English while drafting in ``language``, and the
        office's feedback text when the office wrote none in it (the plan then shows another
        language's: a Spanish plan printed it in English, and nothing said so)."""
        missing = set(self.language(language).localizer.missing)
        if self.book.plan.feedback and language not in self.book.plan.feedback:
            missing.add("office.yaml: feedback")
        return missing
