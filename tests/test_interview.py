"""The interview in a real terminal (a pseudo-terminal driven by pexpect), and ``answer``:
a blank case is taken to a plan with nothing left in the first-session set; an interview
stopped midway goes on, later, from where it stopped; every answer is saved at once."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pexpect
import pytest
from tests_interview_driver import RSS, answer_interview
from typer.testing import CliRunner

from engine.cli.app import app

REINTEGRATE = Path(sys.executable).parent / "reintegrate"
runner = CliRunner()

PROFILE = ["returnee_id=GIN-2026-0007", "assessed_on=2026-11-05", "case_manager=CM-CKY-02",
           "profile.age=24", "profile.sex=female", "profile.country_of_return=Guinea",
           "profile.place_of_return=Conakry, Matoto", "profile.date_of_return=2026-11-02",
           "profile.household.size=2",
           "profile.household.returned_with=[{relationship: child, age: 5}]",
           "profile.vulnerabilities=[emergency_return]", "consent.data_processing=true",
           "consent.recorded_on=2026-11-05"]
"""The Guinean returnee of issue 14: 24, back in Conakry from Libya with her son of 5,
an emergency return."""

def _new_case(folder: Path) -> Path:
    path = folder / "guinea.yaml"
    assert runner.invoke(app, ["new-case", "-o", str(path)]).exit_code == 0
    result = runner.invoke(app, ["answer", str(path), *PROFILE])
    assert result.exit_code == 0, result.output
    return path


def _interview(path: Path, stop_after: int | None = None) -> list[str]:
    """Drive one interview; return the ids asked, in order."""
    child = pexpect.spawn(str(REINTEGRATE), ["interview", str(path)], encoding="utf-8",
                          timeout=60, dimensions=(40, 100),
                          env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"})
    asked = answer_interview(child, stop_after)
    child.close()
    assert child.exitstatus == 0, child.before
    return asked


def _questions(path: Path) -> dict:
    result = runner.invoke(app, ["questions", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_an_interview_takes_a_blank_case_to_a_plan(tmp_path: Path) -> None:
    path = _new_case(tmp_path)
    comments = [line for line in path.read_text().splitlines() if line.startswith("#")]
    asked = _interview(path)
    assert asked[:3] == ["economic_satisfaction", "food_insecurity_frequency",
                         "ability_to_borrow"]  # the RSS first, in the survey's order
    assert len(asked) == len(set(asked))  # nothing asked twice
    state = _questions(path)
    assert state["first_session"] == []
    text = path.read_text()
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    assert 'possesses_id: "no"' in text or "possesses_id: 'no'" in text
    target = tmp_path / "plan.md"
    result = runner.invoke(app, ["plan", str(path), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "GIN-2026-0007" in target.read_text()


def test_an_interview_stopped_midway_goes_on_where_it_stopped(tmp_path: Path) -> None:
    path = _new_case(tmp_path)
    first = _interview(path, stop_after=5)
    saved = path.read_text()
    for key in first:
        assert re.search(rf"^  {key}: \S", saved, re.M), key  # each saved at once
    child = pexpect.spawn(str(REINTEGRATE), ["interview", str(path)], encoding="utf-8",
                          timeout=60, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"})
    child.expect(r"\n\[(\w+)\] ")
    resumed = child.match.group(1)
    child.expect(r"Answer \(")
    child.sendline("q")
    child.expect(pexpect.EOF)
    assert resumed not in first
    # the first element the stopped interview had not reached, in the survey's order
    from engine.loading.rulebook import load_rulebook
    order = [e.id for e in load_rulebook().instrument.elements]
    assert resumed == next(e for e in order if e not in first)


def test_answer_records_and_says_what_it_settled(tmp_path: Path) -> None:
    path = _new_case(tmp_path)
    for element, choice in RSS.items():
        assert runner.invoke(app, ["answer", str(path), f"{element}={choice}"]).exit_code == 0
    result = runner.invoke(app, ["answer", str(path), "pssref_wants_support=no"])
    assert result.exit_code == 0, result.output
    assert "Settled:" in result.stdout
    bad = runner.invoke(app, ["answer", str(path), "possesses_id=maybe",
                              "no_such_question=yes"])
    assert bad.exit_code == 2
    assert "'maybe' is not a choice of possesses_id" in bad.stderr
    assert "no RSS element, grid question or case field 'no_such_question'" in bad.stderr
    before = path.read_text()
    wrong = runner.invoke(app, ["answer", str(path), "profile.age=300"])
    assert wrong.exit_code == 2 and path.read_text() == before  # nothing lost or changed


SENEGAL = Path(__file__).parents[1] / "examples" / "cases" / "senegal_returnee.yaml"


def _broken(folder: Path, kind: str) -> Path:
    """A case file as people break it by hand, or a path that is not one."""
    text = SENEGAL.read_text(encoding="utf-8")
    path = folder / "case.yaml"
    if kind == "tab":
        path.write_text(text.replace("\n  age: 21", "\n\tage: 21"), encoding="utf-8")
    elif kind == "latin1":
        path.write_bytes(text.replace("Kolda", "Koldé").encode("latin-1"))
    elif kind == "folder":
        path.mkdir()
    elif kind == "empty":
        path.write_text("", encoding="utf-8")
    return path


@pytest.mark.parametrize(("kind", "said"), [
    ("tab", "case.yaml:11:"), ("latin1", "not UTF-8 text"), ("folder", "cannot read the file"),
    ("missing", "cannot read the file"), ("empty", "a case file is a mapping")])
def test_answer_in_a_broken_case_file_is_one_sentence_and_exit_2(
        tmp_path: Path, kind: str, said: str) -> None:
    """Each of these was a traceback (exit 1): the file was read again, unchecked, to be
    edited. Now it is read as every command reads a case, and left as it was."""
    path = _broken(tmp_path, kind)
    before = path.read_bytes() if path.is_file() else None
    result = runner.invoke(app, ["answer", str(path), "access_to_justice=poor"])
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "Traceback" not in result.output
    assert (path.read_bytes() if path.is_file() else None) == before


def test_answer_keeps_a_utf16_case_file_readable(tmp_path: Path) -> None:
    """A file saved as UTF-16 with a byte-order mark is read by every command; answering
    in it was a traceback. It is written back as UTF-8, with the answer."""
    path = tmp_path / "case.yaml"
    path.write_text(SENEGAL.read_text(encoding="utf-8"), encoding="utf-16")
    result = runner.invoke(app, ["answer", str(path), "access_to_justice=poor"])
    assert result.exit_code == 0, result.output
    assert "access_to_justice: poor" in path.read_text(encoding="utf-8")


def test_answer_with_an_unclosed_list_is_a_bad_argument(tmp_path: Path) -> None:
    """``commitments=[a, b`` (a bracket left open) was a ruamel traceback."""
    path = tmp_path / "case.yaml"
    path.write_text(SENEGAL.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["answer", str(path), "commitments=[Find work, Sleep"])
    assert result.exit_code == 2, result.output
    assert "the value cannot be read" in result.stderr and "Traceback" not in result.output
    assert path.read_text(encoding="utf-8") == SENEGAL.read_text(encoding="utf-8")


def test_answer_keeps_a_json_case_json_one_field_a_line(tmp_path: Path) -> None:
    """A JSON case came back as one line of flow YAML (readable, but no longer a file
    a person can follow or diff)."""
    from engine.case.reading import load_case
    from engine.loading.rulebook import load_rulebook
    book = load_rulebook()
    path = tmp_path / "case.json"
    path.write_text(load_case(SENEGAL, book).model_dump_json(indent=1), encoding="utf-8")
    lines = len(path.read_text(encoding="utf-8").splitlines())
    result = runner.invoke(app, ["answer", str(path), "access_to_justice=poor",
                                 "profile.date_of_return=2026-11-16"])
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["rss"]["access_to_justice"] == "poor"
    assert data["profile"]["date_of_return"] == "2026-11-16"
    assert len(path.read_text(encoding="utf-8").splitlines()) >= lines


def test_the_interview_in_french_reads_at_80_columns(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Its own sentences were echoed unwrapped: in French the first line and the one
    after q ran past 80 columns, so the terminal cut words in the middle."""
    monkeypatch.chdir(tmp_path)  # the file's name is in a sentence: a short one
    Path("case.yaml").write_text(SENEGAL.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["interview", "case.yaml", "--lang", "fr"],
                           input="peut-être\nq\n", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("Arrêt." in line for line in lines)
    assert max(len(line) for line in lines) <= 80, [line for line in lines if len(line) > 80]


def test_answers_that_cannot_be_saved_are_one_sentence_and_exit_2(tmp_path: Path) -> None:
    """A case file in a folder the user may not write in was a PermissionError traceback.
    (Run as root here, so the failure is made real another way: a name so long that the
    temporary file written beside it cannot have one.)"""
    path = tmp_path / ("c" * 245 + ".yaml")
    path.write_text(SENEGAL.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["answer", str(path), "access_to_justice=poor"])
    assert result.exit_code == 2, result.output
    assert "Could not save the answers in" in result.stderr
    assert "Traceback" not in result.output
    assert path.read_text(encoding="utf-8") == SENEGAL.read_text(encoding="utf-8")


def test_a_text_field_is_recorded_as_typed(tmp_path: Path) -> None:
    """A text field's value was read as YAML: "#1 ..." became a comment (goals saved
    empty, and "Saved 1 answer" said) and "Office line: ..." a mapping (refused)."""
    from engine.case.reading import load_case
    from engine.loading.rulebook import load_rulebook
    path = tmp_path / "case.yaml"
    path.write_text(SENEGAL.read_text(encoding="utf-8"), encoding="utf-8")
    goals = "#1 find work: in Dakar, then help my mother"
    contact = "Office line: +221 33 000 00 00"
    result = runner.invoke(app, ["answer", str(path), f"goals={goals}",
                                 f"case_manager_contact={contact}", "profile.age=22"])
    assert result.exit_code == 0, result.output
    case = load_case(path, load_rulebook())
    assert (case.goals, case.case_manager_contact, case.profile.age) == (goals, contact, 22)


def test_a_list_item_holding_a_colon_is_told_to_be_quoted(tmp_path: Path) -> None:
    """[a, call me: +221 ...] reads the second item as a key and a value: that was
    'commitments.1: Input should be a valid string', which did not say why."""
    path = tmp_path / "case.yaml"
    path.write_text(SENEGAL.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["answer", str(path),
                                 "commitments=[attend the course, call me: +221 33 000 00 00]"])
    assert result.exit_code == 2
    assert "put that item in quotes" in result.output
    assert path.read_text(encoding="utf-8") == SENEGAL.read_text(encoding="utf-8")
    quoted = runner.invoke(app, ["answer", str(path),
                                 'commitments=[attend the course, "call me: +221 33"]'])
    assert quoted.exit_code == 0, quoted.output
