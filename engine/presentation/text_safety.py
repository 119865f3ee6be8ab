"""Returnee text made safe to print: no control bytes, no bidi leak, no live links.

Text from a case file (goals, place of return, case manager…) is written by people and
copied from phones, forms and chat apps; it can hold control bytes, an unclosed
right-to-left override that reverses the words the template puts after it, or a bare URL
that a Markdown renderer turns into a live link. ``returnee_text`` cleans such a value
once, for every output; the HTML and Markdown filters then isolate it, so that whatever
direction it has stays inside it (Unicode's first-strong isolate, U+2068 … U+2069, which
Pango and so WeasyPrint honour as well as browsers do; ``<bdi>`` tells browsers the same).
Long words are broken by the stylesheet (``.returnee``: ``overflow-wrap: anywhere``); in
HTML (and so the PDF) a run of more than ``UNBROKEN_RUN`` characters without a space also
gets a zero-width space every ``UNBROKEN_RUN`` characters (``breakable``): WeasyPrint's time to
lay out one unbroken word grows with the square of its length (a 99,000-character word took
over two minutes), while with break opportunities it grows in step with the text. The case
file keeps the text whole; only the document's layout sees the breaks.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markupsafe import Markup

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"

_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO
_POP_EMBEDDING = "\u202c"  # PDF
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI
_BIDI_CONTROLS = _EMBEDDINGS | _ISOLATES | {_POP_EMBEDDING, POP_DIRECTIONAL_ISOLATE}

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and line feed, DEL, and the C1 controls."""
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
"""What ends a line (or a bidi paragraph) elsewhere becomes one line feed."""


def strip_controls(text: str) -> str:
    """Drop control characters; tab and line feed stay (goals keep their lines)."""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))


def balance_bidi(line: str) -> str:
    """Keep only the bidi controls that are closed on the same line, properly nested.

    An embedding or override (LRE, RLE, LRO, RLO) counts only if a PDF closes it before
    any isolate opened after it ends; an isolate (LRI, RLI, FSI) only if a PDI closes it.
    A PDI also ends the embeddings opened inside its isolate, which are then dropped, as
    is every control left open at the end or closing nothing.
    """
    if not _BIDI_CONTROLS.intersection(line):
        return line
    keep = [True] * len(line)
    stack: list[tuple[bool, int]] = []  # (is_isolate, position)
    for position, character in enumerate(line):
        if character in _EMBEDDINGS or character in _ISOLATES:
            stack.append((character in _ISOLATES, position))
        elif character == _POP_EMBEDDING:
            if stack and not stack[-1][0]:
                stack.pop()
            else:
                keep[position] = False
        elif character == POP_DIRECTIONAL_ISOLATE:
            if any(is_isolate for is_isolate, _ in stack):
                while not stack[-1][0]:
                    keep[stack.pop()[1]] = False
                stack.pop()
            else:
                keep[position] = False
    for _, position in stack:
        keep[position] = False
    return "".join(c for c, kept in zip(line, keep, strict=True) if kept)


def returnee_lines(value: Any) -> list[str]:
    """The value's lines, each free of control characters and of unbalanced bidi controls."""
    if value is None:
        return []
    return [balance_bidi(line) for line in strip_controls(str(value)).split("\n")]


UNBROKEN_RUN = 40
"""Longest run of characters without a break opportunity in HTML and PDF documents: more
than any word of the four languages, far less than the length that slows layout down."""
ZERO_WIDTH_SPACE = "\u200b"
_LONG_RUN = re.compile(rf"[^ \t\n{ZERO_WIDTH_SPACE}]{{{UNBROKEN_RUN + 1},}}")
"""A run with no sure break: a no-break space (U+00A0, U+202F) or a figure space is no break."""
_JOINED = frozenset("\u200d\ufe0e\ufe0f")
"""Zero-width joiner and variation selectors: never separated from their neighbours."""


def breakable(line: str) -> str:
    """``line`` with a zero-width space every ``UNBROKEN_RUN`` characters of each longer
    run, never inside a character and its combining marks or a joined sequence."""
    return _LONG_RUN.sub(lambda run: _with_breaks(run[0]), line)


def _with_breaks(run: str) -> str:
    pieces: list[str] = []
    since_break = 0
    for position, character in enumerate(run):
        if (since_break >= UNBROKEN_RUN and not unicodedata.combining(character)
                and character not in _JOINED and run[position - 1] not in _JOINED):
            pieces.append(ZERO_WIDTH_SPACE)
            since_break = 0
        pieces.append(character)
        since_break += 1
    return "".join(pieces)


def isolate(line: str) -> str:
    """One line in a first-strong isolate: its direction cannot leak into what follows."""
    return f"{FIRST_STRONG_ISOLATE}{line}{POP_DIRECTIONAL_ISOLATE}" if line.strip() else line


def returnee_text(value: Any) -> str:
    """Returnee text for Markdown or plain text: cleaned, each line isolated.

    The Markdown environment escapes the result like every other value (and there bare
    links are neutralised, see ``neutralise_links``).
    """
    return "\n".join(isolate(line) for line in returnee_lines(value))


def returnee_html(value: Any) -> Markup:
    """Returnee text for HTML and the PDF: cleaned, breakable, escaped, isolated in a
    ``<bdi>``."""
    from markupsafe import Markup  # documents only: the console's tables never need it

    text = "\n".join(isolate(breakable(line)) for line in returnee_lines(value))
    return Markup('<bdi class="returnee">{}</bdi>').format(text)


_BARE_LINK = re.compile(r"(?=://)|(?i:(?<=\bwww)(?=\.))")
"""The empty places before the ``:`` of ``://`` and before the ``.`` of ``www.``."""


def neutralise_links(markdown: str) -> str:
    """Break what GitHub-style Markdown would turn into a link by itself (``http://…``,
    ``www.…``): a backslash before the ``:`` or the ``.``, which renders as nothing.

    Takes text already escaped for Markdown (the backslash must not be escaped again).
    E-mail addresses still become ``mailto:`` links in GitHub's renderer, whatever is
    escaped; breaking them would need an invisible character inside the address.
    """
    return _BARE_LINK.sub(lambda _: "\\", markdown)
