"""Hostile returnee text renders safely in Markdown, HTML and PDF (issue 8, item 5).

What a review found: an unclosed U+202E in the place of return reversed the words the
template puts after it, control bytes reached the HTML, a 220-character URL ran off the
PDF page, a bare ``http://`` became a live link in GitHub-style Markdown, and a Rich
markup string as an argument crashed the CLI. The documents are made by the real command
(``reintegrate plan``) from a case file, as a user makes them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import cmarkgfm
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests_support import case_data
from typer.testing import CliRunner

from engine.cli.app import app
from engine.presentation.rendering import escape_markdown
from engine.presentation.text_safety import (
    UNBROKEN_RUN,
    ZERO_WIDTH_SPACE,
    balance_bidi,
    breakable,
    neutralise_links,
    returnee_html,
    returnee_text,
    strip_controls,
)

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "cases" / "ethiopia_returnee.yaml"

RLO, LRO, PDF_, RLI, LRI, FSI, PDI = "\u202e", "\u202d", "\u202c", "\u2067", "\u2066", "\u2068", \
    "\u2069"
OPENERS = {"\u202a", "\u202b", LRO, RLO}
ISOLATES = {LRI, RLI, FSI}
URL = "https://example.org/" + "a" * 200  # 220 characters, one word
HOSTILE = {
    "place_of_return": f"Addis Ababa{RLO}, Kolfe\x01\x07 sub-city",
    "goals": f"Reopen my shop{RLI}. See {URL} and www.evil.example or http://evil.example/x",
    "case_manager": f"CM\x1b[31m {LRO}Abebe",
}


def _hostile_case(folder: Path) -> Path:
    data = case_data(goals=HOSTILE["goals"], case_manager=HOSTILE["case_manager"], profile={
        "age": 30, "sex": "female", "country_of_return": "Ethiopia",
        "place_of_return": HOSTILE["place_of_return"], "date_of_return": "2026-09-01"},
        rss={"currently_working": "no"})
    path = folder / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=True))
    return path


def _controls(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"]


def _is_balanced(line: str) -> bool:
    """Every bidi opener closed by its own kind of closer, properly nested (UAX #9)."""
    openers_of = {PDF_: OPENERS, PDI: ISOLATES}
    stack: list[str] = []
    for character in line:
        if character in OPENERS or character in ISOLATES:
            stack.append(character)
        elif character in openers_of and (not stack or stack.pop() not in openers_of[character]):
            return False
    return not stack


# -- the filters ---------------------------------------------------------------------------

def test_control_characters_are_stripped_but_lines_and_tabs_stay() -> None:
    assert strip_controls("a\x00b\x01c\x07d\x1b[31me\x7ff\x9bg\th\ni") == "abcd[31mefg\th\ni"
    assert strip_controls("one\r\ntwo\rthree\u2028four\x85five") == "one\ntwo\nthree\nfour\nfive"


@pytest.mark.parametrize(("text", "expected"), [
    ("plain", "plain"),
    (f"Addis{RLO}, Kolfe", "Addis, Kolfe"),                      # unclosed override dropped
    (f"a{RLO}b{PDF_}c", f"a{RLO}b{PDF_}c"),                      # a closed one kept
    (f"a{PDF_}b{PDI}c", "abc"),                                  # closers of nothing dropped
    (f"{RLI}x{LRO}y{PDI}z", f"{RLI}xy{PDI}z"),                   # the PDI ends the LRO
    (f"{RLO}{LRI}x{PDF_}{PDI}", f"{LRI}x{PDI}"),                 # a PDF cannot leave an isolate
    (f"{LRI}{RLO}x{PDF_}{PDI}{FSI}", f"{LRI}{RLO}x{PDF_}{PDI}"),
])
def test_only_balanced_bidi_controls_stay(text: str, expected: str) -> None:
    assert balance_bidi(text) == expected


@given(st.text(alphabet=st.sampled_from(
    ["a", "\u05d0", " ", "\n", "\x01", "\x85", "\u2028", *OPENERS, *ISOLATES, PDF_, PDI]),
    max_size=40))
def test_returnee_text_is_always_balanced_isolated_and_clean(text: str) -> None:
    safe = returnee_text(text)
    assert not _controls(safe)
    for line in safe.split("\n"):
        assert _is_balanced(line), repr(line)
        assert not line.strip() or (line.startswith(FSI) and line.endswith(PDI))


def test_html_text_is_escaped_and_isolated_in_bdi() -> None:
    html = str(returnee_html(f"<b>x</b>{RLO}\x07"))
    assert html == f'<bdi class="returnee">{FSI}&lt;b&gt;x&lt;/b&gt;{PDI}</bdi>'


def _gfm(markdown: str) -> str:
    """HTML as GitHub renders Markdown (its own cmark fork, autolinks included)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


@pytest.mark.parametrize("text", [
    "see http://evil.example/x", "HTTPS://evil.example", "ftp://evil.example/f",
    "www.evil.example", "(www.evil.example)", "*www.evil.example*",
])
def test_bare_links_are_no_links_in_github_markdown(text: str) -> None:
    assert "<a " in _gfm(text)  # the renderer does link it as it stands
    html = _gfm(escape_markdown(text))
    assert "<a " not in html
    assert re.sub("<[^>]+>", "", html).strip() == text  # and reads the same


def test_neutralising_only_adds_backslashes() -> None:
    assert neutralise_links("http://x www.y") == "http\\://x www\\.y"


# -- the documents, made by the command ------------------------------------------------------

def test_markdown_plan_keeps_hostile_text_inert(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(_hostile_case(tmp_path))])
    assert result.exit_code == 0, result.output
    markdown = result.stdout
    assert not _controls(markdown)
    assert all(_is_balanced(line) for line in markdown.splitlines())
    assert f"{FSI}Addis Ababa, Kolfe sub-city{PDI}, {FSI}Ethiopia{PDI}" in markdown
    html = _gfm(markdown)
    assert "evil.example" in html and "<a " not in html


def test_html_plan_keeps_hostile_text_inert(tmp_path: Path) -> None:
    target = tmp_path / "plan.html"
    result = runner.invoke(app, ["plan", str(_hostile_case(tmp_path)), "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text()
    assert not _controls(html)
    assert all(_is_balanced(line) for line in html.splitlines())
    assert (f'<bdi class="returnee">{FSI}Addis Ababa, Kolfe sub-city{PDI}</bdi>, '
            f'<bdi class="returnee">{FSI}Ethiopia{PDI}</bdi>') in html
    assert ".returnee { overflow-wrap: break-word; }" in html


needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils, scripts/setup.sh)")


def _words(pdf: Path) -> tuple[float, list[tuple[float, float, str]]]:
    """The page width and every word on page 1 as (xMin, xMax, text), by pdftotext -bbox."""
    page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                          check=True, capture_output=True, text=True, timeout=60).stdout
    width = float(re.search(r'<page width="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
    words = [(float(a), float(b), w) for a, b, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        page)]
    return width, words


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pdf_keeps_hostile_text_on_the_page_and_in_order(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "plan.pdf"
    result = runner.invoke(app, ["plan", str(_hostile_case(tmp_path)), "-o", str(target),
                                 "--lang", lang])
    assert result.exit_code == 0, result.output
    width, words = _words(target)
    assert any("aaaaaaaaaa" in word for _, _, word in words)  # the URL is on page 1
    off_page = [word for x_min, x_max, word in words if x_min < 0 or x_max > width]
    assert not off_page, off_page
    text = " ".join(word for _, _, word in words)
    assert "Ethiopia" in text and "aipoihtE" not in text  # not reversed by the U+202E
    assert "Kolfe" in text and "efloK" not in text
    if lang == "ar":  # isolated, the place and the country are laid out right to left
        place = next(x for x, _, word in words if word == "Addis")
        country = next(x for x, _, word in words if word.startswith("Ethiopia"))
        assert country < place


# -- long unbroken runs (issue 13, item 3) ----------------------------------------------------

@given(st.text(alphabet=st.sampled_from(["a", " ", "\u0301", "\u200d", "\ufe0f", "\U0001f469",
                                         "\u0628", "\n", "\u00a0"]), max_size=400))
def test_breaks_only_add_zero_width_spaces_and_bound_every_run(text: str) -> None:
    broken = breakable(text)
    assert broken.replace(ZERO_WIDTH_SPACE, "") == text
    joined = set("\u200d\ufe0f")
    for run in re.split(rf"[ \n{ZERO_WIDTH_SPACE}]", broken):
        # past the bound, a run goes on only where a break would split a character
        assert all(unicodedata.combining(run[i]) or run[i] in joined or run[i - 1] in joined
                   for i in range(UNBROKEN_RUN, len(run))), run
    for position, character in enumerate(broken):
        if character == ZERO_WIDTH_SPACE:
            assert not unicodedata.combining(broken[position + 1])
            assert "\u200d" not in (broken[position - 1], broken[position + 1])


def test_words_of_every_language_are_left_as_they_are() -> None:
    text = "Rouvrir une petite boutique de produits ménagers; إعادة فتح متجر صغير"
    assert breakable(text) == text
    assert breakable("x" * UNBROKEN_RUN) == "x" * UNBROKEN_RUN
    assert breakable("x" * (UNBROKEN_RUN + 1)) == "x" * UNBROKEN_RUN + ZERO_WIDTH_SPACE + "x"


def test_a_99000_character_word_in_goals_reaches_the_pdf_whole(tmp_path: Path) -> None:
    """The word is laid out on about 23 pages (the time: benchmarks/long_text.py, at most 5
    times the example's plan); the case file keeps it whole, the HTML breaks it every 40
    characters and nowhere else."""
    word = "x" * 99_000
    case = tmp_path / "case.json"
    case.write_text(json.dumps(case_data(goals=word)))
    before = case.read_bytes()
    html = tmp_path / "plan.html"
    assert runner.invoke(app, ["plan", str(case), "-o", str(html)]).exit_code == 0
    shown = re.search(r'<blockquote class="goals"[^>]*><bdi class="returnee">(.*?)</bdi>',
                      html.read_text(), re.S)
    assert shown is not None
    assert shown[1].strip(FSI + PDI).split(ZERO_WIDTH_SPACE) == ["x" * 40] * 2475
    pdf = tmp_path / "plan.pdf"
    result = runner.invoke(app, ["plan", str(case), "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    assert case.read_bytes() == before
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                              text=True, timeout=120).stdout
        assert text.count("x" * 80) >= 99_000 // 80 - 1


# -- arguments printed by the CLI ------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["plan", str(EXAMPLE), "-f", "[/]"],
    ["plan", str(EXAMPLE), "-o", "[/].txt"],
    ["explain", str(EXAMPLE), "[/]"],
    ["score", str(EXAMPLE), "--weights", "[/]"],
])
def test_rich_markup_in_an_argument_is_printed_as_text(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "[/]" in result.output


def test_rich_markup_in_a_file_name_is_printed_as_text(tmp_path: Path) -> None:
    (tmp_path / "[").mkdir()
    case = tmp_path / "[/]case[bold].yaml"  # a file in a folder named "["
    shutil.copyfile(EXAMPLE, case)
    result = runner.invoke(app, ["validate", str(case)])
    assert result.exit_code == 0, result.output
    assert "[/]case[bold].yaml" in result.output
    result = runner.invoke(app, ["plan", str(case), "-o", str(tmp_path / "[/]plan.md")])
    assert result.exit_code == 0, result.output
    assert "[/]plan.md" in result.output


def test_a_mistyped_weight_set_is_a_bad_argument(tmp_path: Path) -> None:
    for command in (["score", str(EXAMPLE)], ["plan", str(EXAMPLE)]):
        result = runner.invoke(app, [*command, "--weights", "defualt"])
        assert result.exit_code == 2, result.output
        assert "The rules do not validate" not in result.output
        assert "no weight set named 'defualt'" in result.output
        assert "default, seed_example" in result.output
