"""The ``reintegrate`` program: every command, with standard output that fails in words.

A review found tracebacks for ``score CASE > /dev/full``, an ``AttributeError`` for
``plan CASE >&-``, and commands that exited 0 having printed nothing into a closed stdout.
Standard output is therefore wrapped for the whole run (every command, ``--help`` and
``--version``, and the flush at exit): a write that fails stops the program with one
sentence on stderr and exit 2, a closed stdout is an error as soon as something is printed
to it, and a reader that goes away (``| head``) ends the program quietly with exit 141, as
a Unix tool killed by SIGPIPE does. Commands that print nothing on stdout (``plan -o``,
``new-case``) run normally with stdout closed.
"""

from __future__ import annotations

import errno
import os
import sys
from contextlib import suppress
from typing import Any, TextIO

BROKEN_PIPE_EXIT = 128 + 13
OUTPUT_ERROR_EXIT = 2


class StandardOutputFailed(Exception):
    """Printing failed; not an ``OSError``, so that no command mistakes it for a failure
    of the file it was working on."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror)
        self.error = error


class GuardedStdout:
    """Standard output (or its absence, when it was closed) whose failures are
    ``StandardOutputFailed``; everything else is the real stream's."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if isinstance(text, str) and not text:  # bytes are refused below: not a binary stream
            return 0
        if self._stream is None:
            raise StandardOutputFailed(OSError(errno.EBADF, "standard output is closed"))
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise StandardOutputFailed(exc) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise StandardOutputFailed(exc) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return getattr(self._stream, "errors", None) or "strict"

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


def main() -> None:
    """Run the command line with standard output guarded."""
    from engine.cli.app import app
    real = sys.stdout
    sys.stdout = GuardedStdout(real)  # type: ignore[assignment]
    try:
        try:
            app()
        finally:
            sys.stdout.flush()
    except StandardOutputFailed as failure:
        _discard_stdout()
        sys.stdout = real
        if failure.error.errno == errno.EPIPE:
            sys.exit(BROKEN_PIPE_EXIT)
        sys.stderr.write(f"{_sentence(failure.error)}\n")
        sys.exit(OUTPUT_ERROR_EXIT)


def _sentence(error: OSError) -> str:
    if error.errno == errno.EBADF:
        return ("Standard output is closed, so nothing could be printed: run the command "
                "again with its output going to a terminal, a file or a pipe.")
    return (f"Could not write to standard output: {error.strerror or type(error).__name__}; "
            "what was printed is incomplete.")


def _discard_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush of
    what is still buffered cannot fail again."""
    with suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
