"""The rule content against the seeds: coverage of indicators, verbatim text, packaging."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from engine.model.rulebook import RuleBook

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


def test_thirty_elements_nine_eleven_ten(book: RuleBook) -> None:
    counts = {d: len(book.instrument.elements_of(d)) for d in book.framework.ids("dimensions")}
    assert counts == {"economic": 9, "social": 11, "psychosocial": 10}
    assert [e.number for e in book.instrument.elements] == list(range(1, 31))
    assert len(book.instrument.indicators) == 15


def test_every_economic_and_social_indicator_has_an_approach(book: RuleBook) -> None:
    covered = {i for a in book.approaches.values() for i in a.indicators}
    for indicator in book.instrument.indicators:
        if indicator.dimension in {"economic", "social"}:
            assert indicator.id in covered, f"no approach is useful for {indicator.id}"


def test_psychosocial_grid_has_the_ten_seed_approaches(book: RuleBook) -> None:
    psychosocial = [a for a in book.approaches.values() if a.dimension == "psychosocial"]
    assert len(psychosocial) == 10


def test_economic_and_social_grids_are_marked_derived(book: RuleBook) -> None:
    for approach_id, entry in book.entries.items():
        if book.approaches[approach_id].dimension != "psychosocial":
            assert entry.provenance == "derived", approach_id


def _normalised(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts (shared/seeds) are not beside "
                    "this checkout")
def test_verbatim_questions_are_the_seeds_words(book: RuleBook) -> None:
    seeds = _normalised(" ".join(p.read_text() for p in SEEDS.glob("*.txt")))
    verbatim = {q: question for q, question in book.questions.items()
                if question.provenance == "verbatim"}
    assert len(verbatim) >= 30
    for question_id, question in verbatim.items():
        assert _normalised(question.text) in seeds, question_id
    for question_id, question in book.questions.items():
        if question.seed_text:
            assert _normalised(question.seed_text) in seeds, question_id
            assert question.provenance == "derived", question_id


def test_wheel_ships_rules_and_templates(tmp_path: Path) -> None:
    """`pip install .` must find the rules: they are inside the wheel, under the package."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q",
                    "-w", str(tmp_path)], check=True, timeout=300)
    wheel = next(tmp_path.glob("reintegrate-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(REPO).as_posix() for p in (REPO / "rules").rglob("*.yaml")}
    for relative in shipped:
        assert f"engine/_shipped/{relative}" in names
    assert any(n.startswith("engine/_shipped/templates/") for n in names)
