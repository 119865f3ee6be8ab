"""db backup / db restore: a round trip gives back every row as it was (SQLite with the
online backup API, PostgreSQL with dumpdata/loaddata in one transaction)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.web.workspace import backup, rounds
from engine.web.workspace.models import AuditEntry, MonitoringRound, PlanVersion, Returnee


def _snapshot() -> dict[str, list]:
    return {
        "returnees": list(Returnee.objects.order_by("pk").values()),
        "rounds": list(MonitoringRound.objects.order_by("pk").values()),
        "plans": [(v.pk, v.status, bytes(v.pdf or b"")) for v in PlanVersion.objects.all()],
    }


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_as_it_was(staff, ethiopia, tmp_path: Path) -> None:
    from engine.web.workspace import plans
    round_ = ethiopia.rounds.get()
    version = plans.submit(staff.manager, round_.pk)
    plans.approve(staff.supervisor, version.pk)
    plans.finalise(staff.manager, version.pk)
    before = _snapshot()
    target = tmp_path / "workspace.backup"
    assert "Backed up" in backup.backup(target)
    assert target.stat().st_mode & 0o077 == 0  # the owner's only
    rounds.save_rss(staff.manager, round_.pk, {"economic_satisfaction": "satisfied"},
                    MonitoringRound.objects.get(pk=round_.pk).version)
    Returnee.objects.create(office=ethiopia.office, case_manager=staff.manager,
                            returnee_id="LATER-0001", profile={}, opened_on="2027-01-01")
    assert _snapshot() != before
    assert "Restored" in backup.restore(target)
    after = _snapshot()
    for table in before:
        for was, now in zip(before[table], after[table], strict=True):
            assert was == now, {k for k in was if was[k] != now[k]} if table != "plans" else ""
    assert AuditEntry.objects.filter(action="restore").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_other_kind_is_refused(staff, tmp_path: Path) -> None:
    from django.db import connection
    wrong = tmp_path / "wrong.backup"
    wrong.write_bytes(b"<?xml" if connection.vendor == "sqlite" else backup.SQLITE_HEADER)
    with pytest.raises(backup.BackupRefused, match="restore it where it was made"):
        backup.restore(wrong)
