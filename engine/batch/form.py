"""The RSS as a field form: every question a KoboToolbox or ODK form asks, in the case's terms.

One description serves both directions: ``reintegrate xlsform`` writes it as an XLSForm,
and the Kobo reader maps an export's columns and values back onto it. Names are the rules'
ids (an element id, a grid question id, a profile field of the case file), so a form made
here needs no column mapping when its export comes back.

The returnee's profile is asked first (the grids and the report need it); its words are
the project's own, marked for the message catalogs; every other text is a rule text in the
rules' translations.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from annotated_types import Ge, Le

from engine.case.model import RETURNEE_ID_PATTERN, Household, Profile
from engine.errors import ArgumentError, Problem
from engine.model.conditions import N_, Condition
from engine.model.framework import Framework
from engine.model.rulebook import RuleBook

FieldKind = Literal["text", "integer", "date", "select_one", "select_multiple"]
Role = Literal["profile", "element", "grid"]
Texts = Callable[[str, str], str]
"""(rule text key, English text) -> the text in one language."""
Phrases = Callable[[str], str]
"""A project phrase (English) -> the phrase in one language."""

VULNERABILITIES = "vulnerabilities"
"""The profile field of the returnee's flags (a select-multiple), as the case file names it."""
YES_NO = ("yes", "no")
"""The answers of a grid question (``engine.case.model.Answer``)."""

SEX_WORDS = {"female": N_("Female"), "male": N_("Male"), "other": N_("Other"),
             "not_stated": N_("Not stated")}
"""The words shown for ``Profile.sex``; a test checks they are the model's values."""


@dataclass(frozen=True)
class Option:
    name: str
    labels: dict[str, str]
    """The option's label by language code."""


@dataclass(frozen=True)
class FormField:
    name: str
    kind: FieldKind
    role: Role
    group: str
    labels: dict[str, str]
    required: bool
    options: tuple[Option, ...] = ()
    list_name: str | None = None
    asked_if: Condition | None = None
    """Asked only when this holds for the row's profile (an element's ``asked_if``)."""
    bounds: tuple[int | None, int | None] = (None, None)
    """Least and greatest value of an integer, from the case model."""
    pattern: str | None = None
    """A text's regular expression, from the case model."""

    def option_names(self) -> list[str]:
        return [o.name for o in self.options]


@dataclass(frozen=True)
class Group:
    name: str
    labels: dict[str, str]
    fields: list[FormField] = field(default_factory=list)


@dataclass(frozen=True)
class Form:
    """The form in the given languages (the first is the default)."""

    languages: list[str]
    language_names: dict[str, str]
    groups: list[Group]

    def fields(self) -> list[FormField]:
        return [f for g in self.groups for f in g.fields]


def rss_form(book: RuleBook, languages: list[str], names: dict[str, str],
             texts: dict[str, Texts], phrases: dict[str, Phrases],
             grids: list[str] = ()) -> Form:  # type: ignore[assignment]
    """The profile, the RSS one group per dimension, and the grid questions of ``grids``
    (dimension ids), labelled in each of ``languages`` by ``texts`` and ``phrases``."""
    def rule(key: str, english: str) -> dict[str, str]:
        return {lang: texts[lang](key, english) for lang in languages}

    def phrase(english: str) -> dict[str, str]:
        return {lang: phrases[lang](english) for lang in languages}

    framework = book.framework
    groups = [Group("profile", phrase(N_("Returnee")), _profile(framework, rule, phrase))]
    for dimension in framework.ids("dimensions"):
        label = rule(f"term/dimensions/{dimension}", framework.name("dimensions", dimension))
        groups.append(Group(dimension, label, [
            FormField(e.id, "select_one", "element", dimension,
                      rule(f"element/{e.id}/question", e.question), e.asked_if is None,
                      tuple(Option(c.name, rule(f"choice/{c.name}", c.label))
                            for c in e.choices),
                      list_name=e.id, asked_if=e.asked_if)
            for e in book.instrument.elements_of(dimension)]))
    yes_no = tuple(Option(a, rule(f"choice/{a}", a.capitalize())) for a in YES_NO)
    for dimension in grids:
        asked = dict.fromkeys(
            use.question for entry in book.entries.values()
            if book.approaches[entry.approach].dimension == dimension
            for criterion in entry.criteria.values() if not isinstance(criterion, str)
            for use in criterion.questions)
        asked.update(dict.fromkeys(a.question for entry in book.entries.values()
                                   if book.approaches[entry.approach].dimension == dimension
                                   for option in entry.feasibility for a in option.when))
        term = framework.name("dimensions", dimension)
        groups.append(Group(f"grid_{dimension}", {
            lang: phrases[lang](N_("Feasibility grid")) + ": "
            + texts[lang](f"term/dimensions/{dimension}", term) for lang in languages}, [
            FormField(q, "select_one", "grid", f"grid_{dimension}",
                      rule(f"question/{q}", book.questions[q].text), False, yes_no,
                      list_name="yes_no")
            for q in asked]))
    return Form(languages, names, groups)


def _profile(framework: Framework, rule: Callable[[str, str], dict[str, str]],
             phrase: Callable[[str], dict[str, str]]) -> list[FormField]:
    """The case file's profile, as far as a survey asks it (no household member lists)."""
    def terms(kind: str) -> tuple[Option, ...]:
        return tuple(Option(t.id, rule(f"term/{kind}/{t.id}", t.name))
                     for t in getattr(framework, kind))

    sexes = typing.get_args(Profile.model_fields["sex"].annotation)
    return [
        FormField("returnee_id", "text", "profile", "profile",
                  phrase(N_("Returnee (pseudonymous id)")), True, pattern=RETURNEE_ID_PATTERN),
        FormField("monitoring_round", "select_one", "profile", "profile",
                  phrase(N_("Monitoring round")), True, terms("monitoring_rounds"),
                  list_name="monitoring_round"),
        FormField("assessed_on", "date", "profile", "profile", phrase(N_("Date of the survey")),
                  False),
        FormField("age", "integer", "profile", "profile", phrase(N_("Age in years")), True,
                  bounds=_bounds(Profile, "age")),
        FormField("sex", "select_one", "profile", "profile", phrase(N_("Sex")), True,
                  tuple(Option(s, phrase(SEX_WORDS[s])) for s in sexes), list_name="sex"),
        FormField("country_of_return", "text", "profile", "profile",
                  phrase(N_("Country of return")), True),
        FormField("place_of_return", "text", "profile", "profile",
                  phrase(N_("Place of return")), True),
        FormField("date_of_return", "date", "profile", "profile", phrase(N_("Date of return")),
                  True),
        FormField("household_size", "integer", "profile", "profile",
                  phrase(N_("People in the household")), False,
                  bounds=_bounds(Household, "size")),
        FormField("school_aged_children", "integer", "profile", "profile",
                  phrase(N_("School-aged children in the household")), True,
                  bounds=_bounds(Household, "school_aged_children")),
        FormField(VULNERABILITIES, "select_multiple", "profile", "profile",
                  phrase(N_("Situations of vulnerability")), False, terms("vulnerabilities"),
                  list_name="vulnerability"),
    ]


def _bounds(model: type, name: str) -> tuple[int | None, int | None]:
    """The least and greatest value the case model accepts for an integer field."""
    metadata = model.model_fields[name].metadata  # type: ignore[attr-defined]
    least = next((m.ge for m in metadata if isinstance(m, Ge)), None)
    most = next((m.le for m in metadata if isinstance(m, Le)), None)
    return least, most


def form_for(book: RuleBook, languages: list[str] | None = None,
             grids: list[str] = ()) -> Form:  # type: ignore[assignment]
    """The form in ``languages`` (English first, then every translation, by default): rule
    texts from the rules' translations, the profile's words from the message catalogs."""
    from engine.loading.translations import load_translations
    from engine.model.translation import SOURCE_LANGUAGE
    from engine.presentation.catalogs import gettext_translations
    from engine.presentation.localization import Localizer
    from engine.presentation.rendering import templates_dir

    translations = load_translations(book)
    chosen = languages or [SOURCE_LANGUAGE, *sorted(translations)]
    unknown = [lang for lang in chosen if lang != SOURCE_LANGUAGE and lang not in translations]
    if unknown:
        raise ArgumentError([Problem(
            "--lang", None, f"no translation of the rules into {', '.join(unknown)}",
            hint=f"use {', '.join([SOURCE_LANGUAGE, *sorted(translations)])}")])
    names = {lang: translations[lang].name if lang in translations else "English"
             for lang in chosen}
    texts = {lang: Localizer(lang, translations.get(lang)).text for lang in chosen}
    phrases = {lang: gettext_translations(templates_dir(), lang).gettext for lang in chosen}
    return rss_form(book, chosen, names, texts, phrases, grids)
