"""The pages' security, through Django's test client: every page of the URLconf refuses
the signed-out and other offices' case managers (listed from the URLconf, so a new page
cannot escape), a form posted without its CSRF token is refused, text typed into any
free-text field is shown as text (pages and PDF), and the export defuses formulas."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from engine.web.pages import urls as page_urls
from engine.web.workspace import plans, rounds
from engine.web.workspace.models import FollowUpTask, MonitoringRound, PlanVersion

INJECTED = '<script>alert("x")</script><b>bold</b><img src=x onerror=alert(1)>'
GLOBAL = {"cases", "new_case", "export", "set_language"}
"""Pages about no one case: each user sees only their own there (tested below)."""


def page_names() -> list[str]:
    return [p.name for p in page_urls.urlpatterns if isinstance(p, URLPattern)]


@pytest.fixture
def finished(staff, ethiopia):
    """The Ethiopian example case with a final plan and its follow-up tasks."""
    round_ = MonitoringRound.objects.filter(returnee=ethiopia).first()
    version = plans.submit(staff.manager, round_.pk, "en")
    plans.approve(staff.supervisor, version.pk)
    plans.finalise(staff.manager, version.pk)
    return ethiopia


def page_urls_of(returnee) -> dict[str, str]:
    """Every page's URL, with the ids of ``returnee``'s own objects."""
    round_ = MonitoringRound.objects.filter(returnee=returnee).first()
    version = PlanVersion.objects.filter(round__returnee=returnee).first()
    task = FollowUpTask.objects.filter(returnee=returnee).first()
    by_kind = {"case": returnee.pk, "round": round_.pk, "plan": version.pk, "task": task.pk}
    found = {}
    for pattern in page_urls.urlpatterns:
        route = str(pattern.pattern)
        kind = ("round" if route.startswith("rounds/") else "plan" if route.startswith("plans/")
                else "task" if route.startswith("tasks/") else "case")
        kwargs = {}
        if "<int:pk>" in route:
            kwargs["pk"] = by_kind[kind]
        if "<slug:approach>" in route:
            kwargs["approach"] = "business_startup_revisited"
        if "<str:fmt>" in route:
            kwargs["fmt"] = "pdf"
        found[pattern.name] = reverse(f"pages:{pattern.name}", kwargs=kwargs)
    return found


def test_every_page_is_listed_with_an_id_kind(finished):
    assert set(page_urls_of(finished)) == set(page_names())
    assert "pages" in get_resolver().namespace_dict


@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_out_is_sent_to_sign_in_from_every_page(finished, method):
    client = Client()
    for name, url in page_urls_of(finished).items():
        if name == "set_language":
            continue  # Django's own view: changes a cookie, reads nothing
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405), (name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/sign-in/"), (name, response["Location"])


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_office_is_refused_every_case_page(finished, staff, client, method):
    client.force_login(staff.other_manager)
    for name, url in page_urls_of(finished).items():
        if name in GLOBAL:
            continue
        response = getattr(client, method)(url)
        assert response.status_code in (403, 405), (name, url, response.status_code)
    listing = client.get(reverse("pages:cases")).content.decode()
    assert finished.returnee_id not in listing
    export = client.get(reverse("pages:export")).content.decode()
    assert finished.returnee_id not in export


def test_a_trainer_is_refused_a_real_case(finished, staff, client):
    client.force_login(staff.trainer)
    assert client.get(reverse("pages:case", args=[finished.pk])).status_code == 403


def test_post_without_csrf_token_is_refused_on_every_form(finished, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.manager)
    posted = 0
    for name, url in page_urls_of(finished).items():
        response = client.post(url, {"version": 1})
        if response.status_code == 405:
            continue  # a page that takes no POST
        posted += 1
        assert response.status_code == 403, (name, response.status_code)
        assert b"was not saved" in response.content, name  # the form-expired page
    assert posted >= 12


def test_typed_markup_is_shown_as_text_in_pages_and_pdf(staff, client, tmp_path):
    from engine.web.workspace import returnees
    client.force_login(staff.manager)
    response = client.post(reverse("pages:new_case"), {
        "returnee_id": "ETH-XSS-01", "language": "en", "age": 30, "sex": "female",
        "country_of_return": "Ethiopia", "place_of_return": INJECTED,
        "date_of_return": (date.today() - timedelta(days=10)).isoformat(),
        "household_size": 2, "school_aged_children": 0, "data_processing": "on",
        "share_with_service_providers": "on", "consent_on": date.today().isoformat(),
        "goals": INJECTED})
    assert response.status_code == 302, response.content.decode()[:2000]
    returnee = returnees.my_cases(staff.manager)[0].returnee
    round_ = MonitoringRound.objects.filter(returnee=returnee).first()
    rounds.save_rss(staff.manager, round_.pk, {"economic_satisfaction": "dissatisfied"},
                    round_.version)
    round_.refresh_from_db()
    response = client.post(reverse("pages:decisions", args=[round_.pk]), {
        "form": "decision", "version": round_.version, "approach": "health_referral",
        "decision": "accept", "reason": INJECTED})
    assert response.status_code == 302, response.content.decode()[:3000]
    round_.refresh_from_db()
    response = client.post(reverse("pages:decisions", args=[round_.pk]), {
        "form": "action", "version": round_.version, "approach": "health_referral",
        "what": INJECTED, "modality": "direct", "currency": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    pages = [reverse("pages:case", args=[returnee.pk]),
             reverse("pages:decisions", args=[round_.pk]),
             reverse("pages:plan", args=[round_.pk])]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>bold</b>" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html or "&amp;lt;script&amp;gt;" in html, url
    pdf = client.get(reverse("pages:plan_download", args=[round_.pk, "pdf"]))
    assert pdf.status_code == 200
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "<b>bold</b>" in text.replace("\n", "") or "<script>" in text, text[:1500]
    closing = client.post(reverse("pages:close", args=[returnee.pk]), {
        "version": returnee.version, "reason": "other", "note": INJECTED,
        "closed_on": date.today().isoformat()})
    assert closing.status_code == 302, closing.content.decode()[:2000]
    html = client.get(reverse("pages:case", args=[returnee.pk])).content.decode()
    assert "<script>alert" not in html


def test_export_defuses_a_cell_that_starts_a_formula(ethiopia, staff, client):
    office = ethiopia.office
    office.code = "=HYPERLINK(1)"
    office.save()
    client.force_login(staff.manager)
    response = client.get(reverse("pages:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    offices = {row[1] for row in rows[1:]}
    assert offices == {"'=HYPERLINK(1)"}, offices
    assert not any(cell.startswith(("=", "+", "@")) for row in rows[1:] for cell in row)


def test_answers_the_engine_refuses_are_shown_not_a_server_error(ethiopia, staff, client):
    """An action under an approach nobody took up: the plan and grid pages say what to
    correct (the engine's sentence) instead of failing; progress still scores."""
    round_ = MonitoringRound.objects.filter(returnee=ethiopia).first()
    # saving such an action is refused (the store's tests); a case file imported with one,
    # or answers changed after it was agreed, leave the round in this state
    round_.answers = {**round_.answers, "agreed_actions": [
        *round_.answers.get("agreed_actions", []),
        {"approach": "job_placement", "what": "Visit the job centre", "modality": "direct"}]}
    round_.save()
    client.force_login(staff.manager)
    for url in (reverse("pages:plan", args=[round_.pk]), reverse("pages:grid", args=[round_.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "job_placement" in response.content.decode(), url
    assert client.get(reverse("pages:progress", args=[ethiopia.pk])).status_code == 200
