"""`validate` reports every problem once, with its file and line, and nothing else.

The mutation test plants several problems across rule files at once; the other tests plant
one hostile file or one out-of-bounds number, and check the parse-once cache and reading
only the languages asked for.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from tests_support import break_line
from typer.testing import CliRunner

from engine.cli.app import app
from engine.errors import RuleErrors
from engine.loading import cache, rule_files
from engine.loading.rulebook import load_rulebook, rules_version
from engine.loading.translations import load_translations

Plant = tuple[str, str, str, str]
"""(rule file, pattern, replacement, a fragment the problem must carry)."""

PLANTS: list[Plant] = [
    # an unknown field in one framework term: that term fails, nothing that names it does
    ("framework.yaml", r"^    name: Economic$", "    name: Economic\n    colour: blue",
     "unknown field 'colour'"),
    ("instrument/rss.yaml", r"^    number: 5$", "    number: 0", "greater than or equal to 1"),
    ("weights/default.yaml", r"^  ability_to_borrow: \{dimension: [0-9.]+",
     "  ability_to_borrow: {dimension: .nan", "finite number"),
    # a schema error in one grid entry and a cross-reference error in another of the file
    ("feasibility_grids/economic.yaml", r"biz_will_do_plan_and_training, supports: yes",
     "biz_will_do_plan_and_training, supports: maybe", "'yes' or 'no'"),
    ("feasibility_grids/economic.yaml", r"question: job_centre_serves_area, supports",
     "question: job_centre_serves_aera, supports", "unknown question 'job_centre_serves_aera'"),
    ("feasibility_grids/social.yaml", r"^  - approach: service_accompaniment$",
     "  - approach: service_accompaniment\n    colour: blue", "unknown field 'colour'"),
    ("plan/schedule.yaml", r"timing: \{within: \{months: 1\}\}",
     "timing: {within: {months: 100000000}}", "less than or equal to 600"),
    ("translations/fr.yaml", r"^  question/biz_wants_business:",
     '  question/no_such_question: "x"\n  question/biz_wants_business:',
     "unknown text key 'question/no_such_question'"),
]


def _plant(rules: Path, plants: list[Plant]) -> list[tuple[str, str]]:
    """Break every line; the expected problem starts, each as (file:line:, fragment)."""
    expected = []
    for relative, pattern, replacement, fragment in plants:
        line = break_line(rules, relative, pattern, replacement)
        if replacement.startswith(("  - approach", "    name")):
            line += 1  # the planted field is on the line after the matched one
        expected.append((f"{rules / relative}:{line}:", fragment))
    return expected


def _validate(rules: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["validate", "--rules", str(rules)])
    assert isinstance(result.exception, SystemExit | None), result.exception
    lines = [line.strip() for line in result.output.splitlines()[1:] if line.strip()]
    return result.exit_code, lines


def test_every_planted_problem_is_reported_with_file_and_line_and_nothing_else(
        rules_copy: Path) -> None:
    expected = _plant(rules_copy, PLANTS)
    exit_code, problems = _validate(rules_copy)
    assert exit_code == 1
    for start, fragment in expected:
        assert any(p.startswith(start) and fragment in p for p in problems), (start, problems)
    assert len(problems) == len(expected), "\n".join(problems)


def test_a_broken_grid_entry_is_not_also_an_approach_without_entry(rules_copy: Path) -> None:
    expected = _plant(rules_copy, [PLANTS[3]])
    _exit, problems = _validate(rules_copy)
    assert [p for p in problems if p.startswith(expected[0][0])] == problems, problems
    assert not any("has no grid entry" in p for p in problems)


def test_an_approach_without_entry_is_reported_at_its_definition(rules_copy: Path) -> None:
    grid = rules_copy / "feasibility_grids" / "social.yaml"
    line = break_line(rules_copy, "feasibility_grids/social.yaml",
                      r"^  - approach: service_accompaniment$", "  - approach: buddy_system")
    _exit, problems = _validate(rules_copy)
    defined = break_line(rules_copy, "interventions/social.yaml",
                         r"^  - id: service_accompaniment$", "  - id: service_accompaniment")
    assert any(p.startswith(f"{rules_copy}/interventions/social.yaml:{defined}:")
               and "'service_accompaniment': approach has no grid entry" in p
               for p in problems), problems
    assert any(p.startswith(f"{grid}:{line}:") for p in problems), problems


HOSTILE = {
    "binary": bytes(range(256)) * 4,
    "latin-1": "name: Café société\n".encode("latin-1"),
    "nested": ("a: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    "python tag": b"id: x\nname: !!python/object/apply:os.system ['echo planted']\n",
    "control byte": b"id: x\nname: a\x07b\n",
}


def _one_located_problem(rules: Path, relative: str, content: bytes) -> None:
    (rules / relative).write_bytes(content)
    exit_code, problems = _validate(rules)
    assert exit_code == 1
    assert len(problems) == 1, "\n".join(problems)
    assert problems[0].startswith(f"{rules / relative}:"), problems
    assert "planted" not in problems[0]


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_rule_file_is_one_located_problem(rules_copy: Path, content: bytes) -> None:
    _one_located_problem(rules_copy, "weights/seed_example.yaml", content)


@pytest.mark.parametrize("relative", [
    "framework.yaml", "instrument/rss.yaml", "weights/default.yaml",
    "interventions/social.yaml", "feasibility_grids/psychosocial.yaml", "plan/consent.yaml",
    "translations/ar.yaml"])
def test_an_unreadable_rule_file_hides_nothing_and_adds_nothing(rules_copy: Path,
                                                                relative: str) -> None:
    """What names the rules of an unreadable file is not reported again (no knock-on)."""
    _one_located_problem(rules_copy, relative, HOSTILE["binary"])


BOUNDS = [
    ("weights/seed_example.yaml", r"composite: [0-9.]+\}", "composite: .inf}", "finite"),
    ("weights/seed_example.yaml", r"dimension: [0-9.]+,", "dimension: true,", "valid number"),
    ("plan/safeguards.yaml", r"\{within: \{days: 3\}\}", "{within: {days: 1000000000}}",
     "less than or equal to 20000"),
    ("feasibility_grids/psychosocial.yaml", r"distress_frequency, points_below: 0.5",
     "distress_frequency, points_below: 1.5", "less than or equal to 1"),
    ("framework.yaml", r"^    value: 0.50$", "    value: .nan", "finite number"),
    ("instrument/rss.yaml", r"^    number: 5$", "    number: true", "valid integer"),
]


@pytest.mark.parametrize(("relative", "pattern", "replacement", "fragment"), BOUNDS,
                         ids=[b[2] for b in BOUNDS])
def test_a_number_out_of_its_meaning_is_refused_with_its_line(
        rules_copy: Path, relative: str, pattern: str, replacement: str, fragment: str) -> None:
    [(start, fragment)] = _plant(rules_copy, [(relative, pattern, replacement, fragment)])
    _exit, problems = _validate(rules_copy)
    assert len(problems) == 1 and problems[0].startswith(start), problems
    assert fragment in problems[0], problems


# -- parse once per content hash -------------------------------------------------------------

@pytest.fixture
def disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache: a fresh folder on disk and nothing kept in this process."""
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("REINTEGRATE_CACHE", raising=False)
    monkeypatch.setattr(cache, "_memory", {})
    return folder / "reintegrate"


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the rules were parsed again")
    monkeypatch.setattr("engine.loading.rulebook.read_rules", refuse)


def test_the_rules_are_parsed_once_per_process_and_once_on_disk(
        rules_copy: Path, disk_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = load_rulebook(rules_copy)
    assert (disk_cache / f"{cache._entry(book.version, 'book')}.json").is_file()
    _no_parsing(monkeypatch)
    assert load_rulebook(rules_copy) is book
    monkeypatch.setattr(cache, "_memory", {})  # a new process: only the disk remains
    again = load_rulebook(rules_copy)
    assert again == book and again is not book


def test_a_kept_book_carries_its_identity_which_is_its_content_hash(
        rules_copy: Path, disk_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.model.rulebook import _content_hash
    load_rulebook(rules_copy)
    monkeypatch.setattr(cache, "_memory", {})  # a new process: only the disk remains
    kept = load_rulebook(rules_copy)
    assert kept.content_identity is not None  # read, not worked out again
    assert kept.identity == _content_hash(kept)
    derived = kept.derive("tighter", "a test", weight_sets=kept.weight_sets)
    assert derived.content_identity is None  # a derived book hashes its own content


def test_a_copy_of_the_rules_elsewhere_is_served_with_its_own_paths(
        rules_copy: Path, disk_cache: Path, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    load_rulebook(rules_copy)
    moved = rules_copy.rename(tmp_path / "moved")
    _no_parsing(monkeypatch)
    book = load_rulebook(moved)
    assert book.root == moved
    assert all(path.is_relative_to(moved) and path.is_file()
               for path in book.question_files.values())


def test_edited_rules_are_parsed_again_and_invalid_rules_never_kept(
        rules_copy: Path, disk_cache: Path) -> None:
    before = load_rulebook(rules_copy)
    break_line(rules_copy, "instrument/rss.yaml", r"^    number: 5$", "    number: 0")
    with pytest.raises(RuleErrors):
        load_rulebook(rules_copy)
    with pytest.raises(RuleErrors):  # still refused: nothing was kept for these rules
        load_rulebook(rules_copy)
    assert [p.name for p in disk_cache.glob("*-book.json")] == [
        f"{cache._entry(before.version, 'book')}.json"]
    assert rules_version(rules_copy) != before.version


@pytest.mark.parametrize("content", [b"", b"not json", pickle.dumps(("other code", 1)),
                                     cache.FORMAT + b"0" * 64 + b"\n{}"])
def test_an_unreadable_or_foreign_cache_file_is_ignored(
        rules_copy: Path, disk_cache: Path, monkeypatch: pytest.MonkeyPatch,
        content: bytes) -> None:
    book = load_rulebook(rules_copy)
    entry = disk_cache / f"{cache._entry(book.version, 'book')}.json"
    entry.write_bytes(content)
    monkeypatch.setattr(cache, "_memory", {})
    assert load_rulebook(rules_copy) == book
    assert entry.read_bytes().startswith(cache.FORMAT)  # rewritten by this code
    monkeypatch.setattr(cache, "_memory", {})
    _no_parsing(monkeypatch)
    assert load_rulebook(rules_copy) == book


def test_a_changed_rule_file_is_the_only_one_parsed_again(
        rules_copy: Path, disk_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rule_files, "_PARSED", {})
    load_rulebook(rules_copy)
    parsed: list[Path] = []
    read = rule_files.read_source
    monkeypatch.setattr(rule_files, "read_source", lambda path: parsed.append(path) or read(path))
    break_line(rules_copy, "instrument/rss.yaml", r"^    number: 5$", "    number: 0")
    with pytest.raises(RuleErrors):
        load_rulebook(rules_copy)
    assert parsed == [rules_copy / "instrument" / "rss.yaml"]


def test_the_disk_cache_can_be_turned_off(rules_copy: Path, disk_cache: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REINTEGRATE_CACHE", "0")
    load_rulebook(rules_copy)
    assert not disk_cache.exists()


# -- languages -------------------------------------------------------------------------------

def test_only_the_languages_asked_for_are_read_and_validate_checks_all(
        rules_copy: Path, disk_cache: Path) -> None:
    line = break_line(rules_copy, "translations/es.yaml", r"^  question/biz_wants_business:",
                      '  question/no_such_question: "x"\n  question/biz_wants_business:')
    book = load_rulebook(rules_copy)
    assert set(load_translations(book, ["fr"])) == {"fr"}
    with pytest.raises(RuleErrors):
        load_translations(book, ["es"])
    exit_code, problems = _validate(rules_copy)
    assert exit_code == 1
    assert problems == [p for p in problems
                        if p.startswith(f"{rules_copy}/translations/es.yaml:{line}:")]
    assert len(problems) == 1


def test_a_broken_scale_still_lets_every_element_be_checked(rules_copy: Path) -> None:
    expected = _plant(rules_copy, [
        ("instrument/rss.yaml", r"\{name: satisfied, label: Satisfied, points: 0.75\}",
         "{name: satisfied, label: Satisfied, points: 7.5}", "less than or equal to 1"),
        PLANTS[1],  # an element's number, further down the same file
    ])
    _exit, problems = _validate(rules_copy)
    for start, fragment in expected:
        assert any(p.startswith(start) and fragment in p for p in problems), (start, problems)
    assert len(problems) == len(expected), "\n".join(problems)


@pytest.mark.parametrize(("relative", "pattern", "replacement"), [
    ("feasibility_grids/social.yaml", r"^questions:$", "questions: []\nold_questions:"),
    ("interventions/social.yaml", r"^approaches:$", "approaches: 3\nold:"),
    ("framework.yaml", r"^modalities:$", "modalities: direct\nold_modalities:"),
])
def test_a_list_of_the_wrong_shape_is_one_problem_not_one_per_reference(
        rules_copy: Path, relative: str, pattern: str, replacement: str) -> None:
    line = break_line(rules_copy, relative, pattern, replacement)
    _exit, problems = _validate(rules_copy)
    located = [p for p in problems if p.startswith(f"{rules_copy / relative}:")]
    assert located and len(located) == len(problems), "\n".join(problems)
    assert any(p.startswith(f"{rules_copy / relative}:{line}:") for p in problems), problems
