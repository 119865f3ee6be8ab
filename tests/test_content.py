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


def _seed_text() -> str:
    return _normalised(" ".join(p.read_text() for p in SEEDS.glob("*.txt")))


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts (shared/seeds) "
                                 "are not beside this checkout")


@needs_seeds
def test_framework_labels_marked_verbatim_are_the_seeds_words(book: RuleBook) -> None:
    seeds = _seed_text().lower()
    for field in ("dimensions", "levels", "modalities", "categories", "vulnerabilities",
                  "monitoring_rounds"):
        for term in getattr(book.framework, field):
            if term.provenance == "verbatim":
                assert _normalised(term.name).lower() in seeds, (field, term.id, term.name)


@needs_seeds
def test_every_quote_of_the_plan_rules_is_in_the_seeds(book: RuleBook) -> None:
    seeds = _seed_text()
    quoted = [m.quote for m in book.plan.schedule.milestones]
    for safeguard in book.plan.safeguards.safeguards:
        quoted += [safeguard.quote, *(action.quote for action in safeguard.actions)]
    for quote in filter(None, quoted):
        assert _normalised(quote) in seeds, quote


def _action(book: RuleBook, safeguard_id: str, action_id: str):  # type: ignore[no-untyped-def]
    safeguard = next(s for s in book.plan.safeguards.safeguards if s.id == safeguard_id)
    return next(a for a in safeguard.actions if a.id == action_id)


def test_emergency_return_keeps_the_seeds_project_officers(book: RuleBook) -> None:
    """001: returnees "should be introduced to case managers or project officers within
    three days" — dropping the project officers narrows who can do it."""
    action = _action(book, "emergency_return", "meet_case_manager")
    assert "case managers or project officers" in (action.quote or "")
    assert "case manager or project officer" in action.text


@needs_seeds
def test_the_guardian_quote_is_from_the_return_stage(book: RuleBook) -> None:
    """The plan is drafted after return: the guardian it cites is the one of the return
    process, not the host country's provisional guardian on identification."""
    quote = _normalised(_action(book, "unaccompanied_child", "guardian").quote or "")
    article = (SEEDS / "003_880c1c54d5752cb4.txt").read_text().split("\n\n")
    [paragraph] = [p for p in map(_normalised, article) if quote in p]
    assert "return" in quote and "If migrant children are identified" not in paragraph
