"""YAML and JSON text turned into plain values under limits, so no file hangs or exhausts us.

Why not ``YAML().load``: ruamel's loader copies every alias ("billion laughs" with ten levels
grew to 13.7 GB), recurses once per nesting level (RecursionError a few thousand levels
down), constructs ``!!python`` tags into crashes, and builds a 50 MB string or 1.5 million
keys before anything can object. Here the parser's events are read one at a time (the
parser keeps its own stack, not Python's) and every limit is checked before the value it
guards is built. An alias is not copied: it points at the same plain value, and its full
expanded size is counted against the item budget, so nested aliases fail at the level that
crosses it. Scalars are resolved as YAML 1.2 (``yes`` stays a string) by ruamel's own
resolver and constructors, so values are the ones the round-trip loader used to give.
The events come from libyaml (``ruamel.yaml.clib``) where it is installed, 20 times faster
than ruamel's pure-Python parser, which serves where it is not.
"""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
)
from ruamel.yaml.nodes import ScalarNode

Loc = tuple[str | int, ...]

MiB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """How much one file may hold; past a limit reading stops with a problem naming it."""

    max_bytes: int = 20 * MiB
    max_depth: int = 64
    max_string: int = 100_000
    max_items: int = 100_000
    """Keys, values and list items together, an alias counted at its expanded size."""
    max_aliases: int = 1_000
    max_digits: int = 30


RULE_LIMITS = ReadLimits()
"""Rule files are written by the project and can be large (a whole language's texts)."""


class Refusal(Exception):
    """A file that cannot be read, with the line where reading stopped and what to do."""

    def __init__(self, line: int | None, message: str, hint: str):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_YAML_TAG + name for name in
                         ("str", "int", "float", "bool", "null", "timestamp"))
_COLLECTION_TAGS = frozenset((_YAML_TAG + "map", _YAML_TAG + "seq"))
_NOT_YAML_TEXT = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PLAIN_TYPES = (bool, int, float, str)  # ruamel's ScalarInt, ScalarFloat... become these
_ALIAS_HINT = "write the values out; anchors and aliases are for small repeated texts"


def decode(raw: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed, UTF-16 with one too), or a refusal."""
    if raw.startswith(codecs.BOM_UTF8):
        text = raw[len(codecs.BOM_UTF8):]
        encoding = "utf-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = raw, "utf-16"
    else:
        text, encoding = raw, "utf-8"
        nul = raw.find(b"\0")
        if nul >= 0:
            raise Refusal(raw.count(b"\n", 0, nul) + 1,
                          "not UTF-8 text: it holds NUL bytes (UTF-16 without a byte-order mark, "
                          "or not a text file at all)", "save the file as UTF-8 text")
    try:
        decoded = text.decode(encoding)
    except UnicodeDecodeError as exc:
        line = text[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise Refusal(line, "not UTF-8 text (Latin-1, another encoding, or not text at all)",
                      "save the file as UTF-8 text") from None
    bad = _NOT_YAML_TEXT.search(decoded)
    if bad:
        raise Refusal(decoded.count("\n", 0, bad.start()) + 1,
                      f"holds a control character (U+{ord(bad.group()):04X}) that YAML and "
                      "JSON text may not contain", "remove it, or export the file again as "
                      "UTF-8 text")
    return decoded


@dataclass
class _Collection:
    """A mapping or list being filled, with what its anchor will need to know."""

    value: dict[str, Any] | list[Any]
    loc: Loc
    anchor: str | None
    size: int = 1
    key: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)


class EventReader:
    """Builds plain values and key lines from a parser's events, one event at a time."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.lines: dict[Loc, int] = {}
        self.stack: list[_Collection] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.items = 0
        self.aliases = 0
        self.documents = 0
        self.root: Any = None
        self._yaml = YAML(typ="safe")
        self._scalars = ScalarReader(limits, self._yaml)

    def read(self, text: str) -> Any:
        quoted: ScalarEvent | None = None
        try:
            for event in self._yaml.parse(text):
                if isinstance(event, ScalarEvent) and event.style in ("'", '"'):
                    quoted = event
                self._take(event)
        except MarkedYAMLError as exc:
            raise _syntax_refusal(exc, quoted, text) from None
        except YAMLError:
            raise Refusal(None, "not valid YAML or JSON",
                          "check the file is YAML or JSON text") from None
        return self.root

    def _take(self, event: Event) -> None:
        line = event.start_mark.line + 1
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise Refusal(line, "a second YAML document ('---') in one file",
                              "keep one document per file")
        elif isinstance(event, ScalarEvent):
            self._anchor_allowed(event, line)
            value = self._scalars.read(event, line, self._field)
            self._count(1, line)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._add(value, 1, line, scalar=True)
        elif isinstance(event, CollectionStartEvent):
            self._open(event, line)
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            done = self.stack.pop()
            if done.anchor:
                self.anchors[done.anchor] = (done.value, done.size)
            self._add(done.value, done.size, line, scalar=False, placed=True)
        elif isinstance(event, AliasEvent):
            self._alias(event, line)

    def _open(self, event: CollectionStartEvent, line: int) -> None:
        if len(self.stack) >= self.limits.max_depth:
            raise Refusal(line, f"nested more than {self.limits.max_depth} levels deep",
                          "check the brackets and indentation; these files need only a "
                          "few levels")
        if event.tag not in (None, "!") and event.tag not in _COLLECTION_TAGS:
            raise _tag_refusal(event.tag, line, self._field())
        self._anchor_allowed(event, line)
        self._count(1, line)
        loc = self._child_loc(line)
        self.lines.setdefault(loc, line)
        empty: dict[str, Any] | list[Any] = {} if isinstance(event, MappingStartEvent) else []
        self.stack.append(_Collection(empty, loc, event.anchor))

    def _alias(self, event: AliasEvent, line: int) -> None:
        found = self.anchors.get(event.anchor)
        if found is None:  # the alias name is not echoed: it may be anything the user typed
            raise Refusal(line, "an alias ('*') names no anchor ('&') defined above it",
                          _ALIAS_HINT)
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            raise Refusal(line, f"more than {self.limits.max_aliases} aliases ('*')",
                          _ALIAS_HINT)
        value, size = found
        self._count(size, line)
        self._add(value, size, line, scalar=not isinstance(value, (dict, list)))

    def _anchor_allowed(self, event: Any, line: int) -> None:
        if event.anchor and len(self.anchors) >= self.limits.max_aliases:
            raise Refusal(line, f"more than {self.limits.max_aliases} anchors ('&')",
                          _ALIAS_HINT)

    def _count(self, size: int, line: int) -> None:
        self.items += size
        if self.items > self.limits.max_items:
            raise Refusal(line, f"more than {self.limits.max_items:,} keys and items "
                          "(aliases counted at their expanded size)",
                          "split the data or remove repetition")

    def _field(self) -> str:
        """The key path being read, as a message prefix (keys are names, never values)."""
        if not self.stack:
            return ""
        parent = self.stack[-1]
        loc = (*parent.loc, parent.key) if parent.key is not None else parent.loc
        return ".".join(_shorten(str(part)) for part in loc) + ": " if loc else ""

    def _child_loc(self, line: int) -> Loc:
        """Where the collection opening now goes; a mapping or list cannot be a key."""
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            return (*parent.loc, len(parent.value))
        if parent.key is None:
            raise _key_refusal(line)
        return (*parent.loc, parent.key)

    def _add(self, value: Any, size: int, line: int, scalar: bool,
             placed: bool = False) -> None:
        """Put a finished value into the collection being filled (or make it the root).

        ``placed``: a closed collection, whose line was noted when it opened."""
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.value, list):
            if not placed:
                self.lines[(*parent.loc, len(parent.value))] = line
            parent.value.append(value)
        elif parent.key is None:
            if not scalar:
                raise _key_refusal(line)
            self._key(parent, value, line)
        else:
            parent.value[parent.key] = value
            parent.key = None

    def _key(self, parent: _Collection, value: Any, line: int) -> None:
        key = str(value)
        first = parent.key_lines.get(key)
        if first is not None:  # named with its line; the values may be personal data
            raise Refusal(line, f"duplicate key '{_shorten(key)}' (first at line {first})",
                          "keep one of them")
        parent.key_lines[key] = line
        parent.key = key
        self.lines[(*parent.loc, key)] = line

class ScalarReader:
    """One scalar's plain value: resolved as YAML 1.2, within the string and digit limits.

    Only YAML's own scalar tags are accepted; ruamel's constructors turn the text into
    numbers, booleans and dates exactly as the round-trip loader did."""

    def __init__(self, limits: ReadLimits, yaml: YAML):
        self.limits = limits
        self._yaml = yaml

    def read(self, event: ScalarEvent, line: int, field: Callable[[], str]) -> Any:
        """The plain value of a scalar event; ``field`` names where it is, for messages."""
        text = event.value
        if len(text) > self.limits.max_string:
            raise Refusal(line, f"{field()}a text longer than "
                          f"{self.limits.max_string:,} characters",
                          "shorten it; long documents belong outside this file")
        if event.tag == "!":
            return text
        resolve = self._yaml.resolver.resolve
        tag = event.tag or str(resolve(ScalarNode, text, event.implicit))
        if tag not in _SCALAR_TAGS:
            if tag == _YAML_TAG + "merge":
                raise Refusal(line, "merge keys ('<<') are not supported", _ALIAS_HINT)
            raise _tag_refusal(tag, line, field())
        kind = tag[len(_YAML_TAG):]
        if kind == "str":
            return text
        if event.tag and str(resolve(ScalarNode, text, (True, False))) != tag:
            # ruamel's constructors assume text its resolver chose for them
            raise Refusal(line, f"{field()}the value does not fit its tag "
                          f"'!!{kind}'", "remove the tag, or write a value of that type")
        if kind in ("int", "float") and sum(c.isdigit() for c in text) > self.limits.max_digits:
            raise Refusal(line, f"{field()}a number with more than "
                          f"{self.limits.max_digits} digits",
                          "check the value; no field needs a number that long")
        construct = getattr(self._yaml.constructor, f"construct_yaml_{kind}")
        try:
            value = construct(ScalarNode(tag, text))
        except ValueError:  # a date such as 2026-13-01 matches the pattern but is no day
            raise Refusal(line, f"{field()}not a valid "
                          f"{'date' if kind == 'timestamp' else kind}",
                          "write a date as year-month-day, e.g. 2026-09-15"
                          if kind == "timestamp" else "check the value") from None
        if kind == "float":
            _check_range(text, value, line, field)
        for plain_type in _PLAIN_TYPES:
            if isinstance(value, plain_type):
                return plain_type(value)
        return value


def _check_range(text: str, value: float, line: int, field: Callable[[], str]) -> None:
    """A number written but not held: ``1e-400`` would silently become 0 and ``1e400``
    infinity (``.inf`` as written is left to the field's own check)."""
    mantissa = text.lower().partition("e")[0]
    if value == 0 and any(digit in mantissa for digit in "123456789"):
        raise Refusal(line, f"{field()}a number too small to be held (it would become 0)",
                      "write 0, or check the exponent")
    if math.isinf(value) and "inf" not in text.lower():
        raise Refusal(line, f"{field()}a number too large to be held",
                      "check the exponent; no field needs a number that large")


_YAML_TAG_NAME = re.compile(r"[a-z][a-z0-9/:._]{0,39}")


def _syntax_refusal(exc: MarkedYAMLError, quoted: ScalarEvent | None, text: str) -> Refusal:
    """The parser's complaint at its line, except where a quote left open is the cause:
    then the line that opens it (the parser only stumbles where the runaway text ends);
    and a tab in the indentation is named (an editor shows it as spaces)."""
    mark = exc.problem_mark or exc.context_mark
    if mark is not None:
        lines = text.split("\n")
        row = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in row[: len(row) - len(row.lstrip())]:
            return Refusal(mark.line + 1, "a tab indents this line; YAML indents with spaces "
                           "only", "replace the tab with spaces")
    if exc.context_mark and "quoted scalar" in str(exc.context):
        return Refusal(exc.context_mark.line + 1, "a quote opened at this line is never "
                       "closed", "close it on the same line, or remove it")
    if (quoted is not None and mark is not None
            and quoted.start_mark.line < quoted.end_mark.line == mark.line):
        return Refusal(quoted.start_mark.line + 1, "a quote opened at this line is closed "
                       f"only at line {quoted.end_mark.line + 1}, and the file stops making "
                       "sense there", "close the quote on the line it opens")
    return Refusal(mark.line + 1 if mark else None,
                   f"not valid YAML or JSON: {exc.problem or exc.context}",
                   "fix the syntax at that line (indentation, a missing ':' or quote)")


def _tag_refusal(tag: str, line: int, field: str = "") -> Refusal:
    """A tag is named only if it is one of YAML's own (``!!python/object``, ``!!binary``):
    any other ``!word`` may be the first word of free text (``goals: !Important …``), and
    a message never quotes free text."""
    name = tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else None
    if name is not None and _YAML_TAG_NAME.fullmatch(name):
        return Refusal(line, f"{field}the tag '!!{name}' is not allowed",
                       "remove the tag; write a plain value (text, number, yes/no, date, "
                       "list or mapping)")
    return Refusal(line, f"{field}a tag (a word starting with '!') is not allowed",
                   "remove it; a text that starts with '!' is written in quotes")


def _key_refusal(line: int) -> Refusal:
    return Refusal(line, "a mapping or list is used as a key",
                   "a key is a plain name followed by ':'")


def _shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
