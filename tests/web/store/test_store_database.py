"""Which database the store tests ran on: scripts/test.sh runs them twice, on SQLite and on
PostgreSQL (REINTEGRATE_REQUIRE_POSTGRES=1, where a missing server fails, never skips)."""

from __future__ import annotations

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_postgresql_leg_runs_on_postgresql() -> None:
    required = os.environ.get("REINTEGRATE_REQUIRE_POSTGRES") == "1"
    if not os.environ.get("DATABASE_URL"):
        if required:
            pytest.fail("REINTEGRATE_REQUIRE_POSTGRES=1 but DATABASE_URL is not set: "
                        "scripts/postgres.sh prints it")
        pytest.skip("the PostgreSQL leg runs from scripts/test.sh (DATABASE_URL unset here)")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_the_migrations_hold_every_model_change() -> None:
    """A model changed without its migration would fail on a user's database at start."""
    from django.core.management import call_command
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
