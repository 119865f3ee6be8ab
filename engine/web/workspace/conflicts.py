"""Two people editing one record: the later save is refused, not silently applied.

Every editable row has a ``version``; a page reads it, sends it back with the save, and the
save raises ``StaleVersion`` if someone saved in between. The check and the write are one
UPDATE ... WHERE version = read, inside the service's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class StaleVersion(Exception):
    """Someone else saved this record after you opened it: reload, then redo the change."""

    def __init__(self, what: str, read: int, current: int):
        self.what, self.read, self.current = what, read, current
        super().__init__(f"This {what} was changed by someone else since you opened it "
                         f"(your copy: version {read}, now: version {current}). Reload the "
                         "page to see their change, then make yours again.")


def claim(record: models.Model, read_version: int, **changes: Any) -> None:
    """Write ``changes`` and the next version if ``record`` is still at ``read_version``;
    else raise StaleVersion. Call inside the save's transaction."""
    model = type(record)
    updated = model.objects.filter(pk=record.pk, version=read_version).update(
        version=read_version + 1, **changes)
    if updated != 1:
        current = model.objects.filter(pk=record.pk).values_list("version", flat=True).first()
        raise StaleVersion(model._meta.verbose_name, read_version, current or 0)
    record.version = read_version + 1
    for name, value in changes.items():
        setattr(record, name, value)
