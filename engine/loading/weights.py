"""``rules/weights/`` and country set files: every element weighted once, sums of 1.

A set is usable only if every check passed; a set that failed is not reported again as
missing. Sums that depend on an element that failed its own check are not computed (the
sum would be wrong for a reason already reported).
"""

from __future__ import annotations

from pathlib import Path

from engine.errors import Problem
from engine.loading.rule_files import RuleFiles
from engine.loading.source_file import SourceFile, yaml_files
from engine.model.framework import Framework
from engine.model.instrument import Instrument
from engine.model.weights import SUM_TOLERANCE, WeightSet


def load_weight_sets(files: RuleFiles, instrument: Instrument,
                     framework: Framework) -> dict[str, WeightSet]:
    sets: dict[str, WeightSet] = {}
    failed = 0
    for path in yaml_files(files.root / "weights"):
        source, weight_set = _read(files, path, instrument, framework)
        if source is None or weight_set is None:
            failed += 1
            continue
        if weight_set.id in sets:
            files.problems.append(source.problem(("id",), "duplicate weight set id",
                                                 weight_set.id, "give each set its own id"))
        sets[weight_set.id] = weight_set
    if not sets and not failed:
        files.problems.append(Problem(files.root / "weights", None, "no weight set",
                                      hint="add at least the default set"))
    return sets


def read_weight_set(files: RuleFiles, path: Path, instrument: Instrument,
                    framework: Framework) -> WeightSet | None:
    """One set file, or None after recording every problem it has."""
    return _read(files, path, instrument, framework)[1]


def _read(files: RuleFiles, path: Path, instrument: Instrument,
          framework: Framework) -> tuple[SourceFile | None, WeightSet | None]:
    source = files.read(path)
    if source is None:  # which set it held is unknown: its translated name is not checked
        files.mark_unreadable("weight set")
        return None, None
    raw_id = source.data.get("id")
    rule_id = raw_id if isinstance(raw_id, str) else None
    before = len(files.problems)
    weight_set = files.parse(WeightSet, source, source.data, (), rule_id)
    if weight_set is not None:
        _WeightChecker(files, source, weight_set, instrument).check(framework)
    if len(files.problems) == before:
        return source, weight_set
    if rule_id:  # its translated name is not reported as an unknown key
        files.broken["weight set"].add(rule_id)
    return source, None


class _WeightChecker:
    def __init__(self, files: RuleFiles, source: SourceFile, weight_set: WeightSet,
                 instrument: Instrument):
        self.files = files
        self.source = source
        self.weight_set = weight_set
        self.instrument = instrument
        self.name = weight_set.id

    def problem(self, loc: tuple, message: str, hint: str) -> None:
        self.files.problems.append(self.source.problem(
            loc, f"weight set '{self.name}': {message}", self.name, hint))

    def check(self, framework: Framework) -> None:
        weights = self.weight_set.weights
        known = [e.id for e in self.instrument.elements]
        for element_id, weight in weights.items():
            loc = ("weights", element_id)
            if self.instrument.element(element_id) is None:
                self.files.unknown(self.source, loc, self.name, "element", element_id, known)
            for part in ("dimension", "composite"):
                if getattr(weight, part) < 0:
                    self.problem((*loc, part), f"element '{element_id}' has a negative "
                                 f"{part} weight {getattr(weight, part)}",
                                 "weights must be 0 or more")
        for element in self.instrument.elements:
            if element.id not in weights:
                self.problem(("weights",), f"element '{element.id}' has no weight",
                             "weight every element exactly once (0 is allowed)")
        if self.files.broken["element"] or "element" in self.files.unreadable:
            return  # the sums would miss elements whose own problem is already reported
        for dimension in framework.ids("dimensions"):
            total = sum(w.dimension for e, w in weights.items()
                        if (el := self.instrument.element(e)) and el.dimension == dimension)
            self.check_sum(f"{dimension} dimension weights", total)
        self.check_sum("composite weights", sum(w.composite for w in weights.values()))

    def check_sum(self, what: str, total: float) -> None:
        if abs(total - 1.0) > SUM_TOLERANCE:
            self.problem(("weights",), f"{what} sum to {total:.6f}, not 1",
                         f"adjust them so they sum to 1 (within {SUM_TOLERANCE:g})")
