"""Dates, numbers and country names as the plan's reader writes them (Babel's CLDR data):
"20 novembre 2026" and "0,22" in a French plan, "Guinée" for Guinea, never ISO dates or an
English country name in a plan a returnee reads in another language."""

from __future__ import annotations

from datetime import date
from functools import cache


def _locale(lang: str) -> str:
    from babel.core import Locale, UnknownLocaleError
    try:
        return str(Locale.parse(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return "en"


def long_date(value: date, lang: str) -> str:
    """The date written out in the reader's language ("November 20, 2026")."""
    from babel.dates import format_date
    return format_date(value, format="long", locale=_locale(lang))


def decimal(value: float, lang: str, places: int = 2) -> str:
    """A score with the reader's decimal sign (0.22, 0,22)."""
    from babel.numbers import format_decimal
    return format_decimal(round(value, places), format="0." + "0" * places,
                          locale=_locale(lang))


def percent(value: float, lang: str) -> str:
    """A share as the reader writes it ("93%", "93 %" in French and Spanish)."""
    from babel.numbers import format_percent
    return format_percent(value, locale=_locale(lang))


@cache
def _codes() -> dict[str, str]:
    """English country names (casefolded) to their ISO code."""
    from babel.core import Locale
    return {name.casefold(): code for code, name in Locale("en").territories.items()
            if code.isalpha() and len(code) == 2}


def country_name(name: str, lang: str) -> str:
    """The country of return in the reader's language; a name CLDR does not know (or an
    office's own spelling) is kept as written."""
    from babel.core import Locale
    code = _codes().get(name.strip().casefold())
    if code is None:
        return name
    return Locale.parse(_locale(lang)).territories.get(code, name)
