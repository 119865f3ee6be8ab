"""A community profile answering a case's community and structural questions.

When a case returns to a place that has a profile, the profile answers the grid questions
its rules map (``rules/community_profiles/answers.yaml``), once per place instead of once
per returnee. The case's own answer always wins. Every answer taken from a profile is
returned with the profile's id and version and the value it read, so a result and a plan
can say which answers came from where.

How to use it in the pipeline: before scoring, ``case, used = at_place(case, book)``; assess
the returned case; carry ``used`` beside the assessment (JSON, explain, the plan).
Illustrative profiles (all the shipped ones today) are used only when asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from engine.case.model import Case
from engine.loading.community_profiles import place_key
from engine.model.community import CommunityProfile, IndicatorVocabulary, ProfileAnswerRule
from engine.model.project_rules import ProjectRules
from engine.model.rulebook import RuleBook


@dataclass(frozen=True, slots=True)
class ProfileAnswer:
    """One question answered by a community profile: codes and values, no sentences."""

    question: str
    answer: str
    profile: str
    version: str
    subject: str
    """The profile value it read: ``service.<id>`` or ``indicator.<id>[.<part>]``."""
    value: Any
    illustrative: bool


def profile_at(rules: ProjectRules, country: str, area: str) -> CommunityProfile | None:
    """The shipped profile of this place, if there is one."""
    key = place_key(country, area)
    return next((p for p in rules.profiles.values()
                 if place_key(p.place.country, p.place.area) == key), None)


def profile_answers(profile: CommunityProfile, rules: Iterable[ProfileAnswerRule],
                    vocabulary: IndicatorVocabulary,
                    questions: Iterable[str] | None = None) -> list[ProfileAnswer]:
    """What the profile answers (of ``questions``, or of every mapped question): "yes" when
    the rule's test holds, "no" when the profile has the value and it does not. The first
    rule of a question that can be read decides it."""
    facts = profile.facts(vocabulary)
    wanted = None if questions is None else set(questions)
    found: dict[str, ProfileAnswer] = {}
    for rule in rules:
        if rule.question in found or (wanted is not None and rule.question not in wanted):
            continue
        check = rule.yes_when.check(f"profile/{rule.question}", None)  # type: ignore[arg-type]
        value = facts.get(check.subject)
        if value is None:
            continue  # not known in this profile: it answers nothing
        found[rule.question] = ProfileAnswer(
            rule.question, "yes" if check.test(value) else "no", profile.profile,
            profile.version, check.subject, value, profile.illustrative)
    return list(found.values())


def merged(own: Mapping[str, str | None],
           from_profile: Iterable[ProfileAnswer]) -> tuple[dict[str, str | None],
                                                           tuple[ProfileAnswer, ...]]:
    """Own answers first; a profile answers only what is unanswered (missing or blank).
    Returns the answers and the profile answers actually used."""
    answers = dict(own)
    used = tuple(a for a in from_profile if answers.get(a.question) is None)
    answers |= {a.question: a.answer for a in used}
    return answers, used


def at_place(case: Case, book: RuleBook, *,
             illustrative: bool = False) -> tuple[Case, tuple[ProfileAnswer, ...]]:
    """The case with the answers its place's profile gives to questions it left open, and
    those answers with their provenance; the case unchanged when its place has no profile.

    A profile marked illustrative (invented values, to show the format) answers nothing
    for a returnee unless ``illustrative`` is set: a made-up safety level must not decide
    a real person's plan. The examples and the cohort of a design note set it, and say so.
    """
    rules = book.project
    profile = profile_at(rules, case.profile.country_of_return, case.profile.place_of_return)
    if profile is None or rules.indicators is None or (profile.illustrative and not illustrative):
        return case, ()
    given = profile_answers(profile, rules.profile_answers, rules.indicators,
                            questions=book.questions)
    answers, used = merged(case.grid_answers, given)
    if not used:
        return case, ()
    return case.model_copy(update={"grid_answers": answers}), used
