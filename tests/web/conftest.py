"""Shared fixtures of the web tests (listed in docs/workspace.md, "Tests").

Django is set up when this folder is collected, with a data folder of its own (never the
user's): the SQLite store by default, PostgreSQL when DATABASE_URL is set (scripts/test.sh
runs the store tests both ways).
"""

from __future__ import annotations

import os
import tempfile

import pytest

pytest.importorskip("django", reason="the web extra is not installed: pip install '.[web]'")
os.environ.setdefault("REINTEGRATE_DATA", tempfile.mkdtemp(prefix="reintegrate-test-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engine.web.settings")

import django  # noqa: E402

django.setup()
