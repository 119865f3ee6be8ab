"""``reintegrate project-design`` and ``new-project`` as an officer uses them: the example
notes in every format and language, the JSON contract, and bad project files refused at
their line with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from engine.cli.app import app
from engine.project_design.contract import json_schema

REPO = Path(__file__).resolve().parent.parent
PROJECTS = REPO / "examples" / "projects"
ETHIOPIA = PROJECTS / "ethiopia_addis_ababa.yaml"
SENEGAL = PROJECTS / "senegal_kolda.yaml"
COHORT = PROJECTS / "cohorts" / "ethiopia"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar"])
@pytest.mark.parametrize("project", [ETHIOPIA, SENEGAL], ids=["ethiopia", "senegal"])
def test_example_notes_render_in_every_format_and_language(tmp_path: Path, project: Path,
                                                           lang: str) -> None:
    for suffix in ("md", "html", "pdf"):
        target = tmp_path / f"note.{suffix}"
        code, _, err = _run("project-design", project, "--cohort", COHORT, "--as-of",
                            "2026-12-01", "--lang", lang, "-o", target)
        assert code == 0, err
        data = target.read_bytes()
        if suffix == "pdf":
            assert data.startswith(b"%PDF-")
            continue
        text = data.decode()
        assert "Figure 10" in text or lang != "en"
        if suffix == "html":
            assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in text
            assert ("<svg" in text) == (project == ETHIOPIA)  # the chart of its cohort


def test_the_note_says_which_answers_came_from_the_profile() -> None:
    code, out, err = _run("project-design", ETHIOPIA)
    assert code == 0, err
    assert "### 13. Community-Based Monitoring (CBM): Not appropriate" in out
    assert ("Is the community hostile to returnees?: **Yes** (from the community profile "
            "ethiopia\\_addis\\_ababa\\_kolfe\\_keranio@2026-12-illustrative)") in out
    assert "illustrative example, not real data" in out


def test_the_officers_answer_overrides_the_profile(tmp_path: Path) -> None:
    text = ETHIOPIA.read_text().replace(
        "      # cbm_community_hostile: left blank, the community profile answers it\n",
        '      cbm_community_hostile: "no"\n')
    project = tmp_path / "project.yaml"
    project.write_text(text)
    code, out, err = _run("project-design", project, "--json")
    assert code == 0, err
    cbm = next(a for a in json.loads(out)["design"]["approaches"]
               if a["approach"] == "community_based_monitoring")
    assert cbm["outcome"] == "needs_answers"  # no longer not_appropriate; ca_* questions open
    hostile = next(t for t in cbm["trace"] if t["question"] == "cbm_community_hostile")
    assert (hostile["answer"], hostile["answered_from"]) == ("no", "project")


def test_json_follows_the_committed_schema() -> None:
    committed = json.loads((REPO / "docs" / "contract" / "project_design.schema.json").read_text())
    assert committed == json_schema(), "run: reintegrate project-design --schema > " \
        "docs/contract/project_design.schema.json (and bump the version if consumers notice)"
    code, out, err = _run("project-design", ETHIOPIA, "--cohort", COHORT, "--as-of",
                          "2026-12-01", "--json")
    assert code == 0, err
    document = json.loads(out)
    jsonschema.validate(document, committed)
    cohort = document["design"]["cohort"]
    assert (cohort["cases"], cohort["elsewhere"]) == (10, 2)
    assert [s["score"] for s in cohort["shares"]] == ["economic", "social", "psychosocial",
                                                       "composite"]
    assert all(0 <= s["below"] <= s["scored"] <= 10 for s in cohort["shares"])
    assert cohort["low_points"], "returns between June and November 2026 reach low points"


def test_new_project_writes_a_blank_that_loads_once_filled(tmp_path: Path) -> None:
    blank = tmp_path / "project.yaml"
    code, _, err = _run("new-project", "-o", blank)
    assert code == 0, err
    text = blank.read_text()
    assert text.count("#  - approach: ") == 16
    assert _run("new-project", "-o", blank)[0] == 2  # never overwrites
    code, _, err = _run("project-design", blank)
    assert code == 2 and f"{blank}:4: project is empty" in err
    filled = (text.replace("project:            #", "project: TST-001 #")
              .replace("title:              #", "title: A test #")
              .replace("  country:          #", "  country: Iraq #")
              .replace("  area:             #", "  area: Erbil #")
              .replace("#  - approach: cso_engagement\n#    answers:\n#      cso_present:",
                       " - approach: cso_engagement\n   answers:\n     cso_present: yes"))
    blank.write_text(filled)
    code, out, err = _run("project-design", blank)
    assert code == 0, err
    assert "### 11. CSO Engagement: Needs answers" in out


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ("  - approach: business_startup\n", "  - approach: business_start_up\n",
     "unknown complementary approach 'business_start_up' — did you mean 'business_startup'?"),
    ('      biz_market_assessment: "no"\n', '      biz_market_asessment: "no"\n',
     "'biz_market_asessment' is not a question of 'business_startup' — did you mean "
     "'biz_market_assessment'?"),
    ('      biz_market_assessment: "no"\n', "      biz_market_assessment: maybe\n",
     "'biz_market_assessment' is a yes/no question"),
    ('      biz_market_assessment: "no"\n', "      biz_market_assessment: 1\n",
     "'biz_market_assessment' is a yes/no question"),
    ("      cbm_frequency: Every three months.\n",
     '      cbm_frequency: "Every three\\u202e months"\n', "text-direction override"),
    ("project: ETH-PD-2027-01\n", "project: Ethiopia project 2027\n",
     "project: must be a code such as ETH-PD-2027-01"),
    ("prepared_on: 2026-12-01\n", "prepared_on: 20261201\n", "a number is not a date"),
])
def test_bad_project_files_are_refused_at_their_line(tmp_path: Path, old: str, new: str,
                                                     fragment: str) -> None:
    text = ETHIOPIA.read_text()
    assert old in text
    line = text[:text.index(old)].count("\n") + 1
    project = tmp_path / "project.yaml"
    project.write_text(text.replace(old, new, 1))
    code, out, err = _run("project-design", project)
    assert code == 2
    assert "Traceback" not in err and out == ""
    assert any(entry.strip().startswith(f"{project}:{line}:") and fragment in entry
               for entry in err.splitlines()), err


def test_a_bad_profile_file_named_by_the_project_is_refused_with_exit_2(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    shipped = REPO / "rules" / "community_profiles" / "places" / "senegal_kolda.yaml"
    lines = shipped.read_text().replace("  migration_rates: high", "  migrations: high")
    profile.write_text(lines.replace("  safety_levels: high", "  safety_levels: 3"))
    project = tmp_path / "project.yaml"
    project.write_text(SENEGAL.read_text().replace("community_profile: senegal_kolda",
                                                   "community_profile: profile.yaml"))
    code, _, err = _run("project-design", project)
    assert code == 2
    text = profile.read_text().splitlines()
    assert f"{profile}:{text.index('  migrations: high') + 1}: 'senegal_kolda': unknown " \
        "community indicator 'migrations' — did you mean 'migration_rates'?" in err
    assert f"{profile}:{text.index('  safety_levels: 3') + 1}:" in err
    project.write_text(SENEGAL.read_text().replace("community_profile: senegal_kolda",
                                                   "community_profile: senegal_kold"))
    code, _, err = _run("project-design", project)
    assert code == 2 and "did you mean 'senegal_kolda'?" in err


def test_hostile_files_end_in_a_located_problem(tmp_path: Path) -> None:
    project = tmp_path / "project.yaml"
    project.write_bytes(b"project: \xff\xfe\x00\n")
    code, _, err = _run("project-design", project)
    assert code == 2 and f"{project}:" in err and "Traceback" not in err
    project.write_text("a: &a [*a, *a]\n" + "b: [" * 200 + "]" * 200)
    code, _, err = _run("project-design", project)
    assert code == 2 and f"{project}:" in err and "Traceback" not in err


def test_a_bad_cohort_file_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    for case in COHORT.glob("eth_c00[12].yaml"):
        (cohort / case.name).write_text(case.read_text())
    broken = cohort / "eth_c002.yaml"
    broken.write_text(broken.read_text().replace("  economic_satisfaction:", "  economic_mood:"))
    target = tmp_path / "note.html"
    code, _, err = _run("project-design", ETHIOPIA, "--cohort", cohort, "-o", target)
    assert code == 2 and f"{broken}:" in err and "economic_mood" in err
    assert not target.exists()


def test_questions_works_on_a_project_file() -> None:
    code, out, err = _run("questions", ETHIOPIA, "--json")
    assert code == 0, err
    asked = {(q["approach"], q["question"]) for q in json.loads(out)["questions"]}
    assert ("mobile_based_monitoring", "mob_sim_regulations_allow") in asked
    # answered by the community profile, so not asked
    assert ("community_based_monitoring", "cbm_community_hostile") not in asked
    code, out, _ = _run("questions", ETHIOPIA)
    assert code == 0 and "15. Mobile-based monitoring (mobile_based_monitoring): " \
        "needs_answers" in out
    assert "13. Community-Based Monitoring (CBM) (community_based_monitoring):\n" \
        "  not_appropriate" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_a_cohort_folder_that_is_not_there_is_a_bad_argument(tmp_path: Path) -> None:
    """--cohort with a mistyped folder was a FileNotFoundError traceback (exit 1)."""
    result = runner.invoke(app, ["project-design", str(SENEGAL), "--cohort",
                                 str(tmp_path / "typo")], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output
