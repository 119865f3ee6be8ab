"""The validated rules as one engine-neutral value: what every layer above reads.

It holds models only; reading and checking the files that make it is ``engine.loading``'s job.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine.errors import ArgumentError, Problem, RuleErrors
from engine.model.approaches import Approach
from engine.model.framework import Framework
from engine.model.grids import GridEntry, Question
from engine.model.instrument import Instrument
from engine.model.plan_rules import PlanRules
from engine.model.project_rules import ProjectRules
from engine.model.services import ServiceDirectory, ServiceEntry
from engine.model.weights import WeightSet

CONTENT_FIELDS = ("framework", "instrument", "weight_sets", "approaches", "questions", "entries",
                  "plan", "services", "project")
"""What the engine evaluates and prints: the content a book's identity is the hash of."""


@dataclass(frozen=True)
class Derivation:
    """How a book was made from another: a named, described change (an OpenFisca reform)."""

    parent_identity: str
    parent_version: str
    name: str
    description: str


@dataclass(frozen=True)
class RuleBook:
    """Every rule, validated and cross-referenced; the single input of scoring and inference.

    ``version`` is what users see: for rules read from files, the content hash of those files
    (``reintegrate --version``). ``identity`` is the hash of the validated content itself, so
    a changed copy (``derive``) can never be mistaken for its parent by anything that caches
    per book: compiled checks, a backend's registered ruleset, a kept result.
    """

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
    derived_from: Derivation | None = None
    content_identity: str | None = field(default=None, repr=False)
    """Set only where the content is known not to differ in what is evaluated (a copy with
    its texts translated); otherwise computed from the content when first asked."""

    @property
    def identity(self) -> str:
        if self.content_identity is None:
            object.__setattr__(self, "content_identity", _content_hash(self))
        return self.content_identity  # type: ignore[return-value]

    def derive(self, name: str, description: str, **changes: Any) -> "RuleBook":
        """A copy with ``changes`` (whole fields: ``entries``, ``weight_sets``...), validated
        again as rule files are, with an identity of its own and a record of the change.

        Its ``version`` reads ``PARENT+name`` so that a person sees it is not the shipped
        rules; RuleErrors (with the change's name as the place) if the change breaks a rule.
        """
        unknown = set(changes) - set(CONTENT_FIELDS)
        if unknown:
            raise TypeError(f"derive() changes rule content only, not {sorted(unknown)}")
        revalidated = {key: _revalidated(value) for key, value in changes.items()}
        book = replace(self, **revalidated, version=f"{self.version}+{name}",
                       derived_from=Derivation(self.identity, self.version, name, description),
                       content_identity=None)
        problems = [Problem(f"derived rules '{name}'", None, message, rule_id)
                    for rule_id, message in _unresolved(book)]
        if problems:
            raise RuleErrors(problems)
        return book

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


def _content_hash(book: RuleBook) -> str:
    """sha-256 over a canonical JSON form of every content field (key order does not count)."""
    digest = hashlib.sha256()
    for name in CONTENT_FIELDS:
        digest.update(name.encode())
        digest.update(json.dumps(_plain(getattr(book, name)), sort_keys=True,
                                 ensure_ascii=False, default=str).encode())
    return digest.hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", warnings=False)  # a kind defined outside the
        # rule files (a test's) serialises by its own fields, which is all a hash needs
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _revalidated(value: Any) -> Any:
    """A changed part checked as if it had been read from a file (``model_copy(update=...)``
    and hand-built models skip validation: a threshold of 7 would otherwise pass)."""
    if isinstance(value, BaseModel):
        return type(value).model_validate(value.model_dump())
    if isinstance(value, dict):
        return {k: _revalidated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_revalidated(v) for v in value]
    return value


def _unresolved(book: RuleBook) -> Iterator[tuple[str, str]]:
    """References a changed book no longer resolves: (rule id, what is wrong)."""
    known = {
        "score": {*book.framework.ids("dimensions"), "composite"},
        "element": {e.id for e in book.instrument.elements},
        "vulnerability": set(book.framework.ids("vulnerabilities")),
    }
    for key, entry in book.entries.items():
        if key != entry.approach or entry.approach not in book.approaches:
            yield key, f"grid entry for unknown approach '{entry.approach}'"
        for condition in entry.indicated_if_any:
            for reference in condition.references():
                if reference.kind == "choice":
                    element = book.instrument.element(reference.scope or "")
                    if element is None or element.choice(reference.value) is None:
                        yield key, f"'{reference.value}' is no choice of '{reference.scope}'"
                elif reference.value not in known[reference.kind]:
                    yield key, f"unknown {reference.kind} '{reference.value}'"
        asked = [use.question for criterion in entry.criteria.values()
                 if not isinstance(criterion, str) for use in criterion.questions]
        asked += [a.question for option in entry.feasibility for a in option.when]
        for question in asked:
            if question not in book.questions:
                yield key, f"unknown question '{question}'"
        for option in entry.feasibility:
            if option.modality not in book.framework.ids("modalities"):
                yield key, f"unknown modality '{option.modality}'"
    for set_id, weight_set in book.weight_sets.items():
        missing = known["element"] - set(weight_set.weights)
        if missing:
            yield set_id, f"no weight for {', '.join(sorted(missing))}"
