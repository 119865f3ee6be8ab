"""Rule text in other languages: one file per language in ``rules/translations/``.

Each translatable text of the rules has a stable key (``question/<id>``,
``approach/<id>/name`` …); a language file maps keys to text, and every key is checked
against the rules. Files the project wrote itself say ``reviewed: false`` until a fluent
reviewer signs them off.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import ValidationError

from engine.errors import Problem, RuleErrors
from engine.loading.source_file import read_source, yaml_files
from engine.model.rulebook import RuleBook
from engine.model.translation import Translation

FRAMEWORK_TERMS = ("dimensions", "levels", "modalities", "categories", "vulnerabilities",
                   "monitoring_rounds")


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


def _plan_slots(book: RuleBook) -> Iterator[Slot]:
    plan = book.plan
    for i, milestone in enumerate(plan.schedule.milestones):
        yield f"plan/milestone/{milestone.id}", milestone.name, "plan", (
            "schedule", "milestones", i, "name")
    for i, safeguard in enumerate(plan.safeguards.safeguards):
        key, at = f"plan/safeguard/{safeguard.id}", ("safeguards", "safeguards", i)
        yield f"{key}/name", safeguard.name, "plan", (*at, "name")
        for j, action in enumerate(safeguard.actions):
            yield f"{key}/{action.id}/text", action.text, "plan", (*at, "actions", j, "text")
            if action.fill_in:
                yield (f"{key}/{action.id}/fill_in", action.fill_in, "plan",
                       (*at, "actions", j, "fill_in"))
    for i, horizon in enumerate(plan.planning.horizons):
        yield f"plan/horizon/{horizon.id}", horizon.name, "plan", ("planning", "horizons", i,
                                                                   "name")
    for i, form in enumerate(plan.planning.modalities):
        if form.fill_in:
            yield (f"plan/fill_in/{form.modality}", form.fill_in, "plan",
                   ("planning", "modalities", i, "fill_in"))
    for side in ("below", "not_below"):
        yield f"plan/reading/{side}", getattr(plan.reading, side).text, "plan", (
            "reading", side, "text")
    principle = plan.consent.principle
    yield "plan/consent/principle/name", principle.name, "plan", ("consent", "principle", "name")
    yield "plan/consent/principle/text", principle.text, "plan", ("consent", "principle", "text")
    for i, clause in enumerate(plan.consent.clauses):
        for part in ("what", "with_whom", "if_not_given"):
            yield (f"plan/consent/{clause.consent}/{part}", getattr(clause, part), "plan",
                   ("consent", "clauses", i, part))


def english_texts(book: RuleBook) -> dict[str, str]:
    """Every translatable text of the rules, by key, in the rules' own language."""
    texts: dict[str, str] = {}
    for key, english, _part, _path in slots(book):
        texts.setdefault(key, english)
    return texts


def load_translations(book: RuleBook) -> dict[str, Translation]:
    """Read and check every language file against the keys of the rules."""
    known = english_texts(book)
    translations: dict[str, Translation] = {}
    problems: list[Problem] = []
    for path in yaml_files(book.root / "translations"):
        source = read_source(path)
        if isinstance(source, Problem):
            problems.append(source)
            continue
        try:
            translation = Translation.model_validate(source.data)
        except ValidationError as exc:
            problems += source.validation_problems(exc)
            continue
        if path.stem != translation.language:
            problems.append(source.problem(("language",), f"file {path.name} declares "
                                           f"language '{translation.language}'",
                                           hint=f"name the file {translation.language}.yaml"))
        for key in translation.texts:
            if key not in known:
                problems.append(source.problem(("texts", key), f"unknown text key '{key}'",
                                               key, "'reintegrate i18n-status --skeleton "
                                               "LANG' lists every key; remove or fix it"))
        translations[translation.language] = translation
    if problems:
        raise RuleErrors(problems)
    return translations


