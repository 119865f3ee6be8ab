"""Random YAML and JSON shapes through `reintegrate score`: each ends in exit 0, or exit 2 with
file:line, within a time and memory bound, never a traceback.

The shapes start from a valid case so that most inputs reach the case model, the rule
checks and scoring, then a field gets a random value (any type, nesting, huge numbers,
impossible dates) and the text may be made hostile: aliases, deep nesting, tags, another
encoding, stray bytes, truncation. The bounds are generous limits that catch a hang or an
explosion (ten levels of aliases once grew to 13.7 GB), not performance targets.
"""

from __future__ import annotations

import json
import re
import time
import tracemalloc
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from tests_support import case_data
from typer.testing import CliRunner

import engine.cli.app as cli
from engine.cli.command import SHOWN_PROBLEMS
from engine.model.rulebook import RuleBook

SECONDS = 5.0
MEMORY = 200 * 2**20

_ids = st.sampled_from(["economic_satisfaction", "currently_working", "biz_wants_business",
                        "often", "yes", "no", "baseline", "medical_needs", "x", "<<"])
_texts = st.text(max_size=30) | _ids
_odd = st.sampled_from(["2026-13-01", "2026-02-30", "0x1F", "1_000", ".nan", "-.inf", "1e999",
                        "~", "yes", "On", "0o17", "12:30:00", "2026-09-01T10:00:00Z", "&a",
                        "*a", "!!python/object:os.system", "[", "{", "'", '"', "\\", "- -",
                        "1e-400", "1e400", "ZZZ", '"8"', "!!str 44", "!Private words",
                        "x" * 5000])
_scalars = (st.none() | st.booleans() | st.integers() | st.integers(-10**80, 10**80)
            | st.floats() | _texts | st.dates().map(str) | _odd)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(_texts, inner, max_size=4), max_leaves=12)
_fields = st.sampled_from([
    ("returnee_id",), ("monitoring_round",), ("assessed_on",), ("goals",), ("consent",),
    ("profile",), ("profile", "age"), ("profile", "sex"), ("profile", "date_of_return"),
    ("profile", "household"), ("profile", "household", "size"), ("profile", "vulnerabilities"),
    ("rss",), ("rss", "currently_working"), ("rss", "economic_satisfaction"),
    ("grid_answers",), ("grid_answers", "biz_wants_business"), ("extra",),
])
_tags = st.sampled_from(["!!python/object/apply:os.system", "!!python/name:os.getcwd",
                         "!!binary", "!!set", "!!omap", "!local", "!!str", "!!int", "!!map",
                         "!", "!!timestamp", "!!float"])
_encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                              "latin-1", "cp1252", "utf-32"])


def _set(data: dict[str, Any], field: tuple[str, ...], value: Any) -> dict[str, Any]:
    node = data
    for part in field[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[field[-1]] = value
    return data


def _dump(data: Any, as_json: bool) -> str:
    if as_json:
        return json.dumps(data, default=str)
    out = StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()


@st.composite
def hostile_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A case file's name and bytes: a valid case, a random edit, maybe made hostile."""
    data = case_data(rss={"currently_working": "no"},
                     grid_answers={"biz_wants_business": "yes"})
    for _ in range(draw(st.integers(0, 3))):
        _set(data, draw(_fields), draw(_values))
    as_json = draw(st.booleans())
    text = _dump(data, as_json)
    how = draw(st.sampled_from(["plain", "aliases", "deep", "tag", "lines", "unknown ids",
                                "open quote"]))
    if how == "aliases":
        levels, width = draw(st.integers(1, 12)), draw(st.integers(1, 12))
        chain = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
        chain += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
        text = "\n".join(chain) + f"\ngoals: *a{levels - 1}\n" + text
    elif how == "deep":
        depth = draw(st.integers(1, 5000))
        opening = draw(st.sampled_from(["[", "{k: "]))
        closing = "]" if opening == "[" else "}"
        text += f"\ngoals: {opening * depth}1{closing * draw(st.integers(0, depth))}\n"
    elif how == "tag":
        lines = text.splitlines()
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] = re.sub(r"(:\s)", lambda m: m.group(1) + draw(_tags) + " ", lines[at],
                           count=1)
        text = "\n".join(lines) + "\n"
    elif how == "lines":
        lines = text.splitlines()
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(lines) | _texts | _odd))
        text = "\n".join(lines) + "\n"
    elif how == "unknown ids":  # a pasted column: thousands of ids the rules do not know
        count, length = draw(st.integers(1, 3000)), draw(st.integers(1, 5000))
        text = text.replace("rss:\n", "rss:\n" + "".join(
            f"  {'u' * length}{i}: x\n" for i in range(count)), 1)
    elif how == "open quote":
        lines = text.splitlines()
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] = re.sub(r"(:\s)", lambda m: m.group(1) + draw(st.sampled_from("'\"")),
                           lines[at], count=1)
        text = "\n".join(lines) + "\n"
    raw = text.encode(draw(_encodings), errors="replace")
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    if draw(st.integers(0, 5)) == 0:
        raw = raw[: draw(st.integers(0, len(raw)))]
    return ("case.json" if as_json else "case.yaml"), raw


@pytest.fixture
def score_with(book: RuleBook, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`reintegrate score` with the session's rules, so each input costs only its own reading."""
    monkeypatch.setattr(cli, "load_rulebook", lambda rules: book)
    runner = CliRunner()
    return lambda path: runner.invoke(cli.app, ["score", str(path)])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(hostile_files())
@example(("case.yaml",  # over the 1 MiB limit once UTF-16 doubles it: a whole-file problem
          (_dump(case_data(), False) + "# " + "x" * 600_000 + "\n").encode("utf-16")))
@pytest.mark.stress
def test_every_case_file_ends_in_a_score_or_a_located_problem(
        tmp_path: Path, score_with: Any, file: tuple[str, bytes]) -> None:
    name, raw = file
    path = tmp_path / name
    path.write_bytes(raw)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = score_with(path)
        elapsed = time.perf_counter() - started
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        problems = [line for line in result.stderr.splitlines() if line.startswith("  ")]
        assert problems, result.output
        for problem in problems:
            # a line where there is one; a problem of the whole file (its size) names the file
            assert re.match(rf"  ({re.escape(str(path))}(:\d+)?: |… and [\d,]+ more, not "
                            r"shown)", problem), problem
        assert len(problems) <= SHOWN_PROBLEMS + 1
    assert all(len(line) < 1000 for line in result.stderr.splitlines())  # ids cut, no text
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    assert peak < MEMORY, f"{peak / 2**20:.0f} MiB"


HOSTILE_RULE_TEXT = {
    "binary": bytes(range(256)) * 4,
    "latin-1": "name: caf\xe9\n".encode("latin-1"),
    "utf-16": "name: x\n".encode("utf-16-le"),
    "deep": b"name: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "python tag": b"name: !!python/object/apply:os.system [ls]\n",
    "laughs": ("l0: &l0 [" + ", ".join(["lol"] * 10) + "]\n" + "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 10))).encode(),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_RULE_TEXT))
def test_hostile_rule_file_is_located(rules_copy: Path, kind: str) -> None:
    """Rule files share the reader: `validate` names the file and line, exit 1."""
    path = rules_copy / "plan" / "consent.yaml"
    path.write_bytes(HOSTILE_RULE_TEXT[kind])
    result = CliRunner().invoke(cli.app, ["validate", "--rules", str(rules_copy)])
    assert result.exit_code == 1, result.output
    assert re.search(rf"{re.escape(str(path))}:\d+: ", result.stderr), result.stderr
    assert "Traceback" not in result.output


# -- what error messages quote (issue 13, items 6 and 7) ------------------------------------

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "cases" / "ethiopia_returnee.yaml"


def _problems(score_with: Any, path: Path, text: str) -> list[str]:
    path.write_text(text)
    result = score_with(path)
    assert result.exit_code == 2, result.output
    return [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]


def test_a_long_id_is_quoted_cut_and_counted(tmp_path: Path, score_with: Any) -> None:
    text = EXAMPLE.read_text()
    old = "economic_satisfaction: very_dissatisfied"
    line = text[:text.index(old)].count("\n") + 1
    path = tmp_path / "case.yaml"
    [problem] = _problems(score_with, path, text.replace(
        old, "economic_satisfaction: " + "b" * 99_000))
    assert problem.startswith(f"{path}:{line}: 'economic_satisfaction': '{'b' * 59}… (99,000 "
                              "characters)' is not a choice of element")
    assert len(problem) < 400


def test_a_long_unknown_key_is_cut(tmp_path: Path, score_with: Any) -> None:
    """(YAML allows keys up to 1,024 characters; a longer one is a syntax error.)"""
    path = tmp_path / "case.json"
    [unknown_id] = _problems(score_with, path, json.dumps(case_data(rss={"z" * 1000: "often"})))
    assert unknown_id.startswith(f"{path}:1: '{'z' * 59}… (1,000 characters)': unknown RSS "
                                 f"element '{'z' * 59}… (1,000 characters)'")
    assert len(unknown_id) < 400
    [unknown_field] = _problems(score_with, path, json.dumps({**case_data(), "k" * 1000: 1}))
    assert unknown_field.startswith(f"{path}:1: unknown field '{'k' * 59}… (1,000 characters)'")


@pytest.mark.parametrize("tag", ["!Blessing_Okafor", "!<tag:example.org,2026:Blessing>",
                                 "!Blessing%20Okafor"])
def test_a_tag_on_free_text_is_never_quoted(tmp_path: Path, score_with: Any, tag: str) -> None:
    text = EXAMPLE.read_text()
    line = text[:text.index("goals: >")].count("\n") + 1
    path = tmp_path / "case.yaml"
    [problem] = _problems(score_with, path, text.replace("goals: >", f"goals: {tag} >"))
    assert problem == (f"{path}:{line}: goals: a tag (a word starting with '!') is not allowed "
                       "— remove it; a text that starts with '!' is written in quotes")


@pytest.mark.parametrize(("tag", "said"), [
    ("!!python/object:os.system", "the tag '!!python/object:os.system' is not allowed"),
    ("!!binary", "the tag '!!binary' is not allowed"),
    ("!!Blessing", "a tag (a word starting with '!') is not allowed"),
])
def test_only_yaml_own_tags_are_named(tmp_path: Path, score_with: Any, tag: str,
                                      said: str) -> None:
    text = EXAMPLE.read_text().replace("goals: >", f"goals: {tag} >")
    [problem] = _problems(score_with, tmp_path / "case.yaml", text)
    assert f": goals: {said} — " in problem


def test_thousands_of_unknown_ids_give_a_bounded_report(
        tmp_path: Path, score_with: Any) -> None:
    """4,000 ids the rules do not know: the first 50 (with their nearest names) and a count,
    where every one of them was once printed (800 KB)."""
    text = EXAMPLE.read_text()
    old = "  economic_satisfaction: very_dissatisfied\n"
    first = text[:text.index(old)].count("\n") + 2
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(old, old + "".join(
        f"  economic_satisfactio{i}: x\n" for i in range(4000))))
    result = score_with(path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "The case file cannot be used (4000 problems):"
    assert lines[1] == (f"  {path}:{first}: 'economic_satisfactio0': unknown RSS element "
                        "'economic_satisfactio0' — did you mean 'economic_satisfaction'? use "
                        "an element id from rules/instrument/")
    assert len(lines) == 1 + SHOWN_PROBLEMS + 1
    assert lines[-1] == ("  … and 3,950 more, not shown: fix these 50 and run again (--json "
                         "lists every one).")
    assert len(result.stderr) < 20_000


def test_an_unclosed_quote_is_reported_where_it_opens(rules_copy: Path) -> None:
    """The parser stumbles only where the quoted text finally ends (13 lines further on in
    the review's file); the problem is at the quote."""
    path = rules_copy / "framework.yaml"
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line == "    name: Individual\n")
    lines[at] = '    name: "Individual\n'
    path.write_text("".join(lines))
    result = CliRunner().invoke(cli.app, ["validate", "--rules", str(rules_copy)])
    assert result.exit_code == 1
    assert re.search(rf"  {re.escape(str(path))}:{at + 1}: a quote opened at this line is "
                     r"closed only at line \d+", result.stderr), result.stderr


def test_a_quote_never_closed_is_reported_where_it_opens(
        tmp_path: Path, score_with: Any) -> None:
    path = tmp_path / "case.yaml"
    assert _problems(score_with, path, 'returnee_id: "ETH-2026-0001\nprofile: {}\n') == [
        f"{path}:1: a quote opened at this line is never closed — close it on the same line, "
        "or remove it"]
