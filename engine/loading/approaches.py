"""``rules/interventions/``: the complementary approaches, each checked against the framework
and the instrument's indicators. Read approach by approach; where each is defined is kept, so
a later problem about an approach (no grid entry) can point at its line."""

from __future__ import annotations

from engine.loading.rule_files import RuleFiles
from engine.loading.source_file import SourceFile, yaml_files
from engine.model.approaches import Approach
from engine.model.framework import Framework
from engine.model.instrument import Instrument

Where = tuple[SourceFile, tuple]
"""A rule's file and its location in that file's data."""


def load_approaches(files: RuleFiles, framework: Framework,
                    instrument: Instrument) -> tuple[dict[str, Approach], dict[str, Where]]:
    approaches: dict[str, Approach] = {}
    defined_at: dict[str, Where] = {}
    indicators = [i.id for i in instrument.indicators]
    for path in yaml_files(files.root / "interventions"):
        source = files.read(path)
        if source is None:
            files.mark_unreadable("approach")
            continue
        if not isinstance(source.data.get("approaches"), list) or set(source.data) != {
                "approaches"}:
            files.problems.append(source.problem(
                (), "expected one field, 'approaches', holding a list",
                hint="see the README for the intervention format"))
        for index, approach in files.parse_each(Approach, source, "approaches", "approach"):
            loc = ("approaches", index)
            if approach.id in approaches:
                files.problems.append(source.problem(
                    (*loc, "id"), "duplicate approach id", approach.id,
                    "approach ids are unique across rules/interventions/"))
            approaches[approach.id] = approach
            defined_at[approach.id] = (source, (*loc, "id"))
            for part, kind, known in (
                ("dimension", "dimension", framework.ids("dimensions")),
                ("category", "category", framework.ids("categories")),
            ):
                if getattr(approach, part) not in known:
                    files.unknown(source, (*loc, part), approach.id, kind,
                                  getattr(approach, part), known)
            for i, indicator in enumerate(approach.indicators):
                if indicator not in indicators:
                    files.unknown(source, (*loc, "indicators", i), approach.id, "indicator",
                                  indicator, indicators)
            for i, modality in enumerate(approach.modalities):
                if modality not in framework.ids("modalities"):
                    files.unknown(source, (*loc, "modalities", i), approach.id, "modality",
                                  modality, framework.ids("modalities"))
    return approaches, defined_at
