"""What every command shares: its options, its two consoles, how it reports a user's
mistakes (one sentence per problem, with the file and line, and the documented exit code,
never a traceback), and the case file it is given.

The commands' modules (``engine.cli.app`` and its neighbours) import this one; none imports
another command's module, so each command can be read, and loaded, on its own.
"""

import errno
import textwrap
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from engine.case.reading import CaseReading, read_case
from engine.errors import EXIT_CODES, ProblemsFound, ReintegrateError
from engine.model.rulebook import RuleBook
from engine.storage import write_file

out = Console()
err = Console(stderr=True, soft_wrap=True)

RulesOption = Annotated[Path | None, typer.Option(
    "--rules", help="Rules folder (default: the shipped rules).", file_okay=False)]
WeightsOption = Annotated[str, typer.Option(
    "--weights", help="Weight set: a shipped name (default, seed-example) or a YAML path.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
BackendOption = Annotated[str | None, typer.Option(
    "--backend", help="Inference backend: durable_rules or python (default: durable_rules "
    "where it loads; every backend gives the same results).")]
CaseArgument = Annotated[Path, typer.Argument(help="Case file (YAML or JSON).")]

F = TypeVar("F", bound=Callable[..., Any])


def reports_problems(command: F) -> F:
    """Print collected problems as sentences and exit with the documented code."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ReintegrateError as exc:
            if kwargs.get("as_json"):  # a machine reads stdout: the errors as a document
                from engine.presentation.contract import errors_document, to_json
                print(to_json(errors_document(exc)))
            _report(exc)
            raise typer.Exit(EXIT_CODES[exc.kind]) from None

    return run  # type: ignore[return-value]


SHOWN_PROBLEMS = 50
"""Problems printed for one command: thousands of unknown ids (a wrong file, a pasted
column) would otherwise bury the first, which usually explains the rest."""


def _report(exc: ReintegrateError) -> None:
    if exc.kind == "crash":  # the engine failed: a bug, not the user's
        err.print(f"[bold red]The engine failed[/] (a bug; nothing was written): "
                  f"{escape(str(exc))}", highlight=False)
        err.print("Please report it with the command you ran and the rules version "
                  "(reintegrate --version); your case file stays as it was.", highlight=False)
        return
    if not isinstance(exc, ProblemsFound):
        err.print(str(exc), highlight=False, markup=False)
        return
    heading = {"case": "The case file cannot be used",
               "rules": "The rules do not validate",
               "argument": "Bad argument"}.get(exc.kind, "Problems found")
    err.print(f"[bold red]{heading}[/] ({len(exc.problems)} problem"
              f"{'s' if len(exc.problems) != 1 else ''}):", highlight=False)
    for problem in exc.problems[:SHOWN_PROBLEMS]:
        err.print(_problem_lines(str(problem)), highlight=False, markup=False)
    hidden = len(exc.problems) - SHOWN_PROBLEMS
    if hidden > 0:
        err.print(f"  … and {hidden:,} more, not shown: fix these {SHOWN_PROBLEMS} and run "
                  "again (--json lists every one).", highlight=False, markup=False)


def _problem_lines(problem: str) -> str:
    """One problem, indented. In a terminal it is wrapped between words (a terminal cuts a
    long line wherever the column ends, mid-word), never inside a path or an id; into a file
    or a pipe it stays one line, ``file:line:`` first, for grep and editors."""
    if not err.is_terminal:
        return f"  {problem}"
    return textwrap.fill(problem, width=max(err.width, 40), initial_indent="  ",
                         subsequent_indent="      ", break_long_words=False,
                         break_on_hyphens=False)


def open_case(case_path: Path, book: RuleBook) -> CaseReading:
    """Read a case; what looks implausible in it is printed on stderr, and the work goes on."""
    reading = read_case(case_path, book)
    for warning in reading.warnings:
        err.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    return reading


def write_new_file(path: Path, text: str) -> None:
    """Write ``text`` to a new file, whole or not at all; an existing file (even one created
    while we wrote) is never replaced (``engine.storage``)."""
    exists = f"{path} already exists, and a new file never replaces one"
    if path.exists() or path.is_symlink():
        _refuse(exists, "choose another name, or move the existing file away first")
    if not path.parent.is_dir():
        _refuse(f"folder {path.parent} does not exist", "create it first, or choose another")
    try:
        write_file(path, text.encode("utf-8"))
    except FileExistsError:
        _refuse(exists, "choose another name")
    except OSError as exc:  # "free some space" only when space is what is missing
        _refuse(f"cannot write {path}: {exc.strerror or type(exc).__name__}; nothing was "
                "written", "free some space or choose another folder"
                if exc.errno == errno.ENOSPC
                else "choose a folder you may write in, or a shorter name")


def _refuse(message: str, hint: str) -> NoReturn:
    err.print(f"{message} — {hint}.", highlight=False, markup=False)
    raise typer.Exit(2)
