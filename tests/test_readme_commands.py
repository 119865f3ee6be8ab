"""Every command the README shows runs, as a new user would type it after the quick start
(the commands of ``.venv/bin`` on the path, from a copy of the project folder): the
walk-through from ``new-case`` to a final plan included, its interview answered through a
pseudo-terminal. The quick start's own two scripts are left out: they install system
packages and run this test suite."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from ruamel.yaml import YAML
from tests_interview_driver import answer_interview

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
BIN = Path(sys.executable).parent
QUICK_START = ("bash scripts/workspace.sh", "bash scripts/demo.sh", "bash scripts/test.sh")
SERVER = ("reintegrate serve",)
"""Commands that serve until stopped: test_the_readme_serve_commands_serve starts each and
stops it once it answers; the others run to the end."""


def readme_commands() -> list[str]:
    """The commands of the README's ``sh`` blocks, continuation lines joined."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(), re.S):
        for command in block.replace("\\\n", " ").splitlines():
            command = command.split("  #")[0].strip()
            if command and not command.startswith(QUICK_START + SERVER):
                commands.append(" ".join(command.split()))
    return commands


def test_the_readme_says_how_to_run_the_installed_command() -> None:
    text = README.read_text()
    assert ". .venv/bin/activate" in text and ".venv/bin/reintegrate" in text
    for command in readme_commands():
        first = command.split()[0]
        assert first in {"reintegrate", "mkdir", "pdftoppm", "."}, command  # no bare python


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what the commands read (examples, docs) to run them in."""
    target = tmp_path_factory.mktemp("project")
    for part in ("examples", "docs"):
        shutil.copytree(REPO / part, target / part)
    return target


def test_every_readme_command_runs(folder: Path) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "COLUMNS": "80"}
    env.pop("REINTEGRATE_OFFICE", None)
    env["REINTEGRATE_DATA"] = str(folder / "workspace-data")  # db backup/restore: not ~
    env.pop("DATABASE_URL", None)
    ran = []
    for command in readme_commands():
        if command.startswith(". "):
            continue  # activating the environment is what PATH does here
        if " interview " in command:
            child = pexpect.spawn("bash", ["-c", command], cwd=str(folder), env=env,
                                  encoding="utf-8", timeout=120)
            answer_interview(child)
            child.close()
            assert child.exitstatus == 0, command
        else:
            done = subprocess.run(["bash", "-c", command], cwd=folder, env=env,
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        ran.append(command.split()[:3])
    assert (folder / "guinea-plan.pdf").stat().st_size > 0  # the walk-through's final plan
    # the README says the example is her case file as the walk-through leaves it
    safe = YAML(typ="safe")
    assert safe.load(folder / "guinea.yaml") == safe.load(
        folder / "examples" / "guinea_returnee.yaml")
    assert len(ran) >= 10


def test_the_readme_serve_commands_serve(folder: Path) -> None:
    """Each ``reintegrate serve`` the README shows, on a free port: it prints its address,
    the sign-in page answers, Ctrl+C stops it."""
    import signal
    import urllib.request
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "REINTEGRATE_DATA": str(folder / "serve-data"), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    commands = [c for c in re.findall(r"```sh\n(.*?)```", README.read_text(), re.S)
                for c in c.splitlines() if c.startswith(SERVER)]
    assert any("--demo" in c for c in commands)
    for command in commands:
        line = command.split("  #")[0].strip() + " --port 0"
        server = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=folder, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            printed = []
            while not any("The workspace is at" in p for p in printed):
                printed.append(server.stdout.readline())  # type: ignore[union-attr]
                assert printed[-1], (command, printed)
            port = re.search(r"The workspace is at http://[^:]+:(\d+)/", printed[-1]).group(1)  # type: ignore[union-attr]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=10) as page:
                assert page.status == 200
            if "--demo" in command:
                assert any(p.split()[:1] == ["case_manager"] for p in printed), printed
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
