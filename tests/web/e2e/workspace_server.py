"""A real workspace for the browser tests, the kill test and the load benchmark:
``reintegrate serve`` in a subprocess, as the README starts it, on a data folder of its own,
with accounts made for the run (two offices: a case manager in each, a supervisor in the
first). The server and its worker processes are one process group of their own, so a test
can kill all of them at once, as a power cut or ``kill -9`` would, and none outlives it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PASSWORD = "Workspace-e2e-2026"
ACCOUNTS = {
    "cm_a": ("case_manager", "e2e-a"),
    "sup_a": ("supervisor", "e2e-a"),
    "cm_b": ("case_manager", "e2e-b"),
}
OFFICES = {"e2e-a": ("Addis Ababa office", "Ethiopia"), "e2e-b": ("Dakar office", "Senegal")}
ADDRESS = re.compile(r"The workspace is at (http://\S+/)")
MAKE_ACCOUNTS = """
import json, sys

import django
django.setup()
from engine.web.workspace.models import Office, User
offices, accounts, password = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
for code, (name, country) in offices.items():
    Office.objects.get_or_create(code=code, defaults={"name": name, "country": country})
for username, (role, office) in accounts.items():
    if not User.objects.filter(username=username).exists():
        User.objects.create_user(username, password=password, role=role,
                                 office=Office.objects.get(code=office))
"""


def reintegrate() -> str:
    """The ``reintegrate`` command of the interpreter running the tests."""
    return str(Path(sys.executable).with_name("reintegrate"))


@dataclass
class Workspace:
    url: str
    data: Path
    process: subprocess.Popen
    log: Path
    accounts: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(ACCOUNTS))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL to the server and all its workers at once: nothing gets to clean up."""
        _kill_group(self.process)


def _kill_group(process: subprocess.Popen) -> None:
    """Kill the process group ``process`` leads (started with ``start_new_session``) and
    reap its leader; before the leader is reaped its id cannot name another group."""
    with contextlib.suppress(ProcessLookupError):  # the whole group had ended already
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def start(data: Path, threads: int | None = None, accounts: dict | None = None) -> Workspace:
    """Migrate, make the accounts, then serve on a free loopback port (with the command's
    default threads unless told); returns once the server printed its address."""
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "REINTEGRATE_DATA": str(data),
           "DJANGO_SETTINGS_MODULE": "engine.web.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run([reintegrate(), "db", "migrate"], env=env, check=True,
                   capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-c", MAKE_ACCOUNTS, json.dumps(OFFICES),
                    json.dumps(accounts or ACCOUNTS), PASSWORD], env=env, check=True, timeout=120)
    log = data / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen([reintegrate(), "serve", "--port", "0",
                                    *(["--threads", str(threads)] if threads else [])],
                                   env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    deadline = time.monotonic() + 180  # generous: a loaded 2-core machine starts slowly
    while time.monotonic() < deadline:
        found = ADDRESS.search(log.read_text())
        if found:
            return Workspace(found.group(1), data, process, log)
        if process.poll() is not None:
            break
        time.sleep(0.1)
    _kill_group(process)
    raise RuntimeError(f"reintegrate serve did not start:\n{log.read_text()}")
