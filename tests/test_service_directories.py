"""The service directories (rules/services/): the shipped entries say they are illustrative,
look-ups by id and by country work, and every mistake in a directory is reported by
`validate` with its file and line, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests_support import break_line
from typer.testing import CliRunner

from engine.cli.app import app
from engine.model.rulebook import RuleBook


def test_shipped_directories(book: RuleBook) -> None:
    assert [d.country for d in book.services] == ["Ethiopia", "Iraq", "Senegal"]
    entries = [e for d in book.services for e in d.entries]
    assert len(entries) == len({e.id for e in entries}) == 9
    for entry in entries:
        # made up to show the format: every document that names one must be able to say so
        assert entry.illustrative is True, entry.id
        assert entry.name.endswith("(illustrative)"), entry.id
        assert entry.provenance == "derived", entry.id
        assert set(entry.approaches) <= set(book.approaches), entry.id


def test_look_ups_by_provider_and_country(book: RuleBook) -> None:
    centre = book.provider("eth_health_centre")
    assert centre is not None and centre.approaches == ["health_referral"]
    assert centre.places == ["Addis Ababa"] and centre.kind == "provider"
    assert book.provider("no_such_provider") is None
    iraq = book.directory(" iraq ")
    assert iraq is not None and [e.id for e in iraq.entries] == [
        "irq_erbil_vocational_programme", "irq_erbil_bank_partner"]
    assert book.directory("Mali") is None
    senegal = book.directory("Senegal")
    assert senegal is not None
    assert [e.id for e in senegal.serving("pss_provider_referral")] == ["sen_psychosocial_centre"]
    assert senegal.serving("health_referral") == []


def _validate(rules: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["validate", "--rules", str(rules)])
    assert isinstance(result.exception, SystemExit | None), result.exception
    return result.exit_code, [line.strip() for line in result.output.splitlines()[1:]
                              if line.strip()]


SECOND_SENEGAL = """country: SENEGAL
entries:
  - id: sen_dakar_job_centre
    name: Job centre, Dakar (illustrative)
    kind: provider
    approaches: [job_placement]
    services: Job offers and counselling
    illustrative: true
    source: project example of the directory format; not from the seeds
    provenance: derived
"""


def test_every_directory_mistake_is_reported_with_its_line_and_nothing_else(
        rules_copy: Path) -> None:
    services = rules_copy / "services"
    unknown = break_line(rules_copy, "services/ethiopia.yaml", r"approaches: \[health_referral\]",
                         "approaches: [health_referal]")
    duplicate = break_line(rules_copy, "services/iraq.yaml", r"^  - id: irq_erbil_bank_partner$",
                           "  - id: irq_erbil_vocational_programme")
    entry = break_line(rules_copy, "services/senegal.yaml", r"^  - id: sen_psychosocial_centre$",
                       "  - id: sen_psychosocial_centre")
    text = (services / "senegal.yaml").read_text()
    lines = text.splitlines(keepends=True)
    assert lines[entry + 5] == "    illustrative: true\n"
    del lines[entry + 5]
    (services / "senegal.yaml").write_text("".join(lines))
    (services / "senegal_dakar.yaml").write_text(SECOND_SENEGAL)

    exit_code, problems = _validate(rules_copy)
    assert exit_code == 1
    assert problems == [
        f"{services / 'ethiopia.yaml'}:{unknown}: 'eth_health_centre': unknown approach "
        "'health_referal' — did you mean 'health_referral'? use one of: "
        + problems[0].split("use one of: ", 1)[1],
        f"{services / 'iraq.yaml'}:{duplicate}: 'irq_erbil_vocational_programme': duplicate "
        "provider id — provider ids are unique across rules/services/",
        f"{services / 'senegal.yaml'}:{entry}: 'sen_psychosocial_centre': missing field "
        "'illustrative' — add it",
        f"{services / 'senegal_dakar.yaml'}:1: a second directory for SENEGAL — keep one file "
        "per country"]
    assert "business_startup_revisited" in problems[0]  # the known approaches are listed


@pytest.mark.parametrize(("pattern", "replacement", "fragment"), [
    (r"^    kind: programme$", "    kind: partner", "'provider' or 'programme'"),
    (r"^    approaches: \[school_reintegration\]$", "    approaches: []",
     "at least 1 item"),
    (r"^    illustrative: true$", "    illustrative: maybe", "valid boolean"),
    (r"^    provenance: derived$", "    provenance: official", "'verbatim' or 'derived'"),
])
def test_a_bad_entry_is_located(rules_copy: Path, pattern: str, replacement: str,
                                fragment: str) -> None:
    line = break_line(rules_copy, "services/ethiopia.yaml", pattern, replacement)
    exit_code, problems = _validate(rules_copy)
    assert exit_code == 1
    [problem] = problems
    assert problem.startswith(f"{rules_copy / 'services' / 'ethiopia.yaml'}:{line}: "), problem
    assert fragment in problem, problem


def test_a_broken_entry_is_reported_once(rules_copy: Path) -> None:
    """An entry that does not validate is one problem, not also one per approach."""
    break_line(rules_copy, "services/ethiopia.yaml", r"^    approaches: \[health_referral\]$",
               "    approaches: []")
    exit_code, problems = _validate(rules_copy)
    assert exit_code == 1 and len(problems) == 1 and "'eth_health_centre'" in problems[0]
