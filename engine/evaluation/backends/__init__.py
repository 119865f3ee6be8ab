"""Backends find which compiled checks hold for one case's facts; the decision does the rest.

Every backend evaluates the same compiled checks (``engine.evaluation.checks``) and must give
the same holding rule ids: durable_rules is the engine of the one-case path where it loads,
the plain-Python reference is the path for many cases (and wherever durable_rules cannot be
installed: its last release does not import on Python 3.13) and the yardstick the other is
tested against.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Protocol

from engine.errors import ArgumentError, Problem
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

PREFERENCE = ("durable_rules", "python")
"""The default is the first of these that loads here."""


@cache
def unavailable(name: str) -> str | None:
    """Why a backend cannot be loaded on this Python (one sentence), or None if it can."""
    try:
        importlib.import_module(BACKENDS[name][0])
    except ImportError as exc:
        return f"{exc.name or 'its engine'} cannot be loaded here ({exc.msg})"
    return None


def default_backend() -> str:
    return next(name for name in PREFERENCE if unavailable(name) is None)


def check_backend_name(name: str | None) -> str:
    """The backend to use for ``name`` (None: the default); an unknown or unloadable name is
    the caller's mistake, told in one sentence."""
    if name is None:
        return default_backend()
    if name not in BACKENDS:
        raise ArgumentError([Problem("--backend", None, f"no inference backend named "
                                     f"'{name}'", hint=f"use one of: {', '.join(BACKENDS)}")])
    why = unavailable(name)
    if why is not None:
        raise ArgumentError([Problem("--backend", None, f"the {name} backend {why}",
                                     hint=f"use --backend {default_backend()}")])
    return name


def backend_named(name: str, book: RuleBook) -> Backend:
    """The backend registered as ``name``, built for ``book``."""
    module, cls = BACKENDS[check_backend_name(name)]
    backend: Backend = getattr(importlib.import_module(module), cls)(book)
    return backend
