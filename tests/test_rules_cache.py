"""The rules cache holds data only and trusts nothing it did not write (issue 13, item 1).

A review planted a pickle that ran ``os.system`` on the next ``score``, re-pickled the book
with flipped points (16 of 24 statuses changed, 'Rules valid' still printed), hung every
command with a FIFO, and saw a world-writable cache folder used as it was. Each attack is
replayed here against the real loader and the real command.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from engine.loading import cache
from engine.loading.rulebook import load_rulebook

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "cases" / "ethiopia_returnee.yaml"
COMMAND = [sys.executable, "-m", "engine.cli"]


class _Planted:
    """What a hostile cache entry runs when unpickled: it leaves a file behind."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def _run(*args: str | Path, cache_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "COLUMNS": "80"}
    env.pop("REINTEGRATE_CACHE", None)
    return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120, cwd=REPO)


def _flipped(payload: bytes) -> bytes:
    """Every answer's points p turned into 1 - p: the review's tampering, as JSON."""
    def flip(match: re.Match[bytes]) -> bytes:
        return b'"points":' + repr(round(1 - float(match[1]), 6)).encode()
    return re.sub(rb'"points":([0-9.]+)', flip, payload)


@pytest.fixture(scope="module")
def honest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A cache written by this code, and the result of `score --json` with the rules parsed."""
    home = tmp_path_factory.mktemp("xdg")
    scored = _run("score", EXAMPLE, "--json", cache_home=home)
    assert scored.returncode == 0, scored.stderr
    return home, scored.stdout


def _entry(home: Path) -> Path:
    [entry] = (home / "reintegrate").glob("*-book.json")
    return entry


def test_a_planted_pickle_runs_nothing_and_changes_nothing(
        honest: tuple[Path, str], tmp_path: Path) -> None:
    home, expected = honest
    marker = tmp_path / "ran"
    entry = _entry(home)
    for name in (entry, entry.with_suffix(".pickle")):
        name.write_bytes(pickle.dumps(_Planted(marker)))
    scored = _run("score", EXAMPLE, "--json", cache_home=home)
    assert scored.returncode == 0, scored.stderr
    assert not marker.exists()
    assert scored.stdout == expected
    assert entry.read_bytes().startswith(cache.FORMAT)  # replaced by a real entry


@pytest.mark.parametrize("signature", ["kept", "recomputed as a plain hash", "another key"])
def test_a_tampered_entry_changes_no_result(
        honest: tuple[Path, str], tmp_path: Path, signature: str) -> None:
    home, expected = honest
    entry = _entry(home)
    head, _, payload = entry.read_bytes().partition(b"\n")
    tampered = _flipped(payload)
    assert tampered != payload
    if signature == "kept":
        forged = head
    elif signature == "recomputed as a plain hash":
        forged = cache.FORMAT + hashlib.sha256(tampered).hexdigest().encode()
    else:
        other = _run("score", EXAMPLE, cache_home=tmp_path)  # another account's cache
        assert other.returncode == 0
        key = (tmp_path / "reintegrate" / "key").read_bytes()
        forged = cache.FORMAT + cache._signature(key, entry.stem, tampered)
    entry.write_bytes(forged + b"\n" + tampered)
    scored = _run("score", EXAMPLE, "--json", cache_home=home)
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout == expected
    validated = _run("validate", cache_home=home)
    assert validated.returncode == 0 and "Rules valid" in validated.stdout
    assert entry.read_bytes().partition(b"\n")[2] == payload  # rewritten from the rules


def test_the_tampering_would_have_changed_the_result(honest: tuple[Path, str]) -> None:
    """The control: the same flipped book, correctly signed, does change scores; so the
    test above shows the signature at work, not tampering too mild to matter."""
    home, expected = honest
    entry = _entry(home)
    original = entry.read_bytes()
    payload = original.partition(b"\n")[2]
    key = (home / "reintegrate" / "key").read_bytes()
    entry.write_bytes(cache.FORMAT + cache._signature(key, entry.stem, _flipped(payload))
                      + b"\n" + _flipped(payload))
    scored = _run("score", EXAMPLE, "--json", cache_home=home)
    assert scored.stdout != expected
    entry.write_bytes(original)


def test_a_fifo_at_an_entry_is_refused_with_a_sentence(honest: tuple[Path, str]) -> None:
    home, expected = honest
    entry = _entry(home)
    entry.unlink()
    os.mkfifo(entry)
    scored = _run("score", EXAMPLE, "--json", cache_home=home)  # times out if it waits
    assert scored.returncode == 0
    assert scored.stdout == expected
    assert scored.stderr.count("\n") == 1, scored.stderr
    assert f"Not using the rules cache file {entry}: it is not a regular file" in scored.stderr
    assert entry.is_file()  # replaced by a regular entry


def test_a_link_at_an_entry_is_not_followed(honest: tuple[Path, str], tmp_path: Path) -> None:
    home, expected = honest
    entry = _entry(home)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(elsewhere)
    scored = _run("score", EXAMPLE, "--json", cache_home=home)
    assert scored.stdout == expected
    assert "it is a symbolic link" in scored.stderr


@pytest.mark.parametrize("mode", [0o777, 0o755, 0o770])
def test_a_folder_open_to_others_is_not_used(
        tmp_path: Path, mode: int) -> None:
    """Even a correctly signed, tampered entry in it goes unread: the folder is refused."""
    home = tmp_path / "xdg"
    first = _run("score", EXAMPLE, "--json", cache_home=home)
    folder = home / "reintegrate"
    entry = _entry(home)
    payload = entry.read_bytes().partition(b"\n")[2]
    key = (folder / "key").read_bytes()
    entry.write_bytes(cache.FORMAT + cache._signature(key, entry.stem, _flipped(payload))
                      + b"\n" + _flipped(payload))
    folder.chmod(mode)
    scored = _run("score", EXAMPLE, "--json", cache_home=home)
    assert scored.returncode == 0
    assert scored.stdout == first.stdout
    assert scored.stderr == (
        f"Not using the rules cache {folder}: other users have access to it (mode {mode:04o}); "
        f"run 'chmod 700 {folder}' if it is yours, or remove it (REINTEGRATE_CACHE=0 turns "
        "the cache off).\n")


def test_a_new_folder_and_its_files_are_private(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules_copy: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REINTEGRATE_CACHE", raising=False)
    monkeypatch.setattr(cache, "_memory", {})
    load_rulebook(rules_copy)
    folder = tmp_path / "xdg" / "reintegrate"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()} == {
        "key": 0o600,
        f"{load_rulebook(rules_copy).version}-{cache._code_stamp()[:12]}-book.json": 0o600}


@pytest.mark.parametrize("mode", [0o644, 0o640])
def test_a_key_others_could_read_is_replaced(
        honest: tuple[Path, str], mode: int) -> None:
    """Someone may have read it and signed entries with it: a new key, the rules parsed."""
    home, expected = honest
    key = home / "reintegrate" / "key"
    before = key.read_bytes()
    key.chmod(mode)
    scored = _run("score", EXAMPLE, "--json", cache_home=home)
    assert scored.stdout == expected
    assert f"Not using the rules cache file {key}: other users have access to it" in (
        scored.stderr)
    assert key.read_bytes() != before and key.stat().st_mode & 0o777 == 0o600


def _planted_template(payload: bytes, marker: Path) -> bytes:
    """Compiled-template bytes for the same source checksum that leave a file behind."""
    stream = io.BytesIO(payload)
    assert stream.read(len(bc_magic)) == bc_magic
    checksum = pickle.load(stream)
    code = compile(f"open({str(marker)!r}, 'w').close()", "<planted>", "exec")
    return bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code)


def test_compiled_templates_run_only_when_signed_by_this_account(tmp_path: Path) -> None:
    """Compiled templates are code: one planted without this account's key is compiled
    again, never run; the control shows the same bytes signed would have run."""
    home, plan = tmp_path / "xdg", tmp_path / "plan.html"
    first = _run("plan", EXAMPLE, "--format", "html", "-o", plan, cache_home=home)
    assert first.returncode == 0, first.stderr
    expected = plan.read_text()
    entries = sorted((home / "reintegrate").glob("template-*.bin"))
    assert entries, "the plan's compiled templates are kept"
    marker = tmp_path / "ran"
    originals = {entry: entry.read_bytes() for entry in entries}
    for entry, data in originals.items():
        head, _, payload = data.partition(b"\n")
        entry.write_bytes(head + b"\n" + _planted_template(payload, marker))
    again = _run("plan", EXAMPLE, "--format", "html", "-o", plan, "--force", cache_home=home)
    assert again.returncode == 0, again.stderr
    assert not marker.exists()
    assert plan.read_text() == expected
    assert {entry: entry.read_bytes() for entry in entries} == originals  # compiled again

    key = (home / "reintegrate" / "key").read_bytes()
    for entry, data in originals.items():
        planted = _planted_template(data.partition(b"\n")[2], marker)
        entry.write_bytes(cache.FORMAT + cache._signature(key, entry.stem, planted) + b"\n"
                          + planted)
    _run("plan", EXAMPLE, "--format", "html", "-o", plan, "--force", cache_home=home)
    assert marker.exists()


def test_entries_this_code_never_reads_are_removed_when_it_writes_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules_copy: Path) -> None:
    """Old pickles stayed in the cache folder for ever, never read. Writing an entry removes
    the earlier formats' entries, and another code's once a month old; never a name the
    cache does not make, nor another code's recent entry (an install still in use)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REINTEGRATE_CACHE", raising=False)
    monkeypatch.setattr(cache, "_memory", {})
    monkeypatch.setattr(cache, "_pruned", set(), raising=False)
    folder = tmp_path / "xdg" / "reintegrate"
    folder.mkdir(parents=True, mode=0o700)
    ours = cache._code_stamp()[:12]
    other = "0123456789ab" if ours != "0123456789ab" else "ba9876543210"
    old = time.time() - 40 * 24 * 3600
    gone = ["016f8d17a3c2-book.pickle", "016f8d17a3c2-fr.pickle",
            "3c0f2d1e9a7b+office-ar.pickle", f"016f8d17a3c2-{ours}-book.pickle",
            "016f8d17a3c2-book.json", "3c0f2d1e9a7b+office-es.json",
            f"016f8d17a3c2-{other}-book.json"]
    kept = [f"016f8d17a3c2-{other}-fr.json",  # another code's, written today
            f"016f8d17a3c2-{ours}-book.json",  # this code's, for other rules: read again
            "template-3.1.6-md-0123abcd.bin", "notes.pickle", "book.json", "my-data.json",
            "016f8d17a3c2-book.pickle.bak"]
    for name in gone + kept:
        (folder / name).write_bytes(b"x")
    os.utime(folder / f"016f8d17a3c2-{other}-book.json", (old, old))
    os.utime(folder / "016f8d17a3c2-book.pickle", (old, old))
    (folder / "016f8d17a3c2-es.pickle").mkdir()  # not a regular file: not removed
    read_only = cache.cached_book(rules_copy, "016f8d17a3c2")
    assert read_only is None  # reading removes nothing
    assert all((folder / name).exists() for name in gone)
    book = load_rulebook(rules_copy)  # a miss: the book is written
    entry = f"{book.version}-{ours}-book.json"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*kept, "016f8d17a3c2-es.pickle", "key", entry])
