"""``reintegrate xlsform`` and ``reintegrate batch``: the survey out to field teams, and
their KoboToolbox exports back in, scored and recommended as a cohort."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from engine.cli.app import RulesOption, err, reports_problems
from engine.errors import ArgumentError, Problem
from engine.loading.rulebook import load_rulebook


def register(app: typer.Typer) -> None:
    app.command("xlsform")(xlsform)


def _listed(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@reports_problems
def xlsform(output: Annotated[Path, typer.Option(
                "--output", "-o", help="The .xlsx file to write.", dir_okay=False)],
            lang: Annotated[str | None, typer.Option(
                "--lang", "-l", help="Languages, comma-separated (default: en and every "
                "translation); the first is the form's default.")] = None,
            grid: Annotated[str | None, typer.Option(
                "--grid", help="Also ask the grid questions of these dimensions "
                "(comma-separated, e.g. economic,social).")] = None,
            rules: RulesOption = None) -> None:
    """Write the RSS (and grid questions) as an XLSForm for KoboToolbox or ODK."""
    from engine.batch.form import form_for
    from engine.batch.identity import rulebook_identity
    from engine.batch.xlsform import FormError, xlsform_bytes
    from engine.cli.output import write_atomically
    book = load_rulebook(rules)
    grids = _listed(grid)
    dimensions = book.framework.ids("dimensions")
    unknown = [g for g in grids if g not in dimensions]
    if unknown:
        raise ArgumentError([Problem("--grid", None, f"no dimension named '{unknown[0]}'",
                                     hint=f"use one of: {', '.join(dimensions)}")])
    if output.suffix.lower() != ".xlsx":
        raise ArgumentError([Problem("--output", None, "an XLSForm is an .xlsx file",
                                     hint=f"write to {output.with_suffix('.xlsx').name}")])
    try:
        form = form_for(book, _listed(lang) or None, grids)
        data = xlsform_bytes(form, book.instrument.title, rulebook_identity(book))
    except FormError as exc:
        raise ArgumentError([Problem("--grid", None, str(exc))]) from None
    write_atomically(output, data)
    err.print(f"Wrote {output} ({len(form.fields())} questions, languages "
              f"{', '.join(form.languages)}).", highlight=False, markup=False)
