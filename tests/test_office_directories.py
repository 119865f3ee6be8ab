"""An office's own folder (issue 14): a Guinean directory in the office's folder, named
with --office or REINTEGRATE_OFFICE, serves a plan without copying or touching the
shipped rules, and the office's feedback line is printed on every plan; a country without
a directory is said to have none, with how to add one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli.app import app
from engine.loading.office import ENVIRONMENT, with_office_services
from engine.loading.rulebook import load_rulebook, shipped_rules
from engine.model.rulebook import RuleBook

REPO = Path(__file__).resolve().parent.parent
OFFICE = REPO / "examples" / "office"
runner = CliRunner()

GUINEA_CASE = """returnee_id: GIN-2026-0007
assessed_on: 2026-11-05
case_manager: CM-CKY-02
profile:
  age: 24
  sex: female
  country_of_return: Guinea
  place_of_return: Conakry, Matoto
  date_of_return: 2026-11-02
  household:
    size: 2
    returned_with:
      - {relationship: child, age: 5}
  vulnerabilities: [emergency_return]
consent:
  data_processing: true
  share_with_service_providers: true
  recorded_on: 2026-11-05
rss:
  possesses_id: "no"
  wants_psychological_support: "yes"
  distress_frequency: very_often
grid_answers:
  pssref_wants_support: "yes"
  pssref_experienced_trouble: "yes"
  pssref_services_nearby: "yes"
  pssref_counselling_acceptable: "yes"
  pss_fz_vetted_provider: "yes"
  pss_fz_provider_reachable: "yes"
agreed_actions:
  - approach: pss_provider_referral
    what: Counselling sessions for her, once a week
    modality: referral
    provider: gin_psychosocial_centre
    starts: 2026-11-10
    due: 2027-02-10
    cost: {amount: 0, currency: GNF}
"""


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A temporary office folder holding the Guinean directory."""
    folder = tmp_path / "office"
    shutil.copytree(OFFICE, folder)
    return folder


def test_a_guinean_directory_from_an_office_folder_names_its_provider(
        tmp_path: Path, office: Path) -> None:
    before = _tree_hash(shipped_rules())
    case = tmp_path / "guinea.yaml"
    case.write_text(GUINEA_CASE)
    target = tmp_path / "plan.md"
    result = runner.invoke(app, ["--office", str(office), "plan", str(case), "-o",
                                 str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert "Psychosocial counselling centre, Conakry (illustrative)" in text
    assert "+office" in text  # the plan says which rules it was made with
    assert "call the office's feedback line" in " ".join(text.split())
    # the same through the environment variable
    target.unlink()
    result = runner.invoke(app, ["plan", str(case), "-o", str(target)],
                           env={ENVIRONMENT: str(office)})
    assert result.exit_code == 0, result.output
    assert "Psychosocial counselling centre, Conakry" in target.read_text()
    assert _tree_hash(shipped_rules()) == before  # the shipped rules untouched


def test_without_the_office_folder_guinea_has_no_directory(tmp_path: Path) -> None:
    case = tmp_path / "guinea.yaml"
    case.write_text(GUINEA_CASE)
    line = GUINEA_CASE.splitlines().index("    provider: gin_psychosocial_centre") + 1
    result = runner.invoke(app, ["validate", str(case)], env={ENVIRONMENT: ""})
    assert result.exit_code == 2
    flat = " ".join(result.stderr.split())
    assert f"{case}:{line}:" in flat
    assert "there is no service directory for Guinea" in flat
    assert "--office" in flat and ENVIRONMENT in flat
    assert "sen_" not in flat  # no provider of another country is suggested


def test_an_unknown_provider_is_chosen_among_the_country_s_own(tmp_path: Path) -> None:
    case = tmp_path / "guinea.yaml"
    case.write_text(GUINEA_CASE.replace("Guinea", "Senegal"))
    result = runner.invoke(app, ["validate", str(case)], env={ENVIRONMENT: ""})
    flat = " ".join(result.stderr.split())
    assert "unknown provider 'gin_psychosocial_centre'" in flat
    assert "sen_psychosocial_centre" in flat and "eth_" not in flat


def test_an_office_directory_replaces_the_shipped_one_of_its_country(
        book: RuleBook, tmp_path: Path) -> None:
    folder = tmp_path / "office"
    (folder / "services").mkdir(parents=True)
    (folder / "services" / "senegal.yaml").write_text(
        "country: Senegal\nentries:\n  - id: sen_office_centre\n    name: Office centre\n"
        "    kind: provider\n    approaches: [pss_provider_referral]\n"
        "    services: Counselling\n    illustrative: false\n    source: the office\n"
        "    provenance: derived\n")
    derived = with_office_services(book, folder)
    senegal = derived.directory("Senegal")
    assert senegal is not None and [e.id for e in senegal.entries] == ["sen_office_centre"]
    assert derived.directory("Ethiopia") == book.directory("Ethiopia")
    assert derived.identity != book.identity and derived.version.endswith("+office")
    assert load_rulebook().directory("Senegal") == book.directory("Senegal")


def test_a_mistake_in_an_office_directory_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    (folder / "services").mkdir(parents=True)
    (folder / "services" / "guinea.yaml").write_text(
        "country: Guinea\nentries:\n  - id: gin_x\n    name: X\n    kind: provider\n"
        "    approaches: [counselling]\n    services: S\n    illustrative: true\n"
        "    source: the office\n    provenance: derived\n")
    result = runner.invoke(app, ["--office", str(folder), "validate"])
    assert result.exit_code == 1
    assert f"{folder / 'services' / 'guinea.yaml'}:6:" in " ".join(result.output.split())
