"""The workspace as a user starts it, in real processes: ``reintegrate serve`` prints its
address and serves the sign-in page; a process killed in the middle of saving leaves the
last committed state (SQLite in WAL mode, every save one transaction).

These run on SQLite in a data folder of their own (a fresh ``REINTEGRATE_DATA``), whatever
DATABASE_URL the PostgreSQL leg sets: they test the embedded database a new user gets.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                reason="the embedded SQLite store: run in the SQLite leg")


def _environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return {**env, "REINTEGRATE_DATA": str(data), "PYTHONUNBUFFERED": "1"}


def test_serve_prints_its_address_and_serves_the_sign_in_page(tmp_path: Path) -> None:
    server = subprocess.Popen([sys.executable, "-m", "engine.cli", "serve", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=_environment(tmp_path), cwd=tmp_path)
    try:
        address = None
        deadline = time.monotonic() + 60
        while address is None and time.monotonic() < deadline:
            line = server.stdout.readline()  # type: ignore[union-attr]
            assert line, "serve stopped before printing its address"
            found = re.search(r"The workspace is at (http://127\.0\.0\.1:\d+/)", line)
            address = found.group(1) if found else None
        assert address, "no address printed within a minute"
        with urllib.request.urlopen(address + "sign-in/", timeout=10) as page:
            assert page.status == 200 and b'name="password"' in page.read()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
    database = tmp_path / "workspace.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_database_url_that_is_no_address_is_refused_in_one_line(tmp_path: Path) -> None:
    """What a script's stray output put before the address (as pg_ctlcluster's "Removed stale
    pid file." once did in CI) is named as the setting to fix; the password is not echoed."""
    env = {**_environment(tmp_path),
           "DATABASE_URL": "Removed stale pid file. postgres://someone:s3cret@db/cases"}
    done = subprocess.run([sys.executable, "-m", "engine.cli", "db", "migrate"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    assert "DATABASE_URL is not a database address" in done.stderr
    assert "Traceback" not in done.stderr and "s3cret" not in done.stderr + done.stdout


SAVER = """
import os, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from engine.web.workspace import rounds
from engine.web.workspace.case_files import import_case_file
from engine.web.workspace.models import MonitoringRound, Office, User
CHOICES = ["very_dissatisfied", "dissatisfied", "satisfied", "very_satisfied"]
user = User.objects.filter(username="cm").first()
if user is None:
    office = Office.objects.create(code="o", name="Office")
    user = User.objects.create_user("cm", password="x" * 12, office=office)
    import_case_file(user, open(sys.argv[1], "rb").read(), "case.yaml")
round_ = MonitoringRound.objects.get()
version = round_.version
print("ready", flush=True)
while True:
    choice = CHOICES[(version + 1) % len(CHOICES)]
    version = rounds.save_rss(user, round_.pk, {"economic_satisfaction": choice},
                              version).version
    print(version, flush=True)
"""


def _kill_while_saving(data: Path, seed: int) -> int:
    """Start saving in a loop, kill -9 at a random moment; the last version printed."""
    saver = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(REPO / "examples/cases/ethiopia_returnee.yaml")],
        stdout=subprocess.PIPE, text=True, cwd=data,
        env={**_environment(data), "DJANGO_SETTINGS_MODULE": "engine.web.settings"})
    assert saver.stdout.readline().strip() == "ready"  # type: ignore[union-attr]
    printed = 0
    for _ in range(random.Random(seed).randint(3, 12)):
        printed = int(saver.stdout.readline())  # type: ignore[union-attr]
    time.sleep(random.Random(seed).random() / 20)  # somewhere inside a later save
    saver.kill()
    saver.wait()
    for line in saver.stdout:  # type: ignore[union-attr]
        printed = int(line)
    return printed


def test_killing_a_process_mid_save_leaves_the_last_committed_state(tmp_path: Path) -> None:
    choices = ["very_dissatisfied", "dissatisfied", "satisfied", "very_satisfied"]
    for seed in range(3):
        printed = _kill_while_saving(tmp_path, seed)
        with sqlite3.connect(tmp_path / "workspace.sqlite3") as connection:
            assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
            version, answers = connection.execute(
                "select version, answers from workspace_monitoringround").fetchone()
            changes = connection.execute(
                "select count(*) from workspace_auditentry where action = 'change'"
            ).fetchone()[0]
        # committed: at least what was reported, at most the one save in flight
        assert printed <= version <= printed + 1
        # the round and its audit row were one transaction: one change row per version
        assert changes == version - 1
        assert f'"economic_satisfaction": "{choices[version % 4]}"' in answers
