"""Reading a case file's household members, decisions and agreed actions: every mistake the
rules can see is an error at its line, every doubtful provider a warning at its line, and no
message repeats the case manager's or the returnee's own words (what, reason, guardian)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.case.reading import read_case
from engine.cli.app import app
from engine.errors import CaseError, Problem
from engine.model.rulebook import RuleBook

SECRET = "Awa Diop will sell fabric at the Sandaga market"
TODAY = date(2026, 11, 23)

BASE = f"""returnee_id: TEST-0001
case_manager: CM-01
guardian: {SECRET[:40]}
interpreter: {SECRET[:40]}
goals: {SECRET}
profile:
  age: 30
  sex: female
  country_of_return: Senegal
  place_of_return: {SECRET}
  date_of_return: 2026-09-01
  household:
    returned_with:
      - {{relationship: child, age: 9}}
    stayed:
      - relationship: parent
        age: 60
decisions:
  - approach: job_placement
    decision: accept
    reason: {SECRET}
  - approach: family_counselling
    decision: decline
    reason: {SECRET}
agreed_actions:
  - what: {SECRET}
    approach: pss_provider_referral
    modality: referral
    provider: sen_psychosocial_centre
    starts: 2026-10-01
    due: 2026-10-31
  - what: {SECRET}
    approach: returnee_associations
    modality: direct
"""


def _case(tmp_path: Path, old: str = "", new: str = "") -> tuple[Path, int]:
    """The base case with the line ``old`` replaced by ``new``; the path and that line."""
    lines = BASE.splitlines()
    number = lines.index(old) + 1 if old else 0
    if old:
        lines[number - 1] = new
    path = tmp_path / "case.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path, number


def _problems(path: Path, book: RuleBook) -> list[Problem]:
    with pytest.raises(CaseError) as caught:
        read_case(path, book, TODAY)
    return caught.value.problems


def _no_secret(problems: list[Problem]) -> None:
    for problem in problems:
        assert SECRET[:20] not in str(problem), problem


def test_the_base_case_reads_without_problem_or_warning(tmp_path: Path, book: RuleBook) -> None:
    reading = read_case(_case(tmp_path)[0], book, TODAY)
    assert reading.warnings == []
    assert [d.approach for d in reading.case.decisions] == ["job_placement",
                                                           "family_counselling"]
    assert len(reading.case.agreed_actions) == 2


@pytest.mark.parametrize(("old", "new", "message", "hint"), [
    ("  - approach: job_placement", "  - approach: job_placment",
     "unknown approach 'job_placment'", "did you mean 'job_placement'? use one of: "),
    ("  - approach: family_counselling", "  - approach: job_placement",
     "a second decision on 'job_placement'",
     "keep one decision per approach; change it rather than add another"),
    ("    approach: returnee_associations", "    approach: returnee_association",
     "unknown approach 'returnee_association'",
     "did you mean 'returnee_associations'? use one of: "),
    ("    modality: direct", "    modality: directly", "unknown modality 'directly'",
     "did you mean 'direct'? use one of: direct, referral, other_programme"),
    # at the provider it names, one line down
    ("    modality: referral", "    modality: direct",
     "action 1 is delivered 'direct' but names a provider",
     "use modality referral (or other_programme) for a provider, or remove the provider"),
    ("    provider: sen_psychosocial_centre", "    provider: sen_psycho_centre",
     "unknown provider 'sen_psycho_centre'",
     "did you mean 'sen_psychosocial_centre'? use one of: "),
    ("    due: 2026-10-31", "    due: 2026-09-30", "action 1 is due before it starts",
     "check both dates"),
    ("      - {relationship: child, age: 9}", "      - {relationship: son, age: 9}",
     "unknown relationship 'son'", "use one of: child, spouse_or_partner, parent, sibling, "
     "other_relative, other"),
    ("      - relationship: parent", "      - relationship: father",
     "unknown relationship 'father'", "did you mean 'other'? use one of: child, "),
])
def test_each_mistake_at_its_line(tmp_path: Path, book: RuleBook, old: str, new: str,
                                  message: str, hint: str) -> None:
    path, line = _case(tmp_path, old, new)
    if "names a provider" in message:
        line += 1
    problems = _problems(path, book)
    assert [(p.path, p.line, p.message) for p in problems] == [(path, line, message)]
    assert (problems[0].hint or "").startswith(hint), problems[0].hint
    _no_secret(problems)


def test_a_referral_without_provider_points_at_the_action(tmp_path: Path,
                                                          book: RuleBook) -> None:
    path, _ = _case(tmp_path, "    modality: direct", "    modality: referral")
    [problem] = _problems(path, book)
    action_line = BASE.splitlines().index("    approach: returnee_associations")  # the "- what"
    assert str(problem) == (
        f"{path}:{action_line}: action 2 is delivered by 'referral' but names no provider — "
        "add provider: an id from the country's file in rules/services/")
    _no_secret([problem])


def test_other_programme_also_needs_a_provider(tmp_path: Path, book: RuleBook) -> None:
    path, _ = _case(tmp_path, "    modality: direct", "    modality: other_programme")
    [problem] = _problems(path, book)
    assert problem.message == "action 2 is delivered by 'other_programme' but names no provider"


def test_every_mistake_at_once_in_file_order(tmp_path: Path, book: RuleBook) -> None:
    text = (BASE.replace("  - approach: job_placement", "  - approach: job_placment")
            .replace("      - relationship: parent", "      - relationship: father")
            .replace("    due: 2026-10-31", "    due: 2026-09-30")
            .replace("    modality: direct", "    modality: referral"))
    path = tmp_path / "case.yaml"
    path.write_text(text)
    lines = text.splitlines()
    problems = _problems(path, book)
    assert [(p.line, p.message) for p in problems] == [
        (lines.index("      - relationship: father") + 1, "unknown relationship 'father'"),
        (lines.index("  - approach: job_placment") + 1, "unknown approach 'job_placment'"),
        (lines.index("    due: 2026-09-30") + 1, "action 1 is due before it starts"),
        (lines.index("    approach: returnee_associations"),
         "action 2 is delivered by 'referral' but names no provider")]
    _no_secret(problems)


def test_a_due_date_on_the_start_date_is_fine(tmp_path: Path, book: RuleBook) -> None:
    path, _ = _case(tmp_path, "    due: 2026-10-31", "    due: 2026-10-01")
    assert read_case(path, book, TODAY).case.agreed_actions[0].due == date(2026, 10, 1)


# -- warnings: a provider that does not fit --------------------------------------------

@pytest.mark.parametrize(("old", "new", "messages"), [
    ("    approach: pss_provider_referral", "    approach: buddy_system",
     ["provider 'sen_psychosocial_centre' does not list 'buddy_system' among the approaches "
      "it delivers — check the provider, or add the approach to its entry in rules/services/"]),
    ("    provider: sen_psychosocial_centre", "    provider: eth_counselling_service",
     ["provider 'eth_counselling_service' is in the directory of Ethiopia, not of the country "
      "of return — check the provider"]),
    ("    provider: sen_psychosocial_centre", "    provider: eth_health_centre",
     ["provider 'eth_health_centre' does not list 'pss_provider_referral' among the "
      "approaches it delivers — check the provider, or add the approach to its entry in "
      "rules/services/",
      "provider 'eth_health_centre' is in the directory of Ethiopia, not of the country of "
      "return — check the provider"]),
])
def test_a_doubtful_provider_is_a_warning_at_its_line(tmp_path: Path, book: RuleBook, old: str,
                                                      new: str, messages: list[str]) -> None:
    path, _ = _case(tmp_path, old, new)
    provider_line = BASE.splitlines().index("    provider: sen_psychosocial_centre") + 1
    reading = read_case(path, book, TODAY)
    assert [str(w) for w in reading.warnings] == [f"{path}:{provider_line}: {m}"
                                                  for m in messages]
    _no_secret(reading.warnings)


def test_the_country_of_return_is_compared_without_case_or_spaces(tmp_path: Path,
                                                                  book: RuleBook) -> None:
    path, _ = _case(tmp_path, "  country_of_return: Senegal", "  country_of_return: ' senegal '")
    assert read_case(path, book, TODAY).warnings == []


def test_the_cli_shows_the_warning_and_carries_on(tmp_path: Path) -> None:
    path, _ = _case(tmp_path, "    provider: sen_psychosocial_centre",
                    "    provider: eth_counselling_service")
    result = CliRunner().invoke(app, ["score", str(path)])
    assert result.exit_code == 0, result.output
    provider_line = BASE.splitlines().index("    provider: sen_psychosocial_centre") + 1
    assert f"warning: {path}:{provider_line}: provider 'eth_counselling_service'" in " ".join(
        result.output.split())
    assert SECRET[:20] not in result.output
