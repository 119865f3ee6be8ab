"""Reading rule files and collecting their problems, shared by every rule family's loader.

Every problem is collected, never raised at the first (pySigma's ``collect_errors``), and a
rule that failed its own check is remembered by id: a reference to it elsewhere is not
reported again as "unknown", so an author sees the cause once and no knock-on noise.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml.error import YAMLError

from engine.errors import Problem
from engine.loading.source_file import SourceFile, read_source
from engine.model.framework import Framework

M = TypeVar("M", bound=BaseModel)

UNREADABLE_HINT = "save the rule file as UTF-8 YAML (see the README for the rule format)"


class RuleFiles:
    """The problems found so far, and the ids of rules that exist but did not validate."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.broken: defaultdict[str, set[str]] = defaultdict(set)
        self.unreadable: set[str] = set()

    # -- reading ---------------------------------------------------------------------------

    def read(self, path: Path) -> SourceFile | None:
        """A rule file as a mapping with lines, or None after recording why it cannot be."""
        source = _read_once(path)
        if isinstance(source, Problem):
            self.problems.append(source)
            return None
        if not isinstance(source.data, dict):
            self.problems.append(Problem(path, 1, "expected a mapping of fields at the top",
                                         hint="see the README for the rule format"))
            return None
        return source

    def require_file(self, path: Path, what: str) -> SourceFile | None:
        if not path.is_file():
            self.problems.append(
                Problem(path, None, f"missing {what}", hint="restore it from the repository"))
            return None
        return self.read(path)

    def parse(self, model: type[M], source: SourceFile, data: Any, loc: tuple = (),
              rule_id: str | None = None) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(source.validation_problems(exc, loc, rule_id))
            return None

    def parse_each(self, model: type[M], source: SourceFile, field: str, kind: str,
                   key: str = "id") -> Iterator[tuple[int, M]]:
        """Validate the items of a top-level list one by one, so one bad item does not hide
        the others. A failed item's id (its ``key`` field, if text) is remembered as broken.
        """
        items = source.data.get(field)
        if not isinstance(items, list):  # reported by the file's own check; which rules it
            self.mark_unreadable(kind)   # held is unknown, so references to them are not
            return
        for index, item in enumerate(items):
            raw_id = item.get(key) if isinstance(item, dict) else None
            rule_id = raw_id if isinstance(raw_id, str) else None
            parsed = self.parse(model, source, item, (field, index), rule_id)
            if parsed is None:
                if rule_id:
                    self.broken[kind].add(rule_id)
                continue
            yield index, parsed

    def parse_header(self, model: type[M], source: SourceFile,
                     parts: tuple[str, ...]) -> M | None:
        """Validate a file without its big collections (``parts``), which the caller checks
        item by item: one bad item then costs that item only, not the whole file."""
        header = {k: (type(v)() if k in parts and isinstance(v, list | dict) else v)
                  for k, v in source.data.items()}
        return self.parse(model, source, header)

    def mark_unreadable(self, *kinds: str) -> None:
        """Every rule of these kinds is unknown (their file could not be read): references
        to them are not checked, so the one problem that matters is not buried."""
        self.unreadable.update(kinds)

    # -- shared checks ---------------------------------------------------------------------

    def no_duplicates(self, source: SourceFile, loc: tuple, ids: list[tuple[int, str]],
                      rule_id: str | None = None, what: str = "id") -> None:
        """Each id (with its index in the list at ``loc``) that appeared earlier in it."""
        seen: set[str] = set()
        for index, item in ids:
            if item in seen:
                self.problems.append(source.problem((*loc, index), f"duplicate {what} '{item}'",
                                                    rule_id or item, f"each {what} appears once"))
            seen.add(item)

    def unknown(self, source: SourceFile, loc: tuple, rule_id: str | None, kind: str,
                value: str, known: list[str]) -> None:
        """Report a reference to an undefined rule, unless that rule exists but is broken."""
        if kind not in self.unreadable and value not in self.broken[kind]:
            self.problems.append(source.unknown(loc, rule_id, kind, value, known))


def _read_once(path: Path) -> SourceFile | Problem:
    """A rule file parsed once per content in this process: a copy of the rules with one
    file changed (every rule test, every edit-and-validate) re-parses that file only.
    The parsed data is shared, so it is read, never changed, by the loaders."""
    try:
        key = hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return _read_guarded(path)  # says why it cannot be read
    kept = _PARSED.get(key)
    if kept is not None:
        return dataclasses.replace(kept, path=path)
    source = _read_guarded(path)
    if isinstance(source, SourceFile):
        if len(_PARSED) >= PARSED_KEPT:
            _PARSED.clear()
        _PARSED[key] = source
    return source


_PARSED: dict[bytes, SourceFile] = {}
PARSED_KEPT = 256
"""Distinct rule-file contents kept parsed; a bound for long-lived processes."""


def _read_guarded(path: Path) -> SourceFile | Problem:
    """The reader's answer; whatever it raises on a hostile file becomes a located problem
    (binary or Latin-1 bytes, a Python tag, nesting too deep), never a traceback."""
    try:
        return read_source(path)
    except RecursionError:
        return Problem(path, 1, "the file is nested too deeply to be a rule file",
                       hint=UNREADABLE_HINT)
    except YAMLError as exc:
        position = getattr(exc, "position", None)
        line = _line_of(path, position) if isinstance(position, int) else 1
        return Problem(path, line, "not UTF-8 YAML text (binary, another encoding, or a "
                       "control character)", hint=UNREADABLE_HINT)
    except (TypeError, ValueError, AttributeError):
        return Problem(path, 1, "not a plain YAML document (a tag such as !!python, or a "
                       "value YAML cannot hold)", hint=UNREADABLE_HINT)


def _line_of(path: Path, position: int) -> int:
    try:
        return path.read_bytes()[:position].count(b"\n") + 1
    except OSError:
        return 1


def known_answerer(files: RuleFiles, source: SourceFile, loc: tuple, rule_id: str,
                   answerer: str | None, framework: Framework) -> None:
    """An ``answered_by`` names one of the framework's answerers (or is left out)."""
    known = framework.ids("answerers")
    if answerer is not None and answerer not in known:
        files.unknown(source, loc, rule_id, "answerer", answerer, known)
