"""Backing up and restoring the workspace's database (``reintegrate db backup/restore``).

SQLite: SQLite's online backup API, page by page from a consistent snapshot, so a backup
can be taken while the workspace serves; a restore copies the backup's pages into the
database the same way (one step: readers see the old or the new database, never a mix).

PostgreSQL: Django's dumpdata and loaddata, the restore in one transaction (all or
nothing). Chosen over pg_dump/pg_restore because those must match the server's major
version and be installed beside the workspace, while the workspace already reaches the
server; the file is Django's XML serialisation, which any later version of the workspace
reads and which keeps times to the microsecond (Django's JSON keeps milliseconds, so a
round trip would not give the rows back as they were). For a large
database an operator's own pg_dump schedule is the better tool, and works alongside.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction

from engine.web.workspace import audit

SQLITE_HEADER = b"SQLite format 3\x00"
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
"""Made by migrations (content types, permissions) or passing (sessions): not backed up."""


class BackupRefused(Exception):
    """The backup file does not fit this workspace's database (say which, and what to do)."""


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def backup(target: Path) -> str:
    """Write a consistent copy of the database to ``target`` (replaced whole, atomically);
    returns what was done."""
    target = Path(target)
    descriptor, partial = tempfile.mkstemp(dir=target.parent or ".", prefix=".backup-")
    os.close(descriptor)
    try:
        if _sqlite():
            connection.ensure_connection()
            copy = sqlite3.connect(partial)
            with copy:
                connection.connection.backup(copy)
            copy.close()
        else:
            call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, format="xml",
                         output=partial, verbosity=0)
        os.chmod(partial, 0o600)  # personal data: the owner's only
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    audit.record(None, "backup")
    kind = "SQLite database" if _sqlite() else "PostgreSQL data (XML)"
    return f"Backed up the {kind} to {target}."


def restore(source: Path) -> str:
    """Replace the database's content with the backup's, in one step; returns what was
    done. Stop the server first: requests in flight would act on the replaced data."""
    source = Path(source)
    with source.open("rb") as stream:
        is_sqlite = stream.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    if is_sqlite != _sqlite():
        raise BackupRefused(
            f"{source} is a {'SQLite' if is_sqlite else 'PostgreSQL (XML)'} backup, and this "
            f"workspace uses {'SQLite' if _sqlite() else 'PostgreSQL'}: restore it where it "
            "was made (DATABASE_URL chooses PostgreSQL).")
    if is_sqlite:
        connection.ensure_connection()
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            backup_file.backup(connection.connection)
        finally:
            backup_file.close()
    else:
        with tempfile.TemporaryDirectory() as folder:
            fixture = Path(folder) / "backup.xml"  # loaddata knows the format by its name
            fixture.symlink_to(source.resolve())
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(fixture), verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)  # an older backup's tables
    audit.record(None, "restore")
    return f"Restored the workspace's data from {source}."
