"""Backends find which compiled checks hold for one case's facts; the decision does the rest.

Every backend evaluates the same compiled checks (``engine.evaluation.checks``) and must give
the same holding rule ids: durable_rules is the engine of the one-case path, the plain-Python
reference is the fast path for many cases and the yardstick the other is tested against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from engine.evaluation.backends.durable import DurableBackend
from engine.evaluation.backends.python import PythonBackend
from engine.evaluation.facts import Facts
from engine.model.rulebook import RuleBook


class Backend(Protocol):
    """What the assessment needs from an inference engine, and nothing more."""

    name: str

    def holding(self, facts: Facts) -> set[str]:
        """Rule ids whose checks hold for these facts, joins included."""
        ...


BACKENDS: dict[str, Callable[[RuleBook], Backend]] = {
    DurableBackend.name: DurableBackend,
    PythonBackend.name: PythonBackend,
}


def backend_named(name: str, book: RuleBook) -> Backend:
    """The backend registered as ``name``, built for ``book``."""
    if name not in BACKENDS:
        raise ValueError(f"no inference backend named '{name}': use one of "
                         f"{', '.join(sorted(BACKENDS))}")
    return BACKENDS[name](book)
