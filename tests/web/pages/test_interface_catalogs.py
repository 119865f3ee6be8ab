"""The interface's catalogs: every string translated into French, Spanish and Arabic with
its placeholders kept, compiled .mo files matching their .po (no system gettext needed),
and Django reading them."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from engine.web.pages import catalogs

PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_every_language_has_a_catalog():
    assert {po.parents[1].name for po in catalogs.catalogs()} == {"fr", "es", "ar"}


@pytest.mark.parametrize("po", catalogs.catalogs(), ids=lambda p: p.parents[1].name)
def test_every_string_is_translated_with_its_placeholders(po):
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parents[1].name)
    entries = [m for m in catalog if m.id]
    assert len(entries) > 100
    for message in entries:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{po}: untranslated {ids[0]!r}"
        assert "fuzzy" not in message.flags, ids[0]
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        found = set().union(*(PLACEHOLDER.findall(s) for s in strings))
        assert found <= wanted and (wanted <= found or len(strings) > 1), (po, ids[0])


def test_compiled_catalogs_match_their_sources():
    assert catalogs.stale() == [], "run: python -m engine.web.pages.catalogs"


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "Mes dossiers"), ("es", "Mis casos"), ("ar", "ملفاتي"), ("en", "My cases")])
def test_django_reads_the_catalogs(language, expected):
    with translation.override(language):
        assert translation.gettext("My cases") == expected


@pytest.mark.parametrize("po", catalogs.catalogs(), ids=lambda p: p.parents[1].name)
def test_no_other_catalog_rewords_the_pages(po):
    """Django merges every app's catalog and the admin's comes first: a msgid the admin
    also has ("Change": "Modification") shows the admin's word unless given a context."""
    language = po.parents[1].name
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    with translation.override(language):
        for message in catalog:
            if message.id and isinstance(message.id, str):
                shown = (translation.pgettext(message.context, message.id) if message.context
                         else translation.gettext(message.id))
                assert shown == message.string, (message.id, shown)
