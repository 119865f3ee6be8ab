"""Signing in: lockout after repeated failures, an audit row for every attempt (no name
kept), CSRF on the sign-in form, cookie flags, and no personal data in the logs."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from django.test import Client

from engine.web.workspace import rounds
from engine.web.workspace.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def _sign_in(client: Client, username: str, password: str):
    return client.post("/sign-in/", {"username": username, "password": password},
                       REMOTE_ADDR="10.0.0.7")


def test_repeated_failures_lock_the_account_and_each_attempt_is_audited(staff) -> None:
    client = Client()
    for _ in range(4):
        assert _sign_in(client, "cm-addis", "wrong").status_code == 200
    locked = _sign_in(client, "cm-addis", "wrong")
    assert locked.status_code == 429 and b"Too many failed sign-ins" in locked.content
    assert _sign_in(client, "cm-addis", PASSWORD).status_code == 429  # even the right one
    attempts = AuditEntry.objects.filter(action="sign_in").order_by("id")
    assert [e.outcome for e in attempts if e.outcome == "failed"] == ["failed"] * 6
    assert [e.outcome for e in attempts if e.outcome == "locked"]
    assert all(e.user == staff.manager for e in attempts)
    assert not AuditEntry.objects.filter(action="sign_in", outcome="ok").exists()
    assert _sign_in(Client(), "cm-dakar", PASSWORD).status_code == 302  # others unaffected


def test_an_unknown_account_is_audited_without_the_name_typed(staff) -> None:
    _sign_in(Client(), "Fatima Returnee", "guess")
    entry = AuditEntry.objects.get(action="sign_in")
    assert entry.user is None and entry.outcome == "failed"
    assert "Fatima" not in repr(AuditEntry.objects.values().get())


def test_a_sign_in_is_audited_and_sets_safe_cookies(staff) -> None:
    response = _sign_in(Client(), "cm-addis", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert AuditEntry.objects.get(action="sign_in").outcome == "ok"


def test_cookies_are_secure_over_tls() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", "from engine.web import settings as s; "
         "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
         "s.SESSION_COOKIE_SAMESITE, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"],
        env={**os.environ, "REINTEGRATE_TLS": "1", "REINTEGRATE_PROXY": "1"},
        capture_output=True, text=True, check=True).stdout.split(maxsplit=4)
    assert shown == ["True", "True", "True", "Lax", "('HTTP_X_FORWARDED_PROTO', 'https')\n"]


def test_a_post_without_its_csrf_token_is_refused(staff) -> None:
    client = Client(enforce_csrf_checks=True)
    refused = client.post("/sign-in/", {"username": "cm-addis", "password": PASSWORD})
    assert refused.status_code == 403
    assert not AuditEntry.objects.filter(action="sign_in").exists()
    page = client.get("/sign-in/")
    token = page.context["csrf_token"]
    accepted = client.post("/sign-in/", {"username": "cm-addis", "password": PASSWORD,
                                         "csrfmiddlewaretoken": str(token)})
    assert accepted.status_code == 302


def test_unauthenticated_pages_send_to_sign_in(staff) -> None:
    response = Client().get("/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_the_logs_hold_no_personal_data(staff, ethiopia,
                                       caplog: pytest.LogCaptureFixture) -> None:
    """Every logger the workspace configures, captured at DEBUG during a flow that
    signs in (right, wrong, a name typed as the account), reads, saves, is refused and
    fails CSRF: no returnee's data, no typed name, no password in any record."""
    names = ("", "engine", "engine.web", "axes", "django", "django.request", "django.security",
             "gunicorn")
    for name in names:
        logging.getLogger(name).addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    try:
        _sign_in(Client(), "Fatima Returnee", "my secret words")
        client = Client()
        _sign_in(client, "cm-addis", PASSWORD)
        round_ = ethiopia.rounds.get()
        assert client.get("/").status_code == 200
        with pytest.raises(Exception):  # noqa: B017  (the engine's CaseError)
            rounds.save_rss(staff.manager, round_.pk,
                            {"economic_satisfaction": "Fatima said no"}, round_.version)
        with pytest.raises(Exception):  # noqa: B017  (AccessRefused)
            rounds.outcome_of(staff.other_manager, round_.pk)
        Client(enforce_csrf_checks=True).post("/sign-in/", {"username": "Fatima Returnee"})
        assert client.get("/no-such-page/").status_code == 404
    finally:
        for name in names:
            logging.getLogger(name).removeHandler(caplog.handler)
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert caplog.records, "nothing was logged: the check would be empty"
    private = [ethiopia.profile["place_of_return"], "Kolfe", "Reopen a small shop", "Fatima",
               "my secret words", PASSWORD]
    assert [p for p in private if p in logged] == []
