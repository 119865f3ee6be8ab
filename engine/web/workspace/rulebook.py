"""The rule book the workspace serves, and the engine's objects made from it (pipeline,
drafter, question ranking), held once per process.

The book is the shipped rules with the office's own service directories from the database
(``directories.with_directories``, a ``RuleBook.derive``). Every outcome the workspace
stores names the book's identity (the hash of its validated content), so a plan says which
rules it was drafted with even after the rules change.

Workers are separate processes, each holding its own book. The database keeps one
``RulesGeneration`` row that every change of the rules (a directory saved or deleted, the
admin's reload) moves on in the same transaction; before each request (``FollowRules``)
a process reads it (one query on a one-row table) and builds its book again when it
moved. Rules that do not validate are never counted as a change: the change is refused
with the problems, and every process keeps the book it has.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from functools import cached_property

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse

from engine import Drafter, Pipeline, RuleBook, Settling
from engine.web.workspace import audit
from engine.web.workspace.directories import (
    DirectoryProblems,
    Text,
    load_shipped,
    read,
    with_directories,
)
from engine.web.workspace.models import OfficeDirectory, RulesGeneration, User

log = logging.getLogger(__name__)

Generation = tuple[int, str | None]
"""The database's (number, stamp) of the rules; (0, None) before the first change."""


class Served:
    """A book and the generation it was built at; the engine's objects made on first use."""

    def __init__(self, generation: Generation, book: RuleBook):
        self.generation = generation
        self.book = book

    @cached_property
    def pipeline(self) -> Pipeline:
        return Pipeline(self.book)

    @cached_property
    def drafter(self) -> Drafter:
        return Drafter(self.book)

    @cached_property
    def settling(self) -> Settling:
        return Settling(self.book)


_held: list[Served] = []
"""This process's book (none until first asked)."""


def book() -> RuleBook:
    return _served().book


def pipeline() -> Pipeline:
    return _served().pipeline


def drafter() -> Drafter:
    return _served().drafter


def settling() -> Settling:
    return _served().settling


def _served() -> Served:
    if not _held:
        follow()
    return _held[0]


def generation() -> Generation:
    """The database's generation, read before every request: in SQL, as the ORM would
    spend 200-300 µs of CPU building this query against 17 µs for running it."""
    table = connection.ops.quote_name(RulesGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, stamp FROM {table} WHERE id = 1")
        number, stamp = cursor.fetchone() or (0, None)
    return number, None if stamp is None else uuid.UUID(str(stamp)).hex


def follow() -> None:
    """Hold the book of the database's generation, built again if it moved. If it does
    not build (shipped files edited badly since the change, or a package upgrade that
    dropped an approach a saved directory names), keep the book held, or hold the shipped
    rules alone in a process that has none: the workspace goes on serving, the log says
    so (no personal data) and the admin's reload lists the problems."""
    now = generation()
    if _held and _held[0].generation == now:
        return
    try:
        served = Served(now, build())
    except DirectoryProblems as refused:
        fallback = _held[0].book if _held else load_shipped()
        log.warning("the rules of change %s do not validate (%d problems): serving %s; "
                    "the admin's Reload the rules lists them", now[0], len(refused.problems),
                    fallback.identity)
        served = Served(now, fallback)  # not tried again at every request
    _held[:] = [served]


def build() -> RuleBook:
    """The shipped rules read again, with the database's directories; DirectoryProblems
    if either does not validate."""
    texts = saved_texts(OfficeDirectory.objects.order_by("country"))
    return with_directories(load_shipped(), read(texts))


def saved_texts(rows: Iterable[OfficeDirectory]) -> list[Text]:
    return [Text(f"the saved directory of {d.country}", d.text) for d in rows]


def hold_generation() -> RulesGeneration:
    """The generation row, locked until the caller's transaction ends, so two changes of
    the rules are checked and counted one after the other."""
    row = RulesGeneration.objects.select_for_update().filter(pk=1).first()
    return row or RulesGeneration.objects.create(pk=1)


def count_change(user: User, action: str, target: object,
                 candidate: RuleBook | None) -> RulesGeneration:
    """Move the generation on and audit ``action`` on ``target``, in the caller's
    transaction; once it commits this process holds ``candidate`` (the book the change
    makes), and every other process builds it at its next request."""
    row = hold_generation()
    row.number += 1
    row.stamp = uuid.uuid4()
    row.save()
    audit.record(user, action, target)  # type: ignore[arg-type]
    if candidate is not None:
        served = Served((row.number, row.stamp.hex), candidate)
        transaction.on_commit(lambda: _held.__setitem__(slice(None), [served]))
    return row


def reload(user: User) -> RuleBook:
    """The admin's reload: the shipped rule files read again and the database's
    directories applied, served by every process from its next request.
    DirectoryProblems (nothing changes; the refusal is audited) if they do not validate."""
    try:
        with transaction.atomic():
            row = hold_generation()
            candidate = build()
            count_change(user, "reload", row, candidate)
    except DirectoryProblems:
        audit.record(user, "reload", None, outcome="failed")
        raise
    return candidate


class FollowRules:
    """Middleware: before each request, serve the database's generation of the rules."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        follow()
        return self.get_response(request)
