"""A case manager's whole flow in real headless Chromium, in English and in Arabic: sign in,
open a case, fill the RSS, answer the grid questions in the offered order and see a
recommendation change with its reason, record a decision and agreed actions, be refused
finalising while something is missing, finalise after the supervisor approves, download
the PDF, record a 6-month round and see the progress chart. Then a case manager of another
office is refused the case. axe-core checks each main page."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from e2e.conftest import axe_violations, signed_in

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).parents[3] / "examples" / "cases" / "ethiopia_returnee.yaml"
TODAY = date.today()
IMPROVED = {"economic_satisfaction": "satisfied", "food_insecurity_frequency": "rarely",
            "currently_working": "yes", "support_network_strength": "strong_network"}


def example() -> dict:
    return YAML(typ="safe").load(EXAMPLE.read_text())


def check_axe(page, name: str, found: dict[str, list[dict]]) -> None:
    violations = axe_violations(page)
    if violations:
        found[name] = violations


def shoot(page, shots: Path, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=full_page)


def open_case(page, returnee_id: str, language: str) -> None:
    page.click("nav a[href='/cases/new/']")
    page.fill("#id_returnee_id", returnee_id)
    page.select_option("#id_language", language)
    page.fill("#id_age", "44")
    page.select_option("#id_sex", "male")
    page.fill("#id_country_of_return", "Ethiopia")
    page.fill("#id_place_of_return", "Addis Ababa, Kolfe Keranio sub-city")
    page.fill("#id_date_of_return", (TODAY - timedelta(days=21)).isoformat())
    page.fill("#id_household_size", "6")
    page.fill("#id_school_aged_children", "3")
    page.check("input[name=vulnerabilities][value=medical_needs]")
    page.check("#id_data_processing")
    page.check("#id_share_with_service_providers")
    page.fill("#id_goals", "Reopen a small shop and keep my three children in school.")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/rss/")


def fill_rss(page, answers: dict[str, str]) -> None:
    for element, choice in answers.items():
        page.check(f"input[name='{element}'][value='{choice}']")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/grid/")


STATUSES = """() => Object.fromEntries([...document.querySelectorAll(
    '#recommendations tr[data-approach]')].map(r => [r.dataset.approach,
    [r.dataset.status, r.querySelector('.status').innerText]]))"""
SETTLING = """() => { window.settled = new Promise(done => document.body.addEventListener(
    'htmx:afterSettle', done, {once: true})); }"""
OPEN = """() => [...document.querySelectorAll('fieldset[data-question]')]
    .filter(f => f.querySelector("input[value='']:checked")).map(f => f.dataset.question)"""


def answer_grid(page, answers: dict[str, str]) -> tuple[list[str], list[tuple]]:
    """Answer the first open question offered, again and again, each answer saved by htmx;
    returns the questions in the order answered and every status change seen."""
    asked: list[str] = []
    changes: list[tuple] = []
    for _turn in range(80):
        open_questions = [q for q in page.evaluate(OPEN) if q not in asked]
        if not open_questions:
            break
        question = open_questions[0]
        before = page.evaluate(STATUSES)
        page.evaluate(SETTLING)
        page.check(f"input[name='q-{question}'][value='{answers.get(question, 'no')}']")
        page.evaluate("() => window.settled")  # htmx saved the answer and swapped the page
        asked.append(question)
        after = page.evaluate(STATUSES)
        changes += [(a, before[a], after[a]) for a in after
                    if a in before and before[a][0] != after[a][0]]
    return asked, changes


def add_action(page, action: dict, starts: date, due: date) -> None:
    form = page.locator("#action-form")
    form.locator("#id_approach").select_option(action["approach"])
    form.locator("#id_what").fill(action["what"])
    form.locator("#id_modality").select_option(action["modality"])
    if action.get("provider"):
        form.locator("#id_provider").select_option(action["provider"])
    form.locator("#id_starts").fill(starts.isoformat())
    form.locator("#id_due").fill(due.isoformat())
    form.locator("#id_cost").fill(str(action["cost"]["amount"]))
    form.locator("#id_currency").fill(action["cost"]["currency"])
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert not page.query_selector(".messages .error"), page.inner_text(".messages")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_case_manager_flow(browser, workspace, shots, language, tmp_path):
    case = example()
    found: dict[str, list[dict]] = {}
    page = signed_in(browser, workspace, "cm_a", language)
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    if language == "ar":
        assert html.get_attribute("dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        header = page.locator("header.top").bounding_box()
        brand = page.locator("header.top .brand").bounding_box()
        assert brand["x"] + brand["width"] > header["width"] / 2, "brand not on the right"
    check_axe(page, "my cases", found)
    shoot(page, shots, f"{language}-my-cases")

    returnee_id = f"ETH-E2E-{language.upper()}-01"
    open_case(page, returnee_id, language)
    check_axe(page, "rss", found)
    shoot(page, shots, f"{language}-rss")
    fill_rss(page, case["rss"])

    check_axe(page, "grid", found)
    shoot(page, shots, f"{language}-grid-start", full_page=False)
    offered = [q.get_attribute("data-question")
               for q in page.query_selector_all("fieldset[data-question]")]
    assert offered, "no grid question offered after the RSS"
    asked, changes = answer_grid(page, case["grid_answers"])
    assert asked[0] == offered[0], "the first question answered is not the first offered"
    assert changes, "no recommendation changed while answering"
    approach, (_old, old_reason), (_new, new_reason) = changes[-1]
    assert new_reason and new_reason != old_reason, changes[-1]  # its reason, worded anew
    shoot(page, shots, f"{language}-grid")
    page.click(f"#recommendations tr[data-approach='{approach}'] a")
    assert page.locator("h1").inner_text()
    check_axe(page, "explain", found)
    shoot(page, shots, f"{language}-explain")

    round_url = page.url.split("/explain/")[0]
    page.goto(f"{round_url}/decisions/")
    actions = case["agreed_actions"]
    for index, action in enumerate(actions[:-1]):
        add_action(page, action, TODAY + timedelta(days=7 + index),
                   TODAY + timedelta(days=30 + index))
    check_axe(page, "decisions", found)
    shoot(page, shots, f"{language}-decisions")

    page.goto(f"{round_url}/plan/")
    assert page.query_selector("#gaps"), "no gap listed while an approach has no action"
    page.click("form[action$='/plan/submit/'] button")
    page.wait_for_url("**/plans/*/")
    page.click("form[action$='/finalise/'] button")
    page.wait_for_load_state()
    assert page.query_selector(".messages .error"), "finalising was not refused"
    assert page.get_attribute("#version-status", "data-status") != "final"
    shoot(page, shots, f"{language}-refused")

    last = actions[-1]
    page.goto(f"{round_url}/decisions/")
    decision = page.locator("#decision-form")
    decision.locator("#id_approach").select_option(last["approach"])
    decision.locator("#id_decision").select_option("decline")
    decision.locator("#id_reason").fill("He prefers to build savings from the shop first.")
    decision.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert not page.query_selector(".messages .error"), page.inner_text(".messages")

    page.goto(f"{round_url}/plan/")
    check_axe(page, "plan", found)
    shoot(page, shots, f"{language}-plan")
    assert not page.query_selector("#gaps"), page.inner_text("#gaps")
    page.click("form[action$='/plan/submit/'] button")
    page.wait_for_url("**/plans/*/")
    version_url = page.url

    supervisor = signed_in(browser, workspace, "sup_a", language)
    supervisor.goto(version_url)
    supervisor.click("form[action$='/approve/'] button")
    supervisor.wait_for_load_state()
    assert supervisor.get_attribute("#version-status", "data-status") == "approved"
    supervisor.context.close()

    page.goto(version_url)
    page.click("form[action$='/finalise/'] button")
    page.wait_for_load_state()
    assert page.get_attribute("#version-status", "data-status") == "final", \
        page.inner_text("main")
    check_axe(page, "plan version", found)
    shoot(page, shots, f"{language}-final")
    with page.expect_download() as download:
        page.click(f"a[href*='plan.pdf?lang={language}']")
    pdf = tmp_path / "plan.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert returnee_id in text

    case_url = page.locator(".case-nav a").first.get_attribute("href")
    page.goto(f"{case_url}rounds/new/")
    page.select_option("#id_kind", "intermediate")
    page.fill("#id_assessed_on", (TODAY + timedelta(days=182)).isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_url("**/rss/")
    fill_rss(page, {**case["rss"], **IMPROVED})
    page.goto(f"{case_url}progress/")
    chart = page.locator("svg.chart")
    assert chart.is_visible()
    assert page.locator("svg.chart g").count() == 4
    assert page.locator("svg.chart g").first.locator("path[d^='M']").count() >= 3
    check_axe(page, "progress", found)
    shoot(page, shots, f"{language}-progress")
    page.context.close()

    other = signed_in(browser, workspace, "cm_b", language)
    refused = other.goto(case_url)
    assert refused.status == 403
    other.context.close()

    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(
        f"{page_name}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
        for page_name, violations in found.items() for v in violations)
