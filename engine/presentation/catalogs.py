"""Message catalogs for the templates' own words: one gettext ``.po`` file per language.

The catalogs live beside the templates (``templates/locale/<lang>/LC_MESSAGES/plan.po``)
and are read at run time with Babel, so there is no compile step to forget. Entries the
project translated itself carry the flag ``unreviewed`` until a fluent reviewer removes
it; they are used, and counted by ``reintegrate i18n-status``. An empty ``msgstr`` falls
back to English.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2.ext

from engine.storage import write_file

if TYPE_CHECKING:  # Babel is imported where a catalog is read: not for English, not to score
    from babel.messages.catalog import Catalog

DOMAIN = "plan"
UNREVIEWED = "unreviewed"
TEMPLATE_PATTERNS = ("*.j2", "partials/*.j2")
ENGINE = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "_n": (1, 2)}
"""Calls that mark a message: ``_``/``ngettext`` in templates and wording, ``N_`` where a
phrase is declared but worded elsewhere (the condition kinds)."""


def phrase_sources() -> list[Path]:
    """Every engine module: moving a phrase to another module can never drop it."""
    return sorted(p for p in ENGINE.rglob("*.py") if "_shipped" not in p.parts)


def catalog_path(templates: Path, language: str) -> Path:
    return templates / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


MessageId = str | tuple[str, str]
"""A message, or a (singular, plural) pair."""


def template_messages(templates: Path) -> dict[str, tuple[MessageId, list[tuple[str, int]]]]:
    """Every message passed to gettext, by the templates and by the engine's phrases, with
    where it is used; keyed by its (singular) id."""
    found: dict[str, tuple[MessageId, list[tuple[str, int]]]] = {}
    sources = [(p, p.relative_to(templates).as_posix(), jinja2.ext.babel_extract)
               for pattern in TEMPLATE_PATTERNS for p in sorted(templates.glob(pattern))]
    sources += [(path, f"engine/{path.relative_to(ENGINE).as_posix()}", "python")
                for path in phrase_sources()]
    from babel.messages.extract import extract
    for path, shown, method in sources:
        with path.open("rb") as handle:
            for line, message, _comments, _context in extract(
                    method, handle, keywords=KEYWORDS,
                    options={"extensions": "jinja2.ext.i18n", "trimmed": "true"}):
                key = message if isinstance(message, str) else message[0]
                full = message if isinstance(message, str) else (message[0], message[1])
                found.setdefault(key, (full, []))[1].append((shown, line))
    return found


def load_catalog(templates: Path, language: str) -> Catalog | None:
    path = catalog_path(templates, language)
    if not path.is_file():
        return None
    from babel.messages.pofile import read_po
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def gettext_translations(templates: Path, language: str) -> gettext.NullTranslations:
    """The catalog as gettext translations; English, or no catalog, is the identity."""
    catalog = load_catalog(templates, language)
    if catalog is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.support import Translations
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@dataclass(frozen=True)
class CatalogCoverage:
    language: str
    total: int
    translated: int
    unreviewed: int

    @property
    def missing(self) -> int:
        return self.total - self.translated


def catalog_coverage(templates: Path, language: str) -> CatalogCoverage:
    messages = template_messages(templates)
    catalog = load_catalog(templates, language)
    translated = unreviewed = 0
    for msgid in messages:
        entry = catalog.get(msgid) if catalog else None
        strings = entry.string if entry is not None else ""
        done = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if entry is not None and done and "fuzzy" not in entry.flags:
            translated += 1
            unreviewed += UNREVIEWED in entry.flags
    return CatalogCoverage(language, len(messages), translated, unreviewed)


def update_catalog(templates: Path, language: str) -> Path:
    """Write the language's catalog with every current message, keeping translations."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    old = load_catalog(templates, language)
    catalog = Catalog(locale=language, domain=DOMAIN, project="reintegrate",
                      fuzzy=False)
    for msgid, (message, locations) in template_messages(templates).items():
        previous = old.get(msgid) if old else None
        empty: str | tuple[str, ...] = ("", "") if isinstance(message, tuple) else ""
        catalog.add(message, previous.string if previous else empty, locations=locations,
                    flags=previous.flags if previous else ())
    path = catalog_path(templates, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = BytesIO()
    write_po(written, catalog, width=100, omit_header=False)
    write_file(path, written.getvalue(), replace=True)
    return path
