"""Backing up and restoring the workspace's database (``reintegrate db backup/restore``)."""

from __future__ import annotations

from pathlib import Path


def backup(target: Path) -> str:
    """Write a consistent copy of the database to ``target``; returns what was done."""
    raise NotImplementedError


def restore(source: Path) -> str:
    """Replace the database's content with the backup's, in one step."""
    raise NotImplementedError
