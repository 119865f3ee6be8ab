"""Where the workspace keeps its database and secret key when no project folder exists.

``REINTEGRATE_DATA`` names the folder; otherwise ``$XDG_DATA_HOME/reintegrate`` (the XDG
base directory rule, ``~/.local/share/reintegrate`` when XDG_DATA_HOME is unset). The
secret key is generated once into a file only its owner can read, so sessions survive a
restart and the key is never in the code or the environment's history.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"
DATABASE_FILE = "workspace.sqlite3"


def data_folder() -> Path:
    """The workspace's data folder, created (owner-only) if missing."""
    named = os.environ.get("REINTEGRATE_DATA")
    if named:
        folder = Path(named).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        folder = Path(base) / "reintegrate"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def secret_key(folder: Path) -> str:
    """The key in ``folder``, generated on first use into a 0600 file."""
    path = folder / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        stream.write(key)
    return key
