"""Every page of a case renders for its case manager, in each of the four languages, with
the engine's words (the instrument's choices, the approaches' reasons) in the case's
language, and Arabic laid out right to left."""

from __future__ import annotations

import pytest
from django.urls import reverse

from engine.web.workspace.models import MonitoringRound


def case_pages(returnee) -> list[str]:
    round_pk = MonitoringRound.objects.filter(returnee=returnee).first().pk
    return [reverse("pages:cases"), reverse("pages:new_case"),
            reverse("pages:case", args=[returnee.pk]),
            reverse("pages:rss", args=[round_pk]), reverse("pages:grid", args=[round_pk]),
            reverse("pages:recommendations", args=[round_pk]),
            reverse("pages:explain", args=[round_pk, "business_startup_revisited"]),
            reverse("pages:decisions", args=[round_pk]), reverse("pages:plan", args=[round_pk]),
            reverse("pages:new_round", args=[returnee.pk]),
            reverse("pages:progress", args=[returnee.pk]),
            reverse("pages:follow_up", args=[returnee.pk]),
            reverse("pages:close", args=[returnee.pk])]


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_every_case_page_renders(manager_client, ethiopia, language):
    manager_client.cookies["django_language"] = language
    for url in case_pages(ethiopia):
        response = manager_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        if "<html" in html:
            assert f'lang="{language}"' in html, url
            assert ('dir="rtl"' in html) == (language == "ar"), url


def test_rss_form_offers_dont_know_and_refused_in_the_case_language(manager_client, ethiopia):
    ethiopia.language = "fr"
    ethiopia.save()
    round_pk = MonitoringRound.objects.filter(returnee=ethiopia).first().pk
    html = manager_client.get(reverse("pages:rss", args=[round_pk])).content.decode()
    assert 'name="economic_satisfaction" value="dont_know"' in html
    assert 'name="economic_satisfaction" value="refused"' in html
    assert "Très satisfait·e" in html
    assert 'value="very_dissatisfied" checked' in html  # the example's answer


def test_grid_htmx_answer_returns_the_live_part_with_reasons(manager_client, ethiopia):
    round_ = MonitoringRound.objects.filter(returnee=ethiopia).first()
    url = reverse("pages:grid", args=[round_.pk])
    response = manager_client.post(url, {"version": round_.version,
                                         "q-job_wants_employment": "yes"},
                                   HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="live"'), html[:200]
    assert 'data-approach="job_placement"' in html
    round_.refresh_from_db()
    assert round_.answers["grid_answers"]["job_wants_employment"] == "yes"
    assert f'name="version" value="{round_.version}"' in html


def test_two_plan_versions_side_by_side(manager_client, ethiopia, staff):
    from engine.web.workspace import plans, rounds
    round_ = MonitoringRound.objects.filter(returnee=ethiopia).first()
    first = plans.submit(staff.manager, round_.pk, "en")
    rounds.save_grid_answers(staff.manager, round_.pk, {"buddy_wants_connection": "yes"},
                             round_.version)
    second = plans.submit(staff.manager, round_.pk, "en")
    response = manager_client.get(reverse("pages:compare", args=[ethiopia.pk]),
                                  {"a": first.pk, "b": second.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "buddy_wants_connection" in html
    assert html.count("<iframe") == 2 and html.count('sandbox=""') == 2


def test_my_cases_highlights_an_overdue_follow_up(manager_client, ethiopia, staff):
    from datetime import date, timedelta

    from engine.web.workspace import plans
    from engine.web.workspace.models import FollowUpTask
    round_ = MonitoringRound.objects.filter(returnee=ethiopia).first()
    version = plans.submit(staff.manager, round_.pk, "en")
    plans.approve(staff.supervisor, version.pk)
    plans.finalise(staff.manager, version.pk)
    FollowUpTask.objects.filter(returnee=ethiopia).update(due=date.today() - timedelta(days=3))
    html = manager_client.get(reverse("pages:cases")).content.decode()
    row = html[html.index(ethiopia.returnee_id) - 300:html.index(ethiopia.returnee_id) + 900]
    assert 'class="flagged"' in row
    assert "overdue" in row


def test_a_stale_save_shows_the_conflict_and_keeps_the_other_save(manager_client, ethiopia):
    round_ = MonitoringRound.objects.filter(returnee=ethiopia).first()
    read = round_.version
    url = reverse("pages:rss", args=[round_.pk])
    first = manager_client.post(url, {"version": read, "economic_satisfaction": "satisfied"})
    assert first.status_code == 302
    second = manager_client.post(url, {"version": read, "economic_satisfaction": "refused"})
    assert second.status_code == 200
    assert "changed by someone else" in second.content.decode()
    round_.refresh_from_db()
    assert round_.answers["rss"]["economic_satisfaction"] == "satisfied"
