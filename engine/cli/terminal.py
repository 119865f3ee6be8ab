"""Text for the terminal: wrapped to its width (80 columns when output is not a terminal),
never splitting an id."""

from __future__ import annotations

import shutil
import textwrap

import typer


def width() -> int:
    """The terminal's width (COLUMNS wins), 80 when output is not a terminal."""
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def say(text: str = "", indent: int = 0, hanging: int = 0) -> None:
    """Print ``text`` wrapped to the terminal; words (ids) are never broken."""
    if not text:
        typer.echo("")
        return
    lines = textwrap.wrap(text, width() - 1, initial_indent=" " * indent,
                          subsequent_indent=" " * (indent + hanging),
                          break_long_words=False, break_on_hyphens=False)
    typer.echo("\n".join(lines))
