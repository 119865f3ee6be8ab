"""The demo: two offices, one account of each role, the example cases; loaded twice, the
same (the passwords kept, no case twice)."""

from __future__ import annotations

import pytest

from engine.web.workspace import access
from engine.web.workspace.demo import load_demo
from engine.web.workspace.models import Office, Returnee, User

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_working_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REINTEGRATE_DEMO_PASSWORD", raising=False)
    first = load_demo()
    again = load_demo()
    assert first == again  # the passwords are kept, printed the same at each start
    assert sorted(a.role for a in first) == ["admin", "case_manager", "case_manager",
                                             "supervisor", "trainer"]
    assert Office.objects.count() == 2 and Returnee.objects.count() == 3
    assert len({a.password for a in first}) == len(first)
    for account in first:
        user = User.objects.get(username=account.username)
        assert user.check_password(account.password) and user.role == account.role
        assert user.password.startswith("argon2")
    trainer = User.objects.get(username="trainer")
    assert access.returnees(trainer).count() == 3  # the examples, read-only
    manager = User.objects.get(username="cm-dakar")
    assert [r.returnee_id for r in access.returnees(manager)] == ["SEN-2026-0119"]


def test_one_password_for_load_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REINTEGRATE_DEMO_PASSWORD", "load-test-password")
    assert {a.password for a in load_demo()} == {"load-test-password"}
