"""Writing a plan never destroys data (issue 8, item 1; issue 6: the format of ``-o``).

A review replaced a returnee's case file with a plan (also through a symlink), got a
truncated PDF where a good one had been after a full disk, a 0-byte file after a kill, and
Markdown inside ``plan.pdf``. Each test here runs the command as a user would, or kills it.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from engine.cli.app import app
from engine.cli.output import OutputError, is_earlier_output, write_atomically
from engine.cli.standard_output import BROKEN_PIPE_EXIT
from engine.presentation.drafting import Drafter
from engine.storage import write_file

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "cases" / "ethiopia_returnee.yaml"
COMMAND = [sys.executable, "-m", "engine.cli"]


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    shutil.copyfile(EXAMPLE, path)
    return path


def plan(*args: str | Path) -> Result:
    return runner.invoke(app, ["plan", *map(str, args)])


def _refused(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for word in words:
        assert word in result.output, result.output


# -- the format ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "start"), [
    ("plan.html", b"<!DOCTYPE html>"), ("plan.HTM", b"<!DOCTYPE html>"),
    ("plan.md", b"# "), ("plan.markdown", b"# "),
])
def test_the_format_follows_the_extension(case: Path, name: str, start: bytes) -> None:
    """(``.pdf`` is tried by ``test_an_earlier_plan_is_replaced_without_force``.)"""
    result = plan(case, "-o", case.parent / name)
    assert result.exit_code == 0, result.output
    assert (case.parent / name).read_bytes().startswith(start)


@pytest.mark.parametrize("args", [
    ["-o", "plan.pdf", "-f", "md"], ["-o", "plan.md", "--format", "html"],
    ["-o", "plan.html", "-f", "pdf"], ["-o", "plan.txt"], ["-o", "plan.txt", "-f", "md"],
    ["-o", "plan", "-f", "md"], ["-f", "docx"], ["-f", "pdf"],
])
def test_a_format_the_file_name_contradicts_is_refused(case: Path, args: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    _refused(plan(case, *args))
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.yaml"]


# -- inputs and other people's files --------------------------------------------------------

@pytest.mark.parametrize("force", [[], ["--force"]])
def test_an_input_is_never_replaced_even_through_a_link(case: Path, force: list[str]) -> None:
    before = case.read_bytes()
    weights = case.parent / "weights.yaml"
    shutil.copyfile(REPO / "rules" / "weights" / "seed_example.yaml", weights)
    (case.parent / "symlink.md").symlink_to(case)
    os.link(case, case.parent / "hardlink.md")
    (case.parent / "weights-link.md").symlink_to(weights)
    for name in ("symlink.md", "hardlink.md", "weights-link.md"):
        _refused(plan(case, "-o", case.parent / name, "--weights", weights, *force),
                 "is an input")
    _refused(plan(case, "-o", case, *force), ".md, .html, .htm or .pdf")
    assert case.read_bytes() == before
    assert (case.parent / "hardlink.md").read_bytes() == before


def test_a_file_that_is_not_an_earlier_plan_needs_force(case: Path) -> None:
    notes = case.parent / "notes.md"
    notes.write_text("# My notes on the returnee\n")
    foreign_pdf = case.parent / "scan.pdf"
    foreign_pdf.write_bytes(b"%PDF-1.4\n% a scanned letter\n%%EOF\n")
    for path in (notes, foreign_pdf):
        before = path.read_bytes()
        _refused(plan(case, "-o", path), "--force")
        assert path.read_bytes() == before
    result = plan(case, "-o", notes, "--force")
    assert result.exit_code == 0, result.output
    assert is_earlier_output(notes, "md") and "ETH-2026-0044" in notes.read_text()


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_an_earlier_plan_is_replaced_without_force(case: Path, fmt: str) -> None:
    target = case.parent / f"plan.{fmt}"
    assert plan(case, "-o", target).exit_code == 0
    assert is_earlier_output(target, fmt)
    assert not is_earlier_output(target, "md" if fmt != "md" else "html")
    earlier = target.read_bytes()
    result = plan(case, "-o", target, "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != earlier and is_earlier_output(target, fmt)


def test_a_link_to_an_earlier_plan_is_written_through(case: Path) -> None:
    folder = case.parent / "plans"
    folder.mkdir()
    real = folder / "plan.md"
    assert plan(case, "-o", real).exit_code == 0
    link = case.parent / "latest.md"
    link.symlink_to(real)
    assert plan(case, "-o", link, "--lang", "es").exit_code == 0
    assert link.is_symlink() and "Plan individual" in real.read_text()


# -- failures: a clear sentence, exit 2, the earlier file intact ------------------------------

def test_a_missing_folder_is_a_clear_error(case: Path) -> None:
    _refused(plan(case, "-o", case.parent / "missing" / "plan.md"), "does not exist")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB file system of its own (tmpfs; mounting needs root)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root): "
                    + mounted.stderr.decode(errors="replace").strip())
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _fill(folder: Path) -> None:
    """Write until the file system is full (unbuffered, so that nothing is left to flush)."""
    with (folder / "filler").open("wb", buffering=0) as stream:
        try:
            while True:
                stream.write(b"\0" * 1024)
        except OSError:
            pass


def test_a_full_disk_leaves_the_earlier_plan_intact(case: Path, small_disk: Path) -> None:
    target = small_disk / "plan.md"
    assert plan(case, "-o", target).exit_code == 0
    earlier = target.read_bytes()
    _fill(small_disk)
    _refused(plan(case, "-o", target, "--lang", "fr"), "No space left on device",
             "previous file is unchanged")
    assert target.read_bytes() == earlier
    assert not list(small_disk.glob(".plan.md.*"))  # the temporary file is gone


def test_a_read_only_folder_is_a_clear_error(case: Path, small_disk: Path) -> None:
    target = small_disk / "plan.md"
    target.write_text('# An earlier plan\n\n[//]: # "reintegrate plan"\n')
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    _refused(plan(case, "-o", target), "Read-only file system")
    _refused(plan(case, "-o", small_disk / "new.pdf"), "Read-only file system")


def test_stdout_on_a_full_device_is_a_clear_error(case: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([*COMMAND, "plan", str(case)], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "standard output: No space left on device" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


# -- a file that appears while the plan is drafted (issue 13, item 2) -----------------------

def _render_then(monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], None]) -> None:
    """A renderer that, once the document is ready, lets someone else act on the target."""
    render = Drafter.render

    def slow_render(self: Drafter, *args: object, **kwargs: object) -> object:
        document = render(self, *args, **kwargs)  # type: ignore[arg-type]
        meanwhile()
        return document
    monkeypatch.setattr(Drafter, "render", slow_render)


@pytest.mark.parametrize("earlier", [False, True])
def test_a_file_that_appears_while_the_plan_renders_survives(
        case: Path, monkeypatch: pytest.MonkeyPatch, earlier: bool) -> None:
    """Checked at the start (free, or an earlier plan), the name is taken meanwhile by the
    user's own file: it is kept, and the command says so."""
    target = case.parent / "plan.html"
    if earlier:
        assert plan(case, "-o", target).exit_code == 0
    theirs = b"<p>notes typed while the plan was drafted</p>"
    _render_then(monkeypatch, lambda: target.write_bytes(theirs))
    _refused(plan(case, "-o", target), "appeared or changed while the plan was drafted",
             "--force")
    assert target.read_bytes() == theirs
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.yaml", "plan.html"]


def test_with_force_a_file_that_appears_while_the_plan_renders_is_replaced(
        case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = case.parent / "plan.md"
    _render_then(monkeypatch, lambda: target.write_bytes(b"theirs"))
    assert plan(case, "-o", target, "--force").exit_code == 0
    assert is_earlier_output(target, "md")


def test_the_writer_never_replaces_a_name_taken_at_the_last_moment(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    target.write_bytes(b"theirs")
    with pytest.raises(FileExistsError):
        write_file(target, b"ours")
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["case.yaml"]


def test_without_hard_links_the_writer_still_never_replaces(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FAT-formatted USB stick has no hard links: the name is claimed with O_EXCL."""
    def no_links(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")
    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "case.yaml"
    write_file(target, b"ours")
    assert target.read_bytes() == b"ours"
    with pytest.raises(FileExistsError):
        write_file(target, b"again")
    assert target.read_bytes() == b"ours"
    assert [p.name for p in tmp_path.iterdir()] == ["case.yaml"]


def test_new_case_on_a_full_disk_is_one_sentence(small_disk: Path) -> None:
    _fill(small_disk)
    result = runner.invoke(app, ["new-case", "-o", str(small_disk / "new.yaml")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "No space left on device; nothing was written" in result.output
    assert not (small_disk / "new.yaml").exists()


# -- standard output: full, closed, or a reader that leaves (issue 13, item 4) -------------

ETHIOPIA = str(EXAMPLE)
PRINTING = [
    ["validate"], ["validate", ETHIOPIA], ["score", ETHIOPIA], ["score", ETHIOPIA, "--json"],
    ["recommend", ETHIOPIA], ["recommend", ETHIOPIA, "--json"],
    ["explain", ETHIOPIA, "buddy_system"], ["explain", ETHIOPIA, "buddy_system", "--json"],
    ["plan", ETHIOPIA], ["plan", ETHIOPIA, "-d", "worksheet", "-l", "ar"],
    ["questions", ETHIOPIA], ["questions", ETHIOPIA, "--json"], ["rules", "show"],
    ["rules", "show", "currently_working"], ["i18n-status"], ["i18n-status", "--skeleton", "fr"],
    ["schema"], ["schema", "scores"], ["--version"], ["--help"], ["score", "--help"],
    ["project-design", str(REPO / "examples" / "projects" / "ethiopia_addis_ababa.yaml")],
    ["whatif", ETHIOPIA, "--set", "age=30"], ["rules-diff", "rules", "rules"],
    ["scenarios", "run"], ["scenarios", "teach", "sen_emergency_detention"],
]
"""Every command in the forms that print on standard output."""


def _printed_into(stdout: int | None, args: list[str],
                  close_stdout: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=300, check=False, cwd=REPO,
                          preexec_fn=(lambda: os.close(1)) if close_stdout else None)


def _one_sentence(done: subprocess.CompletedProcess[str], sentence: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr == sentence + "\n", done.stderr


@pytest.mark.parametrize("args", PRINTING, ids=" ".join)
def test_a_full_stdout_is_one_sentence(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = _printed_into(full.fileno(), args)
    _one_sentence(done, "Could not write to standard output: No space left on device; what "
                  "was printed is incomplete.")


@pytest.mark.parametrize("args", PRINTING, ids=" ".join)
def test_a_closed_stdout_is_one_sentence(args: list[str]) -> None:
    done = _printed_into(None, args, close_stdout=True)
    _one_sentence(done, "Standard output is closed, so nothing could be printed: run the "
                  "command again with its output going to a terminal, a file or a pipe.")


@pytest.mark.parametrize("args", [["score", ETHIOPIA], ["plan", ETHIOPIA], ["rules", "show"],
                                  ["--help"]], ids=" ".join)
def test_a_reader_that_leaves_ends_the_command_quietly(args: list[str]) -> None:
    """``| head``: the reader is gone before anything is written (closed at once)."""
    run = subprocess.Popen([*COMMAND, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           cwd=REPO)
    assert run.stdout is not None and run.stderr is not None
    run.stdout.close()
    assert run.wait(timeout=300) == BROKEN_PIPE_EXIT
    assert run.stderr.read() == b""


def test_commands_that_print_nothing_run_with_stdout_closed(case: Path) -> None:
    for args in (["plan", str(case), "-o", str(case.parent / "plan.md")],
                 ["new-case", "-o", str(case.parent / "new.yaml")]):
        done = _printed_into(None, args, close_stdout=True)
        assert done.returncode == 0, done.stderr
        assert done.stderr.startswith("Wrote "), done.stderr
    assert is_earlier_output(case.parent / "plan.md", "md")


def test_a_failed_write_removes_its_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.mkdir()  # a rename over a folder fails after the data is written
    (target / "kept").write_text("kept")
    with pytest.raises(OutputError, match="Could not write"):
        write_atomically(target, b"# plan\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md"]
    assert (target / "kept").read_text() == "kept"


# -- killed mid-write -----------------------------------------------------------------------

WRITER = ("import sys; from pathlib import Path; from engine.cli.output import write_atomically;"
          " write_atomically(Path(sys.argv[1]), bytes(int(sys.argv[2])))")


def test_a_kill_during_the_write_leaves_the_earlier_plan(case: Path) -> None:
    """SIGKILL while a large document is being written and fsynced: the plan is as before.

    The production writer runs in a subprocess on a 256 MiB document, killed as soon as its
    temporary file has data in it (no hook in the code: only a large write)."""
    target = case.parent / "plan.pdf"
    assert plan(case, "-o", target).exit_code == 0
    earlier = target.read_bytes()
    size = 256 * 1024 * 1024
    caught_mid_write = 0
    for _ in range(3):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(size)])
        deadline = time.monotonic() + 60  # a generous bound against a hang, no timing check
        while writer.poll() is None and time.monotonic() < deadline:
            parts = list(case.parent.glob(".plan.pdf.*.part"))
            if parts and parts[0].stat().st_size > 0:
                writer.send_signal(signal.SIGKILL)
                caught_mid_write += 1
                break
        writer.wait(timeout=60)
        assert target.read_bytes() == earlier or target.stat().st_size == size
        if target.stat().st_size == size:  # the writer won the race: start again
            target.write_bytes(earlier)
        for part in case.parent.glob(".plan.pdf.*.part"):
            part.unlink()  # what a SIGKILL leaves behind (documented)
    assert caught_mid_write, "never caught the writer mid-write"
    assert target.read_bytes() == earlier


def test_killing_the_command_at_random_moments_never_breaks_the_plan(case: Path) -> None:
    """The real ``reintegrate plan`` killed at random moments of its run: the file is always
    the earlier plan or the new one, complete."""
    target = case.parent / "plan.md"
    fresh = case.parent / "fresh.md"
    assert plan(case, "-o", target).exit_code == 0
    earlier = target.read_bytes()
    started = time.monotonic()
    subprocess.run([*COMMAND, "plan", str(case), "-o", str(fresh), "--lang", "fr"],
                   check=True, timeout=300, capture_output=True)
    duration = time.monotonic() - started
    new = fresh.read_bytes()
    seed = random.randrange(2**32)
    moments = random.Random(seed)
    outcomes = {"earlier": 0, "new": 0}
    for _ in range(6):
        run = subprocess.Popen([*COMMAND, "plan", str(case), "-o", str(target), "--lang", "fr"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moments.uniform(0.6, 1.3) * duration)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        found = target.read_bytes()
        assert found in (earlier, new), f"a broken plan (seed {seed})"
        outcomes["earlier" if found == earlier else "new"] += 1
        target.write_bytes(earlier)
    print(f"random kills (seed {seed}, run {duration:.2f} s): {outcomes}")
