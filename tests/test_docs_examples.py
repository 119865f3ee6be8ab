"""docs/examples.md shows the three examples as ``recommend`` prints them at 100 columns;
a rule or example change that moves a status fails here, so the page is redrawn with it
(the rules version in the title is left out: it changes with every rule edit)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "docs" / "examples.md"
REINTEGRATE = Path(sys.executable).parent / "reintegrate"


def _lines(text: str) -> list[str]:
    return [re.sub(r"\(rules [0-9a-f]{12}[^)]*\)", "(rules …)", line.rstrip())
            for line in text.strip("\n").splitlines()]


def _shown() -> dict[str, str]:
    """Each example's file name (from its heading) and the block under it."""
    page = PAGE.read_text()
    return dict(re.findall(r"^### [^\n]*\(`(\w+\.yaml)`\)\n\n```\n(.*?)```", page, re.M | re.S))


def test_the_page_shows_the_three_examples() -> None:
    assert sorted(_shown()) == sorted(p.name for p in (REPO / "examples" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(_shown()))
def test_each_example_is_shown_as_recommend_prints_it(name: str) -> None:
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("REINTEGRATE_OFFICE", None)
    printed = subprocess.run([str(REINTEGRATE), "recommend", f"examples/cases/{name}"],
                             cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert _lines(printed.stdout) == _lines(_shown()[name])
