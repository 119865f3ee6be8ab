"""Consent as the seeds say (issue 14): the plan states who consented, to what and when;
for a child, the guardian consents after the child's view is heard (003, child-rights
article), and ``validate`` warns at the line when a child's consent is their own."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from engine.case.reading import load_case
from engine.cli.app import app
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.presentation.drafting import Drafter

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"
IRAQ = EXAMPLES / "iraq_returnee.yaml"
runner = CliRunner()


def _child(folder: Path, consent_lines: str) -> Path:
    """The Iraqi example as an unaccompanied 16-year-old, with its consent replaced."""
    text = IRAQ.read_text().replace("  age: 24\n", "  age: 16\n").replace(
        "consent:\n", "  vulnerabilities: [unaccompanied_child]\nconsent:\n")
    start = text.index("consent:\n")
    end = text.index("\n", text.index("recorded_on:", start)) + 1
    path = folder / "child.yaml"
    path.write_text(text[:start] + "consent:\n" + consent_lines + text[end:])
    return path


def test_validate_warns_at_the_line_of_a_child_s_own_consent(tmp_path: Path) -> None:
    path = _child(tmp_path, "  data_processing: true\n  recorded_on: 2026-10-20\n"
                            "  given_by: returnee\n")
    line = path.read_text().splitlines().index("  given_by: returnee") + 1
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stderr.split())
    assert f"warning: {path}:{line}:" in flat
    assert "for a child the guardian gives it" in flat


def test_no_warning_once_the_guardian_consented(tmp_path: Path) -> None:
    path = _child(tmp_path, "  data_processing: true\n  recorded_on: 2026-10-20\n"
                            "  given_by: guardian\n  child_view_heard: true\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr


def test_an_adult_s_own_consent_is_no_warning() -> None:
    result = runner.invoke(app, ["validate", str(IRAQ)])
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_the_plan_says_the_guardian_consented_after_hearing_the_child(
        tmp_path: Path, book: RuleBook) -> None:
    path = _child(tmp_path, "  data_processing: true\n  recorded_on: 2026-10-20\n"
                            "  given_by: guardian\n  child_view_heard: true\n")
    drafter = Drafter(book)
    plan = drafter.draft(Pipeline(book).run(load_case(path, book)))
    assert plan.consent.for_child and plan.consent.given_by == "guardian"
    text = " ".join(str(drafter.render(plan, "md", "en", "plan")).split())
    assert "your guardian gives the consent for you" in text
    assert ("Consent given by the guardian on October 20, 2026. The child's view was heard "
            "first.") in text
    outcome = Pipeline(book).run(load_case(path, book))
    french = " ".join(str(drafter.render(drafter.draft(outcome, "fr"), "md", "fr",
                                         "plan")).split())
    assert "votre tuteur ou votre tutrice qui donne le consentement" in french


def test_a_child_s_own_consent_is_stated_as_not_enough(tmp_path: Path, book: RuleBook) -> None:
    path = _child(tmp_path, "  data_processing: true\n  recorded_on: 2026-10-20\n")
    drafter = Drafter(book)
    plan = drafter.draft(Pipeline(book).run(load_case(path, book)))
    text = " ".join(str(drafter.render(plan, "md", "en", "plan")).split())
    assert "Consent given by the returnee on October 20, 2026." in text
    assert "For a child, the guardian gives the consent" in text
    assert "until the returnee gives it" not in text


def test_an_adult_plan_says_who_consented(book: RuleBook) -> None:
    drafter = Drafter(book)
    plan = drafter.draft(Pipeline(book).run(load_case(IRAQ, book)))
    text = str(drafter.render(plan, "md", "en", "plan"))
    assert "Consent given by the returnee on October 20, 2026." in text
    assert "guardian" not in text.casefold()
