"""An office's own folder, added to the rules without copying them.

A country office keeps, in a folder of its own named with ``--office DIR`` or the
``REINTEGRATE_OFFICE`` environment variable:

- ``services/``: its service directories, one YAML file per country as in
  ``rules/services/``. A country found there replaces the shipped directory of that
  country; a new country is added.
- ``office.yaml``: what it writes once for every plan, ``feedback:`` (how a returnee gives
  feedback or complains, by language: ``{en: ..., fr: ...}``).

The result is a derived rule book (``RuleBook.derive``): its version reads
``...+office``, so a plan says it was not made with the shipped rules alone, and the
shipped files are never touched.
"""

import os
from pathlib import Path
from typing import Annotated

from pydantic import StringConstraints

from engine.errors import Problem, RuleErrors
from engine.loading.rule_files import RuleFiles
from engine.loading.services import load_services
from engine.model.base import Id, RuleModel
from engine.model.rulebook import RuleBook

ENVIRONMENT = "REINTEGRATE_OFFICE"
"""The environment variable naming an office's folder."""


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
    """``book`` with the office's directories (added, or replacing a country's) and its
    feedback text; every entry checked as the shipped ones are (RuleErrors with file and
    line)."""
    if not folder.is_dir():
        raise RuleErrors([Problem(folder, None, "no such office folder",
                                  hint=f"check --office or {ENVIRONMENT}: a folder with "
                                  "services/ (one YAML file per country) and office.yaml")])
    files = RuleFiles(folder)
    office = load_services(files, book.approaches, folder / "services")
    settings = _settings(files, folder / "office.yaml")
    replaced = {d.country.casefold() for d in office}
    kept = [d for d in book.services if d.country.casefold() not in replaced]
    office_ids = {e.id for d in office for e in d.entries}
    for directory in kept:
        for entry in directory.entries:
            if entry.id in office_ids:
                files.problems.append(Problem(
                    folder / "services", None, f"provider id '{entry.id}' is also in the "
                    f"shipped directory of {directory.country}", entry.id,
                    "give the office's entry another id"))
    if files.problems:
        raise RuleErrors(files.problems)
    if not office and settings is None:
        return book
    countries = ", ".join(d.country for d in office) or "no directory"
    plan = book.plan.model_copy(update={"feedback": settings.feedback}) if settings else book.plan
    return book.derive("office", f"the office folder {folder} ({countries})",
                       services=[*kept, *office], plan=plan)


class OfficeSettings(RuleModel):
    """``office.yaml``: what an office writes once for every plan."""

    feedback: dict[Id, Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                         max_length=600)]] = {}
    """How a returnee gives feedback or complains, by language code (en, fr, es, ar)."""


def _settings(files: RuleFiles, path: Path) -> OfficeSettings | None:
    if not path.is_file():
        return None
    source = files.read(path)
    return files.parse(OfficeSettings, source, source.data) if source else None
