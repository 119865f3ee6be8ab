"""Plan documents: HTML with a print stylesheet, Markdown, and PDF made from the HTML.

One set of Jinja2 templates (``templates/``) serves every language: each of their own
words goes through gettext (``jinja2.ext.i18n``), and rule text arrives already in the
plan model. The language picks the catalog and the text direction; English is the
templates' source language, so it needs no catalog.

Returnee-entered text (goals, place, case manager) is escaped in both outputs: HTML by
Jinja2's autoescaping, Markdown by ``escape_markdown``, installed as the Markdown
environment's ``finalize`` so that no ``{{ ... }}`` in a Markdown template can forget it.
The templates also pass it through the ``returnee`` filter (``text_safety``): control
characters out, its direction isolated.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from engine.planning.plan import Plan
from engine.presentation.catalogs import gettext_translations
from engine.presentation.gaps import gap_sentence
from engine.presentation.reader_locale import country_name, decimal, long_date, percent
from engine.presentation.score_chart import score_chart
from engine.presentation.template_cache import SignedBytecodeCache
from engine.presentation.text_safety import neutralise_links, returnee_html, returnee_text
from engine.presentation.wording import Wording

Format = Literal["html", "md", "pdf"]
Medium = Literal["screen", "print"]
DocumentKind = Literal["plan", "worksheet"]
"""The returnee's plan to sign, or the case manager's worksheet: two views of one plan."""

RIGHT_TO_LEFT = frozenset({"ar", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})
"""Languages written right to left (ISO 639 codes); the rest are left to right."""

_MARKDOWN_ANYWHERE = str.maketrans({
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "|": "\\|",
    "~": "\\~", "&": "&amp;", "<": "&lt;", ">": "&gt;",
})
_MARKDOWN_LINE_START = re.compile(r"^(?:[#=+-]|\d{1,9}(?=[.)](?:\s|$)))")


def templates_dir() -> Path:
    """The templates installed with the package, or the repository's own in a checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "_shipped" / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The templates' words in ``lang`` (English, their source language, needs none); read
    once per process, as the environments that install them are."""
    return gettext_translations(templates_dir(), lang)


def text_direction(lang: str) -> Literal["ltr", "rtl"]:
    return "rtl" if lang.split("-")[0].split("_")[0].lower() in RIGHT_TO_LEFT else "ltr"


def direction_of(text: str | None) -> Literal["ltr", "rtl"]:
    """The direction of free text by its first strong character (HTML's dir="auto", which
    WeasyPrint does not implement): an English goal in an Arabic plan stays left to right."""
    for character in text or "":
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def escape_markdown(value: Any) -> str:
    """Make text inert in Markdown: no heading, list, link, table cell break, HTML or code.

    Line breaks become spaces (so nothing can start a new block), characters that open
    inline syntax are backslash-escaped, ``& < >`` become entities (some renderers keep a
    backslash before ``<`` and pass the tag through), a bare ``http://`` or ``www.`` is
    broken so that it is no autolink, and a block marker at the start is escaped in case
    the text opens a line. Space at either end is kept as one space, so that a separator
    such as ``", "`` still separates.
    """
    if value is None:
        return ""
    raw = str(value)
    text = neutralise_links(" ".join(raw.split()).translate(_MARKDOWN_ANYWHERE))
    if not text:
        return " " if raw else ""
    match = _MARKDOWN_LINE_START.match(text)
    if match:
        if match.group().isdigit():
            end = match.end()
            text = f"{text[:end]}\\{text[end:]}"
        else:
            text = "\\" + text
    lead = " " if raw[0].isspace() else ""
    trail = " " if raw[-1].isspace() else ""
    return f"{lead}{text}{trail}"


def score(value: float, lang: str = "en") -> str:
    """A score or point as the plan prints it (two decimals, like the seeds' 0.50), with the
    reader's decimal sign."""
    return decimal(value, lang)


@cache
def environment(lang: str, markup: Literal["html", "md"]) -> Environment:
    """One environment per language and markup; HTML autoescapes, Markdown escapes its own."""
    options: dict[str, Any] = (
        {"autoescape": True} if markup == "html"
        else {"autoescape": False, "finalize": escape_markdown})
    env = Environment(loader=FileSystemLoader(templates_dir()), extensions=["jinja2.ext.i18n"],
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True,
                      bytecode_cache=SignedBytecodeCache(markup), **options)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["score"] = partial(score, lang=lang)
    env.filters["country"] = lambda name: (returnee_html if markup == "html" else returnee_text)(
        country_name(name, lang))
    env.filters["percent"] = partial(percent, lang=lang)
    env.filters["direction"] = direction_of
    env.filters["returnee"] = returnee_html if markup == "html" else returnee_text
    env.filters["ltr"] = partial(left_to_right, direction=text_direction(lang))
    env.filters["day"] = (partial(html_day, direction=text_direction(lang), lang=lang)
                          if markup == "html" else partial(day, direction=text_direction(lang),
                                                           lang=lang))
    env.filters["money"] = (partial(html_money, lang=lang) if markup == "html"
                            else partial(money, lang=lang))
    return env


def plan_context(plan: Plan, lang: str, medium: Medium, words: Wording,
                 reviewed: bool = True) -> dict[str, Any]:
    """What a document template receives: the plan, the wording of its results, its language
    and direction, the medium (``print`` lays out for A4 paper), and whether the language's
    translation was reviewed (an unreviewed one says so on every page)."""
    chart = score_chart([(line.name, line.value) for line in plan.scores.lines],
                        plan.scores.threshold)
    return {"plan": plan, "words": words, "chart": chart, "lang": lang,
            "direction": text_direction(lang), "medium": medium, "reviewed": reviewed,
            "gap": partial(gap_sentence, phrases=translations(lang))}


def day(value: date, direction: Literal["ltr", "rtl"], lang: str = "en") -> str:
    """A date as the plan prints it: written out in the reader's language (Babel), isolated
    inside right-to-left text (FSI ... PDI: "20 نوفمبر 2026" takes the direction of its
    month name, and stays whole in HTML, Markdown and the PDF alike)."""
    text = long_date(value, lang)
    return f"\u2068{text}\u2069" if direction == "rtl" else text


def left_to_right(text: str, direction: Literal["ltr", "rtl"]) -> str:
    """A code (a date, the rules version) kept in its own order inside right-to-left text."""
    return f"\u2066{text}\u2069" if direction == "rtl" else text


def html_day(value: date, direction: Literal["ltr", "rtl"], lang: str = "en") -> Markup:
    """The same date in HTML, never broken across lines."""
    return Markup('<span class="date">{}</span>').format(day(value, direction, lang))


def money(amount: Decimal, currency: str, lang: str) -> str:
    """An amount as the plan prints it: the language's digit grouping (Babel: 60,000 in
    English, 60 000 in French, 60.000 in Spanish), cents only when there are any, then the
    currency code, never a symbol (ETB or XOF have none that every reader knows). Kept left
    to right in right-to-left text, like a date."""
    from babel.core import UnknownLocaleError
    from babel.numbers import format_decimal

    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    try:
        number = format_decimal(amount, format=pattern, locale=lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        number = format_decimal(amount, format=pattern, locale="en")
    text = f"{number}\u00a0{currency}"
    return f"\u2066{text}\u2069" if text_direction(lang) == "rtl" else text


def html_money(amount: Decimal, currency: str, lang: str) -> Markup:
    """The same amount in HTML, never broken across lines."""
    return Markup('<span class="money">{}</span>').format(money(amount, currency, lang))


def render_plan(plan: Plan, fmt: Format, lang: str, words: Wording,
                document: DocumentKind = "plan", reviewed: bool = True) -> str | bytes:
    """The returnee's plan or the worksheet as an HTML or Markdown string, or PDF bytes;
    ``words`` must be the wording of the same language (``Drafter.render`` pairs them)."""
    if fmt == "md":
        return environment(lang, "md").get_template(f"{document}.md.j2").render(
            plan_context(plan, lang, "screen", words, reviewed))
    medium: Medium = "print" if fmt == "pdf" else "screen"
    html = environment(lang, "html").get_template(f"{document}.html.j2").render(
        plan_context(plan, lang, medium, words, reviewed))
    if fmt == "html":
        return html
    import weasyprint  # imported here: only PDF output needs it (and its system libraries)

    return weasyprint.HTML(string=html, base_url=str(templates_dir())).write_pdf()
