"""``reintegrate xlsform``: the RSS as an XLSForm that pyxform converts without a warning."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert
from typer.testing import CliRunner

from engine.batch.form import SEX_WORDS
from engine.case.model import Profile
from engine.cli.app import app
from engine.model.rulebook import RuleBook

runner = CliRunner()


def _write(tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "rss.xlsx"
    result = runner.invoke(app, ["xlsform", "-o", str(target), *args])
    assert result.exit_code == 0, result.output
    return target


def _rows(path: Path, sheet: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_each_language_converts_without_error_or_warning(tmp_path: Path, book: RuleBook,
                                                         language: str) -> None:
    grids = ",".join(book.framework.ids("dimensions"))
    path = _write(tmp_path, "--lang", language, "--grid", grids)
    warnings: list[str] = []
    result = convert(str(path), warnings=warnings)
    assert warnings == []
    assert "<h:html" in result.xform
    labels = [c for c in _rows(path, "survey")[0] if str(c).startswith("label::")]
    assert len(labels) == 1 and labels[0].endswith(f"({language})")


def test_all_languages_in_one_form(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path)
    warnings: list[str] = []
    result = convert(str(path), warnings=warnings)
    assert warnings == []
    for language in ("en", "fr", "es", "ar"):
        assert f"({language})" in result.xform
    survey = _rows(path, "survey")
    names = [row["name"] for row in survey if str(row["type"]).startswith("select_one")]
    element_ids = [e.id for e in book.instrument.elements]
    assert [n for n in names if n in element_ids] == element_ids
    groups = [row["name"] for row in survey if row["type"] == "begin_group"]
    assert groups == ["profile", *book.framework.ids("dimensions")]
    french = next(c for c in survey[0] if str(c).endswith("(fr)"))
    satisfaction = next(r for r in survey if r["name"] == "economic_satisfaction")
    assert satisfaction[french] == ("Quel est votre niveau de satisfaction concernant votre "
                                    "situation économique actuelle ?")
    assert satisfaction["required"] == "yes"


def test_school_enrolment_only_with_school_aged_children(tmp_path: Path) -> None:
    survey = _rows(_write(tmp_path, "--lang", "en"), "survey")
    enrolment = next(r for r in survey if r["name"] == "children_enrolled_in_school")
    assert enrolment["relevant"] == "${school_aged_children} >= 1"
    assert not enrolment["required"]
    choices = {(r["list_name"], r["name"]) for r in _rows(_write(tmp_path), "choices")}
    assert {("economic_satisfaction", "dont_know"), ("economic_satisfaction", "refused"),
            ("children_enrolled_in_school", "no_school_aged_children")} <= choices


def test_form_names_the_rules_version(tmp_path: Path, book: RuleBook) -> None:
    settings = _rows(_write(tmp_path, "--lang", "fr,en"), "settings")
    assert settings == [{"form_title": book.instrument.title, "form_id": "rss",
                         "version": book.identity, "default_language": "Français (fr)"}]


def test_sex_words_are_the_case_models_values() -> None:
    assert tuple(SEX_WORDS) == typing.get_args(Profile.model_fields["sex"].annotation)


@pytest.mark.parametrize(("args", "expected"), [
    (["--grid", "financial"], "no dimension named 'financial'"),
    (["--lang", "de"], "no translation of the rules into de"),
])
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str], expected: str) -> None:
    result = runner.invoke(app, ["xlsform", "-o", str(tmp_path / "f.xlsx"), *args])
    assert result.exit_code == 2
    assert expected in result.output
    assert not (tmp_path / "f.xlsx").exists()


def test_an_earlier_form_is_replaced_and_any_other_file_kept(tmp_path: Path) -> None:
    """Writing the form again after a rule change replaces the earlier form; an export
    downloaded under that name, or a workbook of the team's own, was silently replaced."""
    path = _write(tmp_path)
    again = runner.invoke(app, ["xlsform", "-o", str(path), "--lang", "fr"])
    assert again.exit_code == 0, again.output
    assert load_workbook(path)["settings"]["D2"].value.endswith("(fr)")
    export = tmp_path / "export.xlsx"
    from openpyxl import Workbook
    workbook = Workbook()
    workbook.active.append(["_uuid", "economic/economic_satisfaction"])
    workbook.save(export)
    kept = export.read_bytes()
    result = runner.invoke(app, ["xlsform", "-o", str(export)])
    assert result.exit_code == 2
    assert "exists and is not an XLSForm written by this program" in result.output
    assert export.read_bytes() == kept


def test_a_missing_folder_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    """It was a traceback (OutputError was not caught)."""
    result = runner.invoke(app, ["xlsform", "-o", str(tmp_path / "no" / "rss.xlsx")])
    assert result.exit_code == 2
    assert "does not exist: create it" in result.output and "Traceback" not in result.output
