"""``rules/community_profiles/``: the community indicators, the rules by which a profile
answers grid questions, and one profile per place (``places/``).

A profile is checked value by value against the indicators it fills (an unknown indicator
or service, a value of the wrong kind, a choice not on the list, text with control
characters), each problem at its line. The same check reads a profile file a project names
by path (``check_profile``): there the problems are the user's to fix (exit 2), here the
rules' (exit 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from engine.errors import Problem
from engine.loading.rule_files import RuleFiles
from engine.loading.source_file import SourceFile, yaml_files
from engine.model.community import (
    CommunityProfile,
    IndicatorIn,
    IndicatorVocabulary,
    ProfileAnswerRule,
    ProfileAnswerRules,
    ServiceAtLeast,
    plain_text_problem,
    share_value,
)

FOLDER = "community_profiles"


@dataclass(frozen=True)
class CommunityRules:
    vocabulary: IndicatorVocabulary | None = None
    answers: tuple[ProfileAnswerRule, ...] = ()
    profiles: dict[str, CommunityProfile] = field(default_factory=dict)


def load_community(files: RuleFiles, questions: Iterable[str]) -> CommunityRules:
    folder = files.root / FOLDER
    source = files.require_file(folder / "indicators.yaml", "community indicators")
    vocabulary = None if source is None else files.parse(IndicatorVocabulary, source,
                                                         source.data)
    if vocabulary is None:
        files.mark_unreadable("community indicator")
        return CommunityRules()
    _check_vocabulary(files, source, vocabulary)  # type: ignore[arg-type]
    answers = _load_answers(files, folder, vocabulary, set(questions))
    profiles: dict[str, CommunityProfile] = {}
    places: dict[tuple[str, str], str] = {}
    for path in yaml_files(folder / "places"):
        place_source = files.read(path)
        if place_source is None:
            continue
        profile, problems = check_profile(place_source, vocabulary)
        files.problems += problems
        if profile is None:
            continue
        key = place_key(profile.place.country, profile.place.area)
        if profile.profile in profiles or key in places:
            files.problems.append(place_source.problem(
                ("profile",), "another profile has this id or this place", profile.profile,
                "keep one profile per place, each with its own id"))
        profiles[profile.profile] = profile
        places[key] = profile.profile
    return CommunityRules(vocabulary, tuple(answers), profiles)


def place_key(country: str, area: str) -> tuple[str, str]:
    """A place as matched: country and area without regard to case or spacing."""
    return (" ".join(country.split()).casefold(), " ".join(area.split()).casefold())


def _check_vocabulary(files: RuleFiles, source: SourceFile,
                      vocabulary: IndicatorVocabulary) -> None:
    groups = [g.id for g in vocabulary.groups]
    files.no_duplicates(source, ("indicators",),
                        list(enumerate(i.id for i in vocabulary.indicators)))
    for index, indicator in enumerate(vocabulary.indicators):
        if indicator.group not in groups:
            files.unknown(source, ("indicators", index, "group"), indicator.id, "group",
                          indicator.group, groups)
        if indicator.scale is not None and indicator.scale not in vocabulary.scales:
            files.unknown(source, ("indicators", index, "scale"), indicator.id, "scale",
                          indicator.scale, list(vocabulary.scales))


def _load_answers(files: RuleFiles, folder: Any, vocabulary: IndicatorVocabulary,
                  questions: set[str]) -> list[ProfileAnswerRule]:
    source = files.require_file(folder / "answers.yaml", "profile answer rules")
    if source is None:
        return []
    files.parse_header(ProfileAnswerRules, source, ("answers",))
    found = []
    for index, rule in files.parse_each(ProfileAnswerRule, source, "answers",
                                        "profile answer", key="question"):
        loc = ("answers", index)
        if rule.question not in questions:
            files.unknown(source, (*loc, "question"), rule.question, "question",
                          rule.question, sorted(questions))
        test = rule.yes_when
        if isinstance(test, ServiceAtLeast):
            known = [s.id for s in vocabulary.services]
            if test.service not in known:
                files.unknown(source, (*loc, "yes_when", "service"), rule.question, "service",
                              test.service, known)
        elif isinstance(test, IndicatorIn):
            problem = _indicator_test_problem(vocabulary, test)
            if problem:
                files.problems.append(source.problem((*loc, "yes_when", "indicator"), problem,
                                                     rule.question,
                                                     "name an indicator (or indicator.part) "
                                                     "of a choice or scale, and its values"))
        found.append(rule)
    return found


def _indicator_test_problem(vocabulary: IndicatorVocabulary, test: IndicatorIn) -> str | None:
    name, _, part = test.indicator.partition(".")
    indicator = vocabulary.indicator(name)
    if indicator is None:
        return f"unknown community indicator '{name}'"
    parts = [p.id for p in indicator.parts]
    if bool(part) != bool(parts) or (part and part not in parts):
        return (f"indicator '{name}' is tested by part ({', '.join(parts)})" if parts
                else f"indicator '{name}' has no parts")
    allowed = vocabulary.allowed(indicator)
    if allowed is None:
        return f"indicator '{name}' is a share or text: test a choice or scale indicator"
    wrong = [v for v in test.values if v not in allowed]
    return f"not values of '{name}': {', '.join(wrong)}" if wrong else None


def check_profile(source: SourceFile,
                  vocabulary: IndicatorVocabulary) -> tuple[CommunityProfile | None,
                                                            list[Problem]]:
    """A profile read from ``source`` and checked against the indicators, with every
    problem at its line; None when it cannot be used."""
    if not isinstance(source.data, dict):
        return None, [source.problem((), "a community profile is a mapping of fields",
                                     hint="see docs/project-design.md")]
    try:
        profile = CommunityProfile.model_validate(source.data)
    except ValidationError as exc:
        return None, source.validation_problems(exc, (), _text_id(source.data, "profile"))
    problems: list[Problem] = []
    rule_id = profile.profile
    known = [i.id for i in vocabulary.indicators]
    for key, value in profile.indicators.items():
        indicator = vocabulary.indicator(key)
        if indicator is None:
            problems.append(source.unknown(("indicators", key), rule_id, "community indicator",
                                           key, known))
            continue
        problems += [source.problem(("indicators", key, *at), message, rule_id, hint)
                     for at, message, hint in _value_problems(vocabulary, indicator, value)]
    services = [s.id for s in vocabulary.services]
    for key in profile.services:
        if key not in services:
            problems.append(source.unknown(("services", key), rule_id, "service", key, services))
    return (None if problems else profile), problems


def _text_id(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) and len(value) <= 40 else None


def _value_problems(vocabulary: IndicatorVocabulary, indicator: Any,
                    value: Any) -> list[tuple[tuple, str, str]]:
    """(where under the indicator, what is wrong, what to do) for one indicator's value."""
    if value is None:
        return []  # not known yet: the profile answers nothing from it
    if indicator.parts:
        if not isinstance(value, dict):
            names = ", ".join(p.id for p in indicator.parts)
            return [((), f"'{indicator.id}' takes one value per part", f"write {names} "
                     "under it, each on its own line")]
        parts = [p.id for p in indicator.parts]
        found: list[tuple[tuple, str, str]] = []
        for part, part_value in value.items():
            if part not in parts:
                found.append(((part,), f"unknown part '{part}' of '{indicator.id}'",
                              "use one of: " + ", ".join(parts)))
            else:
                found += [((part, *at), m, h) for at, m, h in
                          _single_value(vocabulary, indicator, part_value)]
        return found
    return _single_value(vocabulary, indicator, value)


def _single_value(vocabulary: IndicatorVocabulary, indicator: Any,
                  value: Any) -> list[tuple[tuple, str, str]]:
    if value is None:
        return []
    allowed = vocabulary.allowed(indicator)
    if allowed is not None:
        if not isinstance(value, str) or value not in allowed:
            shown = value if isinstance(value, int | float | bool) else "this value"
            return [((), f"{shown} is not a value of '{indicator.id}'",
                     "use one of: " + ", ".join(allowed))]
        return []
    if indicator.share:
        if not share_value(value):
            return [((), f"'{indicator.id}' is a share", "write a number from 0 to 1, "
                     "e.g. 0.45 for 45%")]
        return []
    if not isinstance(value, str) or not value.strip():
        return [((), f"'{indicator.id}' is a short description", "write it as text")]
    problem = plain_text_problem(value)
    return [((), f"the description {problem}", "keep to plain text")] if problem else []
