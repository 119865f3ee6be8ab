"""The engine's objects the workspace asks, made once per process: the shipped rule book
(validated and cached by the engine), its pipeline, drafter and question ranking.

Every outcome the workspace stores names the book's identity (``RuleBook.identity``, the
hash of its validated content), so a plan says which rules it was drafted with even after
the rules change.
"""

from __future__ import annotations

from functools import cache

from engine import Drafter, Pipeline, RuleBook, Settling, load_rules


@cache
def book() -> RuleBook:
    return load_rules()


@cache
def pipeline() -> Pipeline:
    return Pipeline(book())


@cache
def drafter() -> Drafter:
    return Drafter(book())


@cache
def settling() -> Settling:
    return Settling(book())
