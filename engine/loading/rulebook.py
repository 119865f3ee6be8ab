"""Load the whole ``rules/`` tree, check it, and hand out one validated RuleBook.

Order follows ansible-rulebook: read (with lines) -> schema (pydantic) -> cross-references
-> an engine-neutral model. One loader per rule family (framework, instrument, weights,
approaches, grids, plan); each checks what it reads against what the families before it
could read, so every problem in every file is reported once, with its file and line.

A validated book is kept per content hash of the rules (``engine.loading.cache``): the
files are parsed again only when they change, or when a problem must be reported.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from engine.errors import ArgumentError, Problem, RuleErrors
from engine.loading import cache
from engine.loading.office import office_folder, with_office_services
from engine.model.rulebook import RuleBook

if TYPE_CHECKING:
    from engine.loading.rule_files import RuleFiles
    from engine.model.framework import Framework
    from engine.model.instrument import Instrument
    from engine.model.translation import Translation
    from engine.model.weights import WeightSet

RULE_SUFFIXES = frozenset({".yaml", ".yml"})


def shipped_rules() -> Path:
    """The rules installed with the package, or the repository's own in a checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "_shipped" / "rules"
    return installed if installed.is_dir() else package.parent / "rules"


def rules_folder(root: Path | None) -> Path:
    """The rules folder to read (default: the shipped one). A path that is not a folder is
    a bad argument, said once: it was fourteen "missing file" problems and exit 1, as if
    rules there were broken."""
    folder = Path(root) if root else shipped_rules()
    if not folder.is_dir():
        raise ArgumentError([Problem(folder, None, "there is no rules folder at this path",
                                     hint="check the path of the rules folder given")])
    return folder


def load_rulebook(root: Path | None = None, services: Path | None = None) -> RuleBook:
    """The validated rules of ``root`` (default: the shipped ones), with an office's own
    service directories when ``services`` (or ``--services``/REINTEGRATE_SERVICES) names
    them; RuleErrors with every problem if they do not validate."""
    folder = office_folder(services)
    book = _load_rulebook(root)
    return with_office_services(book, folder) if folder else book


def _load_rulebook(root: Path | None = None) -> RuleBook:
    root = rules_folder(root)
    version = rules_version(root)
    book = cache.cached_book(root, version)
    if book is not None:
        return book
    book, files = read_rules(root, version)
    if files.problems:
        raise RuleErrors(files.problems)
    cache.keep_book(book)
    return book


def validate_rules(root: Path | None = None) -> tuple[RuleBook, dict[str, Translation]]:
    """Every rule file and every language file checked, the languages even when other rule
    files fail (against what could be read); RuleErrors with every problem."""
    folder = office_folder()
    if folder:  # the office's directories are checked too
        book = load_rulebook(root, folder)
        return book, _translations(book)
    root = rules_folder(root)
    version = rules_version(root)
    book = cache.cached_book(root, version)
    if book is not None:
        return book, _translations(book)
    from engine.loading.translations import check_translations
    book, files = read_rules(root, version)
    valid = not files.problems
    translations = check_translations(book, files, partial=not valid)
    if files.problems:
        raise RuleErrors(files.problems)
    cache.keep_book(book)
    for stem, translation in translations.items():
        cache.keep_translation(book, stem, translation)
    return book, {t.language: t for t in translations.values()}


def _translations(book: RuleBook) -> dict[str, Translation]:
    from engine.loading.translations import load_translations
    return load_translations(book)


def read_rules(root: Path, version: str) -> tuple[RuleBook, RuleFiles]:
    """Parse and check every rule file. The book is valid only if ``files.problems`` is
    empty; otherwise it holds the rules as far as they could be read, for the checks that
    still can run on them (translations), and must not be used for anything else.

    The loaders are imported here: with the rules cache warm (every start after the first)
    no rule file is parsed, and importing them cost each command about 10 ms."""
    from engine.loading.approaches import load_approaches
    from engine.loading.framework import load_framework
    from engine.loading.grids import load_grids
    from engine.loading.instrument import load_instrument
    from engine.loading.plan_rules import load_plan_rules
    from engine.loading.project_rules import load_project_rules
    from engine.loading.rule_files import RuleFiles
    from engine.loading.services import load_services
    from engine.loading.weights import load_weight_sets
    files = RuleFiles(root)
    framework = load_framework(files)
    instrument = load_instrument(files, framework)
    weight_sets = load_weight_sets(files, instrument, framework)
    approaches, defined_at = load_approaches(files, framework, instrument)
    grids = load_grids(files, framework, instrument, approaches, defined_at)
    plan = load_plan_rules(files, framework, approaches)
    services = load_services(files, approaches)
    book = RuleBook(root, version, framework, instrument, weight_sets, approaches,
                    grids.questions, grids.entries, plan, grids.question_files, services,
                    load_project_rules(files, framework, approaches, defined_at, grids.questions,
                                       plan))
    return book, files


def resolve_weight_set(book: RuleBook, name_or_path: str) -> WeightSet:
    """A shipped set by name, or a set file by path checked against the book's rules."""
    path = Path(name_or_path)
    if path.suffix in RULE_SUFFIXES and path.is_file():
        return load_weight_set(path, book.instrument, book.framework)
    return book.weight_set(name_or_path)


def load_weight_set(path: Path, instrument: Instrument, framework: Framework) -> WeightSet:
    from engine.loading.rule_files import RuleFiles
    from engine.loading.weights import read_weight_set
    files = RuleFiles(path.parent)
    weight_set = read_weight_set(files, path, instrument, framework)
    if files.problems or weight_set is None:
        raise RuleErrors(files.problems)
    return weight_set


def rules_version(root: Path) -> str:
    """Content hash of the rule tree, so a result can say which rules produced it."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in RULE_SUFFIXES):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
