"""The design note in one language: rule text from that language's file (English where it
has none, counted), the note's own words from the templates' catalogs."""

from __future__ import annotations

from engine.errors import ArgumentError, Problem
from engine.loading.translations import available_languages, load_translations
from engine.model.rulebook import RuleBook
from engine.model.translation import SOURCE_LANGUAGE
from engine.presentation.localization import Localizer
from engine.presentation.rendering import Format
from engine.project_design.design import ProjectDesign
from engine.project_design.note import note_view
from engine.project_design.rendering import render_note


def note_in(book: RuleBook, design: ProjectDesign, fmt: Format,
            language: str) -> tuple[str | bytes, set[str]]:
    """The rendered note and the rule-text keys that fell back to English."""
    languages = [SOURCE_LANGUAGE, *sorted(available_languages(book))]
    if language not in languages:
        raise ArgumentError([Problem("--lang", None, f"no translation for language '{language}'",
                                     hint="use one of: " + ", ".join(languages))])
    translation = (load_translations(book, [language]).get(language)
                   if language != SOURCE_LANGUAGE else None)
    localizer = Localizer(language, translation)
    view = note_view(book, design, localizer.text)
    return render_note(view, fmt, language, reviewed=localizer.reviewed), set(localizer.missing)
