"""Seed passages kept verbatim in ``tests/fixtures/seed/`` (each file's first line names its
source), parsed into the rows the rule files must reproduce word for word."""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).resolve().parent / "fixtures" / "seed"


def passage(name: str) -> list[str]:
    """The passage's lines, without the line that names its source."""
    lines = (SEED / name).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Verbatim from 001_15f4baf8ed195180.txt"), lines[0]
    return lines[1:]


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (YAML folds lines)."""
    return " ".join(text.split())


def figure10() -> list[tuple[str, int, str, str]]:
    """(category as printed, number, name, explanation) for each row of Figure 10."""
    rows, category = [], ""
    for line in passage("figure10.txt")[1:]:
        cells = line.split("\t")
        category = cells[0] or category
        number, name = re.fullmatch(r"(\d+)\. (.+)", cells[1]).groups()  # type: ignore[union-attr]
        rows.append((category, int(number), name, cells[2]))
    return rows


def monitoring_rows() -> dict[str, list[str]]:
    """Each row of the Monitoring and Measurement Project Design Grid: its four cells
    (appropriateness, appropriateness, resources, complementarity), by row name."""
    lines = passage("project_design_monitoring.txt")
    assert lines[1].split("\t") == ["", "APPROPRIATENESS", "", "RESOURCES", "COMPLEMENTARITY"]
    rows = {}
    for line in lines[2:]:
        name, *cells = line.split("\t")
        rows[name] = (cells + [""] * 4)[:4]
    return rows


def community_indicators() -> dict[str, list[str]]:
    """The 25 community indicators by group, as numbered in section II (social inclusion's
    three parts, a. to c., are parts of indicator 5, not indicators of their own)."""
    lines = passage("community_indicators.txt")
    groups = [g.strip() for g in lines[-2].split("\t")]
    found = {}
    for group, cell in zip(groups, lines[-1].split("\t"), strict=True):
        text = re.sub(r"<ol[^>]*>", "", cell)
        found[group] = [" ".join(item.split()) for item in re.split(r"\s\d+\.\s", " " + text)[1:]]
    return found
