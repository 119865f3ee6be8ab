"""Writing a plan to a file or to standard output without ever losing the user's data.

Three promises, each because a review lost data without them:

- **Never over an input, never over someone's file.** The output may not be any input
  (compared by resolved path and by device and inode, so a symlink or a hard link to the
  case file is caught), even with ``--force``. An existing file is replaced only if it is an
  earlier output: its extension names the format being written and it carries the plan's
  marker (``PLAN_MARKER``: the HTML ``<meta name="generator">``, the Markdown closing
  ``[//]: # "…"`` line, which renders as nothing, the PDF's Creator); anything else needs
  ``--force``.
- **All or nothing, checked at the last moment.** The document is written by
  ``engine.storage.write_file``: a temporary file, flushed and fsynced, given the target's
  name only if what is there is still what was checked when the command started. A full
  disk, a kill, any error, or a file that appeared while the plan was drafted leaves the
  target as it was.
- **A clear sentence, exit 2.** A missing or read-only folder or a full disk is an
  ``OutputError``, never a traceback (standard output's own failures are reported for every
  command by ``engine.cli.standard_output``).
"""

from __future__ import annotations

import os
import re
import sys
import zlib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from engine.storage import write_file

FORMATS = {"html": "HTML", "pdf": "PDF", "md": "Markdown"}
FORMAT_OF_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                    ".pdf": "pdf"}

PLAN_MARKER = b"reintegrate plan"
"""What the templates write into every plan, so that an earlier plan can be recognised."""
_MARKER_IN = {"md": b'[//]: # "' + PLAN_MARKER + b'"',
              "html": b'<meta name="generator" content="' + PLAN_MARKER + b'">',
              "pdf": b"/Creator (" + PLAN_MARKER + b")"}
_HEAD_AND_TAIL = 4096
"""Bytes read at each end of a Markdown or HTML file to find the marker."""
_LARGEST_EARLIER_PDF = 64 * 1024 * 1024
_LARGEST_OBJECT_STREAM = 4 * 1024 * 1024
"""Inflated bytes read of each object stream: a plan's are a few KiB, a hostile one unbounded."""
_OBJECT_STREAM = re.compile(rb"<<[^<>]*/Type\s*/ObjStm[^<>]*>>\s*stream\r?\n")


class OutputError(Exception):
    """The plan cannot be written where asked; the message says why and what to do."""


def plan_format(output: Path | None, fmt: str | None) -> str:
    """The format to write: from ``--format`` or the file's extension, which must agree.

    A file must end in a plan extension, so that a plan never lands in a ``.yaml`` or any
    other kind of file by a slip of the tab key.
    """
    if fmt is not None and fmt not in FORMATS:
        raise OutputError(f"Unknown format '{fmt}': use html, pdf or md.")
    if output is None:
        return fmt or "md"
    inferred = FORMAT_OF_SUFFIX.get(output.suffix.lower())
    if inferred is None:
        raise OutputError(f"{output}: a plan file must end in .md, .html, .htm or .pdf "
                          "(its format follows from the extension).")
    if fmt is not None and fmt != inferred:
        raise OutputError(f"{output} names a {FORMATS[inferred]} file but --format is {fmt}: "
                          "drop --format or change the file name.")
    return inferred


@dataclass(frozen=True)
class Target:
    """Where a plan goes, and what was there when the command started: only that earlier
    plan may be replaced (or anything, with ``--force``)."""

    path: Path
    force: bool
    earlier: os.stat_result | None


def writable_target(output: Path, fmt: str, inputs: list[Path], force: bool) -> Target:
    """The plan file to write, once it is safe to (``replaceable_target``): only an earlier
    plan in this format is replaced, unless ``force``."""
    return replaceable_target(output, inputs, force, lambda path: is_earlier_output(path, fmt),
                              f"a {FORMATS[fmt]} plan", "or add --force to replace it")


def replaceable_target(output: Path, inputs: list[Path], force: bool,
                       earlier_output: Callable[[Path], bool], kind: str,
                       hint: str = "or move that file away first") -> Target:
    """The file to write (the symlink's target if ``output`` is one), once it is safe to.

    Raises ``OutputError`` if it is an input, sits in a missing folder, is not a regular
    file, or exists without being ``kind`` written by this program (``earlier_output``),
    unless ``force``. The check is made again when the file is put in place
    (``write_atomically``): a file that appears or changes meanwhile survives.
    """
    target = output.expanduser().resolve()
    for source in inputs:
        if target == source.resolve() or _same_file(target, source):
            raise OutputError(f"{output} is an input of this command ({source}): it is never "
                              "replaced. Choose another output file.")
    if not target.parent.is_dir():
        raise OutputError(f"The folder {target.parent} does not exist: create it or choose "
                          "another output file.")
    earlier = None
    if target.exists() or target.is_symlink():
        if not target.is_file():
            raise OutputError(f"{output} exists and is not a regular file: choose another "
                              "output file.")
        if not force and not earlier_output(target):
            raise OutputError(f"{output} exists and is not {kind} written by this program: "
                              f"choose another file name, {hint}.")
        earlier = target.stat()
    return Target(target, force, earlier)


def _same_file(first: Path, second: Path) -> bool:
    """Same device and inode (a hard link), for two files that exist."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def is_earlier_output(path: Path, fmt: str) -> bool:
    """True if ``path`` is a plan this program wrote in ``fmt``, by extension and marker."""
    if FORMAT_OF_SUFFIX.get(path.suffix.lower()) != fmt:
        return False
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if fmt != "pdf":
                head = stream.read(_HEAD_AND_TAIL)
                stream.seek(max(0, size - _HEAD_AND_TAIL))
                return _MARKER_IN[fmt] in head + stream.read()
            if size > _LARGEST_EARLIER_PDF:
                return False
            return _pdf_has_marker(stream.read())
    except OSError:
        return False


def _pdf_has_marker(data: bytes) -> bool:
    """The marker in the PDF's Creator, which WeasyPrint writes in a compressed object
    stream (or in the clear in an uncompressed PDF)."""
    if not data.startswith(b"%PDF-"):
        return False
    if _MARKER_IN["pdf"] in data:
        return True
    view = memoryview(data)
    for match in _OBJECT_STREAM.finditer(data):
        with suppress(zlib.error):
            inflated = zlib.decompressobj().decompress(view[match.end():], _LARGEST_OBJECT_STREAM)
            if _MARKER_IN["pdf"] in inflated:
                return True
    return False


def write_atomically(target: Target | Path, data: bytes) -> None:
    """Put the plan in place all at once, or leave the target as it was
    (``engine.storage``). Without ``--force`` only the earlier plan seen at the start may be
    replaced: a file that appeared or changed meanwhile is kept, and this is an error."""
    if isinstance(target, Path):
        target = Target(target, force=True, earlier=None)
    try:
        write_file(target.path, data, replace=target.force, unchanged=target.earlier)
    except FileExistsError:
        raise OutputError(f"{target.path} appeared or changed while the plan was drafted and "
                          "was left as it is: choose another file name, or add --force to "
                          "replace it.") from None
    except OSError as exc:
        raise OutputError(_failure(target.path, exc)) from None


def _failure(target: Path, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    kept = " The previous file is unchanged." if target.exists() else ""
    return f"Could not write {target}: {reason}.{kept}"


def write_stdout(text: str) -> None:
    """Print a document on standard output; a failure there is the front door's to report
    (``engine.cli.standard_output``), like any command's."""
    sys.stdout.write(text)
    sys.stdout.flush()
