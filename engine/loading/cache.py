"""Parse the rules once per content hash: validated books and translations, kept in the
process and on disk.

Reading the rules with their line numbers (ruamel's round-trip parser) costs most of a cold
CLI start; yet line numbers only matter when a problem must be reported, and only valid
rules are ever kept here. Entries are keyed by the rules version (the content hash of every
rule file), so an edited rule file is simply a new key. On disk they live under
``$XDG_CACHE_HOME/reintegrate/`` (or ``~/.cache/reintegrate/``), written atomically and
stamped with a hash of the code that reads and models the rules: a file that is
unreadable, truncated or from another version of the package is ignored and rewritten.
``REINTEGRATE_CACHE=0`` turns the disk cache off. Nothing personal is ever kept: rules only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pydantic

from engine.model.rulebook import RuleBook
from engine.model.translation import Translation

_memory: dict[str, Any] = {}


def cached_book(root: Path, version: str) -> RuleBook | None:
    """The validated book of these rules, if they were validated before (in any folder)."""
    book = _get(f"{version}-book")
    return _moved(book, root) if isinstance(book, RuleBook) else None


def keep_book(book: RuleBook) -> None:
    _put(f"{book.version}-book", book)


def cached_translation(book: RuleBook, language: str) -> Translation | None:
    translation = _get(f"{book.version}-{language}")
    return translation if isinstance(translation, Translation) else None


def keep_translation(book: RuleBook, language: str, translation: Translation) -> None:
    _put(f"{book.version}-{language}", translation)


def _moved(book: RuleBook, root: Path) -> RuleBook:
    """The same rules read from another folder (a copy): paths point into that folder."""
    if book.root == root:
        return book
    return dataclasses.replace(book, root=root, question_files={
        question: root / path.relative_to(book.root)
        for question, path in book.question_files.items()})


def _get(name: str) -> Any:
    if name in _memory:
        return _memory[name]
    folder = _folder()
    if folder is None:
        return None
    try:
        stamp, value = pickle.loads((folder / f"{name}.pickle").read_bytes())
    except Exception:  # absent, truncated, or written by other code: parse the rules instead
        return None
    if stamp != _code_stamp():
        return None
    _memory[name] = value
    return value


def _put(name: str, value: Any) -> None:
    _memory[name] = value
    folder = _folder()
    if folder is None:
        return
    with contextlib.suppress(OSError, pickle.PicklingError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump((_code_stamp(), value), out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, folder / f"{name}.pickle")
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def _folder() -> Path | None:
    if os.environ.get("REINTEGRATE_CACHE", "1") == "0":
        return None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "reintegrate"


@cache
def _code_stamp() -> str:
    """What a kept book depends on besides the rules: the code that checks and models them
    (an edited checker may refuse what an older one let through), Python and pydantic."""
    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}".encode())
    engine = Path(__file__).resolve().parents[1]
    for path in sorted([*engine.glob("model/*.py"), *engine.glob("loading/*.py")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
