"""Plans in every language: rule text and the plan's own words translated, English as the
fallback, Arabic right to left; and the plan and i18n-status commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.case.reading import load_case
from engine.cli.app import app
from engine.loading.translations import load_translations
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.presentation.catalogs import catalog_coverage
from engine.presentation.drafting import Drafter
from engine.presentation.rendering import templates_dir

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"
runner = CliRunner()


@pytest.fixture(scope="module")
def drafter(book: RuleBook) -> Drafter:
    return Drafter(book)


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_shipped_languages_are_complete(book: RuleBook, language: str) -> None:
    """Every rule text and every word of the plan is translated (and marked unreviewed)."""
    translation = load_translations(book)[language]
    words = catalog_coverage(templates_dir(), language)
    assert words.missing == 0 and words.unreviewed == words.total
    drafter = Drafter(book)
    for example in sorted(EXAMPLES.glob("*.yaml")):
        drafter.draft(Pipeline(drafter.book).run(load_case(example, book)), language)
    assert drafter.untranslated(language) == set()
    assert translation.reviewed is False


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_plan_text_is_in_the_language(book: RuleBook, drafter: Drafter, language: str,
                                      fmt: str) -> None:
    case = load_case(EXAMPLES / "iraq_returnee.yaml", book)
    plan = drafter.draft(Pipeline(drafter.book).run(case), language)
    document = drafter.render(plan, fmt, language)  # type: ignore[arg-type]
    assert isinstance(document, str)
    texts = load_translations(book).get(language)
    approach = "approach/vocational_training/name"
    expected = texts.texts[approach] if texts else book.approaches["vocational_training"].name
    document = document.replace("&#39;", "'")
    assert expected in document
    assert case.returnee_id in document
    if language != "en":
        assert book.approaches["vocational_training"].name not in document
    if fmt == "html":
        direction = "rtl" if language == "ar" else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in document


def test_one_result_is_worded_in_every_language(book: RuleBook, drafter: Drafter) -> None:
    """The assessment holds no words: the same result reads in English and in French."""
    case = load_case(EXAMPLES / "iraq_returnee.yaml", book)
    result = Pipeline(book).assess(case).approach("business_startup_revisited")
    assert result is not None and result.status == "not_appropriate"
    english = drafter.language("en").words.summary(result)
    french = drafter.language("fr").words.summary(result)
    assert english.startswith("Not appropriate at the individual level")
    assert french != english
    fr_question = load_translations(book)["fr"].texts["question/biz_wants_business"]
    assert fr_question in french


def test_plan_command_markdown_to_stdout() -> None:
    result = runner.invoke(app, ["plan", str(EXAMPLES / "senegal_returnee.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# ")
    assert "SEN-2026-0119" in result.stdout


def test_plan_command_writes_each_format(tmp_path: Path) -> None:
    for fmt in ("html", "md", "pdf"):
        target = tmp_path / f"plan.{fmt}"
        result = runner.invoke(app, ["plan", str(EXAMPLES / "ethiopia_returnee.yaml"),
                                     "--format", fmt, "--lang", "es", "-o", str(target)])
        assert result.exit_code == 0, result.output
        data = target.read_bytes()
        assert data.startswith(b"%PDF") if fmt == "pdf" else b"ETH-2026-0044" in data


def test_plan_command_refuses_unknown_language_and_binary_stdout() -> None:
    case = str(EXAMPLES / "iraq_returnee.yaml")
    result = runner.invoke(app, ["plan", case, "--lang", "de"])
    assert result.exit_code == 2 and "no translation for language 'de'" in result.output
    # the user's --lang is the bad argument, not the rules folder (it said "Problems found"
    # and named rules/translations)
    assert "Bad argument" in result.output and "--lang:" in result.output
    result = runner.invoke(app, ["plan", case, "--format", "pdf"])
    assert result.exit_code == 2 and "needs a file" in result.output
    result = runner.invoke(app, ["plan", case, "--format", "docx"])
    assert result.exit_code == 2


def test_i18n_status_counts() -> None:
    result = runner.invoke(app, ["i18n-status"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for language in ("ar", "es", "fr"):
        assert language in result.output
    assert "unreviewed" in result.output


PROJECTS = EXAMPLES.parent / "projects"


def _notes_fallbacks(book: RuleBook, language: str) -> set[str]:
    """The rule texts the example design notes showed in English in ``language``."""
    from engine.project_design.design import design
    from engine.project_design.project_file import read_project
    from engine.project_design.wording import note_in
    missing: set[str] = set()
    for project_file in sorted(PROJECTS.glob("*.yaml")):
        project, profile = read_project(project_file, book.project)
        missing |= note_in(book, design(book, project, profile, None), "md", language)[1]
    return missing


@pytest.mark.parametrize("language", ["ar", "es", "fr"])
def test_the_status_counts_every_rule_text_a_design_note_shows(book: RuleBook,
                                                               language: str) -> None:
    """i18n-status said 0 rule texts missing in Arabic while an Arabic design note said 52
    fell back to English: the project grids' questions were never counted."""
    from engine.loading.translations import english_texts
    from engine.presentation.localization import coverage
    fallbacks = _notes_fallbacks(book, language)
    assert len(fallbacks) >= 52  # the shipped files do not translate the project grids yet
    translation = load_translations(book)[language]
    untranslated = set(english_texts(book)) - set(translation.texts)
    assert fallbacks <= untranslated
    counted = next(c for c in coverage(book, {language: translation}))
    assert counted.missing_in["plans"] == 0
    assert counted.missing_in["design notes"] == counted.missing >= len(fallbacks)
    result = runner.invoke(app, ["i18n-status"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "missing in design notes" in line)
    assert row.split("│")[1:-1][1 + ["ar", "es", "fr"].index(language)].strip() == str(
        counted.missing)


def test_a_language_file_may_translate_the_design_notes_texts(rules_copy: Path) -> None:
    """The keys the status counts are the ones a note reads: a language file that gives
    them all (here, stand-in text in a copy of the rules) leaves no note text in English."""
    from engine.loading.rulebook import load_rulebook
    book = load_rulebook(rules_copy)
    fallbacks = _notes_fallbacks(book, "ar")
    path = rules_copy / "translations" / "ar.yaml"
    path.write_text(path.read_text() + "".join(f'  {key}: "نص {number}"\n'
                                               for number, key in enumerate(sorted(fallbacks))))
    book = load_rulebook(rules_copy)
    assert _notes_fallbacks(book, "ar") == set()
    result = runner.invoke(app, ["i18n-status", "--rules", str(rules_copy)],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "missing in design notes" in line)
    ar, es = (cell.strip() for cell in row.split("│")[2:4])
    assert int(ar) == int(es) - len(fallbacks)


def test_skeleton_for_translators_lists_every_key(book: RuleBook) -> None:
    result = runner.invoke(app, ["i18n-status", "--skeleton", "fr"])
    assert result.exit_code == 0
    assert "language: fr" in result.stdout
    assert "  question/biz_wants_business: \"" in result.stdout  # kept from fr.yaml
    assert result.stdout.count("\n  # ") >= 400


def test_an_office_feedback_text_missing_in_the_language_is_counted() -> None:
    """The example office writes its feedback text in en, fr and ar: a Spanish plan shows
    the English one, which is now reported with the rule texts that fell back."""
    from engine.loading.rulebook import load_rulebook
    office = Path(__file__).parents[1] / "examples" / "office"
    drafter = Drafter(load_rulebook(None, office))
    assert "office.yaml: feedback" in drafter.untranslated("es")
    assert "office.yaml: feedback" not in drafter.untranslated("fr")


def test_one_text_that_fell_back_is_said_in_the_singular(tmp_path: Path) -> None:
    office = Path(__file__).parents[1] / "examples" / "office"
    case = Path(__file__).parents[1] / "examples" / "cases" / "ethiopia_returnee.yaml"
    result = CliRunner().invoke(app, ["--office", str(office), "plan", str(case), "--lang",
                                      "es", "-o", str(tmp_path / "plan.html")])
    assert result.exit_code == 0, result.output
    assert "(plan, html, es; 1 rule text fell back to English)" in result.output
