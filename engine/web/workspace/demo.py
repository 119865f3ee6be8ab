"""Demo offices, accounts and the example cases, so a new user signs in and sees cases at
once (``reintegrate serve --demo``; idempotent).

The passwords are generated, not documented: a demo loaded into a workspace that others can
reach must not open with passwords printed in a public README. They are kept in the data
folder (``demo-accounts.txt``, owner-only) so each ``serve --demo`` prints the same ones;
REINTEGRATE_DEMO_PASSWORD gives every demo account one password instead (load tests).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from engine import read_case
from engine.web.workspace.case_files import import_case_file
from engine.web.workspace.models import Office, Returnee, User
from engine.web.workspace.rulebook import book

ACCOUNTS_FILE = "demo-accounts.txt"
OFFICES = [("addis", "Addis Ababa office", "Ethiopia"), ("dakar", "Dakar office", "Senegal")]
STAFF = [("cm-addis", "case_manager", "addis"), ("cm-dakar", "case_manager", "dakar"),
         ("sup-addis", "supervisor", "addis"), ("trainer", "trainer", None),
         ("admin", "admin", None)]
CASES = {"ethiopia_returnee.yaml": "cm-addis", "iraq_returnee.yaml": "cm-addis",
         "senegal_returnee.yaml": "cm-dakar"}
"""Which demo case manager holds each example case (an office follows returnees of any
country: the providers offered come from the case's country of return)."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    office: str | None


def example_cases() -> Path:
    """The example case files installed with the package, or the checkout's own."""
    package = Path(__file__).resolve().parents[2]
    installed = package / "_shipped" / "examples" / "cases"
    return installed if installed.is_dir() else package.parent / "examples" / "cases"


def _passwords() -> dict[str, str]:
    """The demo passwords of this data folder, made on first use."""
    fixed = os.environ.get("REINTEGRATE_DEMO_PASSWORD")
    if fixed:
        return {name: fixed for name, _, _ in STAFF}
    path = Path(settings.DATA_FOLDER) / ACCOUNTS_FILE
    if path.is_file():
        kept = dict(line.split(" ", 1) for line in path.read_text("utf-8").splitlines() if line)
        if set(kept) == {name for name, _, _ in STAFF}:
            return kept
    made = {name: secrets.token_urlsafe(9) for name, _, _ in STAFF}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.writelines(f"{name} {password}\n" for name, password in made.items())
    return made


def load_demo() -> list[DemoAccount]:
    """Two offices, a case manager each, a supervisor, a trainer, an admin and the example
    cases; idempotent. Returns the accounts to print."""
    passwords = _passwords()
    with transaction.atomic():
        offices = {code: Office.objects.get_or_create(
            code=code, defaults={"name": name, "country": country})[0]
            for code, name, country in OFFICES}
        accounts = []
        for name, role, office in STAFF:
            user = User.objects.filter(username=name).first()
            if user is None:
                user = User(username=name, role=role,
                            office=offices[office] if office else None,
                            is_staff=role == "admin", is_superuser=role == "admin")
            user.set_password(passwords[name])
            user.save()
            accounts.append(DemoAccount(name, passwords[name], role, office))
        for file_name, manager in CASES.items():
            path = example_cases() / file_name
            user = User.objects.get(username=manager)
            if not Returnee.objects.filter(office=user.office,
                                           returnee_id=read_case(path, book()).case.returnee_id
                                           ).exists():
                case = import_case_file(user, path.read_bytes(), path.name)
                Returnee.objects.filter(pk=case.pk).update(example=True)
    return accounts

