"""The wheel carries the pages' templates, static files (htmx and its licence) and compiled
catalogs: hatch ships every file under ``engine/`` that git does not ignore, so a
``pip install`` serves the same pages as the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

PAGES = Path(__file__).resolve().parents[3] / "engine" / "web" / "pages"


def test_wheel_ships_templates_static_and_catalogs(tmp_path):
    repo = PAGES.parents[2]
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(repo), "--no-deps", "-q",
                    "-w", str(tmp_path)], check=True, timeout=300)
    names = set(zipfile.ZipFile(next(tmp_path.glob("reintegrate-*.whl"))).namelist())
    wanted = [p for folder in ("templates", "static", "locale")
              for p in (PAGES / folder).rglob("*") if p.is_file()]
    assert any(p.suffix == ".mo" for p in wanted)
    missing = [p.relative_to(repo).as_posix() for p in wanted
               if p.relative_to(repo).as_posix() not in names]
    assert missing == []
