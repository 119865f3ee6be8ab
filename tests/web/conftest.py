"""Shared fixtures of the web tests (listed in docs/workspace.md, "Tests").

Django is set up when this folder is collected, with a data folder of its own (never the
user's): the SQLite store by default, PostgreSQL when DATABASE_URL is set (scripts/test.sh
runs the store tests both ways).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("django", reason="the web extra is not installed: pip install '.[web]'")
os.environ.setdefault("REINTEGRATE_DATA", tempfile.mkdtemp(prefix="reintegrate-test-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engine.web.settings")
os.environ.setdefault("REINTEGRATE_HOSTS", "testserver")  # Django's test client's host

import django

django.setup()

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Staff:
    """One account of each role: case managers in two offices, the first office's
    supervisor, a trainer and an admin."""

    manager: object
    other_manager: object
    supervisor: object
    trainer: object
    admin: object


@pytest.fixture
def staff(db: None) -> Staff:
    from engine.web.workspace.models import Office, User
    addis = Office.objects.create(code="addis", name="Addis Ababa", country="Ethiopia")
    dakar = Office.objects.create(code="dakar", name="Dakar", country="Senegal")

    def account(name: str, role: str, office: object) -> object:
        return User.objects.create_user(name, password="correct horse battery", role=role,
                                        office=office)
    return Staff(account("cm-addis", "case_manager", addis),
                 account("cm-dakar", "case_manager", dakar),
                 account("sup-addis", "supervisor", addis),
                 account("trainer", "trainer", None),
                 account("admin", "admin", None))


@pytest.fixture
def ethiopia(staff: Staff) -> object:
    """The Ethiopian example case, imported by the Addis case manager: its Returnee."""
    from engine.web.workspace.case_files import import_case_file
    path = REPO / "examples" / "cases" / "ethiopia_returnee.yaml"
    return import_case_file(staff.manager, path.read_bytes(), path.name)
