"""Read and check the plan rule files of ``rules/plan/``: every cross-reference against the
framework and the approaches, each problem with its file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ValidationError

from engine.errors import Problem
from engine.loading.source_file import SourceFile
from engine.model.approaches import Approach
from engine.model.consent import Consent
from engine.model.framework import Framework
from engine.model.plan_rules import ApproachPlanning, ConsentRules, PlanRules, ScoreReading
from engine.model.safeguards import SafeguardRules
from engine.model.timing import ScheduleRules

PLAN_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "schedule": ("schedule.yaml", ScheduleRules),
    "safeguards": ("safeguards.yaml", SafeguardRules),
    "planning": ("approaches.yaml", ApproachPlanning),
    "reading": ("reading.yaml", ScoreReading),
    "consent": ("consent.yaml", ConsentRules),
}

Reader = Callable[[Path, str], SourceFile | None]


def load_plan_rules(folder: Path, read: Reader, framework: Framework,
                    approaches: dict[str, Approach]) -> tuple[PlanRules | None, list[Problem]]:
    """Read and check every plan rule file; return the rules, or None and every problem."""
    problems: list[Problem] = []
    parts: dict[str, BaseModel] = {}
    sources: dict[str, SourceFile] = {}
    for part, (name, model) in PLAN_FILES.items():
        source = read(folder / name, f"plan rule file {name}")
        if source is None:
            continue
        try:
            parts[part] = model.model_validate(source.data)
            sources[part] = source
        except ValidationError as exc:
            problems.extend(source.validation_problems(exc))
    checker = _PlanChecker(framework, approaches, problems)
    for part, model in parts.items():
        getattr(checker, part)(sources[part], model)
    if problems or len(parts) != len(PLAN_FILES):
        return None, problems
    return PlanRules.model_validate(parts), problems


class _PlanChecker:
    """Cross-references of the plan rules against the framework and the approaches."""

    def __init__(self, framework: Framework, approaches: dict[str, Approach],
                 problems: list[Problem]):
        self.framework = framework
        self.approaches = approaches
        self.problems = problems

    def unknown(self, source: SourceFile, loc: tuple, rule_id: str | None, kind: str,
                value: str, known: list[str]) -> None:
        self.problems.append(source.unknown(loc, rule_id, kind, value, known))

    def unique(self, source: SourceFile, loc: tuple, ids: list[str], what: str) -> None:
        self.problems += source.duplicates(loc, ids, what)

    def schedule(self, source: SourceFile, rules: ScheduleRules) -> None:
        self.unique(source, ("milestones",), [m.id for m in rules.milestones], "milestone")
        rounds = self.framework.ids("monitoring_rounds")
        for index, milestone in enumerate(rules.milestones):
            if milestone.monitoring_round and milestone.monitoring_round not in rounds:
                self.unknown(source, ("milestones", index, "monitoring_round"), milestone.id,
                             "monitoring round", milestone.monitoring_round, rounds)

    def safeguards(self, source: SourceFile, rules: SafeguardRules) -> None:
        self.unique(source, ("safeguards",), [s.id for s in rules.safeguards], "safeguard")
        vulnerabilities = self.framework.ids("vulnerabilities")
        dimensions = self.framework.ids("dimensions")
        for index, safeguard in enumerate(rules.safeguards):
            at = ("safeguards", index)
            for i, condition in enumerate(safeguard.when_any):
                for reference in condition.references():
                    # profile conditions name only vulnerabilities (ages and counts are numbers)
                    if reference.value not in vulnerabilities:
                        self.unknown(source, (*at, "when_any", i, *reference.at), safeguard.id,
                                     reference.kind, reference.value, vulnerabilities)
            self.unique(source, (*at, "actions"), [a.id for a in safeguard.actions], "action")
            for i, action in enumerate(safeguard.actions):
                for k, dimension in enumerate(action.flags_needs_in):
                    if dimension not in dimensions:
                        self.unknown(source, (*at, "actions", i, "flags_needs_in", k),
                                     safeguard.id, "dimension", dimension, dimensions)
                if action.approach and action.approach not in self.approaches:
                    self.unknown(source, (*at, "actions", i, "approach"), safeguard.id,
                                 "approach", action.approach, sorted(self.approaches))

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

    def consent(self, source: SourceFile, rules: ConsentRules) -> None:
        fields = [name for name, info in Consent.model_fields.items() if info.annotation is bool]
        self.unique(source, ("clauses",), [c.consent for c in rules.clauses], "consent clause")
        for index, clause in enumerate(rules.clauses):
            if clause.consent not in fields:
                self.unknown(source, ("clauses", index, "consent"), clause.consent,
                             "consent field", clause.consent, fields)
