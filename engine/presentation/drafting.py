"""The plan's front door: a case file in, a plan in the chosen language out.

The rules are copied into the language once (their text only, so the rules version and
the compiled rules stay the same), and the reasons are worded from the same catalog as
the templates; an Assessor and a Planner are kept per language.
"""

from __future__ import annotations

from datetime import date

from engine.case.model import Case
from engine.errors import Problem, ProblemsFound
from engine.evaluation.assessment import Assessment, Assessor
from engine.loading.translations import available_languages, load_translations
from engine.model.rulebook import RuleBook
from engine.model.translation import SOURCE_LANGUAGE
from engine.model.weights import WeightSet
from engine.planning.plan import Plan, Planner, PlanStatus
from engine.presentation.catalogs import gettext_translations
from engine.presentation.localization import Localizer, localized
from engine.presentation.rendering import templates_dir


class Drafter:
    def __init__(self, book: RuleBook, weight_set: WeightSet | None = None):
        self.book = book
        self.weight_set = weight_set or book.weight_set("default")
        self.available = available_languages(book)
        self._tools: dict[str, tuple[Assessor, Planner, Localizer]] = {}

    @property
    def languages(self) -> list[str]:
        return [SOURCE_LANGUAGE, *sorted(self.available)]

    def _in(self, language: str) -> tuple[Assessor, Planner, Localizer]:
        if language not in self.languages:
            raise ProblemsFound([Problem(self.book.root / "translations", None,
                                         f"no translation for language '{language}'",
                                         hint="use one of: " + ", ".join(self.languages))])
        if language not in self._tools:
            # only the language asked for is read (each is parsed once per rules version)
            translation = (load_translations(self.book, [language]).get(language)
                           if language != SOURCE_LANGUAGE else None)
            localizer = Localizer(language, translation)
            book = localized(self.book, localizer)
            phrases = gettext_translations(templates_dir(), language)
            weight_set = book.weight_sets.get(self.weight_set.id, self.weight_set)
            self._tools[language] = (Assessor(book, weight_set, phrases), Planner(book),
                                     localizer)
        return self._tools[language]

    def assess(self, case: Case, language: str = SOURCE_LANGUAGE) -> Assessment:
        return self._in(language)[0].assess(case)

    def draft(self, case: Case, language: str = SOURCE_LANGUAGE, *,
              status: PlanStatus = "draft", dated: date | None = None) -> Plan:
        assessor, planner, _localizer = self._in(language)
        return planner.plan(case, assessor.assess(case), status=status, dated=dated)

    def untranslated(self, language: str) -> set[str]:
        """Rule-text keys that fell back to English while drafting in ``language``."""
        return set(self._in(language)[2].missing)
