"""Parse the rules once per content hash: validated books and translations, kept in the
process and on disk, as data.

Reading the rules with their line numbers (ruamel's round-trip parser) costs about half of a
cold CLI start; yet line numbers only matter when a problem must be reported, and only valid
rules are ever kept here. Entries are keyed by the rules version (the content hash of every
rule file), so an edited rule file is simply a new key. ``REINTEGRATE_CACHE=0`` turns the
disk cache off. Nothing personal is ever kept: rules only, and the plan templates' compiled
code (``engine.presentation.template_cache``), which is signed the same way.

Trust model (a review ran its own code and flipped scores through the earlier pickle cache):

- **Data only.** An entry is JSON, read back through the same pydantic models that check
  the rule files: nothing in it can run, and what does not fit the models is ignored.
- **Signed with a key only this user can read.** Each entry carries an HMAC-SHA256 of its
  content, its name and the code that reads the rules, under a random key kept in the cache
  folder (``key``, mode 0600). An entry written by other code, edited, or copied from another
  account does not verify and is parsed again from the rule files, then rewritten.
- **A private folder, regular files.** The folder (``$XDG_CACHE_HOME/reintegrate/`` or
  ``~/.cache/reintegrate/``) is created with mode 0700; one that is not a real folder, not
  owned by this user, or open to others is not used (one sentence on stderr says why and
  how to fix it, as ssh does for its keys). Entries are opened without following links and
  without blocking: a FIFO, a device or a link at an entry's name is refused the same way.

What it does not defend against: someone who can already write as this user (they can edit
the rule files, or this package, just as well).

Entries this code can never read are removed when it writes one (``_prune``): the pickles
and unstamped JSON of earlier versions at once, another code's entries once a month has
passed since it wrote them (two installs used by one account keep each other's entries
while both are in use). Only names the cache itself makes are touched; the key, compiled
templates and anything else in the folder stay.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import pydantic
from pydantic import TypeAdapter

from engine.model.rulebook import RuleBook
from engine.model.translation import Translation
from engine.storage import write_file

FORMAT = b"reintegrate-rules-cache 1 "
"""First bytes of an entry: the format, then the hex HMAC and a newline, then the JSON."""
_LARGEST_ENTRY = 32 * 1024 * 1024
_KEY_BYTES = 32

_VERSION = r"[0-9a-f]{12}(?:\+[a-z0-9_]+)*"
"""A rules version as entry names spell it: the content hash, then ``+office`` and the like."""
_EARLIER_ENTRY = re.compile(rf"{_VERSION}(?:-[0-9a-f]{{12}})?-[a-z_]+\.pickle"
                            rf"|{_VERSION}-[a-z_]+\.json")
"""Names of entries no version of this code reads: the pickle cache's (unsafe, issue 13), and
JSON entries named before they carried the code's stamp."""
_STAMPED_ENTRY = re.compile(rf"{_VERSION}-(?P<stamp>[0-9a-f]{{12}})-[a-z_]+\.json")
OTHER_CODE_KEPT = 30 * 24 * 3600
"""Seconds another code's entry is kept after it was written: that install may still be in
use (a checkout beside an installed package); a month unused costs it one parse."""

_log = logging.getLogger(__name__)
_memory: dict[str, Any] = {}
_said: set[str] = set()
_pruned: set[Path] = set()


def cached_book(root: Path, version: str) -> RuleBook | None:
    """The validated book of these rules, if they were validated before (in any folder)."""
    book = _get(_entry(version, "book"), _adapter(RuleBook))
    return _moved(book, root) if isinstance(book, RuleBook) else None


def keep_book(book: RuleBook) -> None:
    """Kept with its identity (the hash of its content) worked out: every later start that
    evaluates would otherwise serialise the whole book again to hash it (about 20 ms)."""
    book.identity  # noqa: B018  (computed and set on the book, then written with it)
    _put(_entry(book.version, "book"), book, _adapter(RuleBook))


def cached_translation(book: RuleBook, language: str) -> Translation | None:
    translation = _get(_entry(book.version, language), _adapter(Translation))
    return translation if isinstance(translation, Translation) else None


def keep_translation(book: RuleBook, language: str, translation: Translation) -> None:
    _put(_entry(book.version, language), translation, _adapter(Translation))


def _entry(version: str, part: str) -> str:
    """An entry's name: the rules version and the code that reads them. Two installs of
    different code used by one account (a checkout beside an installed package) would
    otherwise overwrite each other's entry at every start, each refusing the other's
    signature and parsing every rule file again."""
    return f"{version}-{_code_stamp()[:12]}-{part}"


def _moved(book: RuleBook, root: Path) -> RuleBook:
    """The same rules read from another folder (a copy): paths point into that folder."""
    if book.root == root:
        return book
    return dataclasses.replace(book, root=root, question_files={
        question: root / path.relative_to(book.root)
        for question, path in book.question_files.items()})


@cache
def _adapter(kind: type) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _get(name: str, adapter: TypeAdapter[Any]) -> Any:
    if name in _memory:
        return _memory[name]
    payload = _read_signed(name, ".json")
    if payload is None:
        return None
    try:
        value = adapter.validate_json(payload)
    except pydantic.ValidationError:
        return None
    _memory[name] = value
    return value


def _put(name: str, value: Any, adapter: TypeAdapter[Any]) -> None:
    _memory[name] = value
    try:
        # by alias, as rule files write fields; a union member that cannot tell its own tag
        # is found by its type (no warning): kept only if it reads back as the same value
        payload = adapter.dump_json(value, by_alias=True, warnings=False)
        if adapter.validate_json(payload) != value:
            return
    except (pydantic.PydanticSerializationError, pydantic.ValidationError):
        return
    _write_signed(name, ".json", payload)


def cached_bytes(name: str) -> bytes | None:
    """Bytes kept by ``keep_bytes`` under this name, if they verify (signed as the rules are).

    For derived artefacts that are not rules but cost a start as much (compiled templates):
    the same folder, key and refusals, so there is one trust model to reason about."""
    return _read_signed(name, ".bin")


def keep_bytes(name: str, payload: bytes) -> None:
    _write_signed(name, ".bin", payload)


def _read_signed(name: str, suffix: str) -> bytes | None:
    folder = private_folder()
    key = folder and _key(folder)
    if folder is None or key is None:
        return None
    data = _read_private(folder / f"{name}{suffix}", _LARGEST_ENTRY)
    if data is None or not data.startswith(FORMAT):
        return None
    signature, _, payload = data[len(FORMAT):].partition(b"\n")
    if not hmac.compare_digest(signature, _signature(key, name, payload)):
        return None  # other code, edited, or from another account: make it again
    return payload


def _write_signed(name: str, suffix: str, payload: bytes) -> None:
    folder = private_folder()
    key = folder and _key(folder)
    if folder is None or key is None:
        return
    try:
        write_file(folder / f"{name}{suffix}", FORMAT + _signature(key, name, payload) + b"\n"
                   + payload, replace=True, mode=0o600)
    except OSError:
        return  # a cache that cannot be written is only slower
    _prune(folder)


def _prune(folder: Path) -> None:
    """Remove the entries this code never reads (see the module's note), once a process:
    an unread entry was kept for ever (a folder of 1,200 files, 100 MB of old pickles and
    books). Only a regular file whose name the cache makes is removed."""
    if folder in _pruned:
        return
    _pruned.add(folder)
    ours = _code_stamp()[:12]
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        stamped = _STAMPED_ENTRY.fullmatch(name)
        if not (_EARLIER_ENTRY.fullmatch(name) or (stamped and stamped["stamp"] != ours)):
            continue
        path = folder / name
        try:
            found = os.lstat(path)
            if not stat.S_ISREG(found.st_mode):
                continue
            if stamped and time.time() - found.st_mtime < OTHER_CODE_KEPT:
                continue
            path.unlink()
        except OSError:
            continue  # gone already, or not ours to remove: left as it is


def _signature(key: bytes, name: str, payload: bytes) -> bytes:
    message = b"\0".join([_code_stamp().encode(), name.encode(), payload])
    return hmac.new(key, message, hashlib.sha256).hexdigest().encode()


def private_folder() -> Path | None:
    """The cache folder, created private; None if the cache is off or the folder cannot be
    trusted (said once, with the fix)."""
    if os.environ.get("REINTEGRATE_CACHE", "1") == "0":
        return None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    folder = Path(base) / "reintegrate"
    try:
        Path(base).mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        found = os.lstat(folder)
    except OSError:
        return None  # a read-only home: run without the cache
    problem = _untrusted(found, "folder")
    if problem:
        _say(f"Not using the rules cache {folder}: {problem}; run 'chmod 700 {folder}' if "
             "it is yours, or remove it (REINTEGRATE_CACHE=0 turns the cache off).")
        return None
    return folder


def _untrusted(found: os.stat_result, kind: str) -> str | None:
    """Why a cache folder or file cannot be trusted, or None."""
    wanted = stat.S_ISDIR if kind == "folder" else stat.S_ISREG
    if not wanted(found.st_mode):
        return f"it is not a {'folder' if kind == 'folder' else 'regular file'}"
    if found.st_uid != os.geteuid():
        return f"it belongs to another user (uid {found.st_uid})"
    if found.st_mode & 0o077:
        return f"other users have access to it (mode {stat.S_IMODE(found.st_mode):04o})"
    return None


def _read_private(path: Path, largest: int) -> bytes | None:
    """A regular file of this user's, readable by no one else; None if absent or refused.
    Never follows a link and never waits on a FIFO."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            _refuse_entry(path, "it is a symbolic link")
        return None
    try:
        found = os.fstat(descriptor)
        problem = _untrusted(found, "file")
        if problem:
            _refuse_entry(path, problem)
            return None
        if found.st_size > largest:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return stream.read(largest + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _refuse_entry(path: Path, problem: str) -> None:
    _say(f"Not using the rules cache file {path}: {problem}; it will be replaced by a "
         "regular private file if it can be.")


def _key(folder: Path) -> bytes | None:
    """This account's signing key, made on first use. One that is damaged, or was refused
    (a link, a FIFO, readable by others: someone may have read it) is replaced; a new key
    only costs parsing the rules once more."""
    path = folder / "key"
    key = _read_private(path, 4 * _KEY_BYTES)
    if key is not None and len(key) == 2 * _KEY_BYTES:
        return key
    try:  # a new key, unless another process has just made one: then use theirs
        write_file(path, secrets.token_hex(_KEY_BYTES).encode(),
                   replace=os.path.lexists(path), mode=0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    key = _read_private(path, 4 * _KEY_BYTES)
    return key if key is not None and len(key) == 2 * _KEY_BYTES else None


def _say(sentence: str) -> None:
    if sentence not in _said:
        _said.add(sentence)
        _log.warning(sentence)


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
