"""Catalog tooling that cannot damage an install (issue 14): ``i18n-status --update``
writes only into a source checkout (or --catalogs), keeps each catalog's plural forms, and
every language still renders with no English fallback; rule texts go out to a gettext
catalog and come back unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli.app import app
from engine.loading.translations import load_translations
from engine.model.rulebook import RuleBook
from engine.presentation import rendering
from engine.presentation.catalogs import (
    catalog_coverage,
    catalog_path,
    gettext_translations,
    load_catalog,
)

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "es", "ar")
runner = CliRunner()


def test_an_update_in_a_copy_keeps_plural_forms_and_every_translation(tmp_path: Path) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(REPO / "templates", copy)
    before = {lang: load_catalog(copy, lang) for lang in LANGUAGES}
    result = runner.invoke(app, ["i18n-status", "--update", "--catalogs", str(copy)])
    assert result.exit_code == 0, result.output
    for lang in LANGUAGES:
        after = load_catalog(copy, lang)
        assert after is not None and before[lang] is not None
        assert after.plural_forms == before[lang].plural_forms, lang
        assert catalog_coverage(copy, lang).missing == 0, lang
        phrases = gettext_translations(copy, lang)
        english = ("%(num)d child returned with the returnee",
                   "%(num)d children returned with the returnee")
        assert phrases.ngettext(*english, 5) not in (e % {"num": 5} for e in english)
    assert (REPO / "templates").is_dir()  # the project's own catalogs were not the target


def test_an_update_never_writes_into_an_installed_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = tmp_path / "site-packages" / "engine" / "_shipped" / "templates"
    shutil.copytree(REPO / "templates", installed)
    monkeypatch.setattr(rendering, "templates_dir", lambda: installed)
    before = catalog_path(installed, "fr").read_bytes()
    result = runner.invoke(app, ["i18n-status", "--update"])
    assert result.exit_code == 2
    assert "installed package's copy" in " ".join(result.stderr.split())
    assert catalog_path(installed, "fr").read_bytes() == before


def test_rule_texts_round_trip_through_a_po_catalog(rules_copy: Path, book: RuleBook) -> None:
    original = load_translations(book)["fr"]
    exported = runner.invoke(app, ["i18n-status", "--rules", str(rules_copy),
                                   "--export-po", "fr"])
    assert exported.exit_code == 0, exported.output
    catalog = rules_copy.parent / "fr.po"
    catalog.write_bytes(exported.stdout_bytes)
    assert b'msgctxt "plan/consent/guardian/text"' in exported.stdout_bytes
    imported = runner.invoke(app, ["i18n-status", "--rules", str(rules_copy),
                                   "--import-po", str(catalog)])
    assert imported.exit_code == 0, imported.output
    from engine.loading.rulebook import load_rulebook
    back = load_translations(load_rulebook(rules_copy))["fr"]
    assert back.texts == original.texts
    assert (back.name, back.reviewed, back.source, back.provenance) == (
        original.name, original.reviewed, original.source, original.provenance)


def test_a_catalog_of_other_rules_is_refused(rules_copy: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "bad.po"
    catalog.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
                       'msgctxt "question/no_such_question"\nmsgid "Is it?"\nmsgstr "Est-ce ?"\n')
    before = (rules_copy / "translations" / "fr.yaml").read_bytes()
    result = runner.invoke(app, ["i18n-status", "--rules", str(rules_copy), "--import-po",
                                 str(catalog)])
    assert result.exit_code == 2
    assert "question/no_such_question" in result.stderr
    assert (rules_copy / "translations" / "fr.yaml").read_bytes() == before


def test_a_catalog_saved_as_fr_fr_imports_as_fr(rules_copy: Path, book: RuleBook) -> None:
    """Poedit and Weblate may write "Language: fr_FR": the import dumped pydantic's
    validation error (pattern '^[a-z]{2}$', a URL) and wrote nothing."""
    exported = runner.invoke(app, ["i18n-status", "--rules", str(rules_copy),
                                   "--export-po", "fr"])
    catalog = rules_copy.parent / "fr.po"
    catalog.write_bytes(exported.stdout_bytes.replace(b'"Language: fr\\n"',
                                                      b'"Language: fr_FR\\n"'))
    imported = runner.invoke(app, ["i18n-status", "--rules", str(rules_copy),
                                   "--import-po", str(catalog)])
    assert imported.exit_code == 0, imported.output
    from engine.loading.rulebook import load_rulebook
    back = load_translations(load_rulebook(rules_copy))["fr"]
    assert back.texts == load_translations(book)["fr"].texts


def test_a_catalog_without_a_language_is_one_sentence(rules_copy: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "none.po"
    catalog.write_text('msgid ""\nmsgstr ""\n\nmsgctxt "x"\nmsgid "Is it?"\nmsgstr "?"\n')
    result = runner.invoke(app, ["i18n-status", "--rules", str(rules_copy), "--import-po",
                                 str(catalog)])
    assert result.exit_code == 2
    assert "names no language" in result.stderr and "pydantic" not in result.stderr
