"""Rule text in other languages: one file per language in ``rules/translations/``.

Each translatable text of the rules has a stable key (``question/<id>``,
``approach/<id>/name`` …); a language file maps keys to text, and every key is checked
against the rules. Files the project wrote itself say ``reviewed: false`` until a fluent
reviewer signs them off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from engine.errors import RuleErrors
from engine.loading import cache
from engine.loading.framework import KINDS
from engine.loading.project_texts import project_slots
from engine.loading.rule_files import RuleFiles
from engine.loading.source_file import yaml_files
from engine.model.plan_rules import ApproachPlanning, ConsentRules, ScoreReading
from engine.model.rulebook import RuleBook
from engine.model.safeguards import SafeguardRules
from engine.model.timing import ScheduleRules
from engine.model.translation import Translation

FRAMEWORK_TERMS = ("dimensions", "levels", "modalities", "categories", "vulnerabilities",
                   "monitoring_rounds", "answerers", "relationships")


Slot = tuple[str, str, str, tuple[str | int, ...]]
"""(key, English text, RuleBook field, path to the text inside that field's dump)."""


def slots(book: RuleBook) -> Iterator[Slot]:
    """Every translatable text of the rules, and where it sits."""
    for term_field in FRAMEWORK_TERMS:
        for i, term in enumerate(getattr(book.framework, term_field)):
            yield f"term/{term_field}/{term.id}", term.name, "framework", (term_field, i, "name")
    for i, element in enumerate(book.instrument.elements):
        at = ("elements", i)
        yield f"element/{element.id}/name", element.name, "instrument", (*at, "name")
        yield f"element/{element.id}/question", element.question, "instrument", (*at, "question")
        for j, choice in enumerate(element.choices):
            yield f"choice/{choice.name}", choice.label, "instrument", (*at, "choices", j, "label")
    for approach in book.approaches.values():
        key, at = f"approach/{approach.id}", (approach.id,)
        yield f"{key}/name", approach.name, "approaches", (*at, "name")
        yield f"{key}/description", approach.description, "approaches", (*at, "description")
        for i, need in enumerate(approach.useful_for):
            yield f"{key}/useful_for/{i}", need, "approaches", (*at, "useful_for", i)
    for question_id, question in book.questions.items():
        yield f"question/{question_id}", question.text, "questions", (question_id, "text")
    for set_id, weight_set in book.weight_sets.items():
        yield f"weights/{set_id}/name", weight_set.name, "weight_sets", (set_id, "name")
    yield from _plan_slots(book)
    yield from project_slots(book)


def _plan_slots(book: RuleBook) -> Iterator[Slot]:
    """The plan's texts, part by part; a part absent from a partial book has none."""
    for part, texts in PLAN_SLOTS.items():
        rules = getattr(book.plan, part, None)
        if rules is not None:
            for key, english, at in texts(rules):
                yield key, english, "plan", (part, *at)


def _schedule(rules: ScheduleRules) -> Iterator[tuple[str, str, tuple]]:
    for i, milestone in enumerate(rules.milestones):
        yield f"plan/milestone/{milestone.id}", milestone.name, ("milestones", i, "name")


def _safeguards(rules: SafeguardRules) -> Iterator[tuple[str, str, tuple]]:
    for i, safeguard in enumerate(rules.safeguards):
        key, at = f"plan/safeguard/{safeguard.id}", ("safeguards", i)
        yield f"{key}/name", safeguard.name, (*at, "name")
        for j, action in enumerate(safeguard.actions):
            yield f"{key}/{action.id}/text", action.text, (*at, "actions", j, "text")
            if action.fill_in:
                yield (f"{key}/{action.id}/fill_in", action.fill_in,
                       (*at, "actions", j, "fill_in"))


def _planning(rules: ApproachPlanning) -> Iterator[tuple[str, str, tuple]]:
    for i, horizon in enumerate(rules.horizons):
        yield f"plan/horizon/{horizon.id}", horizon.name, ("horizons", i, "name")
    for i, form in enumerate(rules.modalities):
        if form.fill_in:
            yield f"plan/fill_in/{form.modality}", form.fill_in, ("modalities", i, "fill_in")


def _reading(rules: ScoreReading) -> Iterator[tuple[str, str, tuple]]:
    for side in ("below", "not_below"):
        yield f"plan/reading/{side}", getattr(rules, side).text, (side, "text")


def _consent(rules: ConsentRules) -> Iterator[tuple[str, str, tuple]]:
    principle = rules.principle
    yield "plan/consent/principle/name", principle.name, ("principle", "name")
    yield "plan/consent/principle/text", principle.text, ("principle", "text")
    for i, clause in enumerate(rules.clauses):
        for part in ("what", "with_whom", "if_not_given"):
            yield (f"plan/consent/{clause.consent}/{part}", getattr(clause, part),
                   ("clauses", i, part))


PLAN_SLOTS: dict[str, Callable[[Any], Iterator[tuple[str, str, tuple]]]] = {
    "schedule": _schedule, "safeguards": _safeguards, "planning": _planning,
    "reading": _reading, "consent": _consent}
"""The texts of each part of the plan rules: (key, English text, path inside the part)."""


def english_texts(book: RuleBook) -> dict[str, str]:
    """Every translatable text of the rules, by key, in the rules' own language."""
    texts: dict[str, str] = {}
    for key, english, _part, _path in slots(book):
        texts.setdefault(key, english)
    return texts


def available_languages(book: RuleBook) -> list[str]:
    """The languages the rules have a text file for (read from the file names only)."""
    return [path.stem for path in yaml_files(book.root / "translations")]


def load_translations(book: RuleBook,
                      languages: Iterable[str] | None = None) -> dict[str, Translation]:
    """Read and check the language files asked for (all by default) against the keys of the
    rules; each is parsed once per rules version. RuleErrors with every problem."""
    wanted = available_languages(book) if languages is None else list(languages)
    translations: dict[str, Translation] = {}
    missing: list[str] = []
    for language in wanted:
        found = cache.cached_translation(book, language)
        if found is None:
            missing.append(language)
        else:
            translations[found.language] = found
    if not missing:
        return translations
    files = RuleFiles(book.root)
    read = check_translations(book, files, missing)
    if files.problems:
        raise RuleErrors(files.problems)
    for stem, translation in read.items():
        cache.keep_translation(book, stem, translation)
        translations[translation.language] = translation
    return translations


def check_translations(book: RuleBook, files: RuleFiles, languages: Iterable[str] | None = None,
                       partial: bool = False) -> dict[str, Translation]:
    """Check language files (by file name; all by default) against the keys of ``book``,
    adding to ``files.problems``. A ``partial`` book is what could be read of rules that
    failed: a key of a rule that failed its own check, or of a file that could not be read,
    is then not reported (its cause already is)."""
    known = english_texts(book)
    read: dict[str, Translation] = {}
    paths = {path.stem: path for path in yaml_files(book.root / "translations")}
    for stem in paths if languages is None else languages:
        path = paths.get(stem)
        source = files.read(path) if path else None
        translation = source and files.parse(Translation, source, source.data)
        if source is None or translation is None:
            continue
        if path.stem != translation.language:
            files.problems.append(source.problem(
                ("language",), f"file {path.name} declares language '{translation.language}'",
                hint=f"name the file {translation.language}.yaml"))
        for key in translation.texts:
            if key not in known and not (partial and _owner_failed(key, book, files)):
                files.problems.append(source.problem(
                    ("texts", key), f"unknown text key '{key}'", key,
                    "'reintegrate i18n-status --skeleton LANG' lists every key; remove or fix it"))
        read[stem] = translation
    return read


PLAN_KEYS = {"milestone": "schedule", "safeguard": "safeguards", "horizon": "planning",
             "fill_in": "planning", "reading": "reading", "consent": "consent"}
"""The plan rule part each ``plan/<word>/...`` key belongs to."""

OWNER_KINDS = {"element": "element", "approach": "approach", "question": "question",
               "weights": "weight set"}


def _owner_failed(key: str, book: RuleBook, files: RuleFiles) -> bool:
    """Whether the rule a key names failed its own check (or its file could not be read)."""
    family, _, rest = key.partition("/")
    name, _, _ = rest.partition("/")
    if family == "plan":
        return getattr(book.plan, PLAN_KEYS.get(name, ""), None) is None
    if family == "term":
        kind = KINDS.get(name, "")
        term = rest.partition("/")[2]
        return kind in files.unreadable or term in files.broken[kind]
    if family == "choice":  # a choice's element, or its scale, may be the one that failed
        return bool(files.broken["element"]) or "element" in files.unreadable
    kind = OWNER_KINDS.get(family, "")
    return kind in files.unreadable or name in files.broken[kind]
