"""Page tests: Django's test client over the store's fixtures (tests/web/conftest.py:
``staff``, ``ethiopia``)."""

from __future__ import annotations

import pytest


@pytest.fixture
def manager_client(client, staff):
    client.force_login(staff.manager)
    return client
