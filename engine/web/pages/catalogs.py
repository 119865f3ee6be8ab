"""The interface's gettext catalogs (``locale/<lang>/LC_MESSAGES/django.po``), compiled to
the ``.mo`` files Django reads, with Babel: no system gettext is needed on a new machine.

The ``.po`` files are the source, kept like the plan's (templates/locale): entries the
project translated itself carry the flag ``unreviewed`` until a fluent reviewer removes it.
The compiled ``.mo`` files are committed beside them; the tests check they match, and
``python -m engine.web.pages.catalogs`` rewrites them after a ``.po`` changes.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent / "locale"


def catalogs() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def compiled(po: Path) -> bytes:
    """The ``.mo`` bytes of one catalog (fuzzy entries left out, as msgfmt does)."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parents[1].name)
    out = BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def stale() -> list[Path]:
    """The catalogs whose committed ``.mo`` is missing or differs from their ``.po``."""
    return [po for po in catalogs()
            if not po.with_suffix(".mo").is_file()
            or po.with_suffix(".mo").read_bytes() != compiled(po)]


def main() -> int:
    for po in stale():
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.relative_to(LOCALE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
