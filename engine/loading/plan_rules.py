"""Read and check the plan rule files of ``rules/plan/``: every cross-reference against the
framework and the approaches, each problem with its file and line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from engine.loading.rule_files import RuleFiles
from engine.loading.source_file import SourceFile
from engine.model.approaches import Approach
from engine.model.consent import Consent
from engine.model.framework import Framework
from engine.model.plan_rules import (
    ApproachPlanning,
    ConsentRules,
    PlanRules,
    ScoreReading,
    SourceTitles,
)
from engine.model.safeguards import SafeguardRules
from engine.model.timing import ScheduleRules

T = TypeVar("T")

ENTRY_BY_ENTRY = frozenset({"schedule", "safeguards", "consent"})
"""Plan files made of independent entries, cross-checked entry by entry when some fail
their schema; the others (horizons that approaches refer to) only when all of it is valid,
as a broken horizon would make every approach that names it look wrong."""

PLAN_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "schedule": ("schedule.yaml", ScheduleRules),
    "safeguards": ("safeguards.yaml", SafeguardRules),
    "planning": ("approaches.yaml", ApproachPlanning),
    "reading": ("reading.yaml", ScoreReading),
    "consent": ("consent.yaml", ConsentRules),
    "sources": ("sources.yaml", SourceTitles),
}

def load_plan_rules(files: RuleFiles, framework: Framework,
                    approaches: dict[str, Approach]) -> PlanRules:
    """Read and check every plan rule file, recording every problem in ``files``.

    The rules as far as they could be read: a file that failed is absent from them (the
    RuleBook is built only when nothing failed).
    """
    folder = files.root / "plan"
    parts: dict[str, BaseModel] = {}
    checker = _PlanChecker(framework, approaches, files)
    for part, (name, model) in PLAN_FILES.items():
        source = files.require_file(folder / name, f"plan rule file {name}")
        if source is None:
            continue
        parsed = files.parse(model, source, source.data)
        if parsed is not None:
            parts[part] = parsed
            getattr(checker, part)(source, parsed)
        elif part in ENTRY_BY_ENTRY:
            # the entries valid on their own are cross-checked even when others are not, so
            # one broken safeguard does not hide an unknown approach in the next one
            getattr(checker, part)(source, _valid_entries(model, source.data))
    if len(parts) != len(PLAN_FILES):
        return PlanRules.model_construct(**parts)
    return PlanRules.model_validate(parts)


def _valid_entries(model: type[BaseModel], data: Any) -> BaseModel:
    """A file that failed its schema, keeping what is valid on its own: each field, or for
    a list each item that validates, None in place of the others (so every entry keeps its
    index, and its line). Its problems are already reported; this is only for the
    cross-checks, never for a rule book."""
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        listed = get_origin(annotation) is list
        value = data.get(name) if isinstance(data, dict) else None
        if listed:
            item = TypeAdapter(get_args(annotation)[0])
            values[name] = [_valid(item, x) for x in value] if isinstance(value, list) else []
        else:
            values[name] = _valid(TypeAdapter(annotation), value)
    return model.model_construct(**values)


def _entries(items: list[T | None]) -> list[tuple[int, T]]:
    """The entries that validated, each with its index in the file."""
    return [(index, item) for index, item in enumerate(items) if item is not None]


def _valid(adapter: TypeAdapter[Any], value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


class _PlanChecker:
    """Cross-references of the plan rules against the framework and the approaches."""

    def __init__(self, framework: Framework, approaches: dict[str, Approach], files: RuleFiles):
        self.framework = framework
        self.approaches = approaches
        self.files = files
        self.problems = files.problems

    def unknown(self, source: SourceFile, loc: tuple, rule_id: str | None, kind: str,
                value: str, known: list[str]) -> None:
        self.files.unknown(source, loc, rule_id, kind, value, known)

    def unique(self, source: SourceFile, loc: tuple, ids: Sequence[str | None],
               what: str) -> None:
        """Ids that appear twice, an entry that failed its schema (None) left out."""
        self.files.no_duplicates(source, loc, [(i, x) for i, x in enumerate(ids) if x],
                                 what=what)

    def schedule(self, source: SourceFile, rules: ScheduleRules) -> None:
        self.unique(source, ("milestones",), [m and m.id for m in rules.milestones],
                    "milestone")
        rounds = self.framework.ids("monitoring_rounds")
        for index, milestone in _entries(rules.milestones):
            if milestone.monitoring_round and milestone.monitoring_round not in rounds:
                self.unknown(source, ("milestones", index, "monitoring_round"), milestone.id,
                             "monitoring round", milestone.monitoring_round, rounds)

    def safeguards(self, source: SourceFile, rules: SafeguardRules) -> None:
        self.unique(source, ("safeguards",), [s and s.id for s in rules.safeguards],
                    "safeguard")
        dimensions = self.framework.ids("dimensions")
        for index, safeguard in _entries(rules.safeguards):
            at = ("safeguards", index)
            self.profile_conditions(source, (*at, "when_any"), safeguard.id, safeguard.when_any)
            self.unique(source, (*at, "actions"), [a.id for a in safeguard.actions], "action")
            for i, action in enumerate(safeguard.actions):
                for k, dimension in enumerate(action.flags_needs_in):
                    if dimension not in dimensions:
                        self.unknown(source, (*at, "actions", i, "flags_needs_in", k),
                                     safeguard.id, "dimension", dimension, dimensions)
                if action.approach and action.approach not in self.approaches:
                    self.unknown(source, (*at, "actions", i, "approach"), safeguard.id,
                                 "approach", action.approach, sorted(self.approaches))

    def profile_conditions(self, source: SourceFile, at: tuple, rule_id: str,
                           conditions: list) -> None:
        """Profile conditions name only vulnerabilities (ages and counts are numbers)."""
        vulnerabilities = self.framework.ids("vulnerabilities")
        for i, condition in enumerate(conditions):
            for reference in condition.references():
                if reference.value not in vulnerabilities:
                    self.unknown(source, (*at, i, *reference.at), rule_id, reference.kind,
                                 reference.value, vulnerabilities)

    def planning(self, source: SourceFile, rules: ApproachPlanning) -> None:
        horizons = [h.id for h in rules.horizons]
        self.unique(source, ("horizons",), horizons, "horizon")
        modalities = self.framework.ids("modalities")
        listed = [m.modality for m in rules.modalities]
        self.unique(source, ("modalities",), listed, "modality")
        for index, form in enumerate(rules.modalities):
            if form.modality not in modalities:
                self.unknown(source, ("modalities", index, "modality"), form.modality,
                             "modality", form.modality, modalities)
        for modality in modalities:
            if modality not in listed:
                self.problems.append(source.problem(
                    ("modalities",), f"modality '{modality}' has no entry", modality,
                    "add it, with 'fill_in' if a plan must name who delivers it"))
        covered = [a.approach for a in rules.approaches]
        self.unique(source, ("approaches",), covered, "approach")
        for index, entry in enumerate(rules.approaches):
            if entry.approach not in self.approaches:
                self.unknown(source, ("approaches", index, "approach"), entry.approach,
                             "approach", entry.approach, sorted(self.approaches))
            if entry.horizon not in horizons:
                self.unknown(source, ("approaches", index, "horizon"), entry.approach,
                             "horizon", entry.horizon, horizons)
        for approach_id in self.approaches:
            if approach_id not in covered:
                self.problems.append(source.problem(
                    ("approaches",), "approach has no horizon", approach_id,
                    "say whether it is immediate or longer-term"))

    def reading(self, source: SourceFile, rules: ScoreReading) -> None:
        """Nothing to cross-check: the threshold itself is the framework's."""

    def sources(self, source: SourceFile, rules: SourceTitles) -> None:
        """Nothing to cross-check: a source naming a file without a title prints the name."""

    def consent(self, source: SourceFile, rules: ConsentRules) -> None:
        fields = [name for name, info in Consent.model_fields.items() if info.annotation is bool]
        self.unique(source, ("clauses",), [c and c.consent for c in rules.clauses],
                    "consent clause")
        for index, clause in _entries(rules.clauses):
            if clause.consent not in fields:
                self.unknown(source, ("clauses", index, "consent"), clause.consent,
                             "consent field", clause.consent, fields)
        if rules.guardian is not None:
            self.profile_conditions(source, ("guardian", "consents_when"), "guardian",
                                    rules.guardian.consents_when)
