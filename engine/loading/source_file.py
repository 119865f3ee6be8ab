"""YAML and JSON files read with the line of every key, so errors can point at a line.

The parser's events carry positions; ``bounded_yaml`` turns them into plain Python values
(what pydantic validates) plus a map from each key path to its line, within limits, so
a hostile or broken file ends in a located problem instead of a traceback or a hang.
Reading is YAML 1.2, so ``yes`` stays the string "yes" instead of becoming ``True``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.errors import Problem
from engine.loading.bounded_yaml import (
    RULE_LIMITS,
    EventReader,
    Loc,
    MiB,
    ReadLimits,
    Refusal,
    decode,
)

SUGGESTIONS = 50
"""As many as the command line prints problems (``engine.cli.command.SHOWN_PROBLEMS``)."""
QUOTED_LENGTH = 60
"""Longest id or name a message quotes whole: every id of the rules is far shorter, and a
99,000-character one would otherwise make a 99 KB line. Longer ones are cut and counted."""


def quoted(value: object) -> str:
    """An id or a name as a message quotes it: in quotes, cut at ``QUOTED_LENGTH``."""
    return f"'{shortened(value)}'"


def shortened(value: object) -> str:
    text = str(value)
    if len(text) <= QUOTED_LENGTH:
        return text
    return f"{text[:QUOTED_LENGTH - 1]}… ({len(text):,} characters)"


@dataclass
class SourceFile:
    """A parsed file: its plain data and where each key path starts."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    raw: bytes = b""
    suggested: int = field(default=0, repr=False)
    """Nearest names suggested so far: after ``SUGGESTIONS``, none (see ``suggest``)."""

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
        return Problem(self.path, self.line(*loc), message,
                       None if rule_id is None else shortened(rule_id), hint)

    def unknown(self, loc: Loc, rule_id: str | None, kind: str, value: str,
                known: list[str]) -> Problem:
        """A reference to something the rules do not define, with what they do define."""
        shown = ", ".join(known[:12]) + (" ..." if len(known) > 12 else "")
        return self.problem(loc, f"unknown {kind} {quoted(value)}", rule_id,
                            f"{self.suggest(value, known)}use one of: {shown}")

    def suggest(self, value: str, known: Iterable[str]) -> str:
        """``did_you_mean`` for the first ``SUGGESTIONS`` unknown names of this file: only
        those are printed, and on thousands (a pasted column) the search took seconds."""
        self.suggested += 1
        return did_you_mean(value, known) if self.suggested <= SUGGESTIONS else ""

    def duplicates(self, loc: Loc, ids: list[str], what: str = "id",
                   rule_id: str | None = None) -> list[Problem]:
        """Each id of a list that appeared earlier in it."""
        problems, seen = [], set()
        for index, item in enumerate(ids):
            if item in seen:
                problems.append(self.problem((*loc, index), f"duplicate {what} {quoted(item)}",
                                             rule_id or item, f"each {what} appears once"))
            seen.add(item)
        return problems

    def validation_problems(
        self, error: ValidationError, base: Loc = (), rule_id: str | None = None
    ) -> list[Problem]:
        """Turn pydantic's errors into problems located in this file."""
        problems = []
        missing = [tuple(item["loc"]) for item in error.errors() if item["type"] == "missing"]
        for item in error.errors():
            loc = _data_loc(self.data, base, tuple(item["loc"]))
            item = {**item, "loc": loc[len(base) :]}
            hint = _hint(item)
            if item["type"] == "extra_forbidden":  # 'returne_id' beside a missing 'returnee_id'
                *parent, name = item["loc"]
                siblings = [str(m[-1]) for m in missing if list(m[:-1]) == parent]
                hint = did_you_mean(str(name), siblings) + (hint or "")
            problems.append(self.problem(loc, _describe(item), rule_id, hint))
        return problems


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """The nearest known name as the start of a hint ("did you mean 'x'? "), or nothing."""
    if len(value) > QUOTED_LENGTH:  # no id is that long; and difflib's time grows with it
        return ""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


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


_PATTERN_WORDS = {
    "^[a-z][a-z0-9_]*$": "should be an id: lowercase letters, digits and '_', starting with a "
                         "letter (e.g. very_dissatisfied)",
    "^[a-z]{2}$": "should be a two-letter language code (e.g. fr)",
    "^[A-Z]{3}$": "should be a currency's ISO 4217 code, three capital letters (e.g. USD)",
}
"""Patterns of the rule model said in words: a reader should not have to decode a regex."""

_DATE_ERRORS = frozenset({"date_from_datetime_parsing", "date_parsing", "date_type",
                          "date_from_datetime_inexact"})
_PLAIN_WORDS = {**dict.fromkeys(_DATE_ERRORS, "not a date"),
                "int_from_float": "not a whole number"}
_PLAIN_HINTS = {**dict.fromkeys(_DATE_ERRORS, "write it as year-month-day, e.g. 2026-09-15 "
                                "(12/03/2025 could be 12 March or 3 December)"),
                "int_from_float": "write a whole number, e.g. 24",
                "literal_error": "write one of them as written here: case files use these "
                "English words whatever the plan's language"}
"""pydantic's parser errors said as what is wrong and what to write ("Input should be a
valid date or datetime, invalid character in year" told nobody to write 2025-03-12)."""


def _describe(item: Any) -> str:
    loc = ".".join(shortened(part) for part in item["loc"])
    if item["type"] == "string_pattern_mismatch":
        words = _PATTERN_WORDS.get(item.get("ctx", {}).get("pattern", ""), "has the wrong form")
        return f"{loc}: {words}"
    if item["type"] == "extra_forbidden":
        return f"unknown field {quoted(item['loc'][-1])}"
    if item["type"] == "missing":
        return f"missing field '{loc}'"
    if item.get("input", "") is None:
        return f"{loc} is empty"
    if item["type"] in _PLAIN_WORDS:
        return f"{loc}: {_PLAIN_WORDS[item['type']]}"
    return f"{loc}: {item['msg']}"


def _hint(item: Any) -> str | None:
    if item["type"] == "extra_forbidden":
        return "check the spelling, or remove the field (see the README for the format)"
    if item["type"] == "missing":
        return "add it"
    if item.get("input", "") is None:
        return "fill it in; " + item["msg"].replace("Input should be", "it should be", 1)
    if item["type"] == "bool_type":
        return "write true or false"
    return _PLAIN_HINTS.get(item["type"])


def read_source(path: Path, limits: ReadLimits = RULE_LIMITS) -> SourceFile | Problem:
    """Read a YAML or JSON file within ``limits``; anything unreadable is a located problem.

    Nothing in the file can make this raise, hang or grow without bound: see
    ``bounded_yaml`` for how each limit is checked before the value it guards is built.
    """
    try:
        with path.open("rb") as stream:
            raw = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        return Problem(path, None, f"cannot read the file: {exc.strerror}", hint="check the path")
    if len(raw) > limits.max_bytes:
        return Problem(path, None, f"larger than the limit of {limits.max_bytes // MiB} MiB",
                       hint="check this is the right file; split it if it really is this big")
    reader = EventReader(limits)
    try:
        data = reader.read(decode(raw))
    except Refusal as refusal:
        return Problem(path, refusal.line, refusal.message, hint=refusal.hint)
    return SourceFile(path, data, reader.lines, raw)


def yaml_files(folder: Path) -> Iterable[Path]:
    """Rule files of a folder in a stable order."""
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file())
