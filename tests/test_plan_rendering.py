"""Plan documents: every example in HTML, Markdown and PDF, English and a right-to-left
layout; what the returnee typed cannot inject HTML or Markdown; PDF pages are not blank."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from engine.case.model import Case
from engine.case.reading import load_case
from engine.evaluation.assessment import Assessor
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook
from engine.planning.plan import Plan
from engine.planning.planner import Planner
from engine.presentation.rendering import (
    direction_of,
    escape_markdown,
    text_direction,
    translations,
)
from engine.presentation.rendering import (
    render_plan as render_in,
)
from engine.presentation.wording import Wording

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples" / "cases").glob("*.yaml"))
LANGUAGES = ["en", "fr", "es", "ar"]
"""The template's words in each language (rule text stays as the plan carries it)."""

HOSTILE = {
    "goals": "# Heading\n\n| a | b |\n[click](javascript:alert(1)) <script>alert(1)</script> "
             "![img](http://x/y.png) **bold** `code` 1. item\n- item\n> quote\n    indented",
    "place": "<img src=x onerror=alert(1)>|Town",
    "case_manager": '"><b>CM</b> [x](javascript:alert(2))',
}


def render_plan(plan: Plan, fmt: str, lang: str = "en") -> str | bytes:
    """The plan in ``lang``'s template words, its results worded from the same catalog."""
    return render_in(plan, fmt, lang, Wording(load_rulebook(), translations(lang)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def planner(book: RuleBook) -> Planner:
    return Planner(book)


@pytest.fixture(scope="module")
def plans(book: RuleBook, assessor: Assessor, planner: Planner) -> dict[str, Plan]:
    found = {}
    for path in EXAMPLES:
        case = load_case(path, book)
        found[path.stem] = planner.plan(case, assessor.assess(case))
    return found


def _hostile_plan(assessor: Assessor, planner: Planner, make_case: Callable[..., Case]) -> Plan:
    case = make_case(goals=HOSTILE["goals"], case_manager=HOSTILE["case_manager"], profile={
        "age": 30, "sex": "female", "country_of_return": "Senegal",
        "place_of_return": HOSTILE["place"], "date_of_return": "2026-09-01"},
        rss={"currently_working": "no", "distress_frequency": "very_often"})
    return planner.plan(case, assessor.assess(case), dated=date(2026, 9, 20))


# -- Markdown escaping --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Addis Ababa, Kolfe Keranio sub-city", "Addis Ababa, Kolfe Keranio sub-city"),
    ("# Heading", "\\# Heading"),
    ("- item", "\\- item"),
    ("+ item", "\\+ item"),
    ("1. item", "1\\. item"),
    ("12) item", "12\\) item"),
    ("2026-09-15", "2026-09-15"),
    ("0.50", "0.50"),
    ("a | b", "a \\| b"),
    ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("**bold** _it_ `code` ~~del~~", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~del\\~\\~"),
    ("a\\b & c", "a\\\\b &amp; c"),
    ("line one\n# two\n\n    three", "line one # two three"),
    ("---", "\\---"),
    (None, ""),
])
def test_escape_markdown(text: str | None, expected: str) -> None:
    assert escape_markdown(text) == expected


def _markdown_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_markdown_plan_is_not_injectable(assessor: Assessor, planner: Planner,
                                         make_case: Callable[..., Case]) -> None:
    hostile = _hostile_plan(assessor, planner, make_case)
    clean = hostile.model_copy(update={"header": hostile.header.model_copy(update={
        "goals": "Work", "place_of_return": "Town", "case_manager": "CM"})})
    markdown = render_plan(hostile, "md")
    html = _markdown_html(markdown)
    clean_html = _markdown_html(render_plan(clean, "md"))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html).__str__()
    assert "<a " not in html
    for tag in ("<h1>", "<h2>", "<h3>", "<h4>", "<li>", "<blockquote>", "<pre>", "<tr>", "<td>",
                "<strong>", "<code>", "<em>"):
        assert html.count(tag) == clean_html.count(tag), tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, not run


def test_html_plan_is_not_injectable(assessor: Assessor, planner: Planner,
                                     make_case: Callable[..., Case]) -> None:
    html = render_plan(_hostile_plan(assessor, planner, make_case), "html")
    assert isinstance(html, str)
    assert "<script>" not in html and "<img src=x" not in html and "<b>CM</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;|Town" in html
    assert "&#34;&gt;&lt;b&gt;CM&lt;/b&gt;" in html


# -- every example, every format and layout -----------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_html_and_markdown_content(plans: dict[str, Plan], example: str, lang: str) -> None:
    plan = plans[example]
    html = render_plan(plan, "html", lang)
    markdown = render_plan(plan, "md", lang)
    assert isinstance(html, str) and isinstance(markdown, str)
    assert f'<html lang="{lang}" dir="{text_direction(lang)}">' in html
    _ = translations(lang).gettext
    for text in (html, markdown):
        text = text.replace("&#39;", "'")
        assert plan.header.returnee_id in text
        for line in plan.scores.lines:
            assert f"{line.value:.2f}" in text
        for approach in plan.recommended():
            assert approach.name in text
        for item in plan.schedule:
            assert str(item.dates.end) in text
        for note in plan.notes:
            label = re.escape(
                _("Project guidance, not IOM guidance. Drawn by the project from: %(source)s")
                if note.provenance == "derived" else _("IOM source, quoted: %(source)s")
            ).replace(re.escape("%(source)s"), ".+")
            assert re.search(rf"(note-{note.number}\">|\[\^{note.number}\]: ){label}", text), (
                note.number)
    assert "<svg" in html and _("threshold %(value)s") % {"value": "0.50"} in html
    assert "```" not in markdown and "<" not in markdown.replace("&lt;", "")


def test_safeguards_appear_in_the_documents_exactly_when_they_apply(
        plans: dict[str, Plan]) -> None:
    child = "A post-return monitoring plan for a minimum period of 24 months is recommended."
    emergency = "meets a case manager within three days of returning"
    expected = {"ethiopia_returnee": (True, False), "iraq_returnee": (False, False),
                "senegal_returnee": (False, True)}
    for example, (has_child, has_emergency) in expected.items():
        for fmt in ("html", "md"):
            text = render_plan(plans[example], fmt)  # type: ignore[arg-type]
            assert (child in text) == has_child, (example, fmt)
            assert (emergency in text) == has_emergency, (example, fmt)
    senegal = re.sub(r"<[^>]+>", "", render_plan(plans["senegal_returnee"], "html"))  # text
    assert "by 2026-11-20" in senegal and "2026-11-17 until at least 2026-12-17" in senegal
    ethiopia = render_plan(plans["ethiopia_returnee"], "md")
    assert "2026-09-15 until at least 2028-09-15" in ethiopia
    assert "2026-10-15 to 2026-11-15" in ethiopia  # first W-model low point


def test_referral_leaves_a_provider_line(plans: dict[str, Plan]) -> None:
    html = render_plan(plans["ethiopia_returnee"], "html")
    assert isinstance(html, str)
    article = html[html.index('id="approach-business_startup_revisited"'):]
    article = article[:article.index("</article>")]
    assert 'Provider: <span class="blank"></span>' in article
    markdown = render_plan(plans["iraq_returnee"], "md")
    assert "- Programme: ______" in markdown and "- Provider: ______" in markdown


def test_weight_set_warning_only_when_not_official(plans: dict[str, Plan]) -> None:
    plan = plans["iraq_returnee"]
    warning = "which is not the official IOM weight set"
    assert warning in render_plan(plan, "html")
    official = plan.model_copy(update={"scores": plan.scores.model_copy(update={
        "weight_set_official": True, "weight_set": "IOM global weights"})})
    for fmt in ("html", "md"):
        text = render_plan(official, fmt)  # type: ignore[arg-type]
        assert warning not in text and "Weight set: IOM global weights" in text


def test_set_aside_is_collapsed_on_screen(plans: dict[str, Plan]) -> None:
    html = render_plan(plans["iraq_returnee"], "html")
    assert isinstance(html, str)
    assert '<details class="set-aside">' in html and "Annex:" not in html
    assert "Approaches considered and set aside (21)" in html


def test_missing_consent_and_goals_are_said(assessor: Assessor, planner: Planner,
                                            make_case: Callable[..., Case]) -> None:
    plan = planner.plan(make_case(), assessor.assess(make_case()), dated=date(2026, 9, 2))
    for fmt in ("html", "md"):
        text = render_plan(plan, fmt)  # type: ignore[arg-type]
        assert "No consent is recorded in the case file" in text
        assert "No goals recorded yet" in text


def test_right_to_left_languages() -> None:
    assert text_direction("ar") == "rtl" and text_direction("ar-EG") == "rtl"
    assert text_direction("en") == "ltr" and text_direction("fr") == "ltr"


# -- PDF ------------------------------------------------------------------------------

needs_pdf_tools = pytest.mark.skipif(
    not os.environ.get("CI") and (importlib.util.find_spec("weasyprint") is None
                                  or not shutil.which("pdftoppm")
                                  or not shutil.which("pdftotext")),
    reason="PDF output needs WeasyPrint and poppler-utils (pdftoppm, pdftotext); "
    "scripts/setup.sh installs them, and in CI their absence fails")


def _pages(pdf: Path, folder: Path) -> list[tuple[int, int, bytes]]:
    """Each page as (width, height, grey pixels), via pdftoppm's PGM output."""
    subprocess.run(["pdftoppm", "-gray", "-r", "30", str(pdf), str(folder / "page")],
                   check=True, timeout=120)
    pages = []
    for path in sorted(folder.glob("page-*.pgm")):
        data = path.read_bytes()
        magic, width, height, maxval, pixels = data.split(maxsplit=4)
        assert magic == b"P5" and maxval == b"255"
        pages.append((int(width), int(height), pixels[: int(width) * int(height)]))
    return pages


@needs_pdf_tools
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_pdf_pages_are_not_blank(plans: dict[str, Plan], example: str, lang: str,
                                 tmp_path: Path) -> None:
    plan = plans[example]
    pdf = render_plan(plan, "pdf", lang)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    pages = _pages(path, tmp_path)
    assert len(pages) >= 3
    for number, (width, height, pixels) in enumerate(pages, start=1):
        assert height / width == pytest.approx(297 / 210, rel=0.01)  # A4, portrait
        assert any(value < 160 for value in pixels), f"page {number} is blank"
        # Beyond the running header and the page number, each page carries body text.
        page_text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number),
                                    str(path), "-"], check=True, capture_output=True,
                                   text=True, timeout=60).stdout
        body = [line for line in page_text.splitlines()
                if line.strip() and plan.header.returnee_id not in line
                and not re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", line)]
        assert body, f"page {number} has only its header and footer"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    assert plan.header.returnee_id in text
    if lang != "ar":  # pdftotext gives shaped Arabic as presentation forms, not the words
        annex = translations(lang).gettext("Annex: approaches considered and set aside")
        assert " ".join(annex.split()) in " ".join(text.split())
    for line in plan.scores.lines:
        assert f"{line.value:.2f}" in text


def test_right_to_left_keeps_dates_and_english_goals_readable(plans: dict[str, Plan]) -> None:
    """Every date of an Arabic plan is isolated left to right; none of an English one is."""
    for fmt in ("html", "md"):
        arabic = render_plan(plans["ethiopia_returnee"], fmt, "ar")
        assert re.findall(r"\u2066\d{4}-\d\d-\d\d\u2069", arabic)
        assert not re.findall(r"(?<!\u2066)\d{4}-\d\d-\d\d", arabic)
        assert "\u2066" not in render_plan(plans["ethiopia_returnee"], fmt, "en")
    assert direction_of("Reopen a small shop.") == "ltr"
    assert direction_of("«فتح متجر صغير»") == "rtl"
    assert direction_of("") == "ltr"
