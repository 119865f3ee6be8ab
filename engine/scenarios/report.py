"""Scenario outcomes as plain lines: the same text for the terminal and for pytest.

A failure reads as a diff: where the expectation is written (``file:line``), what it says,
what the engine gave, and the trace of what decided it.
"""

from __future__ import annotations

import textwrap

from engine.scenarios.running import Mismatch, Outcome


def outcome_lines(outcome: Outcome, width: int = 80) -> list[str]:
    scenario = outcome.scenario
    if outcome.passed:
        return [f"PASS {scenario.id}"]
    count = len(outcome.mismatches)
    lines = [f"FAIL {scenario.id}: {count} expectation{'s' if count != 1 else ''} not met"]
    for mismatch in outcome.mismatches:
        lines += mismatch_lines(mismatch, str(scenario.path), width)
    return lines


def mismatch_lines(mismatch: Mismatch, path: str, width: int = 80) -> list[str]:
    where = f"{path}:{mismatch.line}" if mismatch.line else path
    lines = [f"  {where}: {mismatch.what}",
             f"    - expected: {mismatch.expected}",
             f"    + got:      {mismatch.got}"]
    for index, step in enumerate(mismatch.why):
        lines += textwrap.wrap(step, width - 1, initial_indent="      why: " if index == 0
                               else "           ", subsequent_indent="           ",
                               break_long_words=False, break_on_hyphens=False)
    return lines
