"""``rules/services/``: one service directory per country, each entry checked against the
approaches it says it delivers; ids are unique across all directories, so a case file's
action can name a provider by id alone."""

from __future__ import annotations

from pathlib import Path

from engine.loading.rule_files import RuleFiles
from engine.loading.source_file import yaml_files
from engine.model.approaches import Approach
from engine.model.services import ServiceDirectory, ServiceEntry


def load_services(files: RuleFiles, approaches: dict[str, Approach],
                  folder: Path | None = None) -> list[ServiceDirectory]:
    """The directories of ``folder`` (default: the rules' ``services/``)."""
    directories: list[ServiceDirectory] = []
    seen: set[str] = set()
    countries: set[str] = set()
    for path in yaml_files(folder or files.root / "services"):
        source = files.read(path)
        if source is None:
            files.mark_unreadable("provider")
            continue
        header = files.parse_header(ServiceDirectory, source, ("entries",))
        entries: list[ServiceEntry] = []
        for index, entry in files.parse_each(ServiceEntry, source, "entries", "provider"):
            loc = ("entries", index)
            if entry.id in seen:
                files.problems.append(source.problem(
                    (*loc, "id"), "duplicate provider id", entry.id,
                    "provider ids are unique across rules/services/"))
            seen.add(entry.id)
            for i, approach in enumerate(entry.approaches):
                if approach not in approaches:
                    files.unknown(source, (*loc, "approaches", i), entry.id, "approach",
                                  approach, sorted(approaches))
            entries.append(entry)
        if header is None:
            continue
        key = header.country.casefold()
        if key in countries:
            files.problems.append(source.problem(
                ("country",), f"a second directory for {header.country}", None,
                "keep one file per country"))
        countries.add(key)
        directories.append(ServiceDirectory.model_construct(country=header.country,
                                                            entries=entries))
    return directories
