"""A golden snapshot of the compiled checks, as ansible-rulebook keeps its ASTs.

``tests/golden/compiled_checks.txt`` lists every check and join the backends evaluate, one
per line with its rule id, so a rule edit shows in review as a diff of what the engine will
test. After a deliberate rule change, regenerate it and review the diff:

    UPDATE_GOLDEN=1 pytest tests/test_golden_checks.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from tests_support import break_line

from engine.evaluation.checks import compiled
from engine.loading.rulebook import load_rulebook
from engine.model.checks import Check
from engine.model.rulebook import RuleBook

GOLDEN = Path(__file__).parent / "golden" / "compiled_checks.txt"
REGENERATE = "UPDATE_GOLDEN=1 pytest tests/test_golden_checks.py"
HEADER = f"""\
# Every compiled check and join of the shipped rules, as the backends evaluate them:
#   rule id    kind subject: field op operand     (a join holds when all its checks hold)
# Generated; do not edit. After a deliberate rule change: {REGENERATE}
"""


def _test(check: Check) -> str:
    if check.op == "present":
        return "present"
    operand = (f"[{', '.join(check.operand)}]" if isinstance(check.operand, tuple)
               else repr(check.operand) if isinstance(check.operand, float) else check.operand)
    return f"{check.field} {check.op} {operand}"


def checks_listing(book: RuleBook) -> str:
    """The compiled checks as stable text: grouped by approach, in the grid's own order."""
    checks, joins = compiled(book).checks, compiled(book).joins
    lines: dict[str, list[str]] = {}
    for check in checks:
        lines.setdefault(check.rule_id.split("/", 1)[0], []).append(
            f"{check.rule_id}  {check.kind} {check.subject}: {_test(check)}")
    for join in joins:
        lines.setdefault(join.rule_id.split("/", 1)[0], []).append(f"{join.rule_id}  all of:")
        lines[join.rule_id.split("/", 1)[0]] += [
            f"  {c.rule_id}  {c.kind} {c.subject}: {_test(c)}" for c in join.checks]
    return HEADER + "".join(f"\n# {approach}\n" + "\n".join(lines[approach]) + "\n"
                            for approach in sorted(lines))


def golden_difference(current: str, golden: str, limit: int = 40) -> str:
    """A short unified diff from the golden file to the current compile ('' if none)."""
    diff = list(difflib.unified_diff(golden.splitlines(), current.splitlines(),
                                     "golden", "current", lineterm="", n=0))
    if len(diff) > limit:
        diff = [*diff[:limit], f"... {len(diff) - limit} more lines"]
    return "\n".join(diff)


def test_compiled_checks_match_the_golden_file() -> None:
    current = checks_listing(load_rulebook())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(current)
        pytest.skip(f"rewrote {GOLDEN.name}: review its diff before committing")
    assert GOLDEN.exists(), f"no golden file yet: run {REGENERATE}"
    difference = golden_difference(current, GOLDEN.read_text())
    assert not difference, (
        f"the compiled checks differ from {GOLDEN.name}:\n{difference}\n"
        f"If the rule change is deliberate, regenerate with: {REGENERATE}")


def test_a_rule_edit_shows_as_a_diff_naming_the_rule(rules_copy: Path) -> None:
    """An edited threshold must show up, with its rule id, in what the golden test prints."""
    line = break_line(rules_copy, "feasibility_grids/economic.yaml",
                      r"\{element: debt_to_spending, points_below: 0.5\}",
                      "{element: debt_to_spending, points_below: 0.75}")
    assert line > 0
    difference = golden_difference(checks_listing(load_rulebook(rules_copy)),
                                   checks_listing(load_rulebook()))
    removed = [d for d in difference.splitlines() if d.startswith("-") and "/indicated/" in d]
    added = [d for d in difference.splitlines() if d.startswith("+") and "/indicated/" in d]
    assert len(removed) == len(added) == 1
    assert "element debt_to_spending: points lt 0.5" in removed[0]
    assert "element debt_to_spending: points lt 0.75" in added[0]
