"""Two worker processes on one database: a directory saved through the admin in one is
served by the other from its next request, because each compares the database's rules
generation with its own before a request (``workspace.rulebook.FollowRules``).

Real processes on SQLite in a data folder of their own, as the workspace serves by
default, whatever DATABASE_URL the PostgreSQL leg sets (their database is not the test
database pytest-django made).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                reason="the embedded SQLite store: run in the SQLite leg")

WORKER = """
import sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from engine.web.workspace import rulebook
for line in sys.stdin:
    command = line.strip()
    if command == "migrate":
        call_command("migrate", verbosity=0)
        print("migrated", flush=True)
    elif command == "request":  # through the middleware, as a worker serves a page
        assert Client().get("/sign-in/").status_code == 200
        print(rulebook.book().identity, flush=True)
    elif command == "held":  # the book this process holds, without a request
        print(rulebook.book().identity, rulebook.book().directory("Ethiopia").entries[2].name,
              sep="|", flush=True)
"""

ADMIN = """
import sys
from pathlib import Path
import django
django.setup()
from django.test import Client
from engine.web.workspace import rulebook
from engine.web.workspace.models import User
admin = User.objects.create_user("admin", password="correct horse battery", role="admin",
                                 is_staff=True)
client = Client()
client.force_login(admin)
saved = client.post("/admin/workspace/officedirectory/add/",
                    {"text": Path(sys.argv[1]).read_text("utf-8")})
assert saved.status_code == 302, saved.content.decode()
client.get("/admin/workspace/officedirectory/")
print(rulebook.book().identity)
"""


def _environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "REINTEGRATE_DATA": str(data), "REINTEGRATE_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "engine.web.settings", "PYTHONUNBUFFERED": "1"}


def test_a_directory_saved_in_one_process_is_served_by_another(tmp_path: Path) -> None:
    env = _environment(tmp_path / "data")
    (tmp_path / "data").mkdir()
    text = (REPO / "rules" / "services" / "ethiopia.yaml").read_text("utf-8").replace(
        "Public health centre of the sub-city (illustrative)", "Kolfe health centre")
    (tmp_path / "ethiopia.yaml").write_text(text, "utf-8")
    worker = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)

    def ask(command: str) -> str:
        worker.stdin.write(command + "\n")  # type: ignore[union-attr]
        worker.stdin.flush()  # type: ignore[union-attr]
        return worker.stdout.readline().strip()  # type: ignore[union-attr]

    try:
        assert ask("migrate") == "migrated"
        shipped = ask("request")
        saved = subprocess.run([sys.executable, "-c", ADMIN, str(tmp_path / "ethiopia.yaml")],
                               capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
        assert saved.returncode == 0, saved.stderr
        derived = saved.stdout.strip()
        assert derived != shipped
        held, name = ask("held").split("|")
        assert (held, name) == (shipped, "Public health centre of the sub-city (illustrative)")
        assert ask("request") == derived
        assert ask("held").split("|") == [derived, "Kolfe health centre"]
    finally:
        worker.stdin.close()  # type: ignore[union-attr]
        worker.wait(timeout=30)
