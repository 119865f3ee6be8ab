"""Recording answers in a case file, as a case manager would by hand, without editing YAML.

``ID=VALUE``: an RSS element and one of its choice ids, a grid question and yes, no or
blank (not asked yet), or a case field by its dotted path (``profile.age=24``). The file is
edited in place through ruamel's round trip, so its comments, its order and every answer
not given stay as they were; the new text is checked as a whole case before it replaces
the old one, so a wrong answer is refused with its line and nothing is lost.
"""

from __future__ import annotations

import dataclasses
import io
import json
import tempfile
from datetime import date
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from engine.case.model import Case
from engine.case.reading import CASE_LIMITS, CaseReading, read_case
from engine.errors import ArgumentError, CaseError, Problem
from engine.loading.bounded_yaml import decode
from engine.loading.source_file import did_you_mean, read_source
from engine.model.rulebook import RuleBook

SECTIONS = {"rss": "rss", "grid": "grid_answers"}
BLANK = ("", "blank", "none", "unanswered")


@dataclasses.dataclass(frozen=True)
class Answer:
    """One answer to record: ``kind`` is rss, grid or field; ``value`` None clears it."""

    kind: str
    key: str
    value: Any


def parse_answers(assignments: list[str], book: RuleBook) -> list[Answer]:
    """``ID=VALUE`` pairs checked against the rules; ArgumentError naming every bad one."""
    answers, problems = [], []
    for assignment in assignments:
        key, equals, raw = assignment.partition("=")
        key, raw = key.strip(), raw.strip()
        try:
            if not equals or not key:
                raise ValueError("write it as ID=VALUE, e.g. currently_working=no")
            answers.append(_answer(key, raw, book))
        except ValueError as exc:
            problems.append(Problem(assignment, None, str(exc).split(" — ")[0],
                                    hint=str(exc).partition(" — ")[2] or None))
    if problems:
        raise ArgumentError(problems)
    return answers


def _answer(key: str, raw: str, book: RuleBook) -> Answer:
    element = book.instrument.element(key)
    if element is not None:
        if raw.lower() in BLANK:
            return Answer("rss", key, None)
        names = [c.name for c in element.choices]
        if raw not in names:
            raise ValueError(f"'{raw}' is not a choice of {key} — {did_you_mean(raw, names)}"
                             f"use one of: {', '.join(names)}")
        return Answer("rss", key, raw)
    if key in book.questions:
        word = raw.lower()
        if word in BLANK:
            return Answer("grid", key, None)
        if word not in ("yes", "no", "y", "n"):
            raise ValueError(f"{key} is a yes/no question — answer yes, no or blank")
        return Answer("grid", key, "yes" if word.startswith("y") else "no")
    if "." in key or key in Case.model_fields:
        return Answer("field", key, (raw or None) if _is_text(key) else _scalar(raw))
    known = [e.id for e in book.instrument.elements] + sorted(book.questions)
    raise ValueError(f"no RSS element, grid question or case field '{key}' — "
                     f"{did_you_mean(key, known)}run 'reintegrate rules show' to list the ids")


def _is_text(key: str) -> bool:
    """Whether the field at this dotted path holds text only (goals, a place, a contact).

    Its value is taken as typed: read as YAML, "#1 find work" was a comment (saved as an
    empty goal, and "Saved" said) and "Office line: +221 ..." a mapping (refused)."""
    model: Any = Case
    *parents, last = key.split(".")
    for part in parents:
        field = getattr(model, "model_fields", {}).get(part)
        inner = [t for t in _types(field.annotation) if hasattr(t, "model_fields")] if field else []
        if not inner:
            return False
        model = inner[0]
    field = getattr(model, "model_fields", {}).get(last)
    return field is not None and _types(field.annotation) - {type(None)} == {str}


def _types(annotation: Any) -> set[Any]:
    """The types a field's annotation allows, through Annotated and unions."""
    if get_origin(annotation) is Annotated:
        return _types(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return set().union(*(_types(arg) for arg in get_args(annotation)))
    return {annotation}


def _scalar(raw: str) -> Any:
    """A field's value read as YAML 1.2 reads it (24 is a number, 2026-11-02 a date, and
    [a, b] a list); the whole case is checked afterwards."""
    if raw == "":
        return None
    try:
        value = YAML(typ="safe", pure=True).load(raw)  # a list ([emergency_return]) stays one
    except YAMLError:  # the value is not quoted back: it may be the returnee's own words
        raise ValueError("the value cannot be read — check its brackets and quotes: a list "
                         "is [a, b], a mapping {key: value}") from None
    if isinstance(value, list) and "{" not in raw and any(isinstance(v, dict) for v in value):
        # [a, call me: +221 ...]: YAML reads an item holding ": " as a key and its value
        raise ValueError("an item of the list holds ': ' and so reads as a key and a value — "
                         'put that item in quotes: [a, "call me: +221 ..."]')
    return value


def record_answers(path: Path, book: RuleBook, answers: list[Answer],
                   today: date | None = None) -> CaseReading:
    """Write ``answers`` into the case file at ``path`` and return it read again.

    The new text is read and checked as a case first (from a private temporary copy);
    only then does it replace the file, through the package's one writer
    (``engine.storage``: fsync, then an atomic rename, and only if the file is still the
    one that was read, so an edit made meanwhile is never overwritten). A wrong answer, a
    power cut or a concurrent edit leaves the old file whole. CaseError, located at the
    file's own lines; FileExistsError when the file changed meanwhile."""
    from engine.storage import write_file
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)  # "  - approach: ..." as case files have it
    try:
        seen = path.stat()  # before reading: a change made after the read is then seen
    except OSError:
        seen = None
    source = read_source(path, CASE_LIMITS)  # a folder, a missing file, a tab, Latin-1...
    if isinstance(source, Problem):
        raise CaseError([source])
    if not isinstance(source.data, dict):
        raise CaseError([Problem(path, 1, "a case file is a mapping of fields",
                                 hint="see 'Case file' in the README")])
    text = decode(source.raw)  # the same text the bounded reader accepted
    data = yaml.load(text)
    for answer in answers:
        _set(data, answer)
    if text.lstrip().startswith("{"):  # JSON stays JSON, one field a line:
        # ruamel wrote a JSON case back as a single line of flow YAML
        encoded = (json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode()
    else:
        written = io.StringIO()
        yaml.dump(data, written)
        encoded = written.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="reintegrate-answer-") as folder:
        trial = Path(folder) / path.name
        trial.write_bytes(encoded)
        try:
            reading = read_case(trial, book, today)
        except CaseError as exc:
            raise CaseError([dataclasses.replace(p, path=path) for p in exc.problems]) from None
    write_file(path, encoded, unchanged=seen or path.stat())
    source = reading.source and dataclasses.replace(reading.source, path=path)
    return dataclasses.replace(
        reading, source=source,
        warnings=[dataclasses.replace(w, path=path) for w in reading.warnings])


def _set(data: CommentedMap, answer: Answer) -> None:
    if answer.kind == "field":
        *parents, last = answer.key.split(".")
        node = data
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = CommentedMap()
            node = node[part]
        node[last] = _styled(answer.value)
        return
    section = SECTIONS[answer.kind]
    if not isinstance(data.get(section), dict):
        data[section] = CommentedMap()
    answers = data[section]
    if isinstance(answers, CommentedMap) and answers.fa.flow_style():
        answers.fa.set_block_style()  # a blank case's "grid_answers: {}" grows as a block
    value = answer.value
    answers[answer.key] = DoubleQuotedScalarString(value) if value in ("yes", "no") else value


def _styled(value: Any) -> Any:
    """A list of words on one line (``[a, b]``), as the case files write them, and a small
    mapping too (``{amount: 0, currency: GNF}``); a list of mappings as a block. (A block
    list after a key with a comment would be written below the comments that follow.)"""
    if isinstance(value, list):
        seq = CommentedSeq(_styled(item) for item in value)
        if all(not isinstance(item, list | dict) for item in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        mapping = CommentedMap((key, _styled(item)) for key, item in value.items())
        if len(value) <= 3 and all(not isinstance(v, list | dict) for v in value.values()):
            mapping.fa.set_flow_style()
        return mapping
    return value
