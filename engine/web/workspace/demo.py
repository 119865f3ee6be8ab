"""Demo accounts and example cases, so a new user signs in and sees cases at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    office: str | None


def load_demo() -> list[DemoAccount]:
    """Two offices, a case manager each, a supervisor, a trainer, an admin and the example
    cases; idempotent. Returns the accounts to print."""
    raise NotImplementedError
