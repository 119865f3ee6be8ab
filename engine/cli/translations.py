"""``reintegrate i18n-status``: how much of the rules and of the documents' own words each
language translates, and the translators' round trip: the rule texts out as a gettext
catalog (for Weblate, Poedit or Crowdin) and back, or a skeleton file to fill in.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from engine.cli.command import RulesOption, out, reports_problems
from engine.cli.output import write_atomically
from engine.errors import ArgumentError, Problem
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook

STATUS_ROWS = ("rule texts translated", "  missing in plans", "  missing in design notes",
               "  unreviewed", "plan words translated", "  missing", "  unreviewed")
"""A rule text missing in a kind of document is one such a document can show in English
(the count 'reintegrate plan' or 'project-design' reports is of the texts one document
showed)."""


def register(app: typer.Typer) -> None:
    app.command("i18n-status")(reports_problems(i18n_status))


def i18n_status(rules: RulesOption = None,
                update: Annotated[bool, typer.Option(
                    "--update", help="Rewrite the template catalogs with every current "
                    "message, keeping existing translations (in a source checkout, or "
                    "in --catalogs).")] = False,
                catalogs: Annotated[Path | None, typer.Option(
                    "--catalogs", help="The templates folder whose catalogs --update writes "
                    "(default: the project's templates/; never the installed package's).",
                    file_okay=False, exists=True)] = None,
                export_po: Annotated[str | None, typer.Option(
                    "--export-po", help="Print this language's rule texts as a gettext .po "
                    "catalog (key as context, English as msgid), for Weblate, Poedit or "
                    "Crowdin.")] = None,
                import_po: Annotated[Path | None, typer.Option(
                    "--import-po", help="Write a catalog made by --export-po back to "
                    "rules/translations/LANG.yaml (in a source checkout, or in --rules).",
                    dir_okay=False, exists=True)] = None,
                skeleton_of: Annotated[str | None, typer.Option(
                    "--skeleton", help="Print a rule-text file for this language with every "
                    "key, English as comments, for translators.")] = None) -> None:
    """How much of the rules and of the plan's own words each language translates."""
    from engine.loading.translations import load_translations
    from engine.presentation.catalogs import catalog_coverage, source_checkout, update_catalog
    from engine.presentation.localization import coverage, skeleton, to_po
    from engine.presentation.rendering import templates_dir
    book = load_rulebook(rules)
    translations = load_translations(book)
    if export_po:
        sys.stdout.buffer.write(to_po(book, export_po, translations.get(export_po)))
        return
    if import_po:
        _import_po(book, import_po, rules)
        return
    if skeleton_of:
        print(skeleton(book, skeleton_of, translations.get(skeleton_of)), end="")
        return
    templates = catalogs or templates_dir()
    if update and catalogs is None and not source_checkout(templates):
        raise ArgumentError([Problem("--update", None, f"{templates} is the installed "
                                     "package's copy, which an update must not rewrite",
                                     hint="run it in a source checkout, or give --catalogs "
                                     "DIR (a templates folder with locale/)")])
    rule_coverage = {c.language: c for c in coverage(book, translations)}
    languages = sorted(translations)
    rows: list[list[str]] = [[row] for row in STATUS_ROWS]
    for language in languages:
        if update:
            update_catalog(templates, language)
        rule = rule_coverage[language]
        words = catalog_coverage(templates, language)
        for row, value in zip(rows, (
                f"{rule.translated}/{rule.total}", rule.missing_in["plans"],
                rule.missing_in["design notes"], 0 if rule.reviewed else rule.translated,
                f"{words.translated}/{words.total}", words.missing, words.unreviewed),
                strict=True):
            row.append(str(value))
    # one column per language: a row per count reads at 80 columns, and a fourth language
    # adds a narrow column, not a wrapped one
    table = Table(title="Translations (a missing text falls back to English)")
    table.add_column("")
    for language in languages:
        table.add_column(language, justify="right")
    for row in rows:
        table.add_row(*row)
    out.print(table)


def _import_po(book: RuleBook, catalog: Path, rules: Path | None) -> None:
    """A translator's catalog back into the rules' language file, checked before it is
    written: never into the installed package's rules."""
    from engine.loading.translations import load_translations
    from engine.presentation.catalogs import source_checkout
    from engine.presentation.localization import from_po
    if rules is None and not source_checkout(book.root):
        raise ArgumentError([Problem("--import-po", None, f"{book.root} are the installed "
                                     "package's rules, which an import must not rewrite",
                                     hint="run it in a source checkout, or give --rules DIR")])
    try:
        language, text = from_po(book, catalog.read_bytes())
    except ValueError as exc:
        raise ArgumentError([Problem(catalog, None, str(exc),
                                     hint="export the catalog again from these rules")]) from None
    target = book.root / "translations" / f"{language}.yaml"
    write_atomically(target, text.encode())
    texts = load_translations(load_rulebook(rules), [language])[language].texts
    out.print(f"Wrote {target}: {len(texts)} rule texts in '{language}'.", highlight=False)
