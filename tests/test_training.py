"""Training mode: a persona handed out without the grid's decisions, the key with them, a
trainee's choices compared with the engine's (each difference explained from the trace in
the trainee's language), and the handout and key as PDFs, one persona per page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli.app import app
from engine.errors import CaseError
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.scenarios.reading import scenario_paths, shipped_scenarios
from engine.scenarios.training import compare_choices, read_choices

REPO = Path(__file__).resolve().parent.parent
CHOICES = REPO / "examples" / "training" / "sen_emergency_detention_choices.yaml"
PERSONAS = len(scenario_paths(shipped_scenarios()))
runner = CliRunner()
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils not installed")


def test_the_comparison_is_on_codes(book: RuleBook) -> None:
    from engine.scenarios.reading import read_scenario
    chosen = read_choices(CHOICES, book)
    case = read_scenario(shipped_scenarios() / "sen_emergency_detention.yaml", book).case
    comparison = compare_choices(chosen.choices, Pipeline(book, backend="python").assess(case))
    kinds = {(d.kind, d.approach) for d in comparison.differences}
    assert kinds == {("not_recommended", "vocational_training"),
                     ("not_recommended", "pss_during_training"),
                     ("left_out", "essential_needs_support"),
                     ("other_modality", "pss_provider_referral")}
    assert comparison.agreed == []


def test_differences_are_explained_in_the_trainees_language() -> None:
    result = runner.invoke(app, ["scenarios", "compare", str(CHOICES), "--backend", "python"],
                           env={"COLUMNS": "100"})
    assert result.exit_code == 4, result.output
    out = " ".join(result.stdout.split())
    assert out.startswith("Moussa, 23 ans, rapatrié à Pikine")
    assert "Vous êtes d'accord avec le moteur sur 0 approche ; 4 différences." in out
    # the trace's own sentences, in French: the level that failed and the answer against
    assert ("Non appropriée au niveau individuel : réponse non à « La personne interrogée "
            "participe-t-elle à un programme de formation ? »") in out
    assert "Vous avez laissé de côté « Aide alimentaire" in out
    result = runner.invoke(app, ["scenarios", "compare", str(CHOICES), "--lang", "ar",
                                 "--backend", "python"])
    assert "تتفق مع المحرّك" in result.stdout


def test_the_comparison_reads_at_80_columns() -> None:
    """The persona's title was echoed unwrapped: in French, 81 columns."""
    result = runner.invoke(app, ["scenarios", "compare", str(CHOICES), "--backend", "python"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 4, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Moussa, 23 ans")
    assert max(len(line) for line in lines) <= 80, [line for line in lines if len(line) > 80]


def test_matching_choices_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "choices.yaml"
    path.write_text("scenario: sen_emergency_detention\nrecommend:\n"
                    "  pss_provider_referral: referral\n  essential_needs_support:\n")
    result = runner.invoke(app, ["scenarios", "compare", str(path), "--backend", "python"])
    assert result.exit_code == 0, result.output
    assert "You agree with the engine on 2 approaches; 0 differences." in result.stdout


@pytest.mark.parametrize(("text", "message", "line"), [
    ("scenario: sen_emergency_detention\nrecommend:\n  pss_refferal: referral\n",
     "unknown approach 'pss_refferal'", 3),
    ("scenario: sen_emergency_detention\nrecommend:\n  pss_provider_referral: posted\n",
     "unknown modality 'posted'", 3),
    ("scenario: sen_emergency_detention\nrecomend: {}\n", "unknown field 'recomend'", 2),
])
def test_a_broken_choice_file_names_its_line(tmp_path: Path, book: RuleBook, text: str,
                                             message: str, line: int) -> None:
    path = tmp_path / "choices.yaml"
    path.write_text(text)
    with pytest.raises(CaseError) as caught:
        read_choices(path, book)
    assert f"{path}:{line}" in str(caught.value) and message in str(caught.value)
    result = runner.invoke(app, ["scenarios", "compare", str(path)])
    assert result.exit_code == 2 and message in result.stderr


def test_an_unknown_persona_is_a_bad_argument(tmp_path: Path) -> None:
    path = tmp_path / "choices.yaml"
    path.write_text("scenario: sen_emergency_detentio\n")
    result = runner.invoke(app, ["scenarios", "compare", str(path)])
    assert result.exit_code == 2
    assert "did you mean 'sen_emergency_detention'?" in result.stderr


def test_teach_hands_out_no_decision_and_the_key_gives_them() -> None:
    result = runner.invoke(app, ["scenarios", "teach", "sen_emergency_detention"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Moussa, 23" in out and "Desire to receive psychological support: Yes" in out
    assert "Is the respondent participating in a training scheme? No" in out
    for decided in ("Recommended", "Not appropriate", "Needs answers", "The engine's answer"):
        assert decided not in out
    assert max(map(len, out.splitlines())) <= 80
    keyed = runner.invoke(app, ["scenarios", "teach", "sen_emergency_detention", "--key",
                                "--backend", "python"]).stdout
    assert keyed.startswith(out)
    answer = " ".join(keyed[len(out):].split())
    assert "Recommended: - Food and essential-needs support" in answer
    assert "Not appropriate: - Providing psychosocial support during training" in answer
    assert "Safeguards: Emergency return" in answer
    assert "Teaching note An emergency return." in answer


def test_teach_in_spanish() -> None:
    result = runner.invoke(app, ["scenarios", "teach", "som_medical_needs", "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Faadumo, 52 años")
    assert "Respuestas a la encuesta" in result.stdout
    assert "Edad: 52 años" in result.stdout


@pytest.mark.parametrize(("lang", "below"), [("fr", "inférieur à 0,50"),
                                            ("es", "inferior a 0,50"),
                                            ("ar", "أقل من 0.50")])
def test_numbers_are_written_as_the_trainees_language_writes_them(
        tmp_path: Path, lang: str, below: str) -> None:
    """A French comparison said "inférieur à 0.50": the threshold, the scores and the
    shares are written by Babel for the language, as the plans write them (CLDR's Arabic
    keeps the Latin digits and the point, as the Arabic plan does)."""
    from engine.presentation.reader_locale import decimal
    choices = tmp_path / "choices.yaml"
    choices.write_text(CHOICES.read_text().replace("language: fr", f"language: {lang}"))
    compared = runner.invoke(app, ["scenarios", "compare", str(choices),
                                   "--backend", "python"], env={"COLUMNS": "200"})
    assert compared.exit_code == 4, compared.output
    assert below in compared.stdout
    keyed = runner.invoke(app, ["scenarios", "teach", "sen_emergency_detention", "--key",
                                "--lang", lang, "--backend", "python"],
                          env={"COLUMNS": "200"})
    assert keyed.exit_code == 0, keyed.output
    assert f" {decimal(0.0833, lang)}" in keyed.stdout  # the economic score, 0.08
    if lang != "ar":
        for out in (compared.stdout, keyed.stdout):
            assert re.search(r"\b0\.\d\d\b", out) is None, out


def _pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


@needs_pdftotext
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_handout_one_persona_per_page_and_a_separate_key(tmp_path: Path, lang: str) -> None:
    """Two personas (the one with the most grid answers among them) keep PDF work short."""
    folder = tmp_path / "personas"
    folder.mkdir()
    for name in ("eth_trafficking_survivor", "sen_emergency_detention"):
        shutil.copy(shipped_scenarios() / f"{name}.yaml", folder)
    handout, key = tmp_path / "handout.pdf", tmp_path / "key.pdf"
    result = runner.invoke(app, ["scenarios", "handout", str(folder), "-o", str(handout),
                                 "--lang", lang])
    assert result.exit_code == 0, result.output
    pages = _pdf_pages(handout)
    assert len(pages) == 2
    choices = "Your choices" if lang == "en" else "اختياراتك"
    assert all(choices in page for page in pages)
    assert not any("Recommended" in page or "موصى" in page for page in pages)
    result = runner.invoke(app, ["scenarios", "handout", str(folder), "--key", "-o", str(key),
                                 "--lang", lang, "--backend", "python"])
    assert result.exit_code == 0, result.output
    text = "".join(_pdf_pages(key))
    # (pdftotext spells Arabic ligatures its own way: the Arabic headings are checked in HTML)
    assert "ETH-T-003" in text and "SEN-T-001" in text
    assert "An emergency return." in text  # the teaching note, in English in every language
    if lang == "en":
        assert "The engine's answer" in text


@needs_pdftotext
def test_each_page_names_its_persona_once_and_dates_are_written_out(tmp_path: Path) -> None:
    """Every persona page after the first printed "Training persona · SEN-T-001" twice (the
    running header and the page's own line), and dates were ISO (2026-03-02) while the
    plans write them out. The key's page a persona runs on to keeps the running header."""
    folder = tmp_path / "personas"
    folder.mkdir()
    for name in ("eth_trafficking_survivor", "sen_emergency_detention"):
        shutil.copy(shipped_scenarios() / f"{name}.yaml", folder)
    handout, key = tmp_path / "handout.pdf", tmp_path / "key.pdf"
    for target, extra in ((handout, []), (key, ["--key", "--backend", "python"])):
        result = runner.invoke(app, ["scenarios", "handout", str(folder), "-o", str(target),
                                     "--lang", "fr", *extra])
        assert result.exit_code == 0, result.output
    pages = _pdf_pages(handout)
    assert [page.count("Persona de formation · ") for page in pages] == [1, 1]
    assert "Date de retour 2 mars 2026" in " ".join(pages[1].split())
    key_pages = _pdf_pages(key)
    assert len(key_pages) > 2  # a key runs on to a second page
    assert all(page.count("Corrigé · ") == 1 for page in key_pages), key_pages
    for page in (*pages, *key_pages):
        assert re.search(r"\b20\d\d-\d\d-\d\d\b", page) is None, page
    taught = runner.invoke(app, ["scenarios", "teach", "sen_emergency_detention", "--lang",
                                 "es"]).stdout
    assert "Fecha de retorno: 2 de marzo de 2026" in taught
    assert "Lugar de retorno: Pikine, Dakar, Senegal" in taught  # the country too, as plans
    taught = runner.invoke(app, ["scenarios", "teach", "som_medical_needs", "--lang",
                                 "fr"]).stdout
    assert ", Somalie" in taught


def test_handout_html_is_right_to_left_in_arabic(tmp_path: Path) -> None:
    target = tmp_path / "handout.html"
    result = runner.invoke(app, ["scenarios", "handout", "-o", str(target), "--lang", "ar"])
    assert result.exit_code == 0, result.output
    html = target.read_text()
    assert html.count('<section class="persona">') == PERSONAS
    assert '<html lang="ar" dir="rtl">' in html
    assert "موسى، 23 سنة" in html and "اختياراتك" in html
    key = tmp_path / "key.html"
    result = runner.invoke(app, ["scenarios", "handout", "--key", "-o", str(key), "--lang", "ar",
                                 "--backend", "python"])
    assert result.exit_code == 0, result.output
    assert "إجابة المحرّك" in key.read_text() and 'lang="en" dir="ltr"' in key.read_text()
    # an existing file this program did not write is not replaced without --force
    other = tmp_path / "notes.html"
    other.write_text("<p>mine</p>")
    result = runner.invoke(app, ["scenarios", "handout", "-o", str(other)])
    assert result.exit_code == 2 and other.read_text() == "<p>mine</p>"
