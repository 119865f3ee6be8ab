#!/usr/bin/env python3
"""Mutation testing of one module: do the tests notice when its logic is changed?

    .venv/bin/python scripts/mutate.py engine/evaluation/scoring.py
    .venv/bin/python scripts/mutate.py engine/model/timing.py --tests tests/test_plan_schedule.py
    .venv/bin/python scripts/mutate.py engine/evaluation/decision.py --list

Each mutant is one small change of the module's source (a comparison flipped, ``and`` for
``or``, a ``not`` dropped, a constant moved by one, a returned value replaced by None, a
statement of a branch removed, ``in`` for ``not in``, ``any`` for ``all``, ...). It is
written into a private copy of the repository (the working tree is never touched), and the
module's tests run there with ``pytest -x -q``: a failing test kills the mutant, a passing
run lets it survive, a run past the time limit counts as a timeout (killed: the change was
noticed, as an endless loop). Survivors are printed with their diff; each one is a test
missing or a change that cannot be observed (an equivalent mutant, to be argued in
docs/mutation.md). The score is the killed and timed-out share of all mutants.

The tests for a module default to the files listed in ``TESTS`` (chosen so each mutant
costs seconds); ``--tests`` replaces them (files, globs or pytest node ids).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

TESTS: dict[str, list[str]] = {
    "engine/evaluation/scoring.py": [
        "tests/test_scoring_edges.py", "tests/test_scoring.py", "tests/test_weights.py"],
    "engine/evaluation/decision.py": [
        "tests/test_decision_paths.py", "tests/test_decision.py",
        "tests/test_pipeline.py::test_each_case_gets_its_own_open_questions"],
    "engine/evaluation/reasons.py": [
        "tests/test_decision_paths.py", "tests/test_decision.py"],
    "engine/model/conditions.py": [
        "tests/test_condition_limits.py", "tests/test_condition_kinds.py",
        "tests/test_decision_paths.py"],
    "engine/planning/agreement.py": [
        "tests/test_agreement_gaps.py", "tests/test_signable_plan.py"],
    "engine/planning/advice.py": [
        "tests/test_agreement_gaps.py", "tests/test_signable_plan.py"],
    "engine/planning/protection.py": [
        "tests/test_schedule_dates.py", "tests/test_plan_model.py"],
    "engine/planning/dates.py": [
        "tests/test_schedule_dates.py", "tests/test_plan_schedule.py"],
    "engine/model/timing.py": [
        "tests/test_schedule_dates.py", "tests/test_plan_schedule.py"],
}
"""The quick tests that exercise each module (the first file is the one written for it)."""

COMPARISONS: dict[type[ast.cmpop], tuple[type[ast.cmpop], str]] = {
    ast.Lt: (ast.LtE, "<="), ast.LtE: (ast.Lt, "<"), ast.Gt: (ast.GtE, ">="),
    ast.GtE: (ast.Gt, ">"), ast.Eq: (ast.NotEq, "!="), ast.NotEq: (ast.Eq, "=="),
    ast.In: (ast.NotIn, "not in"), ast.NotIn: (ast.In, "in"),
    ast.Is: (ast.IsNot, "is not"), ast.IsNot: (ast.Is, "is"),
}
ARITHMETIC: dict[type[ast.operator], str] = {
    ast.Add: "-", ast.Sub: "+", ast.Mult: "/", ast.Div: "*", ast.FloorDiv: "/", ast.Mod: "//",
}
SWAPPED_NAMES = {"any": "all", "all": "any", "min": "max", "max": "min"}


@dataclass(frozen=True)
class Mutant:
    line: int
    operator: str
    source: str
    """The whole module with this one change."""


class Mutator:
    """Finds every mutation site of one module; each mutant is made by replacing a span of
    the original text (so the diff shows the change and nothing reformatted)."""

    def __init__(self, source: str):
        self.source = source
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.tree = ast.parse(source)
        self.skipped: set[int] = set()
        """Ids of nodes never mutated: docstrings, annotations, imports and decorators."""

    def offset(self, line: int, col: int) -> int:
        # ast columns count UTF-8 bytes; the modules mutated here are ASCII in code.
        return self.starts[line - 1] + len(
            self.lines[line - 1].encode()[:col].decode(errors="replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
                self.offset(node.end_lineno, node.end_col_offset))  # type: ignore[attr-defined]

    def replaced(self, start: int, end: int, text: str) -> str:
        return self.source[:start] + text + self.source[end:]

    def mutants(self) -> Iterator[Mutant]:
        self._skip_annotations_and_docstrings()
        for node in ast.walk(self.tree):
            if id(node) in self.skipped:
                continue
            yield from self._of(node)

    def _skip_annotations_and_docstrings(self) -> None:
        for node in ast.walk(self.tree):
            annotations: list[ast.AST | None] = []
            if isinstance(node, ast.AnnAssign | ast.arg):
                annotations.append(node.annotation)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                annotations.append(node.returns)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                          | ast.AsyncFunctionDef):
                annotations += [s for s in node.body if isinstance(s, ast.Expr)
                                and isinstance(s.value, ast.Constant)
                                and isinstance(s.value.value, str)]
            if isinstance(node, ast.ImportFrom | ast.Import):
                annotations.append(node)
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                annotations += node.decorator_list  # declarations (dataclass flags), not logic
            for annotation in filter(None, annotations):
                self.skipped.update(id(n) for n in ast.walk(annotation))
        for node in ast.walk(self.tree):  # TypeVar("T"), Literal[...] aliases and the like
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                    and node.value.id in {"Literal", "Annotated", "ClassVar"}:
                self.skipped.update(id(n) for n in ast.walk(node))

    def _of(self, node: ast.AST) -> Iterator[Mutant]:
        if isinstance(node, ast.Compare):
            yield from self._comparison(node)
        elif isinstance(node, ast.BoolOp):
            yield from self._boolean(node)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            start, end = self.span(node)
            inner = self.source[slice(*self.span(node.operand))]
            yield self._mutant(node, "not removed", start, end, f"({inner})")
        elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
            yield from self._arithmetic(node)
        elif isinstance(node, ast.Constant):
            yield from self._constant(node)
        elif isinstance(node, ast.Name) and node.id in SWAPPED_NAMES \
                and isinstance(node.ctx, ast.Load):
            start, end = self.span(node)
            swapped = SWAPPED_NAMES[node.id]
            yield self._mutant(node, f"{node.id} -> {swapped}", start, end, swapped)
        elif isinstance(node, ast.Return) and node.value is not None:
            yield from self._return(node)
        elif isinstance(node, ast.If | ast.For | ast.While | ast.With | ast.Try):
            yield from self._branch_statements(node)

    def _mutant(self, node: ast.AST, operator: str, start: int, end: int, text: str) -> Mutant:
        source = self.replaced(start, end, text)
        compile(source, "mutant", "exec")  # a mutator that writes invalid code is a bug here
        return Mutant(node.lineno, operator, source)  # type: ignore[attr-defined]

    def _comparison(self, node: ast.Compare) -> Iterator[Mutant]:
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if type(op) in COMPARISONS:
                gap_start, gap_end = self.span(left)[1], self.span(right)[0]
                gap = self.source[gap_start:gap_end]
                flipped = COMPARISONS[type(op)][1]
                yield self._mutant(node, f"{_symbol(op)} -> {flipped}", gap_start, gap_end,
                                   _replace_token(gap, _symbol(op), flipped))
            left = right

    def _boolean(self, node: ast.BoolOp) -> Iterator[Mutant]:
        word, other = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        for left, right in zip(node.values, node.values[1:], strict=False):
            gap_start, gap_end = self.span(left)[1], self.span(right)[0]
            gap = self.source[gap_start:gap_end]
            yield self._mutant(node, f"{word} -> {other}", gap_start, gap_end,
                               _replace_token(gap, word, other))

    def _arithmetic(self, node: ast.BinOp) -> Iterator[Mutant]:
        gap_start, gap_end = self.span(node.left)[1], self.span(node.right)[0]
        gap = self.source[gap_start:gap_end]
        symbol = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
                  ast.Mod: "%"}[type(node.op)]
        new = ARITHMETIC[type(node.op)]
        yield self._mutant(node, f"{symbol} -> {new}", gap_start, gap_end,
                           _replace_token(gap, symbol, new))

    def _constant(self, node: ast.Constant) -> Iterator[Mutant]:
        value = node.value
        start, end = self.span(node)
        if isinstance(value, bool):
            yield self._mutant(node, f"{value} -> {not value}", start, end, str(not value))
        elif isinstance(value, int):
            yield self._mutant(node, f"{value} -> {value + 1}", start, end, f"({value + 1})")
            if value != 0:
                yield self._mutant(node, f"{value} -> {value - 1}", start, end,
                                   f"({value - 1})")
        elif isinstance(value, float):
            yield self._mutant(node, f"{value} -> {value + 1}", start, end, f"({value + 1})")

    def _return(self, node: ast.Return) -> Iterator[Mutant]:
        value = node.value
        assert value is not None
        if isinstance(value, ast.Constant) and value.value is None:
            return
        empty = ("[]" if isinstance(value, ast.List | ast.ListComp)
                 else "()" if isinstance(value, ast.Tuple | ast.GeneratorExp)
                 else "{}" if isinstance(value, ast.Dict | ast.DictComp) else "None")
        if self.source[slice(*self.span(value))].replace(" ", "") == empty:
            return  # already empty: no change to make
        start, end = self.span(value)
        yield self._mutant(node, f"return {empty}", start, end, empty)

    def _branch_statements(self, node: ast.AST) -> Iterator[Mutant]:
        """Each statement of a branch or loop body removed (``pass`` in its place)."""
        bodies = [getattr(node, name, []) for name in ("body", "orelse", "finalbody")]
        if isinstance(node, ast.Try):
            bodies += [h.body for h in node.handlers]
        for body in bodies:
            for statement in body:
                if isinstance(statement, ast.Pass) or id(statement) in self.skipped:
                    continue
                if self.source.startswith("elif", self.span(statement)[0]):
                    continue  # an ``elif``: its own statements are mutated instead
                start, end = self.span(statement)
                yield self._mutant(statement, "statement removed", start, end, "pass")


def _symbol(op: ast.cmpop) -> str:
    return {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
            ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is",
            ast.IsNot: "is not"}[type(op)]


def _replace_token(gap: str, old: str, new: str) -> str:
    """The operator between two operands, replaced (the gap also holds spaces and any
    closing or opening brackets of the operands)."""
    pattern = r"\s" + re.escape(old) + r"\s" if old.isalpha() or " " in old else re.escape(old)
    match = re.search(pattern, gap) or re.search(re.escape(old), gap)
    if match is None:
        raise ValueError(f"operator {old!r} not found in {gap!r}")
    text = match.group(0).replace(old, new)
    return gap[:match.start()] + text + gap[match.end():]


# -- running ------------------------------------------------------------------------------


def repository_copy(target: Path) -> None:
    """The checked-in and new (not ignored) files of the working tree, as they are now."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@dataclass
class Runner:
    copy: Path
    module: str
    tests: list[str]
    timeout: float

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(self.copy)  # the copy's engine, before the editable install
        env["XDG_CACHE_HOME"] = str(self.copy / ".cache")
        env.pop("PYTEST_ADDOPTS", None)
        return env

    def run(self, source: str) -> tuple[str, float]:
        target = self.copy / self.module
        target.write_text(source)
        for stale in (target.parent / "__pycache__").glob(f"{target.stem}.*.pyc"):
            stale.unlink()  # a pyc is checked by mtime in seconds: never trust it here
        shutil.rmtree(self.copy / ".hypothesis", ignore_errors=True)  # no replay of the
        # examples that killed an earlier mutant: each mutant meets the same seeded examples
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                   "-p", "no:randomly", "--hypothesis-seed=0", "--no-header", "-o",
                   "addopts=", *self.tests]
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=self.copy, env=self.environment(),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            output, _ = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return "timeout", time.monotonic() - started
        except BaseException:  # interrupted: no test run outlives the copy it runs in
            os.killpg(process.pid, signal.SIGKILL)
            raise
        took = time.monotonic() - started
        if process.returncode == 0:
            return "survived", took
        if process.returncode in (3, 4, 5):  # internal error, usage error, no test ran
            sys.exit(f"pytest could not run the tests (exit {process.returncode}):\n"
                     + output.decode(errors="replace")[-2000:])
        return "killed", took


def diff(module: str, original: str, mutated: str) -> str:
    return "".join(difflib.unified_diff(original.splitlines(keepends=True),
                                        mutated.splitlines(keepends=True),
                                        f"a/{module}", f"b/{module}", n=0))


def test_arguments(parser: argparse.ArgumentParser, module: str,
                   patterns: list[str] | None) -> list[str]:
    chosen = patterns or TESTS.get(module)
    if not chosen:
        parser.error(f"no tests known for {module}: name them with --tests tests/test_....py")
    found: list[str] = []
    for pattern in chosen:
        path = pattern.split("::", 1)[0]
        matches = sorted(glob.glob(path, root_dir=REPO))
        if not matches:
            parser.error(f"--tests {pattern}: no such test file in {REPO}")
        found += [pattern] if "::" in pattern else matches
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Mutation testing of one module against a quick subset of the tests.")
    parser.add_argument("module", help="the module's path, e.g. engine/evaluation/scoring.py")
    parser.add_argument("--tests", nargs="+", metavar="PATTERN",
                        help="test files, globs or node ids (default: the module's own list)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per mutant (default: 3 x the unmutated run, at least 20)")
    parser.add_argument("--lines", default=None, metavar="FROM-TO",
                        help="only the mutants on these lines, e.g. 120-140 or 10-20,90-99")
    parser.add_argument("--numbers", default=None, metavar="N,N,...",
                        help="only these mutants, by their number in a full run (e.g. the "
                             "survivors of an earlier run, after adding tests)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--show-killed", action="store_true", help="print every diff")
    args = parser.parse_args()

    module = Path(args.module).resolve().relative_to(REPO).as_posix() \
        if Path(args.module).is_absolute() else Path(args.module).as_posix()
    if not (REPO / module).is_file():
        parser.error(f"{args.module}: no such module in {REPO}")
    original = (REPO / module).read_text()
    mutants = sorted(Mutator(original).mutants(), key=lambda m: m.line)
    numbered = list(enumerate(mutants, 1))  # numbers stay those of a full run
    if args.lines:
        try:
            spans = [(int(low), int(high or low)) for low, _, high in
                     (span.partition("-") for span in args.lines.split(","))]
        except ValueError:
            parser.error(f"--lines {args.lines}: write line numbers, e.g. 120-140 or 10-20,90")
        numbered = [(n, m) for n, m in numbered
                    if any(low <= m.line <= high for low, high in spans)]
    if args.numbers:
        try:
            chosen = {int(n) for n in args.numbers.split(",")}
        except ValueError:
            parser.error(f"--numbers {args.numbers}: write mutant numbers, e.g. 4,17,52")
        numbered = [(n, m) for n, m in numbered if n in chosen]
    if args.list:
        for number, mutant in numbered:
            print(f"#{number} {module}:{mutant.line} {mutant.operator}")
            print(diff(module, original, mutant.source))
        print(f"{len(numbered)} mutants")
        return 0

    tests = test_arguments(parser, module, args.tests)
    with tempfile.TemporaryDirectory(prefix="mutate-") as folder:
        copy = Path(folder)
        repository_copy(copy)
        runner = Runner(copy, module, tests, timeout=3600)
        outcome, baseline = runner.run(original)
        if outcome != "survived":
            print(f"the tests fail ({outcome}) without any mutant: fix them first\n"
                  f"  {' '.join(tests)}")
            return 2
        runner.timeout = args.timeout or max(20.0, 3 * baseline)
        print(f"{module}: {len(numbered)} mutants; tests: {' '.join(tests)} "
              f"({baseline:.1f} s unmutated, timeout {runner.timeout:.0f} s)", flush=True)
        counts = {"killed": 0, "survived": 0, "timeout": 0}
        for number, mutant in numbered:
            outcome, took = runner.run(mutant.source)
            counts[outcome] += 1
            print(f"#{number:<3} {outcome:8} {module}:{mutant.line} {mutant.operator} "
                  f"({took:.1f} s)", flush=True)
            if outcome != "killed" or args.show_killed:
                print(diff(module, original, mutant.source), flush=True)
    noticed = counts["killed"] + counts["timeout"]
    score = noticed / len(numbered) if numbered else 1.0
    print(f"{module}: {counts['killed']} killed, {counts['timeout']} timeout, "
          f"{counts['survived']} survived of {len(numbered)}: score {score:.0%}")
    return 0 if counts["survived"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
