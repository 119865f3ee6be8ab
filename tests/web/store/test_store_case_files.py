"""A case file imported and exported gives the command line the same results; the engine
validates what the store holds as it validates a file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine import CaseError
from engine.web.workspace import case_files, rounds

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((REPO / "examples" / "cases").glob("*.yaml"))


def _cli_json(path: Path) -> list[str]:
    """What the CLI says of a case file: its scores and its recommendations (JSON)."""
    return [subprocess.run([sys.executable, "-m", "engine.cli", command, str(path), "--json"],
                           capture_output=True, text=True, check=True, cwd=REPO).stdout
            for command in ("score", "recommend")]


@pytest.mark.django_db
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_case_file_round_trips_to_the_same_cli_results(staff, path: Path,
                                                          tmp_path: Path) -> None:
    returnee = case_files.import_case_file(staff.manager, path.read_bytes(), path.name)
    round_ = returnee.rounds.get()
    exported = tmp_path / path.name
    exported.write_text(case_files.export_case_file(staff.manager, round_.pk))
    before, after = _cli_json(path), _cli_json(exported)
    assert after == before and all(before)


@pytest.mark.django_db
def test_a_bad_case_file_is_refused_with_its_line_and_nothing_is_saved(staff) -> None:
    bad = (REPO / "examples" / "cases" / "ethiopia_returnee.yaml").read_text().replace(
        "economic_satisfaction: very_dissatisfied", "economic_satisfaction: very_unhappy")
    with pytest.raises(CaseError) as refused:
        case_files.import_case_file(staff.manager, bad.encode(), "upload.yaml")
    problem = refused.value.problems[0]
    assert str(problem.path) == "upload.yaml" and problem.line is not None
    assert "very_unhappy" in problem.message
    from engine.web.workspace.models import Returnee
    assert not Returnee.objects.exists()


@pytest.mark.django_db
def test_the_stored_outcome_is_the_engines(ethiopia, staff) -> None:
    from engine import Pipeline, load_rules, read_case
    book = load_rules()
    direct = Pipeline(book).run(read_case(EXAMPLES[0], book).case)
    stored = rounds.outcome_of(staff.manager, ethiopia.rounds.get().pk)
    assert [(a.approach, a.status) for a in stored.outcome.assessment.approaches] == [
        (a.approach, a.status) for a in direct.assessment.approaches]
    assert stored.rules_identity == book.identity
