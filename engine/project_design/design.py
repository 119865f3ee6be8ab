"""A project's design: the Conditions Analysis of every selected approach, the community
profile used (and which answers it gave), and the cohort evidence, as one value.

This is the project path's pipeline, as ``Assessor`` is the case path's: the CLI (and any
later front door) calls ``design`` and words the result; nothing here is worded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.case.community import ProfileAnswer, merged, profile_answers
from engine.model.community import CommunityProfile
from engine.model.rulebook import RuleBook
from engine.project_design.analysis import ApproachAnalysis, analyse
from engine.project_design.cohort import CohortEvidence
from engine.project_design.project_file import ProjectFile


@dataclass(frozen=True, slots=True)
class ProfileUsed:
    profile: str
    version: str
    illustrative: bool
    country: str
    area: str


@dataclass(frozen=True)
class ProjectDesign:
    project: str
    title: str
    country: str
    area: str
    prepared_by: str | None
    prepared_on: date | None
    rules_version: str
    profile: ProfileUsed | None
    approaches: tuple[ApproachAnalysis, ...]
    profile_answers: tuple[ProfileAnswer, ...]
    """The answers the profile gave that the officer had left open (each question once)."""
    cohort: CohortEvidence | None = None


def design(book: RuleBook, project: ProjectFile, profile: CommunityProfile | None,
           cohort: CohortEvidence | None = None) -> ProjectDesign:
    """Analyse every selected approach; a profile answers what the officer left open."""
    rules = book.project
    analyses: list[ApproachAnalysis] = []
    used_all: dict[str, ProfileAnswer] = {}
    for selected in project.approaches:
        own = {k: v for k, v in selected.answers.items() if v is not None}
        given: list[ProfileAnswer] = []
        if profile is not None and rules.indicators is not None:
            asked = [q.id for q in rules.questions_of(selected.approach)]
            given = profile_answers(profile, rules.profile_answers, rules.indicators, asked)
        answers, used = merged(own, given)
        origin = {q: "project" for q in own} | {
            a.question: f"{a.profile}@{a.version}" for a in used}
        analyses.append(analyse(rules, selected.approach,
                                {k: v for k, v in answers.items() if v is not None}, origin))
        used_all |= {a.question: a for a in used}
    shown = None if profile is None else ProfileUsed(
        profile.profile, profile.version, profile.illustrative, profile.place.country,
        profile.place.area)
    return ProjectDesign(project.project, project.title, project.place.country,
                         project.place.area, project.prepared_by, project.prepared_on,
                         book.version, shown, tuple(analyses), tuple(used_all.values()), cohort)
