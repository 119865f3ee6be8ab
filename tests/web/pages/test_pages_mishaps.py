"""The usual mistakes of a working day, through Django's test client: two tabs saving the
same grid, a session that ended, a form opened before the last sign-in, a page of another
office, a role that does not open cases. Each is told to the user, in the page they see,
and nothing is saved behind their back or dropped in silence."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from engine.web.workspace.models import MonitoringRound, Returnee

HTMX = {"HTTP_HX_REQUEST": "true"}


def first_round(returnee) -> MonitoringRound:
    return MonitoringRound.objects.filter(returnee=returnee).first()


def test_a_refused_live_grid_save_is_shown_in_the_part_it_returns(manager_client, ethiopia):
    round_ = first_round(ethiopia)
    url = reverse("pages:grid", args=[round_.pk])
    read = round_.version
    before = round_.answers["grid_answers"].get("pssref_wants_support")
    assert manager_client.post(url, {"version": read, "q-job_wants_employment": "yes"},
                               **HTMX).status_code == 200
    other = "no" if before == "yes" else "yes"
    other_tab = manager_client.post(url, {"version": read, "q-pssref_wants_support": other},
                                    **HTMX)
    live = other_tab.content.decode()
    assert live.lstrip().startswith('<div id="live"')
    assert 'role="alert"' in live and "changed by someone else" in live
    round_.refresh_from_db()
    assert round_.answers["grid_answers"].get("pssref_wants_support") == before
    # shown once, where it happened: not again on the next page
    assert "changed by someone else" not in manager_client.get(url).content.decode()


def test_a_live_save_after_the_session_ended_moves_the_whole_page_to_sign_in(ethiopia):
    round_ = first_round(ethiopia)
    url = reverse("pages:grid", args=[round_.pk])
    client = Client()
    response = client.post(url, {"version": round_.version, "q-job_wants_employment": "yes"},
                           **HTMX)
    assert response.status_code == 204  # nothing for htmx to swap into the grid
    assert response["HX-Redirect"] == f"/sign-in/?next={url}"
    sign_in = client.get(response["HX-Redirect"]).content.decode()
    assert "your last change was not saved" in sign_in


def test_a_save_after_the_session_ended_says_it_was_not_saved(ethiopia):
    round_ = first_round(ethiopia)
    url = reverse("pages:rss", args=[round_.pk])
    client = Client()
    client.cookies["django_language"] = "fr"
    response = client.post(url, {"version": round_.version, "economic_satisfaction": "refused"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    sign_in = client.get(response["Location"]).content.decode()
    assert "votre dernière modification n&#x27;a pas été enregistrée" in sign_in
    # opening a page while signed out is no mistake: no such message
    fresh = Client()
    assert "not saved" not in fresh.get(fresh.get(url)["Location"]).content.decode()


def test_a_form_opened_before_the_last_sign_in_is_explained(manager_client, ethiopia, staff):
    round_ = first_round(ethiopia)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.manager)
    url = reverse("pages:rss", args=[round_.pk])
    response = client.post(url, {"version": round_.version, "csrfmiddlewaretoken": "stale"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "was not saved" in html and "CSRF verification failed" not in html
    assert 'href="/"' in html  # the workspace's own page, with its navigation
    live = client.post(reverse("pages:grid", args=[round_.pk]), {"version": round_.version},
                       **HTMX)
    assert live.status_code == 403 and live["HX-Refresh"] == "true"


def test_another_office_s_case_is_refused_on_a_page_that_says_what_to_do(ethiopia, staff,
                                                                         client):
    client.force_login(staff.other_manager)
    client.cookies["django_language"] = "es"
    response = client.get(reverse("pages:case", args=[ethiopia.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Mis casos" in html and "supervisor" in html
    missing = client.get("/cases/999999/nothing/")
    assert missing.status_code == 404 and "Mis casos" in missing.content.decode()


def test_a_role_that_opens_no_case_is_not_offered_the_new_case_form(staff, client):
    for account in (staff.trainer, staff.admin):
        client.force_login(account)
        assert client.get(reverse("pages:new_case")).status_code == 403
        assert reverse("pages:new_case") not in client.get(reverse("pages:cases")).content.decode()
    client.force_login(staff.manager)
    assert reverse("pages:new_case") in client.get(reverse("pages:cases")).content.decode()


def test_a_trainer_reading_an_example_is_not_offered_changes(ethiopia, staff, client):
    Returnee.objects.filter(pk=ethiopia.pk).update(example=True)
    client.force_login(staff.trainer)
    case = client.get(reverse("pages:case", args=[ethiopia.pk])).content.decode()
    for page in ("pages:close", "pages:new_round"):
        assert reverse(page, args=[ethiopia.pk]) not in case, page
        assert client.get(reverse(page, args=[ethiopia.pk])).status_code == 403, page
    client.force_login(staff.manager)
    case = client.get(reverse("pages:case", args=[ethiopia.pk])).content.decode()
    assert reverse("pages:close", args=[ethiopia.pk]) in case


def test_case_language_text_keeps_its_own_direction(manager_client, ethiopia):
    """An English case in the Arabic interface reads left to right where its words are (a
    question mark at the end of the question), and an Arabic case in English right to
    left."""
    round_ = first_round(ethiopia)
    round_.answers["grid_answers"] = {}  # questions to ask again
    round_.save()
    url = reverse("pages:grid", args=[round_.pk])
    manager_client.cookies["django_language"] = "ar"
    html = manager_client.get(url).content.decode()
    assert '<ol class="grid-questions" lang="en" dir="ltr">' in html
    assert '<th scope="row" dir="ltr">' in html
    Returnee.objects.filter(pk=ethiopia.pk).update(language="ar")
    manager_client.cookies["django_language"] = "en"
    html = manager_client.get(url).content.decode()
    assert '<ol class="grid-questions" lang="ar" dir="rtl">' in html
    assert '<th scope="row" dir="rtl">' in html


def test_submitting_the_same_plan_again_keeps_the_approved_version(manager_client, ethiopia,
                                                                  staff):
    """The back button after "Submit", or a second click, sent the unchanged plan again: it
    made a new version and superseded the one the supervisor had approved."""
    from engine.web.workspace import plans
    from engine.web.workspace.models import PlanVersion
    round_ = first_round(ethiopia)
    url = reverse("pages:submit_plan", args=[round_.pk])
    first = manager_client.post(url, {"lang": "en"})
    version = PlanVersion.objects.get(round=round_)
    assert first["Location"] == reverse("pages:plan_version", args=[version.pk])
    plans.approve(staff.supervisor, version.pk)
    again = manager_client.post(url, {"lang": "en"}, follow=True)
    assert "already holds exactly this plan" in again.content.decode()
    assert list(PlanVersion.objects.filter(round=round_).values_list("number", "status")) == [
        (1, "approved")]
    # another language is another plan to approve
    manager_client.post(url, {"lang": "fr"})
    assert PlanVersion.objects.filter(round=round_).count() == 2


def test_a_double_click_on_mark_done_is_no_conflict(manager_client, ethiopia, staff):
    from engine.web.workspace import plans
    from engine.web.workspace.models import FollowUpTask
    version = plans.submit(staff.manager, first_round(ethiopia).pk, "en")
    plans.approve(staff.supervisor, version.pk)
    plans.finalise(staff.manager, version.pk)
    task = FollowUpTask.objects.filter(returnee=ethiopia, done_on__isnull=True).order_by(
        "due").first()  # the first not done when the plan was made final
    url = reverse("pages:task_done", args=[task.pk])
    assert manager_client.post(url, {"version": task.version}).status_code == 302
    again = manager_client.post(url, {"version": task.version}, follow=True)
    html = again.content.decode()
    assert again.redirect_chain[-1][0] == reverse("pages:follow_up", args=[ethiopia.pk])
    assert "changed by someone else" not in html and "marked done" in html
    task.refresh_from_db()
    assert task.done_by == staff.manager and task.version == 2
    # each button says which task it ticks off
    assert f'<span class="visually-hidden">: {FollowUpTask.objects.last().name}</span>' in html


NEW_CASE = {"returnee_id": "ETH-DATE-01", "language": "en", "age": "30", "sex": "female",
            "country_of_return": "Ethiopia", "place_of_return": "Adama",
            "school_aged_children": "0", "data_processing": "on", "consent_on": "2026-12-01"}


def test_a_date_typed_day_first_or_month_first_is_refused_not_guessed(manager_client, staff):
    for language in ("en", "fr"):
        manager_client.cookies["django_language"] = language
        response = manager_client.post(reverse("pages:new_case"),
                                       {**NEW_CASE, "date_of_return": "12/03/2025"})
        assert response.status_code == 200, language  # the form again, nothing opened
        assert "2025-03-12" in response.content.decode()
        assert 'aria-describedby="id_date_of_return_error"' in response.content.decode()
    assert not Returnee.objects.filter(returnee_id="ETH-DATE-01").exists()


def test_a_default_date_reaches_the_date_picker_in_every_language(manager_client, staff):
    """type=date takes only 2026-12-07: a French '07/12/2026' left the picker empty."""
    for language in ("en", "fr", "es", "ar"):
        manager_client.cookies["django_language"] = language
        html = manager_client.get(reverse("pages:new_case")).content.decode()
        field = html[html.index('name="consent_on"'):][:80]
        assert re.search(r'value="\d{4}-\d\d-\d\d"', field), (language, field)


def test_follow_up_tasks_are_named_in_the_reader_s_language(manager_client, ethiopia, staff):
    from engine.web.workspace import plans
    version = plans.submit(staff.manager, first_round(ethiopia).pk, "en")
    plans.approve(staff.supervisor, version.pk)
    plans.finalise(staff.manager, version.pk)
    manager_client.cookies["django_language"] = "fr"
    for page in ("pages:follow_up", "pages:case"):
        html = manager_client.get(reverse(page, args=[ethiopia.pk])).content.decode()
        assert "Rendez-vous de suivi 5 à 6 mois après le retour" in html, page
        assert "Check-in 5 to 6 months" not in html, page


def test_a_read_only_case_offers_no_save(ethiopia, staff, client):
    """A trainer reading an example (or anyone reading a closed case) was offered every
    save button, each ending on a refusal; the answers are shown, disabled."""
    Returnee.objects.filter(pk=ethiopia.pk).update(example=True)
    round_pk = first_round(ethiopia).pk
    pages = {"pages:rss": "Save the RSS answers", "pages:grid": 'hx-post=',
             "pages:decisions": 'id="decision-form"', "pages:plan": "submit_plan"}
    for account, may_change in ((staff.trainer, False), (staff.manager, True)):
        client.force_login(account)
        for page, offer in pages.items():
            html = client.get(reverse(page, args=[round_pk])).content.decode()
            shown = {"submit_plan": reverse("pages:submit_plan", args=[round_pk])}.get(offer,
                                                                                      offer)
            assert ('id="read-only"' in html) != may_change, (account, page)
            if page in ("pages:rss", "pages:grid"):
                assert ('<fieldset class="read-only" disabled>' in html) != may_change, page
            elif not may_change:
                assert shown not in html, (account, page)


def test_a_round_started_outside_its_window_is_flagged(manager_client, ethiopia):
    """Choosing 'Final monitoring' three months after return went without a word."""
    from datetime import date, timedelta
    returned = date.fromisoformat(ethiopia.profile["date_of_return"])
    url = reverse("pages:new_round", args=[ethiopia.pk])
    form = manager_client.get(url).content.decode()
    assert 'id="round-windows"' in form
    assert (returned + timedelta(days=1)).isoformat()[:4] in form
    early = (returned + timedelta(days=90)).isoformat()
    response = manager_client.post(url, {"kind": "final", "assessed_on": early}, follow=True)
    assert "Check that this is the round you meant" in response.content.decode()
    assert MonitoringRound.objects.filter(returnee=ethiopia, kind="final").exists()


def test_an_agreed_action_s_mistakes_are_told_at_their_fields(manager_client, ethiopia):
    """A cost without its currency came back as 'agreed_actions.5.cost.currency: should be
    ...' at the top of the page, in English whatever the interface."""
    round_ = first_round(ethiopia)
    url = reverse("pages:decisions", args=[round_.pk])
    action = {"form": "action", "version": round_.version, "approach": "job_placement",
              "what": "Job fair", "modality": "direct", "cost": "100"}
    manager_client.cookies["django_language"] = "fr"
    html = manager_client.post(url, action).content.decode()
    assert 'id="id_currency_error"' in html and "code à trois lettres" in html
    assert "agreed_actions." not in html
    html = manager_client.post(url, {**action, "currency": "ETB", "starts": "2027-02-01",
                                     "due": "2027-01-01"}).content.decode()
    assert 'id="id_due_error"' in html and "antérieure à la date de début" in html
    round_.refresh_from_db()
    assert not any(a["what"] == "Job fair" for a in round_.answers.get("agreed_actions", []))


def test_a_wrong_password_is_tied_to_both_fields(staff):
    html = Client().post("/sign-in/", {"username": "cm-addis", "password": "wrong"},
                         REMOTE_ADDR="10.0.0.9").content.decode()
    assert 'id="sign-in-error"' in html
    assert html.count('aria-invalid="true" aria-describedby="sign-in-error"') == 2
