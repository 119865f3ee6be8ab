"""The validated rules as one engine-neutral value: what every layer above reads.

It holds models only; reading and checking the files that make it is ``engine.loading``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import ArgumentError, Problem
from engine.model.approaches import Approach
from engine.model.framework import Framework
from engine.model.grids import GridEntry, Question
from engine.model.instrument import Instrument
from engine.model.plan_rules import PlanRules
from engine.model.project_rules import ProjectRules
from engine.model.services import ServiceDirectory, ServiceEntry
from engine.model.weights import WeightSet


@dataclass(frozen=True)
class RuleBook:
    """Every rule, validated and cross-referenced; the single input of scoring and inference."""

    root: Path
    version: str
    framework: Framework
    instrument: Instrument
    weight_sets: dict[str, WeightSet]
    approaches: dict[str, Approach]
    questions: dict[str, Question]
    entries: dict[str, GridEntry]
    plan: PlanRules
    question_files: dict[str, Path] = field(default_factory=dict)
    services: list[ServiceDirectory] = field(default_factory=list)
    project: ProjectRules = field(default_factory=ProjectRules)

    def provider(self, provider_id: str) -> ServiceEntry | None:
        listed = self.listing(provider_id)
        return listed[1] if listed else None

    def listing(self, provider_id: str) -> tuple[ServiceDirectory, ServiceEntry] | None:
        """A provider's entry with the directory (the country) that lists it."""
        return next(((d, e) for d in self.services for e in d.entries if e.id == provider_id),
                    None)

    def directory(self, country: str) -> ServiceDirectory | None:
        """The directory of a country of return, matched without regard to case."""
        key = country.strip().casefold()
        return next((d for d in self.services if d.country.casefold() == key), None)

    def weight_set(self, name: str) -> WeightSet:
        """A shipped set by name (``seed-example`` or ``seed_example``); an unknown name is
        the caller's mistake (a bad argument), not a fault of the rules."""
        key = name.replace("-", "_")
        if key in self.weight_sets:
            return self.weight_sets[key]
        known = ", ".join(sorted(self.weight_sets))
        raise ArgumentError([Problem("--weights", None, f"no weight set named '{name}'",
                                     hint=f"use one of: {known}, or the path of a set file")])
