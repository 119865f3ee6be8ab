"""The CLI on the example cases, and bad case files: clear message, exit code 2."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli.app import app
from engine.model.rulebook import RuleBook

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"
ETHIOPIA = EXAMPLES / "ethiopia_returnee.yaml"
IRAQ = EXAMPLES / "iraq_returnee.yaml"
SENEGAL = EXAMPLES / "senegal_returnee.yaml"
runner = CliRunner()


def _json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _values(data: dict) -> dict[str, float | None]:
    """Each dimension's score and the composite, from a scores object of the contract."""
    scores = data["scores"]
    return {**{name: s["value"] for name, s in scores["dimensions"].items()},
            "composite": scores["composite"]["value"]}


def test_score_json_shape() -> None:
    data = _json("score", str(ETHIOPIA))
    assert (data["document"], data["contract_version"]) == ("scores", 2)
    scores = data["scores"]
    assert set(scores["dimensions"]) == {"economic", "social", "psychosocial"}
    for score in [*scores["dimensions"].values(), scores["composite"]]:
        assert 0 <= score["value"] <= 1 and 0 <= score["coverage"] <= 1
        assert score["missing"] is None
    assert scores["weight_set"] == "default" and scores["weight_set_official"] is False
    assert scores["elements"]["currently_working"]["choice"] == "no"


def test_ethiopian_man_needs_support_everywhere_above_all_economic() -> None:
    scores = _values(_json("score", str(ETHIOPIA)))
    assert all(scores[d] < 0.5 for d in ("economic", "social", "psychosocial"))
    assert scores["economic"] == min(scores["economic"], scores["social"], scores["psychosocial"])


def test_iraqi_woman_needs_economic_support_only() -> None:
    scores = _values(_json("score", str(IRAQ)))
    assert scores["economic"] < 0.5 <= min(scores["social"], scores["psychosocial"])


def test_weight_set_choice_changes_scores() -> None:
    default = _values(_json("score", str(ETHIOPIA)))["economic"]
    seed = _values(_json("score", str(ETHIOPIA), "--weights", "seed-example"))["economic"]
    assert default != seed


def _statuses(path: Path) -> dict[str, tuple[str, str | None]]:
    data = _json("recommend", str(path))["assessment"]
    return {r["approach"]: (r["status"], r["modality"]) for r in data["approaches"]}


def test_recommend_ethiopia() -> None:
    statuses = _statuses(ETHIOPIA)
    assert statuses["business_startup_revisited"] == ("recommended", "referral")
    assert statuses["school_reintegration"] == ("recommended", "direct")
    assert statuses["job_placement"][0] == "not_appropriate"  # he wants a business, not a job
    assert statuses["housing_support"][0] == "not_appropriate"  # he wants no help with it


def test_recommend_iraq() -> None:
    statuses = _statuses(IRAQ)
    assert statuses["vocational_training"] == ("recommended", "other_programme")
    assert statuses["financial_inclusion"] == ("recommended", "referral")
    assert statuses["business_startup_revisited"][0] == "not_appropriate"
    assert statuses["pss_provider_referral"][0] == "not_indicated"


def test_recommend_senegal_emergency_return() -> None:
    statuses = _statuses(SENEGAL)
    assert statuses["essential_needs_support"] == ("recommended", "direct")
    assert statuses["pss_provider_referral"][0] == "not_appropriate"  # no service nearby
    assert statuses["documentation_support"][0] == "needs_answers"
    assert statuses["school_reintegration"][0] == "not_indicated"  # no school-aged children


def test_recommend_json_carries_rules_version_and_reason_codes() -> None:
    data = _json("recommend", str(SENEGAL))
    assert (data["document"], data["contract_version"]) == ("assessment", 2)
    assessment = data["assessment"]
    assert len(assessment["rules_version"]) == 12
    for item in assessment["approaches"]:
        assert item["summary"]["code"] and item["reasons"]
        for reason in item["reasons"]:
            assert set(reason) == {"code", "rule_ids", "level", "modality"}
        if item["status"] == "needs_answers":
            assert item["open_questions"]


def test_json_holds_no_sentences() -> None:
    """Results are codes: nothing in the contract is worded, so it is the same in every
    language (the longest string is a rule id or a source-free code)."""
    text = runner.invoke(app, ["recommend", str(SENEGAL), "--json"]).stdout
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    assert strings and all(" " not in s for s in strings), [s for s in strings if " " in s]


def test_recommend_table() -> None:
    result = runner.invoke(app, ["recommend", str(ETHIOPIA)], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    assert "Business start-up" in result.output and "recommended" in result.output


def test_recommend_table_reads_at_80_columns(book: RuleBook) -> None:
    """Names wrap at spaces; no word of a name is split across lines, and no line is longer
    than the terminal."""
    result = runner.invoke(app, ["recommend", str(ETHIOPIA)], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    cells = [cell.strip() for line in lines for cell in line.split("│")[1:-1]]
    words = {w for cell in cells for w in cell.split()}
    for approach in book.approaches.values():
        for word in approach.name.split():
            assert word in words or word.rstrip(",") in words, word
    assert "0.11111" not in result.output


@pytest.mark.parametrize("case", [ETHIOPIA, SENEGAL])
def test_recommend_at_80_columns_cuts_no_word(case: Path) -> None:
    """Rich ends a word longer than its column with "…": the modality column was 11
    wide, so "Delivered directly by the reintegration programme" read "reintegrat…"."""
    result = runner.invoke(app, ["recommend", str(case)], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "…" not in result.output


def test_explain_shows_what_decided() -> None:
    result = runner.invoke(app, ["explain", str(SENEGAL), "pss_provider_referral"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "not appropriate" in result.output
    assert "pss_provider_referral/indicated/" in result.output
    assert not re.search(r"\d\.\d{3,}", result.output), "numbers are rounded as the plan prints"
    assert "Not appropriate at the community level" in result.output
    assert "project guidance, not IOM's" in result.output  # the entry is derived


def test_explain_json() -> None:
    data = _json("explain", str(ETHIOPIA), "business_startup_revisited")["result"]
    assert data["status"] == "recommended" and data["modality"] == "referral"
    data = data["trace"]
    assert {level["level"] for level in data["levels"]} == {"individual", "community",
                                                              "structural"}
    assert any(e["truth"] == "holds" and e["subject"] == "economic"
               and e["condition"] == "score_below" for e in data["indication"])


def test_explain_unknown_approach() -> None:
    result = runner.invoke(app, ["explain", str(ETHIOPIA), "teleportation"])
    assert result.exit_code == 2
    assert "no approach 'teleportation'" in result.output
    typo = runner.invoke(app, ["explain", str(ETHIOPIA), "job_placment"])
    assert typo.exit_code == 2 and "did you mean 'job_placement'?" in typo.output
    as_json = runner.invoke(app, ["explain", str(ETHIOPIA), "job_placment", "--json"])
    assert as_json.exit_code == 2
    assert "job_placement" in json.loads(as_json.stdout)["problems"][0]["hint"]


BAD_CASES = {
    "unknown_element": ("rss:\n  shoe_size: large\n", "rss", "unknown RSS element 'shoe_size'"),
    "bad_choice": ("rss:\n  currently_working: sometimes\n", "rss",
                   "'sometimes' is not a choice of element 'currently_working'"),
    "unknown_question": ("grid_answers:\n  mystery_question: 'yes'\n", "grid_answers",
                         "unknown grid question 'mystery_question'"),
    "bad_answer": ("grid_answers:\n  biz_wants_business: maybe\n", "grid_answers",
                   "grid_answers.biz_wants_business"),
    "unknown_vulnerability": (None, "vulnerabilities", "unknown vulnerability 'tired'"),
}
PROFILE = """returnee_id: BAD-0001
profile:
  age: 30
  sex: male
  country_of_return: Senegal
  place_of_return: Dakar
  date_of_return: 2026-09-01
"""


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_case_file(tmp_path: Path, name: str) -> None:
    tail, field, message = BAD_CASES[name]
    text = PROFILE + (tail or "  vulnerabilities: [tired]\n")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["recommend", str(path)])
    assert result.exit_code == 2, result.output
    assert "The case file cannot be used" in result.output
    assert message in result.output
    line = next(i + 1 for i, t in enumerate(text.splitlines()) if field in t)
    assert f"{path}:" in result.output and (f":{line}:" in result.output
                                            or f":{line + 1}:" in result.output)
    assert "Traceback" not in result.output


def test_a_tab_in_the_indentation_is_named(tmp_path: Path) -> None:
    """An editor shows a tab as spaces; "found character that cannot start any token"
    left the case manager looking for a character they could not see."""
    text = SENEGAL.read_text(encoding="utf-8").replace("\n  age: 21", "\n\tage: 21")
    path = tmp_path / "tab.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2
    line = text.splitlines().index("\tage: 21") + 1
    assert (f"{path}:{line}: a tab indents this line; YAML indents with spaces only — "
            "replace the tab with spaces") in result.output


def test_malformed_yaml_case(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(PROFILE + "rss: {currently_working: yes\n")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2
    assert "not valid YAML or JSON" in result.output and f"{path}:" in result.output
    assert "Traceback" not in result.output


def test_missing_required_field(tmp_path: Path) -> None:
    path = tmp_path / "no_date.yaml"
    path.write_text(PROFILE.replace("  date_of_return: 2026-09-01\n", ""))
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2
    assert "missing field 'profile.date_of_return'" in result.output


def test_missing_case_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(tmp_path / "nowhere.yaml")])
    assert result.exit_code == 2
    assert "cannot read the file" in result.output


def test_json_case_file(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({
        "returnee_id": "JSON-0001",
        "profile": {"age": 30, "sex": "female", "country_of_return": "Iraq",
                    "place_of_return": "Erbil", "date_of_return": "2026-09-01"},
        "rss": {"currently_working": "no"}, "grid_answers": {"biz_wants_business": True},
    }))
    data = _json("recommend", str(path))["assessment"]
    assert data["returnee_id"] == "JSON-0001"


def _commands(group, prefix: str = ""):  # type: ignore[no-untyped-def]
    for name, command in group.commands.items():
        yield prefix + name, command
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")


def test_every_command_help_is_paragraphs_of_one_line() -> None:
    """Typer's Rich help prints a docstring's line breaks as they are: a docstring wrapped
    at the source's width broke its sentence mid-line at every terminal width."""
    import inspect

    import typer

    broken = [name for name, command in _commands(typer.main.get_command(app))
              if any("\n" in paragraph.strip()
                     for paragraph in inspect.cleandoc(command.help or "").split("\n\n"))]
    assert not broken
    shown = runner.invoke(app, ["schema", "--help"], env={"COLUMNS": "80"}).output
    assert "Print the JSON Schema of a --json document or of the case file." in " ".join(
        line.strip(" │") for line in shown.splitlines())


def test_problems_are_wrapped_between_words_in_a_terminal_only(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A terminal cuts a long line mid-word: there each problem is wrapped between words,
    never inside a path; into a pipe it stays one line, for grep and editors."""
    import io

    from rich.console import Console

    from engine.cli import command

    case = tmp_path / "a-long-folder-name-that-must-not-be-cut" / "case.yaml"
    case.parent.mkdir()
    case.write_text("returnee_id: X\nrss:\n  shoe_size: large\n")
    screen = io.StringIO()
    monkeypatch.setattr(command, "err", Console(file=screen, force_terminal=True, width=60,
                                                no_color=True, soft_wrap=True))
    assert runner.invoke(app, ["score", str(case)]).exit_code == 2
    lines = screen.getvalue().splitlines()
    assert any(line.startswith("      ") for line in lines)  # a continuation, indented
    assert all(len(line) <= 60 or str(case) in line for line in lines)
    assert any(str(case) in line for line in lines)  # the path whole, on one line
    monkeypatch.undo()
    piped = runner.invoke(app, ["score", str(case)])  # CliRunner's stderr is no terminal
    assert any("returnee_id: must be a pseudonymous code" in line and "starting with" in line
               for line in piped.output.splitlines())
