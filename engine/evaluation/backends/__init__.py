"""Backends find which compiled checks hold for one case's facts; the decision does the rest.

Every backend evaluates the same compiled checks (``engine.evaluation.checks``) and must give
the same holding rule ids: durable_rules is the engine of the one-case path, the plain-Python
reference is the fast path for many cases and the yardstick the other is tested against.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from engine.evaluation.facts import Facts
from engine.model.rulebook import RuleBook


class Backend(Protocol):
    """What the assessment needs from an inference engine, and nothing more."""

    name: str

    def holding(self, facts: Facts) -> set[str]:
        """Rule ids whose checks hold for these facts, joins included."""
        ...


BACKENDS: dict[str, tuple[str, str]] = {
    "durable_rules": ("engine.evaluation.backends.durable", "DurableBackend"),
    "python": ("engine.evaluation.backends.python", "PythonBackend"),
}
"""Each backend by name: its module and class, imported only when it is chosen (durable_rules
starts an engine with threads of its own, which scoring alone never needs)."""


def backend_named(name: str, book: RuleBook) -> Backend:
    """The backend registered as ``name``, built for ``book``."""
    if name not in BACKENDS:
        raise ValueError(f"no inference backend named '{name}': use one of "
                         f"{', '.join(sorted(BACKENDS))}")
    module, cls = BACKENDS[name]
    backend: Backend = getattr(importlib.import_module(module), cls)(book)
    return backend
