"""Plan documents: the returnee's plan and the case manager's worksheet for every example in
HTML and Markdown, English and a right-to-left layout; what the returnee typed cannot inject
HTML or Markdown into either. The PDFs (three pages at most for the plan, none blank) are
tested in test_documents.py, which makes each once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from engine.case.model import Case
from engine.case.reading import load_case
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook
from engine.planning.pipeline import Pipeline
from engine.planning.plan import Plan
from engine.planning.planner import Planner
from engine.presentation.reader_locale import decimal, long_date
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


DOCUMENTS = ["plan", "worksheet"]


def render_plan(plan: Plan, fmt: str, lang: str = "en", document: str = "plan") -> str:
    """A document in ``lang``'s template words, its results worded from the same catalog."""
    rendered = render_in(plan, fmt, lang, Wording(load_rulebook(), translations(lang)),  # type: ignore[arg-type]
                         document)  # type: ignore[arg-type]
    assert isinstance(rendered, str)
    return rendered


@pytest.fixture(scope="module")
def plans(book: RuleBook, pipeline: Pipeline, planner: Planner) -> dict[str, Plan]:
    found = {}
    for path in EXAMPLES:
        case = load_case(path, book)
        found[path.stem] = planner.plan(pipeline.run(case))
    return found


def _hostile_plan(pipeline: Pipeline, planner: Planner, make_case: Callable[..., Case]) -> Plan:
    case = make_case(goals=HOSTILE["goals"], case_manager=HOSTILE["case_manager"], profile={
        "age": 30, "sex": "female", "country_of_return": "Senegal",
        "place_of_return": HOSTILE["place"], "date_of_return": "2026-09-01"},
        rss={"currently_working": "no", "distress_frequency": "very_often"})
    return planner.plan(pipeline.run(case), dated=date(2026, 9, 20))


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
    (", ", ", "),  # a separator keeps its space
    ("  two  words\n", " two words "),
    (" # not a heading", " \\# not a heading"),
])
def test_escape_markdown(text: str | None, expected: str) -> None:
    assert escape_markdown(text) == expected


def _markdown_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_markdown_is_not_injectable(pipeline: Pipeline, planner: Planner,
                                    make_case: Callable[..., Case], document: str) -> None:
    hostile = _hostile_plan(pipeline, planner, make_case)
    clean = hostile.model_copy(update={"header": hostile.header.model_copy(update={
        "goals": "Work", "place_of_return": "Town", "case_manager": "CM"})})
    markdown = render_plan(hostile, "md", document=document)
    html = _markdown_html(markdown)
    clean_html = _markdown_html(render_plan(clean, "md", document=document))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html).__str__()
    assert "<a " not in html
    for tag in ("<h1>", "<h2>", "<h3>", "<h4>", "<li>", "<blockquote>", "<pre>", "<tr>", "<td>",
                "<strong>", "<code>", "<em>"):
        assert html.count(tag) == clean_html.count(tag), tag
    if document == "plan":  # the goals are the returnee's plan's, not the worksheet's
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, not run


@pytest.mark.parametrize("document", DOCUMENTS)
def test_html_is_not_injectable(pipeline: Pipeline, planner: Planner,
                                make_case: Callable[..., Case], document: str) -> None:
    html = render_plan(_hostile_plan(pipeline, planner, make_case), "html", document=document)
    assert "<script>" not in html and "<img src=x" not in html and "<b>CM</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;|Town" in html
    assert "&#34;&gt;&lt;b&gt;CM&lt;/b&gt;" in html
    if document == "plan":  # the goals
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- every example, every format and layout -----------------------------------------------

def _note_pattern(lang: str, number: int, derived: bool) -> str:
    _ = translations(lang).gettext
    label = re.escape(
        _("Project guidance, not IOM guidance. Drawn by the project from: %(source)s")
        if derived else _("IOM source, quoted: %(source)s")).replace(re.escape("%(source)s"), ".+")
    return rf"(note-{number}\">|\[\^{number}\]: ){label}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_html_and_markdown_content(plans: dict[str, Plan], example: str, lang: str) -> None:
    """The plan: scores, what was taken up, the dates; the worksheet: scores, every
    recommended approach, the dates and every source note."""
    plan = plans[example]
    _ = translations(lang).gettext
    taken = [a.name for a in plan.agreement if a.standing != "declined"]
    assert taken
    for document in DOCUMENTS:
        html = render_plan(plan, "html", lang, document)
        markdown = render_plan(plan, "md", lang, document)
        assert f'<html lang="{lang}" dir="{text_direction(lang)}">' in html
        for text in (html, markdown):
            text = text.replace("&#39;", "'").replace("\\", "")
            assert plan.header.returnee_id in text
            for line in plan.scores.lines:  # with the reader's decimal sign
                assert decimal(line.value, lang) in text
            for item in plan.schedule:  # dates written out in the reader's language
                assert long_date(item.dates.end, lang) in text
            names = taken if document == "plan" else [a.name for a in plan.recommended()]
            for name in names:
                assert name in text, (document, name)
            for note in plan.notes:
                found = re.search(_note_pattern(lang, note.number,
                                                note.provenance == "derived"), text)
                assert bool(found) == (document == "worksheet"), (document, note.number)
        assert "```" not in markdown and "<" not in markdown.replace("&lt;", "")
        chart = _("threshold %(value)s") % {"value": decimal(0.5, lang)}
        assert ("<svg" in html and chart in html) == (document == "worksheet")


def _child_plan(pipeline: Pipeline, planner: Planner, make_case: Callable[..., Case]) -> Plan:
    case = make_case(profile={
        "age": 34, "sex": "female", "country_of_return": "Senegal", "place_of_return": "Dakar",
        "date_of_return": "2026-09-01", "household": {
            "size": 2, "returned_with": [{"relationship": "child", "age": 9}]}})
    return planner.plan(pipeline.run(case), dated=date(2026, 9, 10))


def test_safeguards_appear_in_the_documents_exactly_when_they_apply(
        plans: dict[str, Plan], pipeline: Pipeline, planner: Planner,
        make_case: Callable[..., Case]) -> None:
    child = "A post-return monitoring plan for a minimum period of 24 months is recommended."
    emergency = "introduced to a case manager or project officer within three days of returning"
    documents = {**plans, "child": _child_plan(pipeline, planner, make_case)}
    expected = {"ethiopia_returnee": (False, False), "iraq_returnee": (False, False),
                "senegal_returnee": (False, True), "child": (True, False)}
    for example, (has_child, has_emergency) in expected.items():
        for document in DOCUMENTS:
            for fmt in ("html", "md"):
                text = render_plan(documents[example], fmt, document=document)
                assert (child in text) == has_child, (example, document, fmt)
                assert (emergency in text) == has_emergency, (example, document, fmt)
    senegal = re.sub(r"<[^>]+>", "", render_plan(plans["senegal_returnee"], "html"))  # text
    assert "by November 20, 2026" in senegal
    assert "November 20, 2026 to December 19, 2026" in senegal
    child_plan = render_plan(documents["child"], "md")
    assert "September 1, 2026 to September 1, 2028" in child_plan
    assert "1 child returned with the returnee" in child_plan
    ethiopia = render_plan(plans["ethiopia_returnee"], "md")
    assert "October 15, 2026 to November 15, 2026" in ethiopia  # first W-model low point


def test_worksheet_names_the_provider_or_leaves_a_line(plans: dict[str, Plan],
                                                        pipeline: Pipeline, planner: Planner,
                                                        make_case: Callable[..., Case]) -> None:
    html = render_plan(plans["ethiopia_returnee"], "html", document="worksheet")
    article = html[html.index('id="approach-business_startup_revisited"'):]
    article = article[:article.index("</article>")]
    assert re.search(r"Provider: <bdi class=\"returnee\">\u2068Addis small-business support "
                     r"centre \(illustrative\)\u2069</bdi>", article)
    markdown = render_plan(plans["iraq_returnee"], "md", document="worksheet")
    assert "- Programme: \u2068Vocational training programme, Erbil (illustrative)" in markdown
    # with nothing agreed yet, a referral leaves a line to write the provider on
    case = make_case(case_manager="CM-01", rss={"wants_psychological_support": "yes"},
                     grid_answers={"pssref_wants_support": "yes",
                                   "pssref_experienced_trouble": "yes",
                                   "pssref_services_nearby": "yes",
                                   "pssref_counselling_acceptable": "yes",
                                   "pss_fz_vetted_provider": "yes",
                                   "pss_fz_provider_reachable": "yes"})
    plan = planner.plan(pipeline.run(case), dated=date(2026, 9, 10))
    assert [a.id for a in plan.recommended()] == ["pss_provider_referral"]
    worksheet = render_plan(plan, "html", document="worksheet")
    assert 'Provider: <span class="blank"></span>' in worksheet
    assert "In the plan:</strong> not agreed yet" in worksheet
    assert "- Provider: ______" in render_plan(plan, "md", document="worksheet")
    assert "Not agreed yet" in render_plan(plan, "html")


def test_weight_set_warning_only_when_not_official(plans: dict[str, Plan]) -> None:
    plan = plans["iraq_returnee"]
    warning = "which is not the official IOM weight set"
    short = "Indicative scores: not computed with the official IOM weights."
    assert warning in render_plan(plan, "html", document="worksheet")
    assert short in render_plan(plan, "html") and warning not in render_plan(plan, "html")
    official = plan.model_copy(update={"scores": plan.scores.model_copy(update={
        "weight_set_official": True, "weight_set": "IOM global weights"})})
    for fmt in ("html", "md"):
        worksheet = render_plan(official, fmt, document="worksheet")
        assert warning not in worksheet and "Weight set: IOM global weights" in worksheet
        assert short not in render_plan(official, fmt)


def test_set_aside_is_collapsed_on_screen(plans: dict[str, Plan]) -> None:
    html = render_plan(plans["iraq_returnee"], "html", document="worksheet")
    assert '<details class="set-aside">' in html
    aside = len(plans["iraq_returnee"].set_aside)
    assert aside > 0 and f"Approaches considered and set aside ({aside})" in html
    assert "<details" not in render_plan(plans["iraq_returnee"], "html")  # not in the plan


def test_missing_consent_and_goals_are_said(pipeline: Pipeline, planner: Planner,
                                            make_case: Callable[..., Case]) -> None:
    plan = planner.plan(pipeline.run(make_case()), dated=date(2026, 9, 2))
    for fmt in ("html", "md"):
        text = render_plan(plan, fmt)  # type: ignore[arg-type]
        assert "No consent is recorded in the case file" in text
        assert "No goals recorded yet" in text
        worksheet = render_plan(plan, fmt, document="worksheet")
        assert "No consent is recorded: record it under consent." in worksheet
        assert "No case manager is named: write case" in worksheet


def test_right_to_left_languages() -> None:
    assert text_direction("ar") == "rtl" and text_direction("ar-EG") == "rtl"
    assert text_direction("en") == "ltr" and text_direction("fr") == "ltr"


def test_right_to_left_keeps_dates_amounts_and_english_goals_readable(
        plans: dict[str, Plan]) -> None:
    """Every date of an Arabic document is written out in Arabic and isolated (first strong
    isolate: it reads right to left with its month name), every amount isolated left to
    right; nothing of an English one is."""
    for document in DOCUMENTS:
        for fmt in ("html", "md"):
            arabic = render_plan(plans["ethiopia_returnee"], fmt, "ar", document)
            assert re.findall(r"\u2068\d{1,2} \w+ \d{4}\u2069", arabic)
            assert not re.findall(r"\d{4}-\d\d-\d\d", arabic.split("rules version")[0])
            assert "\u20661,500\u00a0ETB\u2069" in arabic.replace("1,500 ETB", "1,500\u00a0ETB")
            assert "\u2066" not in render_plan(plans["ethiopia_returnee"], fmt, "en", document)
    assert direction_of("Reopen a small shop.") == "ltr"
    assert direction_of("«فتح متجر صغير»") == "rtl"
    assert direction_of("") == "ltr"
