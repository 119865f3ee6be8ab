"""A plan rule file with one broken entry still has its other entries cross-checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import RuleErrors
from engine.loading.rulebook import load_rulebook


def _problems(rules: Path) -> list[str]:
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules)
    return [str(p) for p in caught.value.problems]


def _line(path: Path, text: str) -> int:
    return path.read_text().splitlines().index(text) + 1


def test_an_unknown_approach_after_a_broken_safeguard_is_reported(rules_copy: Path) -> None:
    path = rules_copy / "plan" / "safeguards.yaml"
    text = path.read_text()
    # the first safeguard loses its name (a schema error) ...
    text = text.replace('    name: "Unaccompanied or separated child: guardian and family '
                        'assessment first"\n', "", 1)
    # ... and a later one points at an approach that does not exist
    text = text.replace("        approach: essential_needs_support\n",
                        "        approach: essential_needs\n", 1)
    path.write_text(text)
    problems = _problems(rules_copy)
    unknown = _line(path, "        approach: essential_needs")
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"{path}:") and "missing field 'safeguards.0.name'" in (
        problems[0])
    assert problems[1].startswith(f"{path}:{unknown}: 'emergency_return': unknown approach "
                                  "'essential_needs'")


def test_a_duplicate_after_a_broken_milestone_keeps_its_line(rules_copy: Path) -> None:
    path = rules_copy / "plan" / "schedule.yaml"
    lines = path.read_text().splitlines()
    ids = [i for i, line in enumerate(lines) if line.startswith("  - id: ")]
    first, second, third = (lines[i].split(": ", 1)[1] for i in ids[:3])
    text = path.read_text().replace(f"  - id: {first}\n", "  - id: Not An Id\n", 1)
    text = text.replace(f"  - id: {third}\n", f"  - id: {second}\n", 1)
    path.write_text(text)
    problems = _problems(rules_copy)
    duplicate = [i + 1 for i, line in enumerate(text.splitlines())
                 if line == f"  - id: {second}"][1]
    assert len(problems) == 2, problems
    assert problems[1] == (f"{path}:{duplicate}: '{second}': duplicate milestone '{second}' "
                           "— each milestone appears once")
