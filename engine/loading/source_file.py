"""YAML and JSON files read with the line of every key, so errors can point at a line.

ruamel.yaml keeps positions on its round-trip nodes; we turn the document into plain
Python values (what pydantic validates) plus a map from each key path to its line.
Reading is YAML 1.2, so ``yes`` stays the string "yes" instead of becoming ``True``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from engine.errors import Problem

Loc = tuple[str | int, ...]


@dataclass
class SourceFile:
    """A parsed file: its plain data and where each key path starts."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    raw: bytes = b""

    def line(self, *loc: str | int) -> int | None:
        """Line of the deepest known prefix of ``loc`` (1-based)."""
        for end in range(len(loc), -1, -1):
            found = self.lines.get(tuple(loc[:end]))
            if found is not None:
                return found
        return None

    def problem(
        self, loc: Loc, message: str, rule_id: str | None = None, hint: str | None = None
    ) -> Problem:
        return Problem(self.path, self.line(*loc), message, rule_id, hint)

    def unknown(self, loc: Loc, rule_id: str | None, kind: str, value: str,
                known: list[str]) -> Problem:
        """A reference to something the rules do not define, with what they do define."""
        shown = ", ".join(known[:12]) + (" ..." if len(known) > 12 else "")
        return self.problem(loc, f"unknown {kind} '{value}'", rule_id, f"use one of: {shown}")

    def duplicates(self, loc: Loc, ids: list[str], what: str = "id",
                   rule_id: str | None = None) -> list[Problem]:
        """Each id of a list that appeared earlier in it."""
        problems, seen = [], set()
        for index, item in enumerate(ids):
            if item in seen:
                problems.append(self.problem((*loc, index), f"duplicate {what} '{item}'",
                                             rule_id or item, f"each {what} appears once"))
            seen.add(item)
        return problems

    def validation_problems(
        self, error: ValidationError, base: Loc = (), rule_id: str | None = None
    ) -> list[Problem]:
        """Turn pydantic's errors into problems located in this file."""
        problems = []
        for item in error.errors():
            loc = _data_loc(self.data, base, tuple(item["loc"]))
            item = {**item, "loc": loc[len(base) :]}
            problems.append(self.problem(loc, _describe(item), rule_id, _hint(item)))
        return problems


def _data_loc(data: Any, base: Loc, loc: Loc) -> Loc:
    """Drop the parts of a pydantic error location that name union members, not data."""
    node = data
    for part in base:
        node = node[part]
    kept: list[str | int] = list(base)
    for index, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
        elif isinstance(node, dict) and index == len(loc) - 1:
            pass  # a missing or unknown key: keep it, it is what the message names
        else:
            continue
        kept.append(part)
    return tuple(kept)


def _describe(item: Any) -> str:
    loc = ".".join(str(part) for part in item["loc"])
    if item["type"] == "extra_forbidden":
        return f"unknown field '{item['loc'][-1]}'"
    if item["type"] == "missing":
        return f"missing field '{loc}'"
    if item.get("input", "") is None:
        return f"{loc} is empty"
    return f"{loc}: {item['msg']}"


def _hint(item: Any) -> str | None:
    if item["type"] == "extra_forbidden":
        return "check the spelling, or remove the field (see the README for the rule format)"
    if item["type"] == "missing":
        return "add it"
    if item.get("input", "") is None:
        return "fill it in; " + item["msg"].replace("Input should be", "it should be", 1)
    return None


def read_source(path: Path) -> SourceFile | Problem:
    """Read a YAML or JSON file; a syntax error comes back as a located problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(path, None, f"cannot read the file: {exc.strerror}", hint="check the path")
    yaml = YAML(typ="rt", pure=True)
    try:
        node = yaml.load(raw)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return Problem(
            path,
            line,
            f"not valid YAML or JSON: {exc.problem or exc.context}",
            hint="fix the syntax at that line (indentation, a missing ':' or quote)",
        )
    except UnicodeDecodeError:
        return Problem(path, None, "not UTF-8 text", hint="save the file as UTF-8")
    lines: dict[Loc, int] = {}
    data = _plain(node, (), lines)
    return SourceFile(path, data, lines, raw)


def _plain(node: Any, loc: Loc, lines: dict[Loc, int]) -> Any:
    if isinstance(node, CommentedMap):
        lines.setdefault(loc, node.lc.line + 1)
        out = {}
        for key, value in node.items():
            child = (*loc, str(key))
            lines[child] = node.lc.key(key)[0] + 1
            out[str(key)] = _plain(value, child, lines)
        return out
    if isinstance(node, CommentedSeq):
        lines.setdefault(loc, node.lc.line + 1)
        items = []
        for index, value in enumerate(node):
            child = (*loc, index)
            lines[child] = node.lc.item(index)[0] + 1
            items.append(_plain(value, child, lines))
        return items
    for plain_type in (str, bool, int, float):  # drop ruamel's scalar subclasses
        if isinstance(node, plain_type):
            return plain_type(node)
    return node


def yaml_files(folder: Path) -> Iterable[Path]:
    """Rule files of a folder in a stable order."""
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file())
