"""``rules/instrument/``: the RSS elements, each with its full list of choices, checked.

Read element by element: a bad element costs that element only; grids and weight sets
that name it are not reported again.
"""

from __future__ import annotations

from engine.errors import Problem
from engine.loading.rule_files import RuleFiles, known_answerer
from engine.loading.source_file import SourceFile, yaml_files
from engine.model.framework import Framework
from engine.model.instrument import FIVE_POINT, YES_NO, Element, Indicator, Instrument

EMPTY = Instrument.model_construct(missing_choices=[], scales={}, indicators=[], elements=[])


def load_instrument(files: RuleFiles, framework: Framework) -> Instrument:
    """The instrument as far as it could be read (the RuleBook is built only if all was)."""
    folder = files.root / "instrument"
    found = list(yaml_files(folder))
    source = files.read(found[0]) if len(found) == 1 else None
    if len(found) != 1:
        files.problems.append(Problem(
            folder, None, f"expected exactly one instrument file, found {len(found)}",
            hint="keep one RSS file in rules/instrument/"))
    if source is None:
        files.mark_unreadable("element", "indicator")
        return EMPTY
    header = files.parse_header(Instrument, source, ("indicators", "elements"))
    if header is None:  # its elements are still checked, those on a scale cannot be resolved
        files.mark_unreadable("scale")
        header = EMPTY
    if header is not EMPTY:
        known_answerer(files, source, ("answered_by",), header.id, header.answered_by,
                       framework)
    indicators = list(files.parse_each(Indicator, source, "indicators", "indicator"))
    elements = list(files.parse_each(Element, source, "elements", "element"))
    files.no_duplicates(source, ("indicators",), [(i, item.id) for i, item in indicators])
    files.no_duplicates(source, ("elements",), [(i, item.id) for i, item in elements])
    checker = _ElementChecker(files, source, header, framework,
                              {item.id: item for _, item in indicators})
    for index, indicator in indicators:
        checker.dimension(("indicators", index, "dimension"), indicator.id, indicator.dimension)
    resolved = [checker.resolve(index, element) for index, element in elements]
    return header.model_copy(update={"indicators": [item for _, item in indicators],
                                     "elements": [e for e in resolved if e is not None]})


class _ElementChecker:
    """Each element against the framework, its indicator and its scale; resolves its choices
    (the scale's, its own, then the instrument's missing-answer choices)."""

    def __init__(self, files: RuleFiles, source: SourceFile, instrument: Instrument,
                 framework: Framework, indicators: dict[str, Indicator]):
        self.files = files
        self.source = source
        self.instrument = instrument
        self.dimensions = framework.ids("dimensions")
        self.indicators = indicators

    def dimension(self, loc: tuple, rule_id: str, dimension: str) -> None:
        if dimension not in self.dimensions:
            self.files.unknown(self.source, loc, rule_id, "dimension", dimension, self.dimensions)

    def resolve(self, index: int, element: Element) -> Element | None:
        loc = ("elements", index)
        self.dimension((*loc, "dimension"), element.id, element.dimension)
        indicator = self.indicators.get(element.indicator)
        if indicator is None:
            self.files.unknown(self.source, (*loc, "indicator"), element.id, "indicator",
                               element.indicator, list(self.indicators))
        elif indicator.dimension != element.dimension:
            self.files.problems.append(self.source.problem(
                (*loc, "indicator"),
                f"indicator '{indicator.id}' is {indicator.dimension}, "
                f"the element is {element.dimension}",
                element.id, "put the element under an indicator of its own dimension"))
        choices = list(element.choices)
        if element.scale:
            scale = self.instrument.scales.get(element.scale)
            if scale is None:
                self.files.unknown(self.source, (*loc, "scale"), element.id, "scale",
                                   element.scale, list(self.instrument.scales))
                self.files.broken["element"].add(element.id)
                return None
            choices = list(scale.choices) + choices
        own = {choice.name for choice in choices}
        choices += [c for c in self.instrument.missing_choices if c.name not in own]
        self.files.no_duplicates(self.source, (*loc, "choices"),
                                 list(enumerate(c.name for c in choices)), element.id)
        scored = [c.points for c in choices if c.points is not None]
        if set(scored) not in (FIVE_POINT, YES_NO) or len(scored) != len(set(scored)):
            self.files.problems.append(self.source.problem(
                loc,
                f"coded points {sorted(set(scored), reverse=True)} are neither a 5-point "
                "scale (1, 0.75, 0.5, 0.25, 0) nor yes/no (1, 0), each point used once",
                element.id, "fix the choices' points"))
        if element.asked_if is not None and not any(c.missing == "not_applicable"
                                                    for c in choices):
            self.files.problems.append(self.source.problem(
                (*loc, "asked_if"), "an element asked only if a condition holds needs the "
                "answer it has otherwise", element.id,
                "add a choice with 'missing: not_applicable'"))
        return element.model_copy(update={"choices": choices})
