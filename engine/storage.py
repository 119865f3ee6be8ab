"""Writing a file whole or not at all, never over a file that should survive.

The one writer of the package (plans, new case files, the rules cache, catalogs): a review
lost data to three copies of this logic that each checked the target at a different moment.
Here the target is examined when the new file is put in place, not before the work that
produced it, so a file that appears meanwhile (another process, the user saving in an
editor) is never replaced unless the caller allowed it:

- ``replace=False``: the temporary file is hard-linked to the target name, which fails if
  the name exists at that instant (``FileExistsError``); a file system without hard links
  gets an ``O_EXCL`` claim of the name, then a rename over that claim.
- ``replace=True``: a rename over whatever is there.
- ``unchanged=stat``: replace only the file that was looked at before (same device, inode,
  size and modification time), checked immediately before the rename; anything else there
  raises ``FileExistsError``.

In every case the data is flushed and fsynced before it gets the name, and the folder is
fsynced after, so a full disk, a kill or a power cut leaves the previous file or nothing
(after a SIGKILL a ``.NAME.*.part`` file may stay behind). Errors are ``OSError`` for the
caller to phrase: only it knows what the file is to the user.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK,
                            errno.EXDEV, errno.ENOSYS})


def write_file(path: Path, data: bytes, *, replace: bool = False,
               unchanged: os.stat_result | None = None, mode: int | None = None) -> None:
    """Put ``data`` at ``path`` atomically.

    ``replace``: an existing file may be replaced (else ``FileExistsError``).
    ``unchanged``: only this earlier file may be replaced (implies replacing it).
    ``mode``: the new file's permissions; by default an replaced file's own, or the
    umask's for a new file, as ``open()`` would give.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode if mode is not None else _mode_for(path))
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if replace:
            os.replace(temporary, path)
        elif unchanged is not None:
            _replace_if_unchanged(temporary, path, unchanged)
        else:
            _link_new(temporary, path)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
    sync_folder(path.parent)


def same_file(seen: os.stat_result, now: os.stat_result) -> bool:
    """The same file, unmodified: identity and content stamp both agree."""
    return ((seen.st_dev, seen.st_ino, seen.st_size, seen.st_mtime_ns)
            == (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns))


def _replace_if_unchanged(temporary: str, path: Path, seen: os.stat_result) -> None:
    try:
        now = os.lstat(path)
    except FileNotFoundError:  # removed meanwhile: nothing left to protect, but never clobber
        _link_new(temporary, path)
        return
    if not same_file(seen, now):
        raise FileExistsError(errno.EEXIST, "changed by someone else meanwhile", str(path))
    os.replace(temporary, path)


def _link_new(temporary: str, path: Path) -> None:
    """Give the new file its name only if the name is free at this instant."""
    try:
        os.link(temporary, path, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        claim = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        os.close(claim)
        os.replace(temporary, path)


def _mode_for(path: Path) -> int:
    """An existing file keeps its permissions; a new one gets the umask's."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def sync_folder(folder: Path) -> None:
    """Make a rename durable; some file systems cannot fsync a folder, and by now the new
    file is in place, so that is no failure."""
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
