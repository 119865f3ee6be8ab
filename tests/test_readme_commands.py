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
from tests_interview_driver import answer_interview

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
BIN = Path(sys.executable).parent
QUICK_START = ("bash scripts/demo.sh", "bash scripts/test.sh")


def readme_commands() -> list[str]:
    """The commands of the README's ``sh`` blocks, continuation lines joined."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(), re.S):
        for command in block.replace("\\\n", " ").splitlines():
            command = command.split("  #")[0].strip()
            if command and not command.startswith(QUICK_START):
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
    assert len(ran) >= 10
