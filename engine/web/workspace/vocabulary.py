"""The workspace's configuration words (roles, closure reasons), read from vocabulary.yaml.

Kept as data so an office can read and change them without reading code; the models
store ids, and pages show the names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    sees: str
    approves_plans: bool = False
    administers: bool = False


@dataclass(frozen=True)
class ClosureReason:
    id: str
    name: str


@dataclass(frozen=True)
class Vocabulary:
    roles: tuple[Role, ...]
    closure_reasons: tuple[ClosureReason, ...]
    plan_deadline_milestone: str

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)


@cache
def vocabulary() -> Vocabulary:
    data = YAML(typ="safe").load((Path(__file__).parent / "vocabulary.yaml").read_text("utf-8"))
    return Vocabulary(tuple(Role(**r) for r in data["roles"]),
                      tuple(ClosureReason(**r) for r in data["closure_reasons"]),
                      data["plan_deadline_milestone"])


def role_choices() -> list[tuple[str, str]]:
    return [(r.id, r.name) for r in vocabulary().roles]


def closure_choices() -> list[tuple[str, str]]:
    return [(r.id, r.name) for r in vocabulary().closure_reasons]
