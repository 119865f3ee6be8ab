"""``rules/interventions/complementary/``: Figure 10's complementary approaches, and the link
every individual-level approach makes to one of them.

Checked: each category is the framework's, ids are unique and differ from the individual
approaches' (``rules show`` and a project file name either kind by id), Figure 10's numbers
run 1..total with none missing or repeated, every category has an approach, and every
individual approach names an existing complementary approach of its own category.
"""

from __future__ import annotations

from engine.errors import Problem
from engine.loading.approaches import Where
from engine.loading.rule_files import RuleFiles
from engine.loading.source_file import SourceFile, yaml_files
from engine.model.approaches import Approach
from engine.model.complementary import ComplementaryApproach, Figure
from engine.model.framework import Framework

KIND = "complementary approach"


def load_complementary(files: RuleFiles, framework: Framework, approaches: dict[str, Approach],
                       defined_at: dict[str, Where]) -> dict[str, ComplementaryApproach]:
    found: dict[str, ComplementaryApproach] = {}
    folder = files.root / "interventions" / "complementary"
    paths = list(yaml_files(folder))
    if not paths:
        files.problems.append(Problem(folder, None, "no complementary approaches found",
                                      hint="restore rules/interventions/complementary/"))
        files.mark_unreadable(KIND)
    for path in paths:
        source = files.read(path)
        if source is None:
            files.mark_unreadable(KIND)
            continue
        header = files.parse_header(Figure, source, ("complementary_approaches",))
        read = list(files.parse_each(ComplementaryApproach, source, "complementary_approaches",
                                     KIND))
        for index, approach in read:
            _check_one(files, source, index, approach, found, approaches, framework)
            found[approach.id] = approach
        if header is not None:
            _check_numbers(files, source, header.total.value, read, framework)
    for approach in approaches.values():
        _check_link(files, approach, found, defined_at)
    return dict(sorted(found.items(), key=lambda item: item[1].number))


def _check_one(files: RuleFiles, source: SourceFile, index: int,
               approach: ComplementaryApproach, found: dict[str, ComplementaryApproach],
               approaches: dict[str, Approach], framework: Framework) -> None:
    loc = ("complementary_approaches", index)
    if approach.id in found:
        files.problems.append(source.problem((*loc, "id"), "duplicate complementary approach id",
                                             approach.id, "ids are unique"))
    if approach.id in approaches:
        files.problems.append(source.problem(
            (*loc, "id"), "this id is already an individual-level approach's", approach.id,
            "give the complementary approach an id of its own"))
    if approach.category not in framework.ids("categories"):
        files.unknown(source, (*loc, "category"), approach.id, "category", approach.category,
                      framework.ids("categories"))


def _check_numbers(files: RuleFiles, source: SourceFile, total: int,
                   read: list[tuple[int, ComplementaryApproach]], framework: Framework) -> None:
    """Figure 10 numbers its approaches 1..total: each once, none missing."""
    seen: dict[int, str] = {}
    for index, approach in read:
        if approach.number in seen or approach.number > total:
            files.problems.append(source.problem(
                ("complementary_approaches", index, "number"),
                f"number {approach.number} is repeated or above the total of {total}",
                approach.id, f"number the approaches 1 to {total} as the source does"))
        seen.setdefault(approach.number, approach.id)
    if KIND in files.unreadable or files.broken[KIND]:
        return  # an approach that failed its own check is reported there, not as missing
    missing = [n for n in range(1, total + 1) if n not in seen]
    if missing:
        files.problems.append(source.problem(
            ("complementary_approaches",),
            f"{len(missing)} of the {total} complementary approaches missing (numbers "
            f"{', '.join(map(str, missing))})", None,
            "add each approach of the source with its number"))
    used = {a.category for _, a in read}
    for category in framework.ids("categories"):
        if category not in used:
            files.problems.append(source.problem(
                ("complementary_approaches",), f"no complementary approach in category "
                f"'{category}'", None, "file each approach under its category"))


def _check_link(files: RuleFiles, approach: Approach, found: dict[str, ComplementaryApproach],
                defined_at: dict[str, Where]) -> None:
    source, loc = defined_at[approach.id]
    at = (*loc[:-1], "complementary")
    target = found.get(approach.complementary)
    if target is None:
        files.unknown(source, at, approach.id, KIND, approach.complementary, list(found))
    elif target.category != approach.category:
        files.problems.append(source.problem(
            at, f"category '{approach.category}' differs from that of complementary approach "
                f"'{target.id}' ('{target.category}')", approach.id,
            "file the approach under its complementary approach's category, or link another"))
