"""The office's service directories as the workspace keeps them: rule-file texts in the
database, checked and applied by the engine itself.

The texts are written to a scratch office folder and read with ``load_rules(services=...)``,
the loader the command line's ``--office`` uses: every entry is checked as the shipped
directories are (its fields, its approach ids against the rules, provider ids unique), and
each problem keeps its line and hint; there is no second reader of the format here. The
book the workspace serves is then the shipped book with those directories, made by
``RuleBook.derive``, so a plan names an identity of its own.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine import Problem, RuleBook, RuleErrors, load_rules

THIS = "this directory"
"""How a problem names the text being saved (a file's path in the command line)."""


@dataclass(frozen=True)
class Text:
    """A directory's text and how its problems name it."""

    label: str
    text: str


class DirectoryProblems(Exception):
    """The directories do not validate: ``problems`` are the command line's sentences
    (place and line, rule id, what is wrong, what to do); nothing was saved."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the service directories")


def with_directories(shipped: RuleBook, directories: list[Any]) -> RuleBook:
    """``shipped`` with each country's directory replaced by one of ``directories`` (read
    by ``read``; a new country is added); ``shipped`` itself when there are none."""
    if not directories:
        return shipped
    replaced = {d.country.casefold() for d in directories}
    kept = [d for d in shipped.services if d.country.casefold() not in replaced]
    countries = ", ".join(d.country for d in directories)
    return shipped.derive("office-directories",
                          f"the workspace's own service directories ({countries})",
                          services=[*kept, *directories])


def read(texts: list[Text]) -> list[Any]:
    """``texts`` read by the engine as an office's ``services/`` beside the shipped rules:
    the engine's ServiceDirectory models in the order given (the files are named so, and
    the engine puts an office's directories after the shipped ones it keeps).
    DirectoryProblems with every problem if they, or the shipped rules, do not validate."""
    if not texts:
        return []
    with tempfile.TemporaryDirectory(prefix="reintegrate-directories-") as scratch:
        folder = Path(scratch)
        (folder / "services").mkdir()
        labels = {}
        for index, text in enumerate(texts):
            path = folder / "services" / f"{index:04d}.yaml"
            path.write_text(text.text, encoding="utf-8")
            labels[str(path)] = text.label
        try:
            return load_rules(services=folder).services[-len(texts):]
        except RuleErrors as refused:
            raise DirectoryProblems([str(_named(p, folder, labels))
                                     for p in refused.problems]) from None


def _named(problem: Problem, folder: Path, labels: dict[str, str]) -> Problem:
    """The problem with the scratch file's path replaced by what the admin knows it as."""
    path = str(problem.path)
    if path in labels:
        return replace(problem, path=labels[path])
    if path.startswith(str(folder)):
        return replace(problem, path="the service directories")
    return problem


def shipped_files(shipped: RuleBook) -> dict[str, str]:
    """The shipped directories' texts by file name, to start an office's own from."""
    folder = shipped.root / "services"
    return {path.name: path.read_text(encoding="utf-8")
            for path in sorted(folder.glob("*.y*ml")) if path.is_file()}


def load_shipped() -> RuleBook:
    """The shipped rules read again (kept by the engine per content hash: an edited rule
    file is read anew); DirectoryProblems with every problem if they do not validate."""
    try:
        return load_rules()
    except RuleErrors as refused:
        raise DirectoryProblems([str(p) for p in refused.problems]) from None
