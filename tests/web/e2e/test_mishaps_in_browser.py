"""What the test client cannot see, in real headless Chromium: a keyboard user answering
the grid keeps their place, a live save that fails (no network, a session that ended) is
said to be unsaved, and a 360 px phone never scrolls the page sideways."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from e2e.conftest import axe_violations, signed_in
from e2e.test_case_flow import example, fill_rss

pytestmark = pytest.mark.browser
SETTLING = """() => { window.settled = new Promise(done => document.body.addEventListener(
    'htmx:afterSettle', done, {once: true})); }"""
FOCUSED = """() => { const e = document.activeElement;
    const q = e && e.closest('fieldset[data-question]');
    return [e ? e.tagName : null, q ? q.dataset.question : null]; }"""
QUESTIONS = """() => [...document.querySelectorAll('fieldset[data-question]')]
    .map(f => f.dataset.question)"""


def open_case(page, returnee_id: str) -> None:
    page.goto("/cases/new/")
    page.fill("#id_returnee_id", returnee_id)
    page.fill("#id_age", "31")
    page.fill("#id_country_of_return", "Ethiopia")
    page.fill("#id_place_of_return", "Adama")
    page.fill("#id_date_of_return", (date.today() - timedelta(days=10)).isoformat())
    page.check("#id_data_processing")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/rss/")
    fill_rss(page, example()["rss"])


def test_a_keyboard_answer_keeps_the_focus_in_the_questions(browser, workspace):
    page = signed_in(browser, workspace, "cm_a")
    open_case(page, "ETH-KEYS-01")
    for _turn in range(4):
        offered = page.evaluate(QUESTIONS)
        if not offered:
            break
        page.focus(f"input[name='q-{offered[0]}'][value='yes']")
        page.evaluate(SETTLING)
        page.keyboard.press("ArrowRight")  # "no": saved by htmx, the live part replaced
        page.evaluate("() => window.settled")
        tag, question = page.evaluate(FOCUSED)
        assert tag == "INPUT" and question in page.evaluate(QUESTIONS), (tag, question)
    page.context.close()


def test_a_live_save_that_fails_says_not_saved(browser, workspace):
    page = signed_in(browser, workspace, "cm_a")
    open_case(page, "ETH-OFFLINE-01")
    question = page.evaluate(QUESTIONS)[0]
    page.context.set_offline(True)
    page.check(f"input[name='q-{question}'][value='yes']")
    page.wait_for_selector("main [role=status] .notice.error")
    assert "Not saved" in page.inner_text("main [role=status]")
    page.context.set_offline(False)

    # the session ends (cookie gone, the CSRF cookie kept): the whole page goes to sign-in
    page.context.clear_cookies(name="sessionid")
    page.click(f"input[name='q-{question}'][value='no']")  # the page leaves: no check
    page.wait_for_url(lambda url: "/sign-in/?next=" in url)
    assert "your last change was not saved" in page.inner_text("main")
    assert page.locator("form #live").count() == 0
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_phone_never_scrolls_the_page_sideways(browser, workspace, language):
    page = signed_in(browser, workspace, "cm_a", language)
    open_case(page, f"ETH-PHONE-{language.upper()}")
    round_url = page.url.split("/grid/")[0]
    case_url = page.locator("nav.case-nav a").first.get_attribute("href")
    page.set_viewport_size({"width": 360, "height": 740})
    for url in ["/", "/cases/new/", case_url, f"{case_url}rounds/new/", f"{case_url}close/",
                f"{case_url}progress/", f"{round_url}/rss/", f"{round_url}/grid/",
                f"{round_url}/decisions/", f"{round_url}/plan/"]:
        page.goto(url)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, (url, width)
    page.goto("/cases/999999/")  # the workspace's own refusal page is checked too
    assert not axe_violations(page)
    page.context.close()
