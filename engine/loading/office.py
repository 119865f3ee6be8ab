"""An office's own service directories, added to the rules without copying them.

A country office keeps its directories (one YAML file per country, as in
``rules/services/``) in a folder of its own, named with ``--services DIR`` or the
``REINTEGRATE_SERVICES`` environment variable. A country found there replaces the shipped
directory of that country; a new country is added. The result is a derived rule book
(``RuleBook.derive``): its version reads ``...+office-services``, so a plan says it was
not made with the shipped rules alone, and the shipped files are never touched.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.errors import Problem, RuleErrors
from engine.loading.rule_files import RuleFiles
from engine.loading.services import load_services
from engine.model.rulebook import RuleBook

ENVIRONMENT = "REINTEGRATE_SERVICES"
"""The environment variable naming an office's folder of service directories."""


_chosen: list[Path | None] = [None]
"""The folder a front door chose for this run (the CLI's ``--services``)."""


def choose_office_folder(folder: Path | None) -> None:
    """Set (or, with None, clear) the folder for this run; the environment is the default."""
    _chosen[0] = folder


def office_folder(given: Path | None = None) -> Path | None:
    """The folder given, else the one chosen for this run, else the one the environment
    names, else None."""
    if given is not None or _chosen[0] is not None:
        return given or _chosen[0]
    named = os.environ.get(ENVIRONMENT, "").strip()
    return Path(named) if named else None


def with_office_services(book: RuleBook, folder: Path) -> RuleBook:
    """``book`` with the directories of ``folder`` added, or replacing a country's; every
    entry checked as the shipped ones are (RuleErrors with file and line)."""
    if not folder.is_dir():
        raise RuleErrors([Problem(folder, None, "no such folder of service directories",
                                  hint=f"check --services or {ENVIRONMENT}: a folder of "
                                  "one YAML file per country, as rules/services/")])
    files = RuleFiles(folder)
    office = load_services(files, book.approaches, folder)
    replaced = {d.country.casefold() for d in office}
    kept = [d for d in book.services if d.country.casefold() not in replaced]
    office_ids = {e.id for d in office for e in d.entries}
    for directory in kept:
        for entry in directory.entries:
            if entry.id in office_ids:
                files.problems.append(Problem(
                    folder, None, f"provider id '{entry.id}' is also in the shipped directory "
                    f"of {directory.country}", entry.id,
                    "give the office's entry another id"))
    if files.problems:
        raise RuleErrors(files.problems)
    if not office:
        return book
    countries = ", ".join(d.country for d in office)
    return book.derive("office-services", f"service directories of {folder} ({countries})",
                       services=[*kept, *office])
