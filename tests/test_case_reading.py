"""Bad and hostile case files end in a located problem (exit 2), never a traceback, a hang or
a copy of the returnee's words; implausible values come back as warnings with their line."""

from __future__ import annotations

import random
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.case.reading import CASE_LIMITS, load_case, looks_like_a_name, read_case
from engine.cli.app import app
from engine.errors import CaseError, Problem
from engine.loading.source_file import SourceFile, read_source
from engine.model.rulebook import RuleBook

SECRET = "Blessing Okafor wants to open a salon near Benin market"
TODAY = date(2026, 11, 23)


def _write(tmp_path: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


BASE = f"""returnee_id: TEST-0001
case_manager: {SECRET}
goals: {SECRET}
profile:
  age: 30
  sex: female
  country_of_return: Senegal
  place_of_return: {SECRET}
  date_of_return: 2026-09-01
"""


def _case_yaml(**top: str) -> str:
    """A valid case, with every free-text field holding the secret; ``top`` sets top keys."""
    lines = BASE.splitlines()
    for key, value in top.items():
        found = [i for i, line in enumerate(lines) if line.startswith(f"{key}:")]
        if found:
            lines[found[0]] = f"{key}: {value}"
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


def _refused(path: Path, book: RuleBook) -> list[Problem]:
    """The problems a case file is refused with; each names the file."""
    with pytest.raises(CaseError) as caught:
        load_case(path, book)
    for problem in caught.value.problems:
        assert str(problem).startswith(f"{path}:"), problem
        assert SECRET not in str(problem)
    return caught.value.problems


def _one_line(path: Path, book: RuleBook, line: int, *words: str) -> Problem:
    problems = _refused(path, book)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.line == line, problem
    for word in words:
        assert word in str(problem), problem
    return problem


# -- reader: every bad input is a located problem ------------------------------------------

def test_impossible_date_is_located(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml().replace("2026-09-01", "2026-13-01"))
    line = path.read_text().splitlines().index("  date_of_return: 2026-13-01") + 1
    _one_line(path, book, line, "profile.date_of_return", "not a valid date", "year-month-day")


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/name:os.getcwd",
                                 "!!binary", "!custom", "!!set"])
def test_unknown_tags_are_refused_not_run(tmp_path: Path, book: RuleBook, tag: str) -> None:
    marker = tmp_path / "ran"
    path = _write(tmp_path, f"returnee_id: {tag} [touch {marker}]\n"
                  + _case_yaml().split("\n", 1)[1])
    said = "a tag (a word starting with '!')" if tag == "!custom" else f"the tag '{tag}'"
    _one_line(path, book, 1, f"returnee_id: {said} is not allowed")
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!!timestamp", "!!bool", "!!int", "!!null"])
def test_a_value_that_does_not_fit_its_tag(tmp_path: Path, book: RuleBook, tag: str) -> None:
    """Found by the fuzz test: the tag's constructor echoed the value or raised KeyError."""
    path = _write(tmp_path, _case_yaml().replace(f"goals: {SECRET}", f"goals: {tag} {SECRET}"))
    _one_line(path, book, _line_of(path, "goals"), "goals: the value does not fit its tag")


def test_mapping_used_as_key(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml() + "rss:\n  ? {a: 1}\n  : often\n")
    problems = _refused(path, book)
    assert any("a mapping or list is used as a key" in p.message for p in problems)


def test_huge_integer_is_refused_by_its_digits(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml().replace("age: 30", "age: " + "9" * 5000))
    line = path.read_text().splitlines().index("  age: " + "9" * 5000) + 1
    _one_line(path, book, line, "profile.age", f"more than {CASE_LIMITS.max_digits} digits")


@pytest.mark.parametrize("where", [0, 40, -1])
def test_nul_bytes_are_not_text(tmp_path: Path, book: RuleBook, where: int) -> None:
    raw = bytearray(_case_yaml().encode())
    raw.insert(where if where >= 0 else len(raw), 0)
    path = _write(tmp_path, bytes(raw))
    expected = bytes(raw).count(b"\n", 0, bytes(raw).index(0)) + 1
    _one_line(path, book, expected, "not UTF-8 text", "save the file as UTF-8")


def test_binary_garbage(tmp_path: Path, book: RuleBook) -> None:
    garbage = random.Random(8).randbytes(4096)
    for raw in (garbage, garbage.replace(b"\0", b"\1")):
        path = _write(tmp_path, raw)
        problems = _refused(path, book)
        assert "not UTF-8 text" in problems[0].message
        assert problems[0].line is not None


def test_latin1_is_not_utf8_and_names_the_line(tmp_path: Path, book: RuleBook) -> None:
    text = _case_yaml().replace("Senegal", "Sénégal")
    path = _write(tmp_path, text.replace(SECRET, "x").encode("latin-1"))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "Sénégal" in t)
    _one_line(path, book, line, "not UTF-8 text", "save the file as UTF-8")


def test_utf16_without_bom_is_refused_and_with_bom_is_read(tmp_path: Path,
                                                          book: RuleBook) -> None:
    text = _case_yaml()
    _one_line(_write(tmp_path, text.encode("utf-16-le"), "le.yaml"), book, 1, "not UTF-8 text")
    assert load_case(_write(tmp_path, text.encode("utf-16"), "bom.yaml"), book).goals == SECRET
    assert load_case(_write(tmp_path, b"\xef\xbb\xbf" + text.encode(), "bom8.yaml"),
                     book).goals == SECRET


def test_control_character_is_located(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml().replace("Senegal", "Sene\x07gal"))
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "\x07" in t)
    _one_line(path, book, line, "U+0007")


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_thousands_of_nesting_levels(tmp_path: Path, book: RuleBook, opening: str) -> None:
    closing = {"[": "]", "{a: ": "}", "- ": ""}[opening]
    if opening == "- ":
        deep = "\n" + "".join("  " * level + "-\n" for level in range(1, 200))
    else:
        deep = opening * 3000 + "1" + closing * 3000
    path = _write(tmp_path, _case_yaml() + "rss: " + deep + "\n")
    problem = _refused(path, book)[0]
    assert f"more than {CASE_LIMITS.max_depth} levels" in problem.message
    assert problem.line is not None


def test_duplicate_key_names_the_key_not_the_values(tmp_path: Path, book: RuleBook) -> None:
    text = _case_yaml() + f"goals: {SECRET} again\n"
    path = _write(tmp_path, text)
    first = text.splitlines().index(f"goals: {SECRET}") + 1
    last = len(text.splitlines())
    _one_line(path, book, last, "duplicate key 'goals'", f"first at line {first}")


def test_undefined_alias_is_not_echoed(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml() + "monitoring_round: *Blessing_Okafor\n")
    problem = _refused(path, book)[0]
    assert "alias" in problem.message and "Blessing" not in str(problem)


def _laughs(levels: int) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + f"\ngoals: *l{levels - 1}\n"


def test_billion_laughs_fails_without_growing(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml() + _laughs(10))
    tracemalloc.start()
    try:
        problem = _refused(path, book)[0]
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "keys and items" in problem.message and "aliases" in problem.message
    assert problem.line is not None
    assert peak < 50 * 2**20  # a bound that catches expansion (13.7 GB before), not a target


def test_small_aliases_still_work(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml().replace("case_manager: " + SECRET,
                                                 "case_manager: &cm CM-1")
                  + "goals_again: *cm\n")
    source = read_source(path)
    assert isinstance(source, SourceFile) and source.data["goals_again"] == "CM-1"


def test_too_many_aliases(tmp_path: Path) -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * (CASE_LIMITS.max_aliases + 1)) + "]\n"
    problem = read_source(_write(tmp_path, text), CASE_LIMITS)
    assert isinstance(problem, Problem) and "aliases" in problem.message


def test_file_size_limit_for_cases_but_not_rules(tmp_path: Path, book: RuleBook) -> None:
    filler = "# " + "x" * 1000 + "\n"
    path = _write(tmp_path, _case_yaml() + filler * (CASE_LIMITS.max_bytes // len(filler) + 1))
    problem = _refused(path, book)[0]
    assert f"larger than the limit of {CASE_LIMITS.max_bytes // 2**20} MiB" in problem.message
    assert isinstance(read_source(path), SourceFile)  # rule files may be bigger


def test_long_text_is_refused_by_field_without_echo(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml().replace(f"goals: {SECRET}", "goals: " + SECRET * 2000))
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1)
                if t.startswith("goals:"))
    _one_line(path, book, line, "goals: a text longer than", f"{CASE_LIMITS.max_string:,}")


def test_too_many_keys(tmp_path: Path, book: RuleBook) -> None:
    keys = "".join(f"  k{i}: often\n" for i in range(CASE_LIMITS.max_items))
    path = _write(tmp_path, _case_yaml() + "rss:\n" + keys)
    problem = _refused(path, book)[0]
    assert f"more than {CASE_LIMITS.max_items:,} keys and items" in problem.message


def test_second_document(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml() + "---\nreturnee_id: OTHER-1\n")
    assert "second YAML document" in _refused(path, book)[0].message


def test_cli_exit_2_with_location_for_hostile_file(tmp_path: Path) -> None:
    path = _write(tmp_path, _case_yaml() + _laughs(10))
    result = CliRunner().invoke(app, ["score", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:" in result.stderr and "Traceback" not in result.output


# -- case checks: refusals --------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["1", "0", "1.0"])
def test_grid_answers_as_numbers_are_refused(tmp_path: Path, book: RuleBook,
                                             answer: str) -> None:
    path = _write(tmp_path, _case_yaml() + f"grid_answers:\n  biz_wants_business: {answer}\n")
    _one_line(path, book, len(path.read_text().splitlines()),
              "grid_answers.biz_wants_business", "a number is not an answer", "write yes or no")


def test_grid_answers_true_false_and_blank_still_read(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml() + "grid_answers:\n  biz_wants_business: true\n"
                  "  biz_needs_new_debt: false\n  biz_market_saturated:\n")
    answers = load_case(path, book).grid_answers
    assert answers == {"biz_wants_business": "yes", "biz_needs_new_debt": "no",
                       "biz_market_saturated": None}


@pytest.mark.parametrize("field", ["age", "size", "school_aged_children"])
def test_a_boolean_is_not_a_number(tmp_path: Path, book: RuleBook, field: str) -> None:
    text = _case_yaml()
    if field == "age":
        text = text.replace("age: 30", "age: true")
    else:
        text = text.replace("  age: 30\n", "  age: 30\n  household:\n    size: 3\n"
                            "    school_aged_children: 1\n").replace(f"{field}: ",
                                                                     f"{field}: true #")
    path = _write(tmp_path, text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if f"{field}: true" in t)
    _one_line(path, book, line, field, "is not a number")


def test_a_number_is_not_a_date(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml().replace("date_of_return: 2026-09-01",
                                                 "date_of_return: 20260901"))
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1)
                if "date_of_return" in t)
    _one_line(path, book, line, "a number is not a date")


def test_a_date_past_the_calendar_is_refused_not_a_crash(tmp_path: Path,
                                                         book: RuleBook) -> None:
    """9999-12-31 read as a date, then the plan's follow-up dates ran past year 9999."""
    path = _write(tmp_path, _case_yaml().replace("date_of_return: 2026-09-01",
                                                 "date_of_return: 9999-12-31"))
    _one_line(path, book, _line_of(path, "  date_of_return"), "2199-12-31")
    result = CliRunner().invoke(app, ["plan", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_returnee_id_rule_in_words_without_the_value(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml().replace("returnee_id: TEST-0001",
                                                 "returnee_id: Blessing Okafor"))
    problem = _one_line(path, book, _line_of(path, "returnee_id"), "pseudonymous code",
                        "ETH-2026-0042", "not the returnee's name")
    assert "Blessing" not in str(problem) and "^[" not in str(problem)


def _line_of(path: Path, start: str) -> int:
    return next(i for i, t in enumerate(path.read_text().splitlines(), 1) if t.startswith(start))


def test_no_free_text_in_any_error(tmp_path: Path, book: RuleBook) -> None:
    """Every free-text field holds the secret, and each is broken in turn."""
    text = _case_yaml()
    for broken in (text + f"goals: {SECRET}\n",
                   text + f"case_manager: {SECRET}\n",
                   text.replace(f"place_of_return: {SECRET}",
                                f"place_of_return: {SECRET}\n  place_of_return: {SECRET}"),
                   text.replace(f"goals: {SECRET}", f"goals: [{SECRET}]"),
                   text.replace(f"goals: {SECRET}", f"goals: {{{SECRET}: 1}}"),
                   text.replace(f"goals: {SECRET}", f"goals: !!python/str {SECRET}"),
                   text.replace(f"goals: {SECRET}", f"goals: !!timestamp {SECRET}"),
                   text.replace(f"goals: {SECRET}", f"goals: *{SECRET.replace(' ', '_')}")):
        path = _write(tmp_path, broken)
        result = CliRunner().invoke(app, ["score", str(path)])
        assert result.exit_code == 2, result.output
        assert SECRET not in result.output and "Blessing" not in result.output, result.output


# -- did you mean -----------------------------------------------------------------------------

@pytest.mark.parametrize(("tail", "suggestion"), [
    ("rss:\n  economic_satisfction: satisfied\n", "did you mean 'economic_satisfaction'?"),
    ("rss:\n  food_insecurity_frequency: oftne\n", "did you mean 'often'?"),
    ("grid_answers:\n  biz_want_business: 'yes'\n", "did you mean 'biz_wants_business'?"),
    ("monitoring_round: baselin\n", "did you mean 'baseline'?"),
])
def test_did_you_mean(tmp_path: Path, book: RuleBook, tail: str, suggestion: str) -> None:
    path = _write(tmp_path, _case_yaml() + tail)
    problem = _one_line(path, book, len(path.read_text().splitlines()), suggestion)
    assert problem.hint and problem.hint.startswith(suggestion)


def test_did_you_mean_vulnerability(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml().replace("  age: 30\n",
                                                 "  age: 30\n  vulnerabilities: [medical_need]\n"))
    _one_line(path, book, _line_of(path, "  vulnerabilities"), "did you mean 'medical_needs'?")


# -- warnings: the case is used, the implausible is shown ------------------------------------

def _warnings(tmp_path: Path, book: RuleBook, text: str) -> list[str]:
    path = _write(tmp_path, text)
    reading = read_case(path, book, today=TODAY)
    assert all(str(w).startswith(f"{path}:") and w.line for w in reading.warnings)
    assert all(SECRET not in str(w) for w in reading.warnings)
    return [str(w) for w in reading.warnings]


def test_a_valid_case_has_no_warnings(tmp_path: Path, book: RuleBook) -> None:
    assert _warnings(tmp_path, book, _case_yaml(assessed_on="2026-10-01")) == []


@pytest.mark.parametrize("returnee_id", ["Blessing_Okafor", "BlessingOkafor", "Blessing-Okafor",
                                         "Okafor"])
def test_name_like_returnee_id_warns(tmp_path: Path, book: RuleBook, returnee_id: str) -> None:
    warnings = _warnings(tmp_path, book, _case_yaml(returnee_id=returnee_id))
    assert len(warnings) == 1 and "looks like a person's name" in warnings[0]
    assert "such as ETH-2026-0042" in warnings[0] and returnee_id not in warnings[0]


@pytest.mark.parametrize("returnee_id", ["ETH-2026-0042", "IRQ_0007", "SEN-AB-12", "CASE-XYZ"])
def test_codes_do_not_look_like_names(returnee_id: str) -> None:
    assert not looks_like_a_name(returnee_id)


def test_return_after_assessment_warns(tmp_path: Path, book: RuleBook) -> None:
    warnings = _warnings(tmp_path, book, _case_yaml(assessed_on="2026-08-01"))
    assert len(warnings) == 1
    assert "assessed_on is 31 days before date_of_return" in warnings[0]


def test_return_in_far_future_warns(tmp_path: Path, book: RuleBook) -> None:
    text = _case_yaml().replace("date_of_return: 2026-09-01", "date_of_return: 2099-09-01")
    warnings = _warnings(tmp_path, book, text)
    assert len(warnings) == 1 and "date_of_return is in the future (72 years" in warnings[0]


def test_more_children_than_household_warns(tmp_path: Path, book: RuleBook) -> None:
    text = _case_yaml().replace("  age: 30\n", "  age: 30\n  household: {size: 1, "
                                "school_aged_children: 50}\n")
    warnings = _warnings(tmp_path, book, text)
    assert len(warnings) == 1 and "school_aged_children is more than" in warnings[0]


def test_cli_prints_warnings_on_stderr_and_goes_on(tmp_path: Path) -> None:
    path = _write(tmp_path, _case_yaml(returnee_id="Blessing_Okafor", assessed_on="2026-08-01"))
    result = CliRunner().invoke(app, ["score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning:") == 2
    assert f"{path}:" in result.stderr and "warning" not in result.stdout


def test_an_id_pattern_is_said_in_words(tmp_path: Path, book: RuleBook) -> None:
    path = _write(tmp_path, _case_yaml() + "rss:\n  economic_satisfaction: Very Dissatisfied\n")
    problem = _one_line(path, book, len(path.read_text().splitlines()),
                        "rss.economic_satisfaction", "lowercase letters, digits and '_'")
    assert "^[" not in str(problem) and "Very" not in str(problem)
