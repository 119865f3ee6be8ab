"""Load the whole ``rules/`` tree, check it, and hand out one validated RuleBook.

Order follows ansible-rulebook: read (with lines) -> schema (pydantic) -> cross-references
-> an engine-neutral model. Every problem in every file is collected before failing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.errors import Problem, RuleErrors
from engine.loading.plan_rules import load_plan_rules
from engine.loading.source_file import SourceFile, read_source, yaml_files
from engine.model.approaches import Approach
from engine.model.conditions import Condition, Reference
from engine.model.framework import COMPOSITE, Framework
from engine.model.grids import Grid, GridEntry, Question
from engine.model.instrument import FIVE_POINT, YES_NO, Element, Instrument
from engine.model.rulebook import RuleBook
from engine.model.weights import SUM_TOLERANCE, WeightSet

M = TypeVar("M", bound=BaseModel)


def shipped_rules() -> Path:
    """The rules installed with the package, or the repository's own in a checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "_shipped" / "rules"
    return installed if installed.is_dir() else package.parent / "rules"


def load_rulebook(root: Path | None = None) -> RuleBook:
    root = Path(root) if root else shipped_rules()
    loader = _Loader(root)
    book = loader.load()
    if loader.problems or book is None:
        raise RuleErrors(loader.problems or [Problem(root, None, "no rules found")])
    return book


def resolve_weight_set(book: RuleBook, name_or_path: str) -> WeightSet:
    """A shipped set by name, or a set file by path checked against the book's rules."""
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml"} and path.is_file():
        return load_weight_set(path, book.instrument, book.framework)
    return book.weight_set(name_or_path)


def load_weight_set(path: Path, instrument: Instrument, framework: Framework) -> WeightSet:
    loader = _Loader(path.parent)
    weight_set = loader.weight_set(path, instrument, framework)
    if loader.problems or weight_set is None:
        raise RuleErrors(loader.problems)
    return weight_set


def rules_version(root: Path) -> str:
    """Content hash of the rule tree, so a result can say which rules produced it."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".yaml", ".yml"}):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    # -- reading -------------------------------------------------------------------------

    def read(self, path: Path) -> SourceFile | None:
        source = read_source(path)
        if isinstance(source, Problem):
            self.problems.append(source)
            return None
        if not isinstance(source.data, dict):
            self.problems.append(
                Problem(
                    path,
                    1,
                    "expected a mapping of fields at the top",
                    hint="see the README for the rule format",
                )
            )
            return None
        return source

    def parse(
        self,
        model: type[M],
        source: SourceFile,
        data: Any,
        loc: tuple = (),
        rule_id: str | None = None,
    ) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(source.validation_problems(exc, loc, rule_id))
            return None

    def require_file(self, path: Path, what: str) -> SourceFile | None:
        if not path.is_file():
            self.problems.append(
                Problem(path, None, f"missing {what}", hint="restore it from the repository")
            )
            return None
        return self.read(path)

    # -- the tree -------------------------------------------------------------------------

    def load(self) -> RuleBook | None:
        framework = self.framework()
        instrument = self.instrument(framework)
        if framework is None or instrument is None:
            return None
        weight_sets = self.weight_sets(instrument, framework)
        approaches = self.approaches(framework, instrument)
        questions, entries, question_files = self.grids(framework, instrument, approaches)
        plan, problems = load_plan_rules(self.root / "plan", self.require_file, framework,
                                         approaches)
        self.problems += problems
        if self.problems or plan is None:
            return None
        return RuleBook(
            self.root,
            rules_version(self.root),
            framework,
            instrument,
            weight_sets,
            approaches,
            questions,
            entries,
            plan,
            question_files,
        )

    def framework(self) -> Framework | None:
        source = self.require_file(self.root / "framework.yaml", "framework file")
        if source is None:
            return None
        framework = self.parse(Framework, source, source.data)
        if framework:
            for field_name in Framework.model_fields:
                if field_name == "scoring":
                    continue
                self.no_duplicates(
                    source, (field_name,), [t.id for t in getattr(framework, field_name)]
                )
            if COMPOSITE in framework.ids("dimensions"):
                self.problems.append(
                    source.problem(
                        ("dimensions",),
                        f"'{COMPOSITE}' is reserved for the overall score",
                        hint="rename that dimension",
                    )
                )
        return framework

    def instrument(self, framework: Framework | None) -> Instrument | None:
        files = list(yaml_files(self.root / "instrument"))
        if len(files) != 1:
            self.problems.append(
                Problem(
                    self.root / "instrument",
                    None,
                    f"expected exactly one instrument file, found {len(files)}",
                    hint="keep one RSS file in rules/instrument/",
                )
            )
            return None
        source = self.read(files[0])
        if source is None:
            return None
        instrument = self.parse(Instrument, source, source.data)
        if instrument is None or framework is None:
            return None
        return self.resolve_instrument(source, instrument, framework)

    def resolve_instrument(
        self, source: SourceFile, instrument: Instrument, framework: Framework
    ) -> Instrument | None:
        """Attach each element's full choice list (scale + own + missing choices) and check it."""
        dimensions = framework.ids("dimensions")
        self.known_answerer(source, ("answered_by",), instrument.id, instrument.answered_by,
                            framework)
        indicators = {i.id: i for i in instrument.indicators}
        self.no_duplicates(source, ("indicators",), [i.id for i in instrument.indicators])
        self.no_duplicates(source, ("elements",), [e.id for e in instrument.elements])
        for index, indicator in enumerate(instrument.indicators):
            if indicator.dimension not in dimensions:
                self.unknown(
                    source,
                    ("indicators", index, "dimension"),
                    indicator.id,
                    "dimension",
                    indicator.dimension,
                    dimensions,
                )
        elements: list[Element] = []
        for index, element in enumerate(instrument.elements):
            loc = ("elements", index)
            if element.dimension not in dimensions:
                self.unknown(
                    source,
                    (*loc, "dimension"),
                    element.id,
                    "dimension",
                    element.dimension,
                    dimensions,
                )
            indicator = indicators.get(element.indicator)
            if indicator is None:
                self.unknown(
                    source,
                    (*loc, "indicator"),
                    element.id,
                    "indicator",
                    element.indicator,
                    list(indicators),
                )
            elif indicator.dimension != element.dimension:
                self.problems.append(
                    source.problem(
                        (*loc, "indicator"),
                        f"indicator '{indicator.id}' is {indicator.dimension}, "
                        f"the element is {element.dimension}",
                        element.id,
                        "put the element under an indicator of its own dimension",
                    )
                )
            choices = list(element.choices)
            if element.scale:
                scale = instrument.scales.get(element.scale)
                if scale is None:
                    self.unknown(
                        source,
                        (*loc, "scale"),
                        element.id,
                        "scale",
                        element.scale,
                        list(instrument.scales),
                    )
                    continue
                choices = list(scale.choices) + choices
            choices += [
                c for c in instrument.missing_choices if c.name not in {own.name for own in choices}
            ]
            self.no_duplicates(source, (*loc, "choices"), [c.name for c in choices], element.id)
            points = {c.points for c in choices if c.points is not None}
            if points not in (FIVE_POINT, YES_NO) or len(
                [c for c in choices if c.points is not None]
            ) != len(points):
                self.problems.append(
                    source.problem(
                        loc,
                        f"coded points {sorted(points, reverse=True)} are neither a 5-point "
                        "scale (1, 0.75, 0.5, 0.25, 0) nor yes/no (1, 0), each point used once",
                        element.id,
                        "fix the choices' points",
                    )
                )
            elements.append(element.model_copy(update={"choices": choices}))
        return instrument.model_copy(update={"elements": elements})

    def weight_sets(self, instrument: Instrument, framework: Framework) -> dict[str, WeightSet]:
        sets: dict[str, WeightSet] = {}
        for path in yaml_files(self.root / "weights"):
            weight_set = self.weight_set(path, instrument, framework)
            if weight_set is None:
                continue
            if weight_set.id in sets:
                self.problems.append(
                    Problem(
                        path,
                        None,
                        "duplicate weight set id",
                        weight_set.id,
                        "give each set its own id",
                    )
                )
            sets[weight_set.id] = weight_set
        if not sets:
            self.problems.append(
                Problem(
                    self.root / "weights",
                    None,
                    "no weight set",
                    hint="add at least the default set",
                )
            )
        return sets

    def weight_set(
        self, path: Path, instrument: Instrument, framework: Framework
    ) -> WeightSet | None:
        source = self.read(path)
        if source is None:
            return None
        weight_set = self.parse(WeightSet, source, source.data)
        if weight_set is None:
            return None
        before = len(self.problems)
        self.check_weights(source, weight_set, instrument, framework)
        return weight_set if len(self.problems) == before else None

    def check_weights(
        self,
        source: SourceFile,
        weight_set: WeightSet,
        instrument: Instrument,
        framework: Framework,
    ) -> None:
        name = weight_set.id
        for element_id, weight in weight_set.weights.items():
            loc = ("weights", element_id)
            if instrument.element(element_id) is None:
                self.problems.append(
                    source.problem(
                        loc,
                        f"weight set '{name}': unknown element '{element_id}'",
                        name,
                        "use an element id of rules/instrument/",
                    )
                )
            for part in ("dimension", "composite"):
                if getattr(weight, part) < 0:
                    self.problems.append(
                        source.problem(
                            (*loc, part),
                            f"weight set '{name}': element '{element_id}' has a "
                            f"negative {part} weight {getattr(weight, part)}",
                            name,
                            "weights must be 0 or more",
                        )
                    )
        for element in instrument.elements:
            if element.id not in weight_set.weights:
                self.problems.append(
                    source.problem(
                        ("weights",),
                        f"weight set '{name}': element '{element.id}' has no weight",
                        name,
                        "weight every element exactly once (0 is allowed)",
                    )
                )
        for dimension in framework.ids("dimensions"):
            total = sum(
                w.dimension
                for e, w in weight_set.weights.items()
                if (el := instrument.element(e)) and el.dimension == dimension
            )
            self.check_sum(source, name, f"{dimension} dimension weights", total)
        total = sum(w.composite for w in weight_set.weights.values())
        self.check_sum(source, name, "composite weights", total)

    def check_sum(self, source: SourceFile, name: str, what: str, total: float) -> None:
        if abs(total - 1.0) > SUM_TOLERANCE:
            self.problems.append(
                source.problem(
                    ("weights",),
                    f"weight set '{name}': {what} sum to {total:.6f}, not 1",
                    name,
                    f"adjust them so they sum to 1 (within {SUM_TOLERANCE:g})",
                )
            )

    def approaches(self, framework: Framework, instrument: Instrument) -> dict[str, Approach]:
        approaches: dict[str, Approach] = {}
        indicators = [i.id for i in instrument.indicators]
        for path in yaml_files(self.root / "interventions"):
            source = self.read(path)
            if source is None:
                continue
            items = source.data.get("approaches")
            if not isinstance(items, list) or set(source.data) != {"approaches"}:
                self.problems.append(
                    source.problem(
                        (),
                        "expected one field, 'approaches', holding a list",
                        hint="see the README for the intervention format",
                    )
                )
                continue
            for index, item in enumerate(items):
                loc = ("approaches", index)
                rule_id = item.get("id") if isinstance(item, dict) else None
                approach = self.parse(Approach, source, item, loc, rule_id)
                if approach is None:
                    continue
                if approach.id in approaches:
                    self.problems.append(
                        source.problem(
                            (*loc, "id"),
                            "duplicate approach id",
                            approach.id,
                            "approach ids are unique across rules/interventions/",
                        )
                    )
                approaches[approach.id] = approach
                for part, kind, known in (
                    ("dimension", "dimension", framework.ids("dimensions")),
                    ("category", "category", framework.ids("categories")),
                ):
                    if getattr(approach, part) not in known:
                        self.unknown(
                            source, (*loc, part), approach.id, kind, getattr(approach, part), known
                        )
                for i, indicator in enumerate(approach.indicators):
                    if indicator not in indicators:
                        self.unknown(
                            source,
                            (*loc, "indicators", i),
                            approach.id,
                            "indicator",
                            indicator,
                            indicators,
                        )
                for i, modality in enumerate(approach.modalities):
                    if modality not in framework.ids("modalities"):
                        self.unknown(
                            source,
                            (*loc, "modalities", i),
                            approach.id,
                            "modality",
                            modality,
                            framework.ids("modalities"),
                        )
        return approaches

    def grids(
        self, framework: Framework, instrument: Instrument, approaches: dict[str, Approach]
    ) -> tuple[dict[str, Question], dict[str, GridEntry], dict[str, Path]]:
        grids: list[tuple[SourceFile, Grid]] = []
        questions: dict[str, Question] = {}
        question_files: dict[str, Path] = {}
        for path in yaml_files(self.root / "feasibility_grids"):
            source = self.read(path)
            grid = source and self.parse(Grid, source, source.data)
            if source is None or grid is None:
                continue
            grids.append((source, grid))
            for question_id, question in grid.questions.items():
                if question_id in questions:
                    self.problems.append(
                        source.problem(
                            ("questions", question_id),
                            "duplicate question id",
                            question_id,
                            f"it is already defined in {question_files[question_id].name}; "
                            "refer to that one",
                        )
                    )
                questions[question_id] = question
                question_files[question_id] = path
                self.known_answerer(source, ("questions", question_id, "answered_by"),
                                    question_id, question.answered_by, framework)
        entries: dict[str, GridEntry] = {}
        for source, grid in grids:
            checker = _GridChecker(self, source, framework, instrument, approaches, questions)
            for index, entry in enumerate(grid.approaches):
                if entry.approach in entries:
                    self.problems.append(
                        source.problem(
                            ("approaches", index, "approach"),
                            "approach has two grid entries",
                            entry.approach,
                            "keep one entry per approach",
                        )
                    )
                checker.check(grid, index, entry)
                entries[entry.approach] = entry
        for approach_id in approaches:
            if approach_id not in entries:
                self.problems.append(
                    Problem(
                        self.root / "feasibility_grids",
                        None,
                        "approach has no grid entry",
                        approach_id,
                        "add an entry for it to the grid of its dimension",
                    )
                )
        return questions, entries, question_files

    # -- shared checks ------------------------------------------------------------------

    def no_duplicates(self, source: SourceFile, loc: tuple, ids: list[str],
                      rule_id: str | None = None) -> None:
        self.problems += source.duplicates(loc, ids, rule_id=rule_id)

    def unknown(self, source: SourceFile, loc: tuple, rule_id: str | None, kind: str,
                value: str, known: list[str]) -> None:
        self.problems.append(source.unknown(loc, rule_id, kind, value, known))

    def known_answerer(self, source: SourceFile, loc: tuple, rule_id: str,
                       answerer: str | None, framework: Framework) -> None:
        """An ``answered_by`` names one of the framework's answerers (or is left out)."""
        known = framework.ids("answerers")
        if answerer is not None and answerer not in known:
            self.unknown(source, loc, rule_id, "answerer", answerer, known)


@dataclass
class _GridChecker:
    """Cross-references of one grid file against the framework, instrument and approaches."""

    loader: _Loader
    source: SourceFile
    framework: Framework
    instrument: Instrument
    approaches: dict[str, Approach]
    questions: dict[str, Question]

    def check(self, grid: Grid, index: int, entry: GridEntry) -> None:
        loc = ("approaches", index)
        rule_id = entry.approach
        unknown: Callable[..., None] = lambda at, kind, value, known: self.loader.unknown(  # noqa: E731
            self.source, at, rule_id, kind, value, known
        )
        if grid.dimension not in self.framework.ids("dimensions"):
            unknown(("dimension",), "dimension", grid.dimension, self.framework.ids("dimensions"))
        approach = self.approaches.get(entry.approach)
        if approach is None:
            unknown((*loc, "approach"), "approach", entry.approach, list(self.approaches))
        elif approach.dimension != grid.dimension:
            self.loader.problems.append(
                self.source.problem(
                    (*loc, "approach"),
                    f"approach is {approach.dimension}, this grid is {grid.dimension}",
                    rule_id,
                    "move the entry to the grid of its dimension",
                )
            )
        for i, condition in enumerate(entry.indicated_if_any):
            self.check_condition((*loc, "indicated_if_any", i), condition, unknown)
        levels = self.framework.ids("levels")
        for level in levels:
            if level not in entry.criteria:
                self.loader.problems.append(
                    self.source.problem(
                        (*loc, "criteria"),
                        f"criterion '{level}' is missing",
                        rule_id,
                        f"add its questions, or write '{level}: n/a' if it does not apply",
                    )
                )
        for level, criterion in entry.criteria.items():
            at = (*loc, "criteria", level)
            if level not in levels:
                unknown(at, "level", level, levels)
            if isinstance(criterion, str):
                continue
            for i, use in enumerate(criterion.questions):
                if use.question not in self.questions:
                    unknown(
                        (*at, "questions", i, "question"),
                        "question",
                        use.question,
                        list(self.questions),
                    )
        for i, option in enumerate(entry.feasibility):
            at = (*loc, "feasibility", i)
            if option.modality not in self.framework.ids("modalities"):
                unknown(
                    (*at, "modality"), "modality", option.modality, self.framework.ids("modalities")
                )
            elif approach and option.modality not in approach.modalities:
                self.loader.problems.append(
                    self.source.problem(
                        (*at, "modality"),
                        f"modality '{option.modality}' is not among the "
                        f"approach's modalities {approach.modalities}",
                        rule_id,
                        "add it to the approach in rules/interventions/ or remove the option",
                    )
                )
            for j, answer in enumerate(option.when):
                if answer.question not in self.questions:
                    unknown(
                        (*at, "when", j, "question"),
                        "question",
                        answer.question,
                        list(self.questions),
                    )

    def check_condition(self, at: tuple, condition: Condition,
                        unknown: Callable[..., None]) -> None:
        """Every name a condition uses must be one the rules define (the kind says which)."""
        for reference in condition.references():
            known = self.known(reference)
            if reference.value not in known:
                kind = (f"choice of '{reference.scope}'" if reference.kind == "choice"
                        else reference.kind)
                unknown((*at, *reference.at), kind, reference.value, known)

    def known(self, reference: Reference) -> list[str]:
        if reference.kind == "score":
            return [*self.framework.ids("dimensions"), COMPOSITE]
        if reference.kind == "vulnerability":
            return self.framework.ids("vulnerabilities")
        if reference.kind == "element":
            return [e.id for e in self.instrument.elements]
        element = self.instrument.element(reference.scope or "")
        # An unknown element is reported once, by its own reference.
        return [c.name for c in element.scored_choices()] if element else [reference.value]
