"""A persona as a trainer hands it out, and the engine's answer as the key, in one language.

The sheet holds what a case manager would know at the table (the profile, the household,
the returnee's goals, the survey answers, the answers to the grid questions) and nothing
the grid decides; the key holds the scores and every approach's status with the sentence
that decided it. Rule text comes from the rules in the reader's language; the words around
it from the message catalog; the persona's title from the scenario (per language where it
gives one). The same model feeds the terminal (``scenarios teach``) and the PDF handout.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from engine.evaluation.assessment import Assessment
from engine.evaluation.results import ApproachResult
from engine.model.framework import COMPOSITE
from engine.presentation.reader_locale import country_name, long_date
from engine.presentation.rendering import environment, templates_dir, text_direction
from engine.presentation.wording import Wording
from engine.scenarios.reading import ScenarioFile


@dataclass(frozen=True)
class Answered:
    question: str
    answer: str


@dataclass(frozen=True)
class AnswerGroup:
    name: str
    answers: list[Answered]


@dataclass(frozen=True)
class PersonaSheet:
    """What the trainee receives: who the returnee is and what was answered, no decision."""

    id: str
    title: str
    returnee_id: str
    profile: list[Answered]
    goals: str | None
    survey: list[AnswerGroup]
    grid: list[Answered]


@dataclass(frozen=True)
class KeyLine:
    approach: str
    name: str
    status: str
    modality: str | None
    why: str


@dataclass(frozen=True)
class PersonaKey:
    """The engine's answer for one persona, and what the trainer teaches with it."""

    sheet: PersonaSheet
    scores: list[Answered]
    safeguards: list[str]
    lines: dict[str, list[KeyLine]] = field(default_factory=dict)
    """Approaches by status, in the order recommended, needs_answers, not_appropriate,
    not_indicated."""
    teaches: str = ""
    sources: list[str] = field(default_factory=list)


STATUS_ORDER = ("recommended", "needs_answers", "not_appropriate", "not_indicated")


class Handout:
    """Builds sheets and keys in one language: ``words`` is that language's wording (its
    rule book's texts translated) and ``phrases`` its message catalog."""

    def __init__(self, words: Wording, phrases: gettext.NullTranslations, language: str):
        self.words = words
        self.book = words.book
        self._ = phrases.gettext
        self._n = phrases.ngettext
        self.language = language

    def sheet(self, scenario: ScenarioFile) -> PersonaSheet:
        _ = self._
        case = scenario.case
        profile = case.profile
        framework = self.book.framework
        sexes = {"female": _("female"), "male": _("male"), "other": _("other"),
                 "not_stated": _("not stated")}
        lines = [
            Answered(_("Age"), self._n("%(num)d year", "%(num)d years", profile.age)
                     % {"num": profile.age}),
            Answered(_("Sex"), sexes[profile.sex]),
            Answered(_("Place of return"), f"{profile.place_of_return}, "
                     f"{country_name(profile.country_of_return, self.language)}"),
            Answered(_("Date of return"), self.day(profile.date_of_return)),
            Answered(_("Assessed on"), self.day(case.assessed_on) if case.assessed_on
                     else "—"),
        ]
        household = profile.household
        if household.size is not None:
            lines.append(Answered(_("Household size"), str(household.size)))
        lines.append(Answered(_("School-aged children in the household"),
                              str(household.school_aged_children)))
        for label, members in ((_("Returned with"), household.returned_with),
                               (_("Stayed in the country of return"), household.stayed)):
            if members:
                lines.append(Answered(label, self._("; ").join(
                    _("%(relationship)s, %(age)d") % {
                        "relationship": framework.name("relationships", m.relationship),
                        "age": m.age} for m in members)))
        if profile.vulnerabilities:
            lines.append(Answered(_("Recorded in the profile"), self._("; ").join(
                framework.name("vulnerabilities", v) for v in profile.vulnerabilities)))
        if case.guardian:
            lines.append(Answered(_("Guardian"), case.guardian))
        survey = []
        for dimension in framework.dimensions:
            answers = []
            for element in self.book.instrument.elements:
                if element.dimension != dimension.id:
                    continue
                chosen = case.rss.get(element.id)
                choice = element.choice(chosen) if chosen else None
                answers.append(Answered(element.name, choice.label if choice
                                        else _("Not answered")))
            survey.append(AnswerGroup(dimension.name, answers))
        grid = [Answered(self.book.questions[q].text, _("Yes") if a == "yes" else _("No"))
                for q, a in case.grid_answers.items() if a is not None]
        return PersonaSheet(scenario.id, self.title(scenario), case.returnee_id, lines,
                            case.goals, survey, grid)

    def day(self, value: date) -> str:
        """A date written out as the plans write it ("12 mars 2026"), not ISO."""
        return long_date(value, self.language)

    def title(self, scenario: ScenarioFile) -> str:
        return scenario.scenario.titles.get(self.language, scenario.scenario.title)

    def key(self, scenario: ScenarioFile, assessment: Assessment,
            safeguards: list[str]) -> PersonaKey:
        _ = self._
        words = self.words
        scores = []
        for name in [*assessment.scores.dimensions, COMPOSITE]:
            score = (assessment.scores.composite if name == COMPOSITE
                     else assessment.scores.dimensions[name])
            shown = (words.number(score.value) if score.value is not None else
                     _("No score: %(reason)s") % {"reason": words.missing_score(
                         score, assessment.scores.min_coverage)})
            scores.append(Answered(words.score_name(name), shown))
        names = {s.id: s.name for s in self.book.plan.safeguards.safeguards}
        lines: dict[str, list[KeyLine]] = {status: [] for status in STATUS_ORDER}
        for result in assessment.approaches:
            lines[result.status].append(self._line(result))
        return PersonaKey(self.sheet(scenario), scores, [names[s] for s in safeguards], lines,
                          scenario.scenario.teaches, list(scenario.scenario.sources))

    def _line(self, result: ApproachResult) -> KeyLine:
        framework = self.book.framework
        return KeyLine(result.approach, self.book.approaches[result.approach].name,
                       result.status,
                       framework.name("modalities", result.modality) if result.modality
                       else None, self.words.summary(result))


HandoutDocument = Literal["handout", "key"]


def render_handout(items: Sequence[PersonaSheet] | Sequence[PersonaKey],
                   document: HandoutDocument, fmt: Literal["html", "pdf"], language: str,
                   reviewed: bool = True) -> str | bytes:
    """The personas (``handout``) or their answer key (``key``) as HTML or PDF bytes."""
    template = "handout.html.j2" if document == "handout" else "handout_key.html.j2"
    html = environment(language, "html").get_template(template).render(
        sheets=items, keys=items, lang=language, direction=text_direction(language),
        medium="print" if fmt == "pdf" else "screen", reviewed=reviewed)
    if fmt == "html":
        return html
    import weasyprint  # only PDF output needs it (and its system libraries)

    return weasyprint.HTML(string=html, base_url=str(templates_dir())).write_pdf()
